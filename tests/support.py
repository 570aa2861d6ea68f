"""Helpers shared by the tests: databases, apps, sign-in, Glostrup, CSRF tokens (factories: factories.py)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_municipality, make_organisation, make_user
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation

PG_ADMIN_URL = os.environ.get("VH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


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


@contextmanager
def recorded_statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block, in order."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


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


class Login:
    """What a test needs to sign a user in after the app context that made them has closed.

    (A fixture must not keep an app context open while the test client makes requests:
    Flask would reuse it, and ``g`` with the signed-in user would leak between requests.)
    """

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.municipality_id = user.municipality_id
        self._session_id = user.get_id()

    def get_id(self) -> str:
        return self._session_id


def login_as(client: FlaskClient, user: User | Login) -> None:
    """Sign ``user`` in through the session, as Flask-Login would after a real sign-in."""
    import time

    from volunteer_hub.auth.session_guard import AUTH_AT, SEEN_AT

    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[AUTH_AT] = session[SEEN_AT] = int(time.time())


@dataclass(frozen=True)
class Glostrup:
    """Glostrup Kommune with two partner organisations, a municipal coordinator and an admin.

    It holds ids and sign-in details, so it outlives the app context that made it; the
    properties load the rows in the app context of the caller (``ctx``, or a ``with``).
    """

    municipality_id: int
    red_cross_id: int
    refugee_council_id: int
    coordinator_login: Login
    admin_login: Login

    @property
    def municipality(self) -> Municipality:
        return db.session.get_one(Municipality, self.municipality_id)

    @property
    def red_cross(self) -> Organisation:
        return db.session.get_one(Organisation, self.red_cross_id)

    @property
    def refugee_council(self) -> Organisation:
        return db.session.get_one(Organisation, self.refugee_council_id)

    @property
    def coordinator(self) -> User:
        return db.session.get_one(User, self.coordinator_login.id)

    @property
    def admin(self) -> User:
        return db.session.get_one(User, self.admin_login.id)


GLOSTRUP_COORDINATOR = "koordinator@glostrup.dk"
GLOSTRUP_ADMIN = "admin@glostrup.dk"


def make_glostrup() -> Glostrup:
    """Glostrup (code 0161) with Røde Kors and Dansk Flygtningehjælp, a coordinator and an admin
    (e-mails ``GLOSTRUP_COORDINATOR`` and ``GLOSTRUP_ADMIN``, password ``PASSWORD``), committed,
    in the current app context: the ``glostrup`` fixture's, and for tests on another app."""
    municipality = make_municipality()
    red_cross = make_organisation(municipality, "Røde Kors Glostrup")
    refugee_council = make_organisation(municipality, "Dansk Flygtningehjælp Frivillignetværk Glostrup")
    coordinator = make_user(
        municipality, Role.MUNICIPAL_COORDINATOR, email=GLOSTRUP_COORDINATOR, name="Mette Koordinator"
    )
    admin = make_user(municipality, Role.ADMIN, email=GLOSTRUP_ADMIN, name="Anders Admin")
    db.session.commit()
    return Glostrup(
        municipality_id=municipality.id,
        red_cross_id=red_cross.id,
        refugee_council_id=refugee_council.id,
        coordinator_login=Login(coordinator),
        admin_login=Login(admin),
    )


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/tilgaengelighed") -> str:
    """A valid CSRF token for the client's session, read from a page as a browser would."""
    response = client.get(path)
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


__all__ = [
    "CSRF_META",
    "GLOSTRUP_ADMIN",
    "GLOSTRUP_COORDINATOR",
    "Glostrup",
    "PG_ADMIN_URL",
    "Login",
    "csrf_token",
    "empty_all_tables",
    "fresh_postgres_database",
    "login_as",
    "make_app",
    "make_glostrup",
    "postgres_reachable",
    "require_postgres",
]


def stored(model: type, column: str, row_id: int) -> Any:
    """The value of ``model.column`` for row ``row_id`` as the database holds it, past the
    session's objects (for values the database keeps, such as ``volunteer_hub.maintained``'s)."""
    table = model.__table__
    return db.session.execute(sa.select(table.c[column]).where(table.c.id == row_id)).scalar_one()
