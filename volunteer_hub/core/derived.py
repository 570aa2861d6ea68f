"""Derived data (a report draft, the matcher's pool, the dashboard) kept until the data changes.

Some pages compute over a whole municipality: the quarterly report, the matcher's pool of
volunteers and households, the coordinator dashboard. At national scale that takes a second
or more, and nothing behind it changes between most requests. So each municipality has a
**data version** in the ``data_version`` table, and derived data is kept under
(kind, municipality, version, parameters):

- Every transaction that changes case data gives its municipality a new version *in the same
  transaction*, just before it commits (``before_commit``). A reader that sees the new
  version therefore sees the new data: there is no window in which stale data is served.
  The version row's lock is the last lock such a transaction takes, held only until its
  commit, so it cannot take part in a deadlock; it does order the municipality's commits.
  A version is a random 62-bit number, not a counter, so a database recreated or restored
  from a backup never hands out a version that meant other data in a process's cache.
- What counts as a change is every ORM insert, update or delete of any table except the
  ones in ``UNTRACKED_TABLES`` (audit trail, outbox, sign-in bookkeeping, tokens, drafts),
  and every bulk ``insert``/``update``/``delete`` run through the session. A row that
  carries no ``municipality_id`` counts for the municipality of the parent it is attached
  to; when that is not known, every municipality gets a new version (never too few).
- Readers read the version first (one primary-key lookup), then the cache. A municipality
  without a version row yet is not cached at all.

The cache lives in each process (a small LRU per kind, one computation per key at a time).
Several processes and app instances each keep their own copy, all invalidated by the one
version row in PostgreSQL, so none of them serves what an earlier commit made obsolete. With
``DERIVED_CACHE_REDIS_URL`` (by default ``REDIS_URL``) set, a process that misses looks in Redis
before computing, and stores what it computed there: one computation per change serves every
worker and instance. Redis holds one value per (kind, municipality, parameters), tagged with
its data version and sealed with an HMAC under a key derived from ``SECRET_KEY``; a value of
another version, with a wrong seal, or an unreachable Redis means computing locally.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle  # nosec B403 - only values this app sealed with an HMAC are unpickled (below)
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import redis
import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from volunteer_hub.extensions import db

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Tables whose changes never alter derived data (bookkeeping, not case data).
UNTRACKED_TABLES = frozenset(
    {
        "data_version",
        "audit_event",
        "outbox_message",
        "failed_login",
        "password_reset_token",
        "recovery_code",
        "user_account",
        "api_token",
        "registration_draft",
        "family_link",
        "family_language_review",
        "letter_template",
        "letter_settings",
    }
)
EVERY = 0  # "every municipality" in a session's set of changed municipalities
CHANGED_KEY = "vh_changed_municipalities"


class DataVersion(db.Model):
    """A municipality's data version: a new random number with every commit changing its case data."""

    __tablename__ = "data_version"

    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


# --- Noticing changes --------------------------------------------------------------------------


def _municipality_of(instance: Any) -> int:
    """The municipality a changed row belongs to (its own, else a loaded parent's), else EVERY."""
    state = sa.inspect(instance)
    if state.mapper.local_table.name == "municipality":
        return instance.id  # a new municipality gets its first version
    own = getattr(instance, "municipality_id", None)
    if own is not None:
        return own
    for relationship in state.mapper.relationships:
        if relationship.direction is not sa.orm.interfaces.MANYTOONE:
            continue
        parent = state.attrs[relationship.key].loaded_value
        municipality = getattr(parent, "municipality_id", None)
        if isinstance(municipality, int):
            return municipality
    return EVERY


def _tracked(instance: Any) -> bool:
    table = getattr(sa.inspect(instance).mapper, "local_table", None)
    return getattr(table, "name", None) not in UNTRACKED_TABLES


def _note(session: Session, municipalities: set[int]) -> None:
    session.info.setdefault(CHANGED_KEY, set()).update(municipalities)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    changed = set()
    for instance in session.new | session.deleted:
        if _tracked(instance):
            changed.add(_municipality_of(instance))
    for instance in session.dirty:
        if _tracked(instance) and session.is_modified(instance, include_collections=True):
            changed.add(_municipality_of(instance))
    if changed:
        _note(session, changed)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in UNTRACKED_TABLES:
        _note(state.session, {EVERY})


@event.listens_for(Session, "before_commit")
def _new_versions(session: Session) -> None:
    """New versions for the changed municipalities, in the committing transaction."""
    if session.in_nested_transaction():
        return
    session.flush()  # what the commit would flush, so it is noted too
    changed = session.info.pop(CHANGED_KEY, None)
    if not changed:
        return
    connection = session.connection()
    table = DataVersion.__table__
    if EVERY in changed:
        # Rows locked in the same order as the upserts below take them, so writers never wait
        # for each other in a circle.
        connection.execute(
            sa.select(table.c.municipality_id).order_by(table.c.municipality_id).with_for_update()
        ).all()
        connection.execute(table.update().values(version=secrets.randbits(62)))
        changed = changed - {EVERY}
    for municipality_id in sorted(changed):  # one order for every writer
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(municipality_id=municipality_id, version=secrets.randbits(62))
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.municipality_id], set_={"version": statement.excluded.version}
            )
        )


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    """A finished (committed or rolled back) outer transaction leaves nothing to raise."""
    if transaction.parent is None:
        session.info.pop(CHANGED_KEY, None)


# --- Reading through the cache -----------------------------------------------------------------


KNOWN_KEY = "vh_known_data_version"


def note_version(municipality_id: int, version: int | None) -> None:
    """Remember a version read along with other rows (the signed-in user's, see web.py), for
    ``data_version`` in the session's current transaction: one statement less per kept page.
    The account is read just before that transaction begins (``db.read_first_outside_transaction``);
    under READ COMMITTED, where every statement takes a fresh snapshot, that is the same as
    reading the version first inside it, which readers do anyway. A commit ends the transaction,
    and the next reader reads the version again."""
    session = db.session()
    session.info[KNOWN_KEY] = (session.get_transaction(), municipality_id, version)


def data_version(municipality_id: int) -> int | None:
    """The municipality's current data version (None: no version row yet, so nothing is cached)."""
    session = db.session()
    known = session.info.get(KNOWN_KEY)
    if known is not None and known[0] is session.get_transaction() and known[0] is not None:
        if known[1] == municipality_id:
            return known[2]
    # On the session's connection, without the ORM's per-statement work: every cached page reads it.
    return (
        db.session.connection()
        .execute(sa.select(DataVersion.version).where(DataVersion.municipality_id == municipality_id))
        .scalar_one_or_none()
    )


class _Store:
    """One kind's entries: least recently used dropped first; one computation per key at a time."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.computing: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                self.hits += 1
                return self.entries[key]
            key_lock = self.computing.setdefault(key, threading.Lock())
        with key_lock:  # a second request for the same key waits for the first one's result
            with self.lock:
                if key in self.entries:
                    self.hits += 1
                    return self.entries[key]
            try:
                value = compute()
            except BaseException:
                with self.lock:
                    self.computing.pop(key, None)
                raise
            with self.lock:
                self.misses += 1
                self.entries[key] = value
                self.entries.move_to_end(key)
                while len(self.entries) > self.capacity:
                    self.entries.popitem(last=False)
                self.computing.pop(key, None)
            return value


_stores: dict[str, _Store] = {}
_stores_lock = threading.Lock()


def _store(kind: str, capacity: int) -> _Store:
    store = _stores.get(kind)  # a dict read is atomic: no lock, and no store built only to be dropped
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(kind, _Store(capacity))
    return store


def cached(
    kind: str,
    municipality_id: int,
    params: Hashable,
    compute: Callable[[], T],
    *,
    capacity: int = 8,
    shared_ttl: int | None = None,
) -> T:
    """``compute()``, or what it returned before for the same kind, municipality, data version and
    parameters. The value must be plain data: never ORM rows (they belong to one session).
    ``shared_ttl`` (seconds) overrides how long Redis keeps the value."""
    enabled = current_app.config.get("DERIVED_CACHE", True) if has_app_context() else False
    version = data_version(municipality_id) if enabled else None
    if version is None:
        return compute()
    key = (municipality_id, version, params)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    shared = _SharedStore.of(app)
    if shared is not None:
        local_compute = compute
        compute = lambda: shared.get_or_compute(  # noqa: E731
            kind, municipality_id, version, params, local_compute, ttl=shared_ttl
        )
    return _store(kind, capacity).get_or_compute(key, compute)


_MISSING = object()


class _SharedStore:
    """Derived values in Redis, shared by every worker and instance (see the module's text)."""

    def __init__(self, url: str, secret: str, ttl: int) -> None:
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2)
        self.seal_key = hashlib.sha256(b"volunteer-hub derived data\0" + secret.encode()).digest()
        self.ttl = ttl

    @classmethod
    def of(cls, app: Flask) -> _SharedStore | None:
        url = app.config.get("DERIVED_CACHE_REDIS_URL")
        if not url:
            return None
        store = app.extensions.get("vh_derived_shared")
        if store is None:
            ttl = int(app.config.get("DERIVED_CACHE_TTL_SECONDS", 86400))
            store = app.extensions["vh_derived_shared"] = cls(url, app.config["SECRET_KEY"], ttl)
        return store

    @staticmethod
    def key(kind: str, municipality_id: int, params: Hashable) -> str:
        digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
        return f"volunteer-hub:derived:{kind}:{municipality_id}:{digest}"

    def seal(self, version: int, params: Hashable, value: Any) -> bytes:
        payload = pickle.dumps((version, repr(params), value), protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.new(self.seal_key, payload, hashlib.sha256).digest() + payload

    def open(self, blob: bytes, version: int, params: Hashable) -> Any:
        seal, payload = blob[:32], blob[32:]
        if not hmac.compare_digest(seal, hmac.new(self.seal_key, payload, hashlib.sha256).digest()):
            log.warning("derived data in Redis with a wrong seal was ignored")
            return _MISSING
        stored_version, stored_params, value = pickle.loads(payload)  # noqa: S301  # nosec B301 - HMAC checked above
        if stored_version != version or stored_params != repr(params):
            return _MISSING
        return value

    def get_or_compute(
        self,
        kind: str,
        municipality_id: int,
        version: int,
        params: Hashable,
        compute: Callable[[], T],
        ttl: int | None = None,
    ) -> T:
        key = self.key(kind, municipality_id, params)
        try:
            blob = self.client.get(key)
        except redis.RedisError as error:
            log.warning("derived data: Redis unreachable (%s); computing %s here", type(error).__name__, kind)
            return compute()
        if blob:
            value = self.open(blob, version, params)
            if value is not _MISSING:
                return value
        value = compute()
        try:
            self.client.set(key, self.seal(version, params, value), ex=ttl or self.ttl)
        except redis.RedisError as error:
            log.warning("derived data: could not keep %s in Redis (%s)", kind, type(error).__name__)
        return value


def clear() -> None:
    """Forget every cached value in this process (tests that recreate the database)."""
    with _stores_lock:
        _stores.clear()


def statistics() -> dict[str, tuple[int, int, int]]:
    """kind -> (entries, hits, misses) in this process."""
    with _stores_lock:
        return {kind: (len(s.entries), s.hits, s.misses) for kind, s in _stores.items()}
