"""Restore drill: `flask backup` then `flask restore` into a fresh database gives back every row."""

from __future__ import annotations

import stat

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality, make_organisation, make_user
from tests.support import fresh_postgres_database, make_app
from volunteer_hub import create_app
from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import FailedLogin
from volunteer_hub.auth.services import request_password_reset
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxStatus
from volunteer_hub.notifications.services import queue_email
from volunteer_hub.ops.services import pipe_sql_into_psql, table_fingerprints


def _fill(app) -> None:
    """A bit of everything the foundation stores, with Danish letters, JSON and NULLs."""
    with app.app_context():
        for code, name in (("0161", "Glostrup Kommune"), ("0101", "Københavns Kommune")):
            municipality = make_municipality(code, name)
            organisation = make_organisation(municipality, "Røde Kors Ærø-afdeling")
            admin = make_user(municipality, Role.ADMIN, name="Åse Ødegård")
            make_user(municipality, Role.MUNICIPAL_COORDINATOR)
            make_user(municipality, Role.PARTNER_COORDINATOR, organisation=organisation)
            make_user(municipality, Role.VOLUNTEER)
            for i in range(25):
                record("demo.event", actor=admin, municipality_id=municipality.id, obj=admin, step=i)
                message = queue_email(
                    municipality_id=municipality.id,
                    to=f"person{i}@example.dk",
                    template="password_reset",
                    language="da",
                    context={"name": "Søren", "url": "http://127.0.0.1/x", "minutes": 60},
                )
                message.status = OutboxStatus.SENT if i % 3 else OutboxStatus.PENDING
            request_password_reset(admin.email, lambda token: f"http://127.0.0.1/reset/{token}")
        db.session.add(FailedLogin(email_key="0" * 64))
        db.session.commit()


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.mark.pg_only
def test_restore_into_a_fresh_database_gives_back_every_row_of_every_table(pg_app, tmp_path):
    _fill(pg_app)
    source = table_fingerprints(pg_app.config["SQLALCHEMY_DATABASE_URI"])
    assert source["audit_event"][0] > 50 and source["outbox_message"][0] == 52

    backup = tmp_path / "nightly.dump"
    result = _cli(pg_app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds personal data
    assert not (tmp_path / "nightly.dump.partial").exists()

    with fresh_postgres_database() as url:
        target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        result = _cli(target, "restore", str(backup))
        assert result.exit_code == 0, result.output
        assert "run `flask db upgrade`" not in result.output  # same migration as the code
        assert table_fingerprints(url) == source
        engine = sa.create_engine(url)
        try:
            with engine.begin() as connection:
                # The restored database still refuses changes to the audit trail ...
                with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                    connection.execute(sa.text("UPDATE audit_event SET action = 'x'"))
            with engine.begin() as connection:
                # ... and its sequences continue after the restored rows.
                new_id = connection.execute(
                    sa.text(
                        "INSERT INTO failed_login (email_key, attempted_at) VALUES ('k', now()) RETURNING id"
                    )
                ).scalar_one()
                assert new_id > source["failed_login"][0]
        finally:
            engine.dispose()


@pytest.mark.pg_only
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(pg_app, tmp_path):
    _fill(pg_app)
    backup = tmp_path / "backup.dump"
    assert _cli(pg_app, "backup", str(backup)).exit_code == 0
    source = table_fingerprints(pg_app.config["SQLALCHEMY_DATABASE_URI"])

    with fresh_postgres_database() as url:
        target = make_app(url)  # migrated, with data of its own
        with target.app_context():
            make_municipality("0147", "Frederiksberg Kommune")
            db.session.commit()
            db.engine.dispose()
        before = table_fingerprints(url)

        refused = _cli(target, "restore", str(backup))
        assert refused.exit_code == 1
        assert "is not empty" in refused.output and "--force" in refused.output
        assert table_fingerprints(url) == before

        forced = _cli(target, "restore", "--force", str(backup))
        assert forced.exit_code == 0, forced.output
        assert table_fingerprints(url) == source


@pytest.mark.pg_only
def test_a_damaged_backup_is_rolled_back_and_leaves_the_database_as_it_was(pg_app, tmp_path):
    _fill(pg_app)
    backup = tmp_path / "backup.dump"
    assert _cli(pg_app, "backup", str(backup)).exit_code == 0
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(backup.read_bytes()[:-100])  # readable header and table list, data cut short
    uri = pg_app.config["SQLALCHEMY_DATABASE_URI"]
    with pg_app.app_context():
        db.engine.dispose()
    before = table_fingerprints(uri)

    result = _cli(pg_app, "restore", "--force", str(damaged))
    assert result.exit_code == 1
    assert "rolled back" in result.output and "end of file" in result.output
    assert table_fingerprints(uri) == before  # even with --force, a failed restore drops nothing


@pytest.mark.pg_only
def test_backup_of_an_unreachable_database_fails_clearly_and_writes_no_file(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:5432/vh_no_such_db"})
    result = _cli(app, "backup", str(tmp_path / "x.dump"))
    assert result.exit_code == 1
    assert "Cannot connect" in result.output and "vh_no_such_db" in result.output
    assert list(tmp_path.iterdir()) == []


def test_backup_and_restore_refuse_sqlite_with_a_clear_message(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'vh.sqlite3'}"})
    for args in (["backup", str(tmp_path / "x.dump")], ["restore", __file__]):
        result = _cli(app, *args)
        assert result.exit_code == 1
        assert "PostgreSQL only" in result.output and "sqlite" in result.output


@pytest.mark.pg_only
def test_sql_from_a_restore_that_stops_half_way_is_never_committed(pg_app):
    # pg_restore can fail between two statements (not only inside a table's data): what it
    # wrote before must not be committed.
    from volunteer_hub.ops.services import pg_tool, postgres_target

    target = postgres_target(pg_app.config["SQLALCHEMY_DATABASE_URI"])
    producer = ["sh", "-c", "echo 'CREATE TABLE half_restored (id int);'; echo 'damaged' >&2; exit 1"]
    psql = pg_tool("psql")
    consumer = [psql, "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--file=-", f"--dbname={target.libpq_url}"]
    producer_ok, consumer_ok, errors = pipe_sql_into_psql(producer, consumer, env=target.env, prelude=b"")
    assert (producer_ok, consumer_ok) == (False, True) and "damaged" in errors
    with pg_app.app_context():
        assert "half_restored" not in sa.inspect(db.engine).get_table_names()
