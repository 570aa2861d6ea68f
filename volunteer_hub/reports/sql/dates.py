"""Calendar arithmetic inside SQL, written once per dialect (PostgreSQL and SQLite).

The report counts in the database, so two rules of the pure core have to hold there too:
adding calendar months clamps to the end of the month (``periods.add_months``), and an audit
event belongs to the day it happened in Denmark (``core.sql_days.danish_date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class months_later(FunctionElement[dt.date]):  # noqa: N801 - used like the SQL function it is
    """``months_later(day, n)``: ``day`` plus ``n`` calendar months, clamped to the month's end."""

    type = sa.Date()
    inherit_cache = True
    name = "months_later"


@compiles(months_later, "postgresql")
def _months_later_postgresql(element: months_later, compiler: Any, **kw: Any) -> str:
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST({day} + make_interval(months => {months}) AS DATE)"  # PostgreSQL clamps


@compiles(months_later, "sqlite")
def _months_later_sqlite(element: months_later, compiler: Any, **kw: Any) -> str:
    # SQLite rolls 30 November + 3 months over into March; the month's last day clamps it back.
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    return (
        f"min(date({day}, '+' || ({months}) || ' months'), "
        f"date({day}, 'start of month', '+' || (({months}) + 1) || ' months', '-1 day'))"
    )


@contextmanager
def without_jit(connection: sa.Connection) -> Iterator[None]:
    """Run the block with PostgreSQL's JIT compilation off, then restore the setting.

    The report's correlated subqueries (one index lookup per volunteer) make the planner's cost
    estimate large enough to compile every query to machine code, which takes far longer than
    the queries themselves run.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    previous = connection.execute(sa.text("SELECT current_setting('jit')")).scalar_one()
    connection.execute(sa.text("SELECT set_config('jit', 'off', true)"))
    try:
        yield
    finally:
        connection.execute(sa.text("SELECT set_config('jit', :previous, true)"), {"previous": previous})
