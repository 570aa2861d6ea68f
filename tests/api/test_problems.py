"""Every error on an API route is RFC 9457 problem details; never an HTML page, never a traceback."""

from __future__ import annotations

import pytest
from flask import abort

from tests.api.conftest import bearer
from volunteer_hub import create_app
from volunteer_hub.core.access import public

STATUSES = [400, 401, 403, 404, 405, 409, 422, 429, 500]


@pytest.fixture
def failing_app(app):
    """A fresh app on the test database with API routes that fail on purpose."""
    fresh = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PROPAGATE_EXCEPTIONS": False},
    )

    @fresh.route("/api/v1/_fail/<int:status>")
    @public
    def fail(status):
        abort(status)

    @fresh.route("/api/v1/_crash")
    @public
    def crash():
        raise RuntimeError("secret internals: user_account.password_hash")

    return fresh


@pytest.mark.parametrize("status", STATUSES)
def test_every_error_status_is_problem_details(failing_app, status):
    response = failing_app.test_client().get(f"/api/v1/_fail/{status}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]


def test_an_unexpected_exception_is_a_500_problem_without_details(failing_app):
    response = failing_app.test_client().get("/api/v1/_crash")
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    assert "secret internals" not in response.get_data(as_text=True)


def test_pages_keep_their_html_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_unknown_api_paths_and_methods_are_problem_details(client):
    assert client.get("/api/v1/no-such-thing").mimetype == "application/problem+json"
    response = client.delete("/api/v1/me")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_validation_errors_name_each_field(client, staff):
    response = client.get(
        "/api/v1/audit-events?object_type=%20&object_id=abc&page=0", headers=bearer(staff.secrets["admin"])
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["type"] == "urn:volunteer-hub:problem:validation-error"
    assert set(body["errors"]) == {"object_type", "object_id", "page"}
    assert body["errors"]["object_id"] == ["Not a valid integer."]


def test_a_body_that_is_not_json_is_a_problem_not_a_crash(client, staff):
    response = client.patch(
        "/api/v1/me",
        data="{not json",
        content_type="application/json",
        headers=bearer(staff.secrets["admin"]),
    )
    assert response.status_code in (400, 422) and response.mimetype == "application/problem+json"


def test_fields_the_caller_may_not_set_are_refused(client, staff):
    response = client.patch(
        "/api/v1/me",
        json={"name": "Anne", "role": "admin", "organisation_id": 1},
        headers=bearer(staff.secrets["partner"]),
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"role", "organisation_id"}
