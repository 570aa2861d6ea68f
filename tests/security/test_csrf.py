"""CSRF: every state-changing page route refuses a request without a valid token; the API
ignores the session cookie altogether, so a signed-in browser cannot be made to use it.

For each rule with POST/PUT/PATCH/DELETE outside /api/, signed in as a role the matrix
allows: no token, a forged token and a token from another session are each refused by the
CSRF check (Flask-WTF logs why) and leave every row of the database as it was; the same
request with a valid token is not refused by the CSRF check (the control).
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import (
    ROLES,
    Viewer,
    World,
    csrf_for,
    is_api_rule,
    iter_rules,
    page_client,
    samples,
)
from tests.security.stats import COUNTS
from volunteer_hub.extensions import db

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def full_snapshot(app: Any) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in connection.execute(sa.select(table)))
            for table in db.metadata.sorted_tables
        }


def caller_for(route: Any, world: World) -> Viewer:
    """A viewer the matrix allows on the route (the most privileged), or anonymous if public."""
    if route.allowed is None:
        return world.viewer("anonymous")
    role = next(role for role in reversed(ROLES) if role in route.allowed)
    return world.viewer(role.value)


def _csrf_reasons(caplog: Any) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "flask_wtf.csrf" and "CSRF" in r.getMessage()]


def test_state_changing_pages_refuse_requests_without_a_valid_token(app, world, caplog):
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    failures, checked = [], 0
    for rule in iter_rules(app):
        if is_api_rule(rule) or not (rule.methods & WRITE_METHODS):
            continue
        route = SECURITY_MATRIX.get(rule.endpoint)
        if route is None:
            failures.append(f"{rule.endpoint}: not in the security matrix")
            continue
        viewer = caller_for(route, world)
        sample = next(s for s in samples(rule, route, REGISTRY.params, world) if s.visible_to(viewer))
        other_token = csrf_for(page_client(app, world.viewer("anonymous")))
        for method in sorted(rule.methods & WRITE_METHODS):
            for label, token in (
                ("no token", None),
                ("a forged token", "forged." + other_token[7:]),
                ("another session's token", other_token),
            ):
                client = page_client(app, viewer)
                client.get("/tilgaengelighed")  # the session has a CSRF secret of its own
                data = {} if token is None else {"csrf_token": token}
                before = full_snapshot(app)
                caplog.clear()
                response = client.open(sample.path, method=method, data=data, buffered=True)
                checked += 1
                where = f"{viewer.name} {method} {sample.path} with {label}"
                if response.status_code != 400 or not _csrf_reasons(caplog):
                    failures.append(f"{where}: {response.status_code}, not refused by the CSRF check")
                if full_snapshot(app) != before:
                    failures.append(f"{where}: the database changed")
            # The control: with the session's own token the CSRF check lets the request through.
            client = page_client(app, viewer)
            caplog.clear()
            client.open(sample.path, method=method, data={"csrf_token": csrf_for(client)}, buffered=True)
            if _csrf_reasons(caplog):
                failures.append(f"{viewer.name} {method} {sample.path}: refused even with a valid token")
    COUNTS["csrf checks"] += checked
    assert checked, "no state-changing page route found"
    assert not failures, "\n".join(failures)


def test_the_api_ignores_the_session_cookie_even_with_a_csrf_token(app, world):
    """A signed-in browser (session cookie + valid CSRF token) gets 401 from every API write."""
    failures = []
    for rule in iter_rules(app):
        if not is_api_rule(rule) or not (rule.methods & WRITE_METHODS):
            continue
        route = SECURITY_MATRIX[rule.endpoint]
        viewer = caller_for(route, world)
        sample = next(s for s in samples(rule, route, REGISTRY.params, world) if s.visible_to(viewer))
        for method in sorted(rule.methods & WRITE_METHODS):
            client = page_client(app, viewer)
            token = csrf_for(client)
            before = full_snapshot(app)
            response = client.open(
                sample.path,
                method=method,
                json={"name": "Changed by a cookie"},
                headers={"X-CSRFToken": token},
                buffered=True,
            )
            if response.status_code != 401 or full_snapshot(app) != before:
                failures.append(f"{method} {sample.path} with a session cookie: {response.status_code}")
    assert not failures, "\n".join(failures)
