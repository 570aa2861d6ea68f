"""Helpers shared by the tests: databases, factories, sign-in and CSRF tokens."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from volunteer_hub.auth.models import Role, User
from volunteer_hub.auth.services import create_user
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.tenancy.services import ensure_municipality, ensure_organisation

PG_ADMIN_URL = os.environ.get("VH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"


def require_postgres() -> bool:
    """CI sets VH_REQUIRE_POSTGRES=1: a missing PostgreSQL is then a failure, not a skip."""
    return os.environ.get("VH_REQUIRE_POSTGRES") == "1"


def postgres_reachable() -> bool:
    engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    finally:
        engine.dispose()


@contextmanager
def fresh_postgres_database(admin_url: str = PG_ADMIN_URL, prefix: str = "vh_test") -> Iterator[str]:
    """Create an empty PostgreSQL database next to ``admin_url``'s (a test session's, or a
    benchmark's) and drop it afterwards: its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(database_url: str, **overrides: Any) -> Flask:
    """A testing app on ``database_url``, migrated to head."""
    from flask_migrate import upgrade

    from volunteer_hub import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    with app.app_context():
        upgrade()
    return app


def empty_all_tables(app: Flask) -> None:
    """Remove every row, so each test starts from an empty, migrated database."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
                )
            else:
                for table in tables:
                    connection.execute(sa.text(f'DELETE FROM "{table}"'))


def make_municipality(code: str = "0161", name: str = "Glostrup Kommune") -> Municipality:
    return ensure_municipality(code, name)


def make_organisation(municipality: Municipality, name: str = "Røde Kors Glostrup") -> Organisation:
    return ensure_organisation(municipality, name)


def make_user(
    municipality: Municipality,
    role: Role = Role.MUNICIPAL_COORDINATOR,
    *,
    email: str | None = None,
    organisation: Organisation | None = None,
    name: str = "Test Person",
) -> User:
    if role == Role.PARTNER_COORDINATOR and organisation is None:
        organisation = make_organisation(municipality)
    return create_user(
        municipality_id=municipality.id,
        email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@example.dk",
        name=name,
        password=PASSWORD,
        role=role,
        organisation_id=organisation.id if organisation else None,
    )


def login_as(client: FlaskClient, user: User) -> None:
    """Sign ``user`` in through the session, as Flask-Login would after a real sign-in."""
    import time

    from volunteer_hub.auth.session_guard import AUTH_AT, SEEN_AT

    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[AUTH_AT] = session[SEEN_AT] = int(time.time())


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/tilgaengelighed") -> str:
    """A valid CSRF token for the client's session, read from a page as a browser would."""
    response = client.get(path)
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)
