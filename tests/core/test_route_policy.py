"""Every route declares who may call it, and anonymous visitors get nothing non-public."""

from __future__ import annotations

import re

from volunteer_hub.core.access import policy_of


def _sample_url(rule) -> str:
    # Fill every converter with a plausible value; 1 exists for int ids in no empty database.
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: "1", rule.rule)


def test_every_route_declares_an_access_policy(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if policy_of(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == [], f"routes without a declared access policy: {missing}"


def test_anonymous_visitor_is_refused_every_non_public_route(app, client):
    for rule in app.url_map.iter_rules():
        policy = policy_of(app.view_functions[rule.endpoint])
        if policy.public:
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if rule.rule.startswith("/api/"):
                # The API answers with problem details, never a redirect to a sign-in page.
                assert response.status_code == 401, (rule.endpoint, method, response.status_code)
                assert response.mimetype == "application/problem+json"
            elif method == "GET":
                assert response.status_code == 302, (rule.endpoint, response.status_code)
                assert "/login" in response.headers["Location"]
            else:
                # POST without a session is refused by CSRF (400) or the policy (401).
                assert response.status_code in {400, 401}, (rule.endpoint, method, response.status_code)


def test_a_route_without_policy_is_refused_not_served(app):
    from flask import Flask

    from volunteer_hub import create_app

    fresh: Flask = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @fresh.route("/undeclared")
    def undeclared():
        return "secret"

    response = fresh.test_client().get("/undeclared")
    assert response.status_code == 500
    assert b"secret" not in response.data
