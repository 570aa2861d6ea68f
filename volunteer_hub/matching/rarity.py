"""Interest rarity (IDF) for a household's suggestions, counted once per state of the pool.

Counting how many of a municipality's approved volunteers and asking households list each
interest reads the whole pool (about 75 ms at 20,000 volunteers and 10,000 households), while
the pool it is counted over changes a few times a day: a volunteer approved, an interest or a
scheme edited. Everything else a municipality does all day (checklists, meetings, approvals of
matches) leaves it as it was. So the counts are kept in the process, keyed by the municipality
and its ``PoolVersion`` token, which the same transaction as any change to the pool replaces
(``_note_pool_changes``): a key that names what it depends on, read with one primary-key lookup.
A new release is a new process, which starts with nothing kept.

Changes written past the ORM (seed-scale's bulk inserts) call ``new_pool_version`` themselves.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Iterable
from itertools import chain
from threading import Lock
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, HouseholdScheme
from volunteer_hub.maintained import held, keep_previous, postpone
from volunteer_hub.matching.engine.features import InterestFrequencies
from volunteer_hub.matching.models import PoolVersion
from volunteer_hub.volunteers.models import AttributeKind, Volunteer, VolunteerAttribute

KEPT = 16  # municipalities' counts kept per process (each a few hundred bytes)
_kept: OrderedDict[tuple[int, str], InterestFrequencies] = OrderedDict()
_lock = Lock()

# What a volunteer's or a household's own row holds that the pool depends on.
_VOLUNTEER_FIELDS = ("status", "erased_at", "municipality_id")
_HOUSEHOLD_FIELDS = ("interests", "municipality_id")


def pool_token(municipality_id: int) -> str:
    """The municipality's current token ("" before its pool ever changed)."""
    token = db.session.execute(
        select(PoolVersion.token).where(PoolVersion.municipality_id == municipality_id)
    ).scalar_one_or_none()
    return token or ""


def kept_frequencies(municipality_id: int, count: Any) -> InterestFrequencies:
    """``count(municipality_id)``, or what it gave before for the same token. Nothing is kept
    without a token: rows written past the ORM without ``new_pool_version`` could be behind it."""
    token = pool_token(municipality_id)
    if not token:
        return count(municipality_id)
    key = (municipality_id, token)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = count(municipality_id)
    with _lock:
        _kept[key] = found
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return found


def new_pool_version(connection: sa.Connection, municipality_ids: Iterable[int]) -> None:
    """Give each municipality a new token, in the transaction of ``connection``."""
    table = PoolVersion.__table__
    for municipality_id in sorted(set(municipality_ids)):
        token = uuid.uuid4().hex
        done = connection.execute(
            table.update().where(table.c.municipality_id == municipality_id).values(token=token)
        )
        if done.rowcount == 0:
            insert = _dialect_insert(connection)(table).values(municipality_id=municipality_id, token=token)
            connection.execute(
                insert.on_conflict_do_update(index_elements=["municipality_id"], set_={"token": token})
            )


def _dialect_insert(connection: sa.Connection) -> Any:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _changed(obj: Any, fields: Iterable[str]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _municipalities_of(connection: sa.Connection, model: type, ids: set[int]) -> set[int]:
    """The municipalities of the ``model`` rows ``ids`` (a volunteer's, a household's)."""
    if not ids:
        return set()
    table = model.__table__
    return set(connection.execute(select(table.c.municipality_id).where(table.c.id.in_(ids))).scalars())


# What a flush changed is read from each object's history: where a value is replaced on an object
# the last commit expired, the one it replaces is loaded first (a volunteer's interest that became
# a skill still changes the pool).
for _model, _attribute in (
    (Volunteer, "municipality_id"),
    (Household, "municipality_id"),
    (VolunteerAttribute, "kind"),
    (VolunteerAttribute, "volunteer_id"),
    (HouseholdScheme, "household_id"),
):
    keep_previous(_model, _attribute)


@event.listens_for(Session, "after_flush")
def _note_pool_changes(session: Session, flush_context: Any) -> None:
    """A new token for every municipality whose pool this flush changed."""
    municipalities: set[int] = set()
    volunteer_ids: set[int] = set()
    household_ids: set[int] = set()
    for obj in chain(session.new, session.deleted):
        if isinstance(obj, Volunteer | Household):
            municipalities |= held(obj, "municipality_id")
    for obj in session.dirty:
        if isinstance(obj, Volunteer) and _changed(obj, _VOLUNTEER_FIELDS):
            municipalities |= held(obj, "municipality_id")
        elif isinstance(obj, Household) and _changed(obj, _HOUSEHOLD_FIELDS):
            municipalities |= held(obj, "municipality_id")
    for obj in chain(session.new, session.deleted, session.dirty):
        if isinstance(obj, VolunteerAttribute) and AttributeKind.INTEREST in held(obj, "kind"):
            volunteer_ids |= held(obj, "volunteer_id")
        elif isinstance(obj, HouseholdScheme):
            household_ids |= held(obj, "household_id")
    touched = {("municipality", i) for i in municipalities} | {("volunteer", i) for i in volunteer_ids}
    touched |= {("household", i) for i in household_ids}
    if touched and not postpone(session, "pool_version", touched, _replace_tokens):
        _replace_tokens(session, touched)


def _replace_tokens(session: Session, touched: set[tuple[str, int]]) -> None:
    """A new token for the municipalities, and those of the volunteers and households, ``touched``
    names (once at the end of a ``maintained.deferred`` block, such as an import)."""
    ids: dict[str, set[int]] = {"municipality": set(), "volunteer": set(), "household": set()}
    for kind, row_id in touched:
        ids[kind].add(row_id)
    connection = session.connection()
    municipalities = ids["municipality"]
    municipalities |= _municipalities_of(connection, Volunteer, ids["volunteer"])
    municipalities |= _municipalities_of(connection, Household, ids["household"])
    if municipalities:
        new_pool_version(connection, municipalities)
