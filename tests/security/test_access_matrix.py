"""Route inventory and access matrix: every route, every role, records of every organisation.

The matrix (``tests/security/domains/*.py``) says, for EVERY endpoint, which roles may call
it; these tests fail when a route exists that the matrix does not list, when the matrix and
the route's decorator disagree, and when any role gets another status than the matrix
implies for any record of its own or another organisation or municipality.
"""

from __future__ import annotations

import pytest

from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import (
    PUBLIC,
    SIGNED_IN,
    STAFF,
    VIEWER_NAMES,
    expected_status,
    is_api_rule,
    iter_rules,
    matches,
    methods_of,
    samples,
)
from tests.security.security_headers import header_problems
from tests.security.stats import COUNTS
from volunteer_hub import create_app
from volunteer_hub.auth.session_guard import RECENT_AUTH_ATTR
from volunteer_hub.core.access import policy_of

# An app built only to read the url_map at collection time, so each endpoint is its own test.
_COLLECTION_APP = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
ENDPOINTS = sorted({rule.endpoint for rule in _COLLECTION_APP.url_map.iter_rules()})


def _entry_template(app, endpoint: str) -> str:
    policy = policy_of(app.view_functions[endpoint])
    allowed = (
        "PUBLIC"
        if policy is None or policy.public
        else (
            "SIGNED_IN"
            if not policy.roles
            else "frozenset({" + ", ".join(f"Role.{role.name}" for role in sorted(policy.roles)) + "})"
        )
    )
    return f'    Route("{endpoint}", {allowed}),'


def is_staff_download(viewer, response) -> bool:
    """A file handed to a coordinator or administrator: an export, which needs a recent sign-in."""
    disposition = response.headers.get("Content-Disposition", "")
    return viewer.role in STAFF and response.status_code == 200 and "attachment" in disposition


def unlisted_endpoints(app) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(SECURITY_MATRIX))


def test_every_route_is_in_the_security_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = unlisted_endpoints(app)
    stale = sorted(set(SECURITY_MATRIX) - endpoints)
    COUNTS["routes"] = len(list(app.url_map.iter_rules()))
    COUNTS["api routes"] = sum(1 for rule in app.url_map.iter_rules() if is_api_rule(rule))
    COUNTS["roles"] = len(VIEWER_NAMES) - 1
    assert not missing, (
        "These routes are not in the security matrix. Decide who may call each and add an entry to "
        "the domain's file in tests/security/domains/ (see its __init__.py), e.g.:\n"
        + "\n".join(_entry_template(app, endpoint) for endpoint in missing)
    )
    assert not stale, f"The security matrix lists endpoints that no longer exist: {stale}"


def test_a_new_route_is_caught_until_it_is_listed(app):
    """What a domain merged later meets: its routes fail the suite, with entries ready to paste."""
    from volunteer_hub.core.access import STAFF as STAFF_ROLES
    from volunteer_hub.core.access import roles_required
    from volunteer_hub.core.roles import Role

    fresh = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @fresh.route("/frivillige/<int:volunteer_id>")
    @roles_required(*STAFF_ROLES)
    def volunteer_detail(volunteer_id):
        return ""

    assert unlisted_endpoints(fresh) == ["volunteer_detail"]
    template = _entry_template(fresh, "volunteer_detail")
    assert template.strip().startswith('Route("volunteer_detail", frozenset({')
    assert all(f"Role.{role.name}" in template for role in STAFF_ROLES) and "VOLUNTEER" not in template
    assert Role.ADMIN in STAFF_ROLES


def test_matrix_and_route_decorators_agree(app):
    """The matrix is the reviewed intent; the decorators are what runs. They must say the same."""
    disagreements = []
    for endpoint, route in sorted(SECURITY_MATRIX.items()):
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        policy = policy_of(view)
        if policy is None:
            disagreements.append(f"{endpoint}: declares no policy")
            continue
        declared = PUBLIC if policy.public else (policy.roles or SIGNED_IN)
        if declared != route.allowed:
            disagreements.append(f"{endpoint}: decorator allows {declared}, matrix says {route.allowed}")
        if bool(getattr(view, RECENT_AUTH_ATTR, False)) != route.reauth:
            disagreements.append(
                f"{endpoint}: recent re-authentication is "
                f"{'required' if route.reauth else 'not required'} by the matrix only"
            )
    assert not disagreements, "\n".join(disagreements)


def test_anonymous_visitor_is_refused_every_non_public_route(app, world):
    """Pages send anonymous visitors to sign in (GET) or answer 401; the API answers 401 problem JSON."""
    from tests.security.harness import call

    anonymous = world.viewer("anonymous")
    failures = []
    for rule in iter_rules(app):
        policy = policy_of(app.view_functions[rule.endpoint])
        if policy is None or policy.public:
            continue
        route = SECURITY_MATRIX.get(rule.endpoint)
        if route is None:
            continue
        for method in methods_of(rule):
            for sample in samples(rule, route, REGISTRY.params, world)[:1]:
                response = call(app, anonymous, rule, method, sample)
                if is_api_rule(rule):
                    ok = response.status_code == 401 and response.mimetype == "application/problem+json"
                elif method == "GET":
                    ok = response.status_code == 302 and "/login" in response.headers.get("Location", "")
                else:
                    ok = response.status_code == 401
                if not ok:
                    failures.append(f"{method} {sample.path}: {response.status_code} {response.mimetype}")
    assert not failures, "anonymous requests not refused:\n" + "\n".join(failures)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_access_matrix(app, world, endpoint):
    """Every viewer (anonymous and each role) x method x record gets the status the matrix implies,
    every response carries the security headers, and API errors are problem details."""
    from tests.security.harness import call

    route = SECURITY_MATRIX.get(endpoint)
    if route is None:
        pytest.fail(
            f"{endpoint} is not in the security matrix (see test_every_route_is_in_the_security_matrix)"
        )
    failures = []
    for rule in (r for r in iter_rules(app) if r.endpoint == endpoint):
        for sample in samples(rule, route, REGISTRY.params, world):
            for method in methods_of(rule):
                for name in VIEWER_NAMES:
                    viewer = world.viewer(name)
                    expected = expected_status(route, rule, viewer, method, sample)
                    response = call(app, viewer, rule, method, sample)
                    COUNTS["access checks"] += 1
                    where = f"{name} {method} {sample.label}"
                    if not matches(response, expected):
                        failures.append(f"{where}: got {response.status_code}, expected {expected}")
                    failures.extend(f"{where}: {problem}" for problem in header_problems(rule, response))
                    if is_staff_download(viewer, response) and not route.reauth:
                        failures.append(f"{where}: a staff export, but the matrix has no reauth=True")
    assert not failures, "\n".join(failures)
