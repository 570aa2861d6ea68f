"""Injection: XSS payloads in every text field come back escaped; no e-mail header can be split.

Every form every viewer can see (and each step of a multi-step flow) is submitted with a
cross-site-scripting payload in each text field (and once more with a line-break payload
aimed at e-mail headers), every API write with payloads in its string fields, and every
page is opened with payloads in its query string. Then every page of every viewer is read:
no payload may appear unescaped. Every e-mail written to the outbox must have single-line
headers and a plain-text body.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from itertools import cycle
from typing import Any

from werkzeug.datastructures import MultiDict

from tests.security.crawl import (
    MAX_FLOW_STEPS,
    FoundForm,
    api_writes,
    example_body,
    next_step,
    page_forms,
    reachable_pages,
    refreshed,
)
from tests.security.domains import REGISTRY, SECURITY_MATRIX
from tests.security.harness import (
    VIEWER_NAMES,
    api_headers,
    call,
    csrf_for,
    fill,
    page_client,
    samples,
    with_token,
)
from tests.security.stats import COUNTS
from volunteer_hub.extensions import db

XSS = [
    '<script>alert("vh-xss-1")</script>',
    '"><img src=x onerror=alert("vh-xss-2")>',
    "'><svg/onload=alert('vh-xss-3')>",
    '</textarea><script>alert("vh-xss-4")</script>',
    "javascript:alert('vh-xss-5')",
    "<a href=\"javascript:alert('vh-xss-6')\">x</a>",
]
TEMPLATE = "{{7*7}}vh-ssti"  # must never be evaluated: "49vh-ssti" would mean it was
HEADER_BREAK = "Line\r\nBcc: attacker@example.com\r\nX-Vh-Injected: yes"
FREE_TEXT_KINDS = {"text", "search", "textarea"}


def unescaped(text: str) -> list[str]:
    found = [payload for payload in XSS if payload in text]
    if "49vh-ssti" in text:
        found.append(TEMPLATE + " (evaluated)")
    return found


def _submit_payloads(app: Any, world: Any, viewer_name: str, payloads: list[str]) -> list[str]:
    problems = []
    viewer = world.viewer(viewer_name)
    for found in page_forms(app, world, viewer):
        client = page_client(app, viewer)
        step: FoundForm | None = found
        form = refreshed(app, viewer, found)
        for _ in range(MAX_FLOW_STEPS):  # one form, or each step of a multi-step flow
            values = cycle(payloads)
            overrides: dict[str, Any] = dict(REGISTRY.form_values.get(step.endpoint, {}))
            for item in form.fields:
                if item.kind in FREE_TEXT_KINDS and item.name not in overrides:
                    overrides[item.name] = next(values)
            pairs = with_token(fill(form, overrides), csrf_for(client))
            response = client.post(form.action, data=MultiDict(pairs), buffered=True)
            COUNTS["xss submissions"] += 1
            if response.status_code >= 500:
                problems.append(f"{viewer_name} -> {step.endpoint}: {response.status_code}")
            if response.mimetype == "text/html":
                problems.extend(
                    f"{viewer_name} -> {step.endpoint} reflects {p}"
                    for p in unescaped(response.get_data(as_text=True))
                )
            step = next_step(app, client, step, response)
            if step is None:
                break
            form = step.form
    return problems


def _api_payloads(app: Any, world: Any) -> list[str]:
    problems = []
    for rule, method in api_writes(app):
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
            payloads = cycle(XSS)
            body = {
                k: (next(payloads) if isinstance(v, str) else v)
                for k, v in example_body(app, rule, method).items()
            }
            response = app.test_client().open(
                sample.path, method=method, json=body, headers=api_headers(viewer)
            )
            COUNTS["xss submissions"] += 1
            if response.status_code >= 500:
                problems.append(f"{name} {method} {sample.path}: {response.status_code}")
            if response.mimetype != "application/json" and not response.mimetype.endswith("+json"):
                problems.append(f"{name} {method} {sample.path}: answered {response.mimetype}")
    return problems


def test_payloads_are_escaped_on_every_page_and_in_every_email(app, world):
    problems = []
    for name in VIEWER_NAMES:
        problems += _submit_payloads(app, world, name, XSS + [TEMPLATE])
        problems += _submit_payloads(app, world, name, [HEADER_BREAK])
    problems += _api_payloads(app, world)

    # Stored payloads, and payloads reflected from the query string, on every page of every viewer.
    for name in VIEWER_NAMES:
        viewer = world.viewer(name)
        for rule, sample in reachable_pages(app, world, viewer):
            for query in ({}, {"next": XSS[0], "q": XSS[1], "page": XSS[2]}):
                reflected = type(sample)(sample.path, {**sample.query, **query}, sample.records, sample.rules)
                response = call(app, viewer, rule, "GET", reflected)
                assert response.status_code < 500, f"{name} GET {sample.path} {query}: {response.status_code}"
                if response.mimetype == "text/html":
                    problems.extend(
                        f"{name} GET {sample.path} {query or ''} shows {p}"
                        for p in unescaped(response.get_data(as_text=True))
                    )
    problems += _outbox_problems(app)
    assert not problems, "\n".join(problems)


def _outbox_problems(app: Any) -> list[str]:
    from volunteer_hub.notifications.models import OutboxMessage
    from volunteer_hub.notifications.services import build_email

    problems = []
    with app.app_context():
        messages = list(
            db.session.execute(db.select(OutboxMessage).execution_options(all_tenants=True)).scalars()
        )
        if not any(payload in message.body for message in messages for payload in XSS):
            problems.append("no e-mail carried a payload: the e-mail checks would prove nothing")
        COUNTS["e-mails checked for header injection"] += len(messages)
        for message in messages:
            for header, value in (("Subject", message.subject), ("To", message.recipient)):
                if "\r" in value or "\n" in value:
                    problems.append(f"outbox {message.id} ({message.template}): line break in {header}")
            sent = message_from_bytes(
                build_email(message, "sender@example.dk").as_bytes(), policy=policy.default
            )
            if sent.get_content_type() != "text/plain":
                problems.append(f"outbox {message.id}: {sent.get_content_type()} would render the payloads")
            if sent["Bcc"] or sent["X-Vh-Injected"] or len(sent.get_all("To", [])) != 1:
                problems.append(f"outbox {message.id}: injected headers {list(sent.keys())}")
    return problems
