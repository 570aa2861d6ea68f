"""Finding what a viewer can reach: the GET pages the matrix lets them open, and the forms on them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import (
    Form,
    Sample,
    Viewer,
    World,
    call,
    csrf_for,
    endpoint_for,
    expected_status,
    fill,
    is_api_rule,
    iter_rules,
    page_client,
    parse_forms,
    samples,
    with_token,
)


@dataclass(frozen=True)
class FoundForm:
    """A form a viewer can see: where it is, and the endpoint it posts to."""

    page: str
    endpoint: str
    form: Form


def reachable_pages(app: Flask, world: World, viewer: Viewer) -> Iterator[tuple[Rule, Sample]]:
    """Every (rule, sample) of an HTML page route the viewer may open with a 200."""
    for rule in iter_rules(app):
        route = SECURITY_MATRIX.get(rule.endpoint)
        if route is None or is_api_rule(rule) or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for sample in samples(rule, route, REGISTRY.params, world):
            if 200 in expected_status(route, rule, viewer, "GET", sample):
                yield rule, sample


def page_forms(app: Flask, world: World, viewer: Viewer) -> list[FoundForm]:
    """The POST forms on the viewer's pages, one per target endpoint (the first page showing it)."""
    found: dict[str, FoundForm] = {}
    for rule, sample in reachable_pages(app, world, viewer):
        response = call(app, viewer, rule, "GET", sample)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in parse_forms(sample.path, response.get_data(as_text=True)):
            target = endpoint_for(app, form.action)
            if target is not None and target[0] not in found:
                found[target[0]] = FoundForm(sample.path, target[0], form)
    return list(found.values())


def refreshed(app: Flask, viewer: Viewer, found: FoundForm) -> Form:
    """``found``'s form as its page shows it now.

    Forms are collected before any is sent; once one saves, hidden values in the others (a
    case's version for optimistic locking) are stale and the save would be refused as a
    conflict, proving nothing. Reopening the page gives the current values.
    """
    response = page_client(app, viewer).get(found.page)
    if response.status_code == 200 and response.mimetype == "text/html":
        for form in parse_forms(found.page, response.get_data(as_text=True)):
            target = endpoint_for(app, form.action)
            if target is not None and target[0] == found.endpoint:
                return form
    return found.form


MAX_FLOW_STEPS = 12


def next_step(app: Flask, client: FlaskClient, step: FoundForm, response: Any) -> FoundForm | None:
    """The next form of a multi-step flow (``FLOWS`` of a domain), or None.

    After an accepted step the flow redirects to its next page; that page is opened in the
    same session (which holds the flow's answers so far) and its form of the flow returned.
    """
    if step.endpoint not in REGISTRY.flows or response.status_code not in (302, 303):
        return None
    location = urlsplit(response.headers.get("Location", ""))
    if location.netloc not in ("", "localhost"):
        return None
    page = location.path + (f"?{location.query}" if location.query else "")
    landing = client.get(page)
    if landing.status_code != 200 or landing.mimetype != "text/html":
        return None
    for form in parse_forms(page, landing.get_data(as_text=True)):
        target = endpoint_for(app, form.action)
        if target is not None and target[0] in REGISTRY.flows:
            return FoundForm(page, target[0], form)
    return None


def flow_positions(app: Flask, viewer: Viewer, found: FoundForm) -> Iterator[tuple[FlaskClient, FoundForm]]:
    """Each later step of the flow ``found`` starts, with a session that has answered the steps
    before it plausibly (nothing for a form that starts no flow)."""
    for depth in range(1, MAX_FLOW_STEPS):
        client = page_client(app, viewer)
        step: FoundForm | None = found
        form = refreshed(app, viewer, found)
        for _ in range(depth):
            assert step is not None
            pairs = with_token(fill(form, REGISTRY.form_values.get(step.endpoint, {})), csrf_for(client))
            step = next_step(app, client, step, client.post(form.action, data=MultiDict(pairs)))
            if step is None:
                return
            form = step.form
        assert step is not None
        yield client, step


def api_writes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) of the API that changes state."""
    return [
        (rule, method)
        for rule in iter_rules(app)
        if is_api_rule(rule)
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})
    ]


def example_body(app: Flask, rule: Rule, method: str) -> dict[str, Any]:
    """A valid JSON body for an API write, built from its schema in the OpenAPI document."""
    spec = app.extensions["vh_api"].spec.to_dict()
    path = openapi_path(rule)
    operation = spec["paths"][path][method.lower()]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return _example(body.get("schema", {}), spec) if body else {}


def openapi_path(rule: Rule) -> str:
    """``/api/v1/things/<int:thing_id>`` as OpenAPI writes it: ``/api/v1/things/{thing_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _example(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _example(spec["components"]["schemas"][name], spec)
    if "oneOf" in schema or "anyOf" in schema:  # one valid body is enough: the first alternative
        return _example((schema.get("oneOf") or schema["anyOf"])[0], spec)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = _example(part, spec)
            if not isinstance(value, dict):
                return value
            merged.update(value)
        return merged
    if "enum" in schema:
        return schema["enum"][0]
    if "example" in schema:
        return schema["example"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _example(sub, spec)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [_example(schema.get("items", {}), spec)] * max(schema.get("minItems", 0), 1)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-03-02"
    if schema.get("format") == "date-time":
        return "2026-03-02T10:00:00+00:00"
    if schema.get("format") == "email":
        return "api-example@example.dk"
    return "Example text"
