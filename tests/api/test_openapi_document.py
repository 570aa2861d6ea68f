"""The OpenAPI document says what a generated client needs: ids, error bodies, nullability, shapes."""

from __future__ import annotations

import pytest

from volunteer_hub.volunteers.services import TRANSITIONS
from volunteer_hub.volunteers.views import COORDINATOR_ACTIONS

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _resolve(document, response):
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response


def test_every_operation_has_its_own_operation_id(document):
    ids = [operation.get("operationId") for _path, _method, operation in _operations(document)]
    assert None not in ids and len(ids) == len(set(ids))
    assert "propose_match" in ids and "reject_match" in ids


def test_every_error_status_is_declared_with_a_problem_details_body(document):
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for status, response in responses.items():
            if status != "default" and int(status) >= 400:
                assert _resolve(document, response).get("content") == PROBLEM, (method, path, status)


def test_a_nullable_reference_is_nullable_on_the_reference(document):
    organisation = document["components"]["schemas"]["Volunteer"]["properties"]["organisation"]
    assert organisation == {"allOf": [{"$ref": "#/components/schemas/OrganisationRef"}], "nullable": True}


def test_the_quarterly_report_is_described_whole(document):
    report = document["components"]["schemas"]["QuarterlyReport"]["properties"]
    assert {
        "change_from_previous_quarter", "child_certificates", "data_as_of", "households_first_matched",
        "housing_before_arrival", "policy_14_days", "retention", "finalised_at", "family_answers",
    } <= set(report)  # fmt: skip


def test_the_document_requires_a_reason_for_the_moves_that_need_one(document):
    """Issue 18, finding 12: reject, request_information and suspend need ``reason``."""
    body = document["paths"]["/api/v1/volunteers/{volunteer_id}/transitions"]["post"]["requestBody"]
    choices = [
        ref["$ref"].rsplit("/", 1)[-1] for ref in body["content"]["application/json"]["schema"]["oneOf"]
    ]
    schemas = {name: document["components"]["schemas"][name] for name in choices}
    needing = {a for a in COORDINATOR_ACTIONS if TRANSITIONS[a].needs_reason}
    with_reason = [s for s in schemas.values() if "reason" in s.get("required", [])]
    assert len(with_reason) == 1 and set(with_reason[0]["properties"]["action"]["enum"]) == needing
    others = [s for s in schemas.values() if "reason" not in s.get("required", [])]
    assert set(others[0]["properties"]["action"]["enum"]) == set(COORDINATOR_ACTIONS) - needing
