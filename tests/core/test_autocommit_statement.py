"""db.autocommit_driver_statement: one statement on a pooled connection, outside any transaction
(PostgreSQL). It commits on its own, gives the connection back as the pool hands it out, and a
connection that broke is replaced, not handed to the next request."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from volunteer_hub.db import autocommit_driver_statement

pytestmark = pytest.mark.pg_only


@pytest.fixture
def one_connection(pg_app):
    """An engine on the test database whose pool holds exactly one connection."""
    engine = sa.create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def test_rows_come_back_and_a_write_is_committed_at_once(one_connection):
    autocommit_driver_statement(one_connection, "CREATE TEMP TABLE IF NOT EXISTS probe (n integer)", [{}])
    assert autocommit_driver_statement(
        one_connection, "INSERT INTO probe VALUES (%(a)s), (%(b)s) RETURNING n", [{"a": 1, "b": 2}]
    ) == [
        (1,),
        (2,),
    ]
    with one_connection.connect() as connection:  # the same pooled connection: its temp table
        assert connection.exec_driver_sql("SELECT count(*) FROM probe").scalar_one() == 2
        connection.rollback()  # nothing of it was left in a transaction to undo
        assert connection.exec_driver_sql("SELECT count(*) FROM probe").scalar_one() == 2


def test_a_failed_statement_leaves_the_connection_as_the_pool_hands_it_out(one_connection):
    with pytest.raises(psycopg.errors.DivisionByZero):
        autocommit_driver_statement(one_connection, "SELECT 1 / %(zero)s", [{"zero": 0}])
    pooled = one_connection.raw_connection()
    try:
        assert pooled.driver_connection.autocommit is False
    finally:
        pooled.close()
    assert autocommit_driver_statement(one_connection, "SELECT %(one)s::int + 1", [{"one": 1}]) == [(2,)]


def test_a_connection_the_server_ended_is_replaced(one_connection, pg_app):
    (pid,) = autocommit_driver_statement(one_connection, "SELECT pg_backend_pid()", [{}])[0]
    admin = sa.create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        assert connection.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)}, 5000)").scalar_one()
    admin.dispose()
    with pytest.raises(psycopg.OperationalError):  # it was checked in a moment ago: not tested
        autocommit_driver_statement(one_connection, "SELECT 1", [{}])
    (new_pid,) = autocommit_driver_statement(one_connection, "SELECT pg_backend_pid()", [{}])[0]
    assert new_pid != pid
