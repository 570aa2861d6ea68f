"""The day in Denmark of a stored moment, inside SQL (PostgreSQL and SQLite).

Timestamps are stored in UTC (``db.UTCDateTime``); a deadline, a report's quarter or a family's
"we have met" belongs to the day it happened in Denmark, which is a day later than UTC's for an
hour or two before midnight. ``danish_date(column)`` compiles to PostgreSQL's zone conversion,
and on SQLite (no zones) to a function every connection is given (``install``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from volunteer_hub.core.clock import DANISH_TIME

SQLITE_DANISH_DATE = "vh_danish_date"


class danish_date(FunctionElement[dt.date]):  # noqa: N801 - used like the SQL function it is
    """The calendar day in Denmark of a UTC timestamp."""

    type = sa.Date()
    inherit_cache = True
    name = "danish_date"


@compiles(danish_date, "postgresql")
def _danish_date_postgresql(element: danish_date, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('{DANISH_TIME.key}', {moment}) AS DATE)"


@compiles(danish_date, "sqlite")
def _danish_date_sqlite(element: danish_date, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_DANISH_DATE}({compiler.process(element.clauses, **kw)})"


def danish_day_start(day: dt.date) -> dt.datetime:
    """The UTC moment ``day`` begins in Denmark: ``danish_date(moment) <= day`` exactly when
    ``moment`` is before the next day's start."""
    return dt.datetime.combine(day, dt.time(), tzinfo=DANISH_TIME).astimezone(dt.UTC)


def danish_day_of_stored(stored: str | None) -> str | None:
    """SQLite's ``vh_danish_date``: SQLite keeps timestamps as UTC text without a zone."""
    if stored is None:
        return None
    moment = dt.datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(DANISH_TIME).date().isoformat()


def give_sqlite_connection(driver_connection: Any) -> None:
    """Give a SQLite driver connection the function ``danish_date`` compiles to."""
    if isinstance(driver_connection, sqlite3.Connection):
        driver_connection.create_function(SQLITE_DANISH_DATE, 1, danish_day_of_stored, deterministic=True)


def _on_connect(driver_connection: Any, _record: Any) -> None:
    give_sqlite_connection(driver_connection)


def install() -> None:
    """Every database connection opened from now on can compute ``danish_date`` (idempotent)."""
    if not sa.event.contains(sa.engine.Engine, "connect", _on_connect):
        sa.event.listen(sa.engine.Engine, "connect", _on_connect)
