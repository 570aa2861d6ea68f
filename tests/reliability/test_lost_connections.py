"""A pooled connection that the database closed while it sat idle (a restart, a failover) is
tested and replaced before a request uses it (volunteer_hub/db.py, PING_AFTER_IDLE_SECONDS)."""

from __future__ import annotations

import pytest

from tests.reliability.support import cut_database_connections
from volunteer_hub import db as db_module

pytestmark = pytest.mark.pg_only


def test_a_request_after_the_database_closed_an_idle_connection_succeeds(pg_app, monkeypatch):
    client = pg_app.test_client()
    assert client.get("/readyz").status_code == 200  # a connection is now in the pool, idle
    assert cut_database_connections(pg_app) >= 1
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # as after a quiet spell
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"status": "ok", "database": "ok"}
