"""Canaries: no response shows a sensitive value to anyone the value's domain does not allow.

Every sensitive field in the world holds a unique marker (``CANARY-0007-user.name``, an
e-mail, a token secret, a password hash). For every viewer and every GET route and record,
the response, decoded whatever its format (HTML, JSON, CSV, XLSX, PDF), and its headers
must not contain a marker that viewer may not see, even when the request is refused. And
each kind of marker is found where it may be seen, so the search is known to find it at all.
"""

from __future__ import annotations

import pytest

from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import (
    VIEWER_NAMES,
    call,
    expected_status,
    iter_rules,
    leaked_canaries,
    response_text,
    samples,
)
from tests.security.stats import COUNTS
from tests.security.test_access_matrix import _COLLECTION_APP

GET_ENDPOINTS = sorted(
    {rule.endpoint for rule in _COLLECTION_APP.url_map.iter_rules() if "GET" in rule.methods}
)


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_no_canary_reaches_a_viewer_who_may_not_see_it(app, world, endpoint):
    route = SECURITY_MATRIX.get(endpoint)
    if route is None:
        pytest.fail(f"{endpoint} is not in the security matrix")
    leaks = []
    for rule in (r for r in iter_rules(app) if r.endpoint == endpoint and "GET" in r.methods):
        for sample in samples(rule, route, REGISTRY.params, world):
            for name in VIEWER_NAMES:
                viewer = world.viewer(name)
                response = call(app, viewer, rule, "GET", sample)
                COUNTS["canary checks"] += 1
                for canary in leaked_canaries(response_text(response), world.canaries, viewer):
                    leaks.append(
                        f"{name} GET {sample.label} ({response.status_code}) shows {canary.field} "
                        f"of {canary.owner}"
                    )
    assert not leaks, "\n".join(leaks)


def test_canaries_are_seen_where_they_should_be(app, world):
    """The harness finds markers at all: an administrator sees their own municipality's users."""
    from tests.security.harness import page_client

    admin = world.viewer("admin")
    text = response_text(page_client(app, admin).get("/admin/users/"))
    shown = [c for c in world.canaries if c.field == "user.name" and c.needle in text.lower()]
    assert shown and all(c.owner.municipality == "A" for c in shown)


def test_every_kind_of_marker_is_found_where_it_may_be_seen(app, world):
    """The search proves nothing for a field whose markers never come back as written (a page
    that reformats a phone number, say). So every kind of marker that a viewer of
    municipality A may see is found on at least one page or response that viewer opens."""
    viewers = [world.viewer(name) for name in VIEWER_NAMES]
    expected = {c.field for c in world.canaries if any(c.may_see(v, c.owner) for v in viewers)}
    found: set[str] = set()
    for rule in iter_rules(app):
        route = SECURITY_MATRIX[rule.endpoint]
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for sample in samples(rule, route, REGISTRY.params, world):
            for viewer in viewers:
                if 200 not in expected_status(route, rule, viewer, "GET", sample):
                    continue
                text = response_text(call(app, viewer, rule, "GET", sample)).lower()
                seen = (c for c in world.canaries if c.may_see(viewer, c.owner) and c.needle in text)
                found.update(c.field for c in seen)
    assert not expected - found, f"markers never found where they may be seen: {sorted(expected - found)}"
