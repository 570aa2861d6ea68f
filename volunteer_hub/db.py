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


def read_first_outside_transaction(session: Session, statement: Any, params: dict[str, Any]) -> Any:
    """The first row of a read that is the session's first statement, run without a database
    transaction (autocommit); then the session begins its transaction as usual.

    A signed-in request's first statement is the account check. Inside a transaction it costs
    three round trips on PostgreSQL (BEGIN, the select, and the ROLLBACK when a page only
    read); outside one, a single round trip. Under READ COMMITTED, what follows sees the
    same as it would have within that transaction: every statement takes a fresh snapshot
    anyway. The objects read stay loaded in the session. When the session already has a
    transaction (something ran before), the read simply joins it.

    On PostgreSQL with psycopg, a statement of one mapped entity and plain columns (the
    account and its data version), or of plain columns only, runs on the driver's cursor
    (``_first_row_by_driver``): the ORM's work around one row costs more than the query. The
    tenancy scope is an ORM hook, so a session already scoped to a municipality always reads
    through the ORM.
    """
    if session.in_transaction():
        return session.execute(statement, params).first()
    bind = session.get_bind()
    if bind.dialect.driver == "psycopg" and session.info.get(TENANT_KEY) is None:
        row = _first_row_by_driver(session, bind, statement, params)
        if row is not _NOT_BY_DRIVER:
            if not session.in_transaction():
                session.begin()
            return row
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    row = session.execute(statement, params).first()
    keep = session.expire_on_commit
    session.expire_on_commit = False  # nothing was written: keep what was read
    try:
        session.commit()  # no round trip in autocommit; gives the connection back to the pool
    finally:
        session.expire_on_commit = keep
    session.begin()  # the request's own transaction, on a connection taken when first needed
    return row


_NOT_BY_DRIVER = object()


class _DriverRead:
    """A select of one mapped entity then plain columns, or of plain columns only, compiled
    once: its text, and how each result column becomes a value (the column type's result
    processing) and where it goes."""

    def __init__(self, statement: Any, dialect: Any) -> None:
        self.statement = statement  # held, so the id it is filed under stays its own
        descriptions = statement.column_descriptions
        columns = list(statement.selected_columns)
        self.processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ]
        self.compiled = statement.compile(dialect=dialect)
        entity = descriptions[0]["entity"]
        self.mapper = sa.inspect(entity) if descriptions[0]["expr"] is entity else None
        if self.mapper is None:  # plain columns only
            self.width, self.keys, self.primary_key = 0, [], []
            return
        entity_columns = columns[: len(columns) - (len(descriptions) - 1)]
        self.keys = [self.mapper.get_property_by_column(column).key for column in entity_columns]
        self.width = len(entity_columns)
        self.primary_key = [
            self.keys.index(self.mapper.get_property_by_column(c).key) for c in self.mapper.primary_key
        ]


_driver_reads: dict[tuple[int, str], _DriverRead] = {}


def _first_row_by_driver(session: Session, bind: Any, statement: Any, params: dict[str, Any]) -> Any:
    read = _driver_reads.get((id(statement), bind.dialect.name))
    if read is None or read.statement is not statement:
        read = _driver_reads[(id(statement), bind.dialect.name)] = _DriverRead(statement, bind.dialect)
    rows = autocommit_driver_statement(bind, read.compiled.string, [read.compiled.construct_params(params)])
    if not rows:
        return None
    values = [
        value if process is None else process(value)
        for process, value in zip(read.processors, rows[0], strict=True)
    ]
    if read.mapper is None:
        return tuple(values)
    identity = read.mapper.identity_key_from_primary_key([values[i] for i in read.primary_key])
    if identity in session.identity_map:
        return _NOT_BY_DRIVER  # already loaded here (a test's own session): let the ORM refresh it
    instance = read.mapper.class_manager.new_instance()
    # Plain values into a new instance's dict; make_transient_to_detached then marks them all
    # committed (as set_committed_value would one by one) and gives the instance its identity.
    instance.__dict__.update(zip(read.keys, values[: read.width], strict=True))
    sa.orm.make_transient_to_detached(instance)
    session.add(instance)  # persistent, as if the ORM had loaded it
    return (instance, *values[read.width :])


def autocommit_driver_statement(engine: sa.Engine, sql: str, params: list[dict[str, Any]]) -> list[Any]:
    """Run a statement's compiled text on a pooled connection, outside any transaction, once per
    set of parameters (one round trip), and return the rows of a single run: PostgreSQL
    (psycopg) only. Each run commits as soon as it has run.

    For the few statements every kept page runs (the account check, a repeated view's audit
    event), where the statement itself is cheap and SQLAlchemy's checkout and execution around
    it cost twice as much: the driver's cursor, with the statement prepared on the server. Parameters are the
    text's ``%(name)s`` placeholders, bound by the driver, never formatted into it. A
    connection that broke is dropped from the pool; the caller sees the driver's error.
    """
    from psycopg.pq import ExecStatus

    pooled = engine.raw_connection()
    connection = pooled.driver_connection
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            if len(params) == 1:
                cursor.execute(sql, params[0], prepare=True)
                # The result's status, not ``cursor.description``, which builds a column object per column.
                result = cursor.pgresult
                tuples = result is not None and result.status == ExecStatus.TUPLES_OK
                rows = cursor.fetchall() if tuples else []
            else:
                cursor.executemany(sql, params)
                rows = []
        connection.autocommit = False  # as the pool hands it out
    except BaseException:
        if connection.closed or connection.broken:
            pooled.invalidate()
        else:
            connection.autocommit = False
        raise
    finally:
        pooled.close()
    return rows


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
