"""Declarative base with a constraint naming convention, UTC time helpers and tenancy.

Every tenant-owned model inherits ``TenantMixin``. While a request (or a command) has
set a current municipality, every ORM SELECT is narrowed to that municipality's rows by
``with_loader_criteria``, so a forgotten filter cannot leak another municipality's data.
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    registry,
    with_loader_criteria,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


# The largest value an INTEGER column holds (PostgreSQL; SQLite refuses Python ints past 2**63).
MAX_INTEGER = 2**31 - 1


def parse_id(value: str | None) -> int | None:
    """A whole number typed into a URL or a form (an id, a page, a year), or None.

    Only ASCII digits within an INTEGER column's range count: ``str.isdigit`` also accepts
    "²", which ``int`` refuses, and a number past the column's range makes the database
    refuse the query; either would otherwise be a server error instead of a 404.
    """
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_INTEGER else None


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite forgets zones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use volunteer_hub.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base for every model."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dt.datetime: UTCDateTime()},
    )

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        return f"<{type(self).__name__} id={ident}>"


class TimestampMixin:
    """created_at / updated_at, in UTC."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantMixin:
    """A row owned by one municipality."""

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr takes the class
        return mapped_column(sa.ForeignKey("municipality.id"), index=True)


TENANT_KEY = "vh_municipality_id"


def set_session_tenant(session: Session, municipality_id: int | None) -> None:
    """Scope every following query of ``session`` to one municipality (None: unscoped)."""
    if municipality_id is None:
        session.info.pop(TENANT_KEY, None)
    else:
        session.info[TENANT_KEY] = municipality_id


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    """Narrow every ORM SELECT to the session's municipality, unless asked for all tenants."""
    tenant = state.session.info.get(TENANT_KEY)
    if tenant is None or not state.is_select or state.execution_options.get("all_tenants"):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantMixin,
            lambda cls: cls.municipality_id == tenant,
            include_aliases=True,
        )
    )


def plain_rows(session: Session, statement: Any) -> list[Any]:
    """All rows of a select over columns, run on the session's connection without the ORM's row
    handling (several times faster over 100,000 rows), fetched in one driver call.

    The tenancy scope above is an ORM hook, so it does not apply here: every such statement
    must name its municipality itself.
    """
    return session.connection().execute(statement).all()


def str_enum(enum_class: type[enum.Enum], length: int = 30) -> sa.Enum:
    """A portable enum column storing the members' values, guarded by a CHECK constraint."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        validate_strings=True,
        create_constraint=True,
        name=enum_class.__name__.lower(),
        values_callable=lambda members: [member.value for member in members],
    )


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Alembic hook: write UTCDateTime columns as plain timezone-aware DateTime."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# --- connections that went away ---------------------------------------------------------------
# A pooled connection that sat unused may have been closed by a database restart or failover.
# SQLAlchemy's pool_pre_ping would test it with a round trip on every checkout: under load that
# is a third of a signed-in request's database work. Instead, a connection is tested only when
# it has been idle for PING_AFTER_IDLE_SECONDS; a busy connection was in use a moment ago. A
# failed test makes the pool replace the connection before the request sees it.
PING_AFTER_IDLE_SECONDS = 2.0
_CHECKED_IN_AT = "vh_checked_in_at"


@event.listens_for(sa.pool.Pool, "checkin")
def _note_checkin(dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_CHECKED_IN_AT] = time.monotonic()


@event.listens_for(sa.pool.Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    checked_in = record.info.get(_CHECKED_IN_AT)
    if checked_in is not None and time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()  # leave no transaction open behind the pool's back
    except Exception as error:  # noqa: BLE001 - any failure means the connection is unusable
        raise sa.exc.DisconnectionError(
            f"the pooled connection failed its check: {type(error).__name__}"
        ) from error
