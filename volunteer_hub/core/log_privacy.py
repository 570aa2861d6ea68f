"""No personal data in the log from a database error, whoever logs it.

A database error's text repeats what was written: PostgreSQL's detail names the conflicting
value ("Key (email)=(ulla@example.dk) already exists"), and SQLAlchemy's adds the bound
parameters (hidden since web.py sets ``hide_parameters``). Flask logs an unhandled error with
its text; so do the outbox worker and the commands. Every log record passes through the record
factory installed here, which replaces a database error (or an error caused by one) with a
summary that keeps what an operator needs (the driver's error class, SQLSTATE, constraint and
table) and the traceback, and drops the statement, its values and the server's detail.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

from sqlalchemy.exc import DBAPIError, StatementError

_INSTALLED = "_volunteer_hub_scrubs_database_errors"


class WithheldDatabaseError(Exception):
    """Stands in the log for a database error whose text would carry personal data."""


def _database_error_in_chain(error: BaseException | None) -> BaseException | None:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, StatementError):
            return error
        module = type(error).__module__
        if module.startswith(("psycopg", "sqlite3")):
            return error
        error = error.__cause__ or error.__context__
    return None


def summary(error: BaseException) -> str:
    """The driver's error class, SQLSTATE, constraint and table; never the statement or values."""
    original = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    diag = getattr(original, "diag", None)
    parts = [type(original).__name__]
    for label, value in (
        ("SQLSTATE", getattr(original, "sqlstate", None)),
        ("constraint", getattr(diag, "constraint_name", None)),
        ("table", getattr(diag, "table_name", None)),
    ):
        if value:
            parts.append(f"{label} {value}")
    return ", ".join(parts) + " (statement, values and the server's detail are not logged)"


def scrub(exc_info: Any) -> Any:
    """``exc_info`` as given to a log record, with a database error replaced by its summary."""
    if not exc_info or exc_info is True or not isinstance(exc_info, tuple):
        return exc_info
    _type, value, traceback = exc_info
    found = _database_error_in_chain(value)
    if found is None:
        return exc_info
    stand_in = WithheldDatabaseError(f"{type(value).__name__}: {summary(found)}")
    stand_in.__suppress_context__ = True
    tb: TracebackType | None = traceback
    return (WithheldDatabaseError, stand_in, tb)


def install() -> None:
    """Wrap the process's log record factory once (every logger, every handler, gunicorn's too)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, _INSTALLED, False):
        return

    def scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if record.exc_info:
            record.exc_info = scrub(record.exc_info)
        return record

    setattr(scrubbing_factory, _INSTALLED, True)
    logging.setLogRecordFactory(scrubbing_factory)
