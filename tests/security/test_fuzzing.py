"""Fuzzing: schemathesis against the OpenAPI document on a live server, Hypothesis against forms.

Both are bounded so the suite stays within minutes on two cores, and derandomized so a run
is reproducible; raise the counts for a deeper local run, e.g.
``VH_FUZZ_API_EXAMPLES=500 VH_FUZZ_FORM_EXAMPLES=200 .venv/bin/pytest tests/security/test_fuzzing.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import replace
from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.security.crawl import FoundForm, flow_positions, page_forms, reachable_pages
from tests.security.harness import (
    ROLES,
    VIEWER_NAMES,
    Form,
    call,
    csrf_for,
    is_api_rule,
    is_csrf_field,
    page_client,
    parse_forms,
)
from tests.security.stats import COUNTS

API_EXAMPLES = int(os.environ.get("VH_FUZZ_API_EXAMPLES", "25"))
FORM_EXAMPLES = int(os.environ.get("VH_FUZZ_FORM_EXAMPLES", "12"))


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


@pytest.fixture
def quiet_server_log():
    logger = logging.getLogger("werkzeug")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _call_api(base_url: str, token: str) -> Any:
    def run(case: Any) -> None:
        COUNTS["schemathesis cases"] += 1
        case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {token}"})

    return run


def test_schemathesis_finds_no_server_error_and_no_response_contradicting_the_schema(
    app, world, live_server, quiet_server_log
):
    schema = schemathesis.openapi.from_url(live_server + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {op.label for op in operations}
    # Every API route (but the document itself) is described, so the fuzzer reaches all of them.
    api_rules = [
        r for r in app.url_map.iter_rules() if is_api_rule(r) and r.endpoint != "api-docs.openapi_json"
    ]
    assert len(documented) == sum(len(r.methods - {"HEAD", "OPTIONS"}) for r in api_rules), documented

    failures = []
    for role in reversed(ROLES):  # administrators reach every operation; the others meet refusals
        token = world.viewer(role.value).token
        if token is None:
            continue  # volunteers have no token: schemathesis's auth checks cover anonymous calls
        examples = API_EXAMPLES if role.value == "admin" else max(API_EXAMPLES // 5, 3)
        for operation in operations:
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                run = given(case=operation.as_strategy(generation_mode=mode))(
                    _settings(examples)(_call_api(live_server, token))
                )
                try:
                    run()
                except Exception as error:  # noqa: BLE001 - collect every operation's failures, then fail
                    failures.append(f"{role.value} {operation.label} ({mode.value}):\n{error}")
    assert not failures, "\n\n".join(failures)


NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e\u202dRTL",
    "\u200b",
    "\ufeff",
    "A" * 5000,
    "🙂" * 300,
    "'; DROP TABLE user_account; --",
    "' OR '1'='1",
    "%(name)s",
    "{0}",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\r\nBcc: a@example.com",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "0000-00-00",
    "2026-02-30",
    "9999-12-31T23:59:59Z",
    "-0001-01-01",
    "١٢٣",
    "²",
    "Ωμέγα ꯍ ﷺ",
]
# Tried in every text field of every form before the random cases, so the worst inputs are
# never left to chance: NUL (PostgreSQL refuses it), huge, multi-byte, header-splitting,
# format strings, impossible numbers and dates, an id past any column, a digit int() refuses.
ALWAYS = [
    "a\x00b",
    "A" * 5000,
    "🙂" * 300,
    "\r\nBcc: a@example.com",
    "%(name)s{0}{{7*7}}",
    "1e309",
    "2026-02-30",
    "-99999999999999999999",
    "99999999999999999999",
    "²",
]
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x3F), max_size=40),
)
hostile_numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
hostile_dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(dt.datetime.isoformat),
    st.sampled_from(["0000-00-00", "2026-02-30", "2026-13-01", "31/12/2026", "9999-99-99", "-1"]),
)


def field_values(item: Any) -> st.SearchStrategy[list[str]]:
    if item.kind == "select":
        value = st.one_of(st.sampled_from(item.options or [""]), hostile_text)
    elif item.kind in {"checkbox", "radio"}:
        value = st.one_of(st.just(item.value or "y"), hostile_text)
    elif item.kind == "number":
        value = st.one_of(hostile_numbers, hostile_text)
    elif item.kind in {"date", "datetime-local", "month"}:
        value = st.one_of(hostile_dates, hostile_text)
    else:
        value = hostile_text
    return st.lists(value, max_size=2)  # a field left out, sent once, or sent twice


def form_input(form: Form) -> st.SearchStrategy[list[tuple[str, str]]]:
    fields = {item.name: item for item in form.fields if not is_csrf_field(item.name)}
    return st.fixed_dictionaries({name: field_values(item) for name, item in fields.items()}).map(
        lambda chosen: [(name, value) for name, values in chosen.items() for value in values]
    )


def _post_form(app: Any, viewer: Any, form: Form, client: FlaskClient | None = None) -> Any:
    """One Hypothesis case: the form posted from a fresh session (or ``client``'s, for a flow step)."""

    def run(pairs: list[tuple[str, str]]) -> None:
        COUNTS["form fuzz cases"] += 1
        session = client or page_client(app, viewer)
        data = MultiDict([("csrf_token", csrf_for(session)), *pairs])
        response = session.post(form.action, data=data, buffered=True)
        assert response.status_code < 500, f"{response.status_code} for {pairs!r}"

    return run


@pytest.mark.parametrize("viewer_name", VIEWER_NAMES)
def test_forms_survive_hostile_text_numbers_and_dates(app, world, viewer_name):
    viewer = world.viewer(viewer_name)
    failures = []
    targets: list[tuple[FoundForm, FlaskClient | None]] = []
    for found in page_forms(app, world, viewer):
        targets.append((found, None))
        targets.extend((step, client) for client, step in flow_positions(app, viewer, found))
    for found, client in targets:
        run = given(pairs=form_input(found.form))(
            _settings(FORM_EXAMPLES)(_post_form(app, viewer, found.form, client))
        )
        names = [
            item.name for item in found.form.fields if not is_csrf_field(item.name) and item.kind != "hidden"
        ]
        for value in ALWAYS:
            run = example(pairs=[(name, value) for name in names])(run)
        try:
            run()
        except Exception as error:  # noqa: BLE001 - collect every form's failures, then fail
            failures.append(f"{viewer_name} -> {found.endpoint} (form on {found.page}):\n{error}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("viewer_name", VIEWER_NAMES)
def test_pages_survive_hostile_query_strings(app, world, viewer_name):
    """Filters, searches and page numbers: every field of the page's own GET forms, and the
    query values the matrix names for the route, get each of the worst values at once."""
    viewer = world.viewer(viewer_name)
    failures = []
    for rule, sample in reachable_pages(app, world, viewer):
        response = call(app, viewer, rule, "GET", sample)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        names = set(sample.query) | {
            item.name
            for form in parse_forms(sample.path, response.get_data(as_text=True), method="get")
            if form.action.split("?", 1)[0] in ("", sample.path)
            for item in form.fields
        }
        for value in ALWAYS if names else []:
            hostile = replace(sample, query={**sample.query, **dict.fromkeys(names, value)})
            COUNTS["query fuzz cases"] += 1
            try:
                status = call(app, viewer, rule, "GET", hostile).status_code
            except Exception as error:  # noqa: BLE001 - a server error, as the testing app raises it
                status = f"{type(error).__name__}: {error}"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{viewer_name} GET {sample.path} {sorted(names)} = {value[:40]!r}: {status}")
    assert not failures, "\n".join(failures)
