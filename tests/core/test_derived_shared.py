"""Derived data shared through Redis: one computation per change for every process and instance."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.matching.factories import volunteer
from tests.reliability.support import redis_or_skip
from tests.support import make_municipality
from volunteer_hub.core import derived
from volunteer_hub.extensions import db


@pytest.fixture
def shared(app) -> Iterator[str]:
    """The app with DERIVED_CACHE_REDIS_URL set; a kind of its own so tests never meet."""
    url = redis_or_skip()
    app.config["DERIVED_CACHE_REDIS_URL"] = url
    app.extensions.pop("vh_derived_shared", None)
    try:
        with app.app_context():
            yield f"test-{uuid.uuid4().hex[:8]}"
    finally:
        app.config["DERIVED_CACHE_REDIS_URL"] = None
        app.extensions.pop("vh_derived_shared", None)
        derived.clear()


def _counter() -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"computed": len(calls)}

    return calls, compute


def test_a_second_process_takes_the_value_from_redis_instead_of_computing(shared):
    glostrup = make_municipality()
    db.session.commit()
    calls, compute = _counter()
    assert derived.cached(shared, glostrup.id, ("q", 3), compute) == {"computed": 1}
    derived.clear()  # another worker or instance: nothing in its own memory
    assert derived.cached(shared, glostrup.id, ("q", 3), compute) == {"computed": 1}
    assert len(calls) == 1


def test_a_change_makes_every_process_compute_again(shared):
    glostrup = make_municipality()
    db.session.commit()
    calls, compute = _counter()
    derived.cached(shared, glostrup.id, "p", compute)
    volunteer(glostrup)
    db.session.commit()
    db.session.rollback()
    derived.clear()
    assert derived.cached(shared, glostrup.id, "p", compute) == {"computed": 2}


def test_a_value_with_a_wrong_seal_is_never_unpickled(shared, app, caplog):
    glostrup = make_municipality()
    db.session.commit()
    calls, compute = _counter()
    derived.cached(shared, glostrup.id, "p", compute)
    store = app.extensions["vh_derived_shared"]
    key = store.key(shared, glostrup.id, "p")
    blob = store.client.get(key)
    store.client.set(key, bytes(32) + blob[32:])  # someone with access to Redis but not the secret
    derived.clear()
    assert derived.cached(shared, glostrup.id, "p", compute) == {"computed": 2}
    assert "wrong seal" in caplog.text


def test_without_redis_each_process_computes_and_pages_still_answer(app):
    app.config["DERIVED_CACHE_REDIS_URL"] = "redis://127.0.0.1:9/0"  # nothing listens there
    app.extensions.pop("vh_derived_shared", None)
    try:
        with app.app_context():
            glostrup = make_municipality()
            db.session.commit()
            calls, compute = _counter()
            assert derived.cached("test-no-redis", glostrup.id, "p", compute) == {"computed": 1}
            assert derived.cached("test-no-redis", glostrup.id, "p", compute) == {"computed": 1}
            with pytest.raises(redis.RedisError):
                app.extensions["vh_derived_shared"].client.ping()
    finally:
        app.config["DERIVED_CACHE_REDIS_URL"] = None
        app.extensions.pop("vh_derived_shared", None)
        derived.clear()
