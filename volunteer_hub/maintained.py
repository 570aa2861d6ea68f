"""Values kept in a row so that lists can filter and sort on an index instead of aggregating.

A maintained value (a household's first arrival, a match's last contact) restates an aggregate
over other rows. It is refreshed in the same transaction as the change that affects it: after
each flush, every row that a new, changed or deleted watched object points at is recomputed in
SQL from the rows themselves (never incremented, so it cannot drift). Code that writes watched
rows in bulk, bypassing the ORM, calls ``refresh`` itself; code that writes many rows through the
ORM (an import) wraps the writing in ``deferred``, so each row is recomputed once at its end
instead of after every flush.

Python code that has the objects at hand keeps computing from them (``Household.first_arrival_on``
sees a member added a moment ago); the stored value serves SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

_PENDING = "vh_maintained_pending"
_DEFERRED = "vh_maintained_deferred"


@dataclass
class Maintained:
    """``target.<column>`` recomputed by ``value`` (a scalar expression correlated to ``target``'s
    table) for the rows that objects of the watched classes point at: ``watch`` maps each class
    to its attribute holding the target's id, or to a function of the session and the object
    that finds those ids (for rows that point at the target through another row)."""

    name: str
    target: type
    column: str
    value: Callable[[], Any]
    watch: dict[type, Through]


Through = str | Callable[[Session, Any], Iterable[int]]
_REGISTRY: dict[str, Maintained] = {}


def maintain(
    name: str, target: type, column: str, value: Callable[[], Any], watch: dict[type, Through]
) -> None:
    """Keep ``target.column`` equal to ``value()`` whenever an object of a ``watch`` class is
    added, changed or deleted."""
    _REGISTRY[name] = Maintained(name, target, column, value, dict(watch))
    for model, through in watch.items():
        if isinstance(through, str):
            keep_previous(model, through)


def watch_also(name: str, model: type, through: Through) -> None:
    """Recompute ``name`` when ``model`` objects change too (a domain above adds its own rows)."""
    _REGISTRY[name].watch[model] = through
    if isinstance(through, str):
        keep_previous(model, through)


def keep_previous(model: type, attribute: str) -> None:
    """Have ``held`` see the value ``model.attribute`` had before it was set, even when the object
    was expired (after a commit) and the old value never loaded: a meeting moved to another match
    then refreshes both matches (SQLAlchemy loads the old value on set)."""
    listened = getattr(model, attribute)
    if not event.contains(listened, "set", _ignore_set):
        event.listen(listened, "set", _ignore_set, active_history=True)


def _ignore_set(target: Any, value: Any, oldvalue: Any, initiator: Any) -> None:
    """A listener only for ``active_history``."""


def refresh(
    connection: sa.Connection,
    name: str,
    ids: Iterable[int] | None = None,
    *,
    municipality_id: int | None = None,
) -> None:
    """Recompute ``name`` for the rows ``ids`` (None: every row, or every row of ``municipality_id``),
    in SQL on ``connection``."""
    entry = _REGISTRY[name]
    table = entry.target.__table__
    statement = table.update().values({entry.column: entry.value()})
    if municipality_id is not None:
        statement = statement.where(table.c.municipality_id == municipality_id)
    if ids is not None:
        ids = sorted(set(ids))
        if not ids:
            return
        statement = statement.where(table.c.id.in_(ids))
        # Lock the rows first (in id order, so two refreshes cannot deadlock), then recompute in a
        # statement of its own: on PostgreSQL under READ COMMITTED it then sees every row another
        # transaction committed before it got the lock. An UPDATE that waited for the lock itself
        # would recompute from its older snapshot and could overwrite the other's newer value.
        lock = sa.select(table.c.id).where(table.c.id.in_(ids)).order_by(table.c.id).with_for_update()
        connection.execute(lock)
    connection.execute(statement)


def held(obj: Any, attribute: str) -> set[Any]:
    """The values (ids, codes) ``obj.attribute`` holds now and held before this flush (for an
    expired object, only where ``keep_previous`` was asked for the attribute)."""
    state = sa.inspect(obj)
    history = state.attrs[attribute].history
    found = {getattr(obj, attribute, None), *history.added, *history.deleted, *history.unchanged}
    found.discard(None)
    return found  # type: ignore[return-value]


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Inside the block, flushes only note what they affect; it is done once, when the block ends
    without an error (after a last flush), in the same transaction.

    For writing many rows through the ORM, such as an import, that reads no maintained value
    before it is done: 2,000 households imported recomputed their first arrival 2,000 times
    (a lock and an UPDATE each). Work that other modules postpone (``postpone``) waits too. A
    block inside another is part of the outer one. After an error nothing is done: the caller
    rolls the transaction back.
    """
    if _DEFERRED in session.info:
        yield
        return
    session.info[_DEFERRED] = {}
    try:
        yield
        session.flush()
    finally:
        postponed = session.info.pop(_DEFERRED)
    for finish, items in postponed.values():
        finish(session, items)


def postpone(
    session: Session, key: Hashable, items: Iterable[Any], finish: Callable[[Session, set[Any]], None]
) -> bool:
    """Inside ``deferred``: add ``items`` to what ``finish(session, items)`` does for ``key`` when
    the block ends, and return True. Outside it: False (the caller does the work now)."""
    postponed = session.info.get(_DEFERRED)
    if postponed is None:
        return False
    postponed.setdefault(key, (finish, set()))[1].update(items)
    return True


def _refresh_and_expire(entry: Maintained, session: Session, ids: set[int]) -> None:
    refresh(session.connection(), entry.name, ids)
    _expire(session, entry, ids)


def _expire(session: Session, entry: Maintained, ids: Iterable[int]) -> None:
    for row_id in ids:
        obj = session.identity_map.get(session.identity_key(entry.target, row_id))
        if obj is not None:
            session.expire(obj, [entry.column])


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, flush_context: Any) -> None:
    """Recompute what the flushed objects affect, and remember it for ``_expire_refreshed``
    (or, inside ``deferred``, note it for the block's end)."""
    if not _REGISTRY:
        return
    changed = list(chain(session.new, session.dirty, session.deleted))
    for entry in _REGISTRY.values():
        ids: set[int] = set()
        for obj in changed:
            through = entry.watch.get(type(obj))
            if isinstance(through, str):
                ids |= held(obj, through)
            elif through is not None:
                ids |= set(through(session, obj))
        if not ids:
            continue
        if postpone(session, ("maintained", entry.name), ids, partial(_refresh_and_expire, entry)):
            continue
        refresh(session.connection(), entry.name, ids)
        session.info.setdefault(_PENDING, []).append((entry, ids))


@event.listens_for(Session, "after_flush_postexec")
def _expire_refreshed(session: Session, flush_context: Any) -> None:
    """Objects of the refreshed rows already in the session read the new value when next asked."""
    for entry, ids in session.info.pop(_PENDING, []):
        _expire(session, entry, ids)
