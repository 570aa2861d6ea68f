"""Mass assignment: extra fields in a form or an API write change nothing they should not.

Every form a viewer can see (found by opening their pages and reading the HTML; each step
of a multi-step flow in turn) is submitted as a browser would, plus ``role``, ``status``,
``organisation_id``, ``municipality_id`` and ``user_id`` with hostile values (the other
municipality's ids, the administrator role). Every API write gets the same fields in its
JSON body. Afterwards, no existing row may have changed one of those columns unless the
form itself has that field (or the route exists to change it: its Route's ``writes``), no
new row may carry a hostile value, and a signed-in viewer's new rows belong to their own
municipality.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.crawl import (
    MAX_FLOW_STEPS,
    FoundForm,
    api_writes,
    example_body,
    next_step,
    page_forms,
    refreshed,
)
from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import (
    LOGIN_REDIRECT,
    PROTECTED_COLUMNS,
    VIEWER_NAMES,
    Viewer,
    World,
    api_headers,
    call,
    csrf_for,
    expected_status,
    fill,
    is_api_rule,
    iter_rules,
    page_client,
    samples,
    snapshot,
    with_token,
)
from tests.security.stats import COUNTS

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def hostile_values(world: World) -> dict[str, Any]:
    return {
        "role": "admin",
        "status": "approved",
        "organisation_id": world.organisation_ids["B1"],
        "municipality_id": world.municipality_ids["B"],
        "user_id": world.other_viewers["admin"].user_id,
    }


def changes(
    before: dict, after: dict, viewer: Viewer, world: World, allowed: set[str], writes: tuple[str, ...] = ()
) -> list[str]:
    """Protected-column changes the submission had no right to make.

    ``allowed``: columns the form itself has a field for; ``writes``: the "table.column"s the
    route exists to change (its Route's ``writes``, e.g. a status action).
    """
    hostile = {name: str(value) for name, value in hostile_values(world).items()}
    own_municipality = world.municipality_ids.get(viewer.municipality or "")
    problems = []
    for key, row in after.items():
        if key in before:
            for column, value in row.items():
                if column in allowed or f"{key[0]}.{column}" in writes:
                    continue
                if before[key][column] != value:
                    problems.append(f"{key}: {column} {before[key][column]!r} -> {value!r}")
            continue
        for column, value in row.items():
            if column not in allowed and str(value) == hostile.get(column):
                problems.append(f"new row {key}: {column} = {value!r} (the injected value)")
        if (
            own_municipality
            and "municipality_id" in row
            and row["municipality_id"] not in (None, own_municipality)
        ):
            problems.append(f"new row {key} belongs to municipality {row['municipality_id']}")
    return problems


@pytest.mark.parametrize("viewer_name", VIEWER_NAMES)
def test_forms_ignore_extra_fields(app, world, viewer_name):
    viewer = world.viewer(viewer_name)
    hostile = hostile_values(world)
    problems, accepted = [], 0
    forms = page_forms(app, world, viewer)
    for found in forms:
        client = page_client(app, viewer)
        step: FoundForm | None = found
        form = refreshed(app, viewer, found)
        for _ in range(MAX_FLOW_STEPS):  # one form, or each step of a multi-step flow
            allowed = form.names()
            extras = {name: value for name, value in hostile.items() if name not in allowed}
            pairs = fill(form, {**REGISTRY.form_values.get(step.endpoint, {}), **extras})
            pairs = with_token(pairs, csrf_for(client))
            before = snapshot(app)
            response = client.post(form.action, data=_multidict(pairs), buffered=True)
            after = snapshot(app)
            COUNTS["mass-assignment submissions"] += 1
            accepted += response.status_code in (200, 201, 302, 303)
            assert response.status_code < 500, f"{step.endpoint}: {response.status_code}"
            writes = SECURITY_MATRIX[step.endpoint].writes
            problems.extend(
                f"{viewer_name} -> {step.endpoint}: {p}"
                for p in changes(before, after, viewer, world, allowed & set(PROTECTED_COLUMNS), writes)
            )
            step = next_step(app, client, step, response)
            if step is None:
                break
            form = step.form
    # Write routes no page shows a form for (or not to this viewer) are posted to directly.
    reached = {found.endpoint for found in forms}
    for rule in iter_rules(app):
        route = SECURITY_MATRIX.get(rule.endpoint)
        if route is None or is_api_rule(rule) or rule.endpoint in reached or not rule.methods & WRITES:
            continue
        for method in sorted(rule.methods & WRITES):
            sample = next(
                (
                    s
                    for s in samples(rule, route, REGISTRY.params, world)
                    if set(expected_status(route, rule, viewer, method, s)) - {401, 403, 404, LOGIN_REDIRECT}
                ),
                None,
            )
            if sample is None:
                continue
            before = snapshot(app)
            response = call(app, viewer, rule, method, sample, data={k: str(v) for k, v in hostile.items()})
            after = snapshot(app)
            COUNTS["mass-assignment submissions"] += 1
            assert response.status_code < 500, f"{method} {sample.path}: {response.status_code}"
            problems.extend(
                f"{viewer_name} {method} {sample.path}: {p}"
                for p in changes(before, after, viewer, world, set(), route.writes)
            )
    assert not problems, "\n".join(problems)
    if viewer.role is not None:
        assert accepted, f"no form of {viewer_name} accepted a submission: the test would prove nothing"


def _multidict(pairs: list[tuple[str, str]]) -> Any:
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


def test_api_writes_ignore_or_refuse_extra_fields(app, world):
    hostile = hostile_values(world)
    problems, accepted = [], 0
    writes = api_writes(app)
    for rule, method in writes:
        route = SECURITY_MATRIX[rule.endpoint]
        for name in VIEWER_NAMES:
            viewer = world.viewer(name)
            if viewer.token is None or (route.allowed is not None and viewer.role not in route.allowed):
                continue
            sample = next(
                (s for s in samples(rule, route, REGISTRY.params, world) if s.visible_to(viewer)), None
            )
            if sample is None:
                continue
            body = example_body(app, rule, method)
            client = app.test_client()
            # The same write without extra fields first: it shows the body is one the API accepts.
            plain = client.open(sample.path, method=method, json=body, headers=api_headers(viewer))
            accepted += plain.status_code < 300
            before = snapshot(app)
            response = client.open(
                sample.path, method=method, json={**body, **hostile}, headers=api_headers(viewer)
            )
            after = snapshot(app)
            COUNTS["mass-assignment submissions"] += 1
            assert response.status_code < 500
            problems.extend(
                f"{name} {method} {sample.path}: {p}"
                for p in changes(before, after, viewer, world, set(), route.writes)
            )
    assert not problems, "\n".join(problems)
    assert writes and accepted, "no API write accepted an example body: the test would prove nothing"
