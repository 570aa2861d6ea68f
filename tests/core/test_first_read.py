"""The signed-in account is checked outside a database transaction (db.read_first_outside_transaction):
one round trip instead of three on PostgreSQL. What the request does next is still one
transaction, and what was read stays loaded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.families.support import Login, make_household
from tests.support import login_as, make_municipality, make_user
from volunteer_hub.auth.models import Role, User
from volunteer_hub.db import read_first_outside_transaction
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Organisation


def _user_by_id(user_id: int):
    return read_first_outside_transaction(
        db.session(), sa.select(User).where(User.id == sa.bindparam("user_id")), {"user_id": user_id}
    )


def test_what_follows_the_read_is_one_transaction_and_the_account_stays_loaded(ctx):
    municipality = make_municipality()
    user_id, municipality_id = make_user(municipality, name="Anna Coordinator").id, municipality.id
    db.session.commit()
    db.session.remove()
    (user,) = _user_by_id(user_id)
    assert not sa.inspect(user).expired and user.name == "Anna Coordinator"
    db.session.add(Organisation(municipality_id=municipality_id, name="Dansk Flygtningehjælp"))
    db.session.flush()
    db.session.rollback()  # a view that fails after writing: nothing of it is kept
    names = db.session.execute(sa.select(Organisation.name)).scalars().all()
    assert "Dansk Flygtningehjælp" not in names


def test_inside_an_open_transaction_the_read_joins_it(ctx):
    municipality = make_municipality()
    db.session.commit()
    user_id = make_user(municipality, name="Not yet committed").id  # flushed, not committed
    (user,) = _user_by_id(user_id)
    assert user.name == "Not yet committed"  # it saw the transaction's own write
    db.session.rollback()
    assert db.session.get(User, user_id) is None


@pytest.mark.pg_only
def test_on_postgresql_only_the_account_check_runs_outside_a_transaction(pg_app, monkeypatch):
    from volunteer_hub import db as db_module

    with pg_app.app_context():
        municipality = make_municipality()
        household_id = make_household(municipality, name="Haile family").id
        user = Login(make_user(municipality))
        db.session.commit()
        engine = db.engine
    client = pg_app.test_client()
    login_as(client, user)
    seen: list[tuple[str, bool]] = []

    def note(connection, cursor, statement, parameters, context, executemany):
        seen.append((statement.split()[0], connection.connection.driver_connection.autocommit))

    run_by_driver = db_module.autocommit_driver_statement

    def note_driver(engine, sql, params):  # always autocommit: tests/core/test_autocommit_statement.py
        seen.append((sql.split()[0] + " by driver", True))
        return run_by_driver(engine, sql, params)

    monkeypatch.setattr(db_module, "autocommit_driver_statement", note_driver)
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(f"/familier/{household_id}/oplysninger").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert seen[0] == ("SELECT by driver", True)  # the account, with its municipality's data version
    assert len(seen) > 1 and all(not autocommit for _, autocommit in seen[1:]), seen


@pytest.mark.pg_only
def test_on_postgresql_the_account_read_by_the_driver_is_the_orms_own(pg_app):
    """The account check builds the user from the driver's row (db._first_row_by_driver): the
    same values, types and state as the ORM would give, and a change to it is saved."""
    with pg_app.app_context():
        municipality = make_municipality()
        user_id = make_user(municipality, name="Anna Coordinator", role=Role.MUNICIPAL_COORDINATOR).id
        db.session.commit()
        municipality_id = municipality.id
        by_orm = {c.key: getattr(db.session.get(User, user_id), c.key) for c in sa.inspect(User).column_attrs}
        db.session.remove()
        version_of = sa.select(User, sa.literal(7).label("seven")).where(User.id == sa.bindparam("user_id"))
        user, seven = read_first_outside_transaction(db.session(), version_of, {"user_id": user_id})
        assert seven == 7 and sa.inspect(user).persistent and not sa.inspect(user).expired_attributes
        assert {c.key: getattr(user, c.key) for c in sa.inspect(User).column_attrs} == by_orm
        assert user.role is Role.MUNICIPAL_COORDINATOR and user.created_at.tzinfo is not None
        assert user.municipality.id == municipality_id  # relationships load as usual
        user.name = "Anna Koordinator"
        db.session.commit()
        db.session.remove()
        assert db.session.get(User, user_id).name == "Anna Koordinator"


@pytest.mark.pg_only
def test_on_postgresql_a_read_of_plain_columns_by_the_driver_gives_typed_values(pg_app):
    from volunteer_hub.tenancy.services import municipality_id_by_code

    with pg_app.app_context():
        municipality = make_municipality()
        user_id = make_user(municipality, role=Role.ADMIN).id
        db.session.commit()
        code, municipality_id = municipality.code, municipality.id
        db.session.remove()
        columns = sa.select(User.created_at, User.role).where(User.id == sa.bindparam("id"))
        created_at, role = read_first_outside_transaction(db.session(), columns, {"id": user_id})
        assert created_at.tzinfo is not None and role is Role.ADMIN  # as the column types give them
        db.session.remove()
        assert read_first_outside_transaction(db.session(), columns, {"id": 0}) is None
        db.session.remove()
        assert municipality_id_by_code(code) == municipality_id
        assert municipality_id_by_code("no such code") is None


@pytest.mark.pg_only
def test_a_session_scoped_to_a_municipality_reads_only_its_rows(pg_app):
    """The driver's read would bypass the tenancy scope (an ORM hook): a scoped session uses the ORM."""
    from volunteer_hub.db import set_session_tenant

    with pg_app.app_context():
        own, other = make_municipality(), make_municipality(code="0165", name="Albertslund")
        own_id, stranger_id = own.id, make_user(other, email="other@albertslund.dk").id
        db.session.commit()
        db.session.remove()
        set_session_tenant(db.session(), own_id)
        by_id = sa.select(User).where(User.id == sa.bindparam("user_id"))
        assert read_first_outside_transaction(db.session(), by_id, {"user_id": stranger_id}) is None
