"""Input no column can hold (NUL) and JSON too deep to parse are refused with 400, not a 500."""

from __future__ import annotations

import pytest

from tests.support import csrf_token


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "a\\u0000b"}',
        '{"a\\u0000": 1}',
        '[["x", ["\\u0000"]]]',
        '{"a":' * 50_000 + "1" + "}" * 50_000,
    ],
)
def test_api_bodies_with_nul_or_absurd_nesting_are_refused(client, body):
    response = client.patch("/api/v1/me", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_a_nul_in_a_form_or_query_string_is_refused_before_any_query(client):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "email": "a\x00b@example.dk", "password": "x"}
    )
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert client.get("/login?next=%00").status_code == 400
    assert (
        client.post(
            "/login", data={"csrf_token": token, "email": "a@example.dk", "password": "x"}
        ).status_code
        == 200
    )
