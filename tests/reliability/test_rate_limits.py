"""Request rate limits on sign-in and password reset: per client, not spoofable, and Redis is optional."""

from __future__ import annotations

import uuid

import pytest

from tests.support import csrf_token, make_app
from volunteer_hub.extensions import db


@pytest.fixture
def limited_app(tmp_path):
    """An app of its own with the limits on (they are off in the testing config)."""

    def build(**overrides):
        settings = {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_KEY_PREFIX": f"vh-test-{uuid.uuid4().hex[:8]}",
            "LOGIN_RATE_LIMIT": "3 per minute",
            "PASSWORD_RESET_RATE_LIMIT": "2 per minute",
            **overrides,
        }
        built.append(make_app(f"sqlite:///{tmp_path / f'db{len(built)}.sqlite3'}", **settings))
        return built[-1]

    built: list = []
    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


def _post_login(client, n: int, **kwargs):
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": f"nobody{n}@example.dk", "password": "not the password"}
    return client.post("/login", data=data, **kwargs)


def test_sign_in_attempts_beyond_the_limit_are_refused_with_retry_after(limited_app):
    client = limited_app().test_client()
    assert [_post_login(client, n).status_code for n in range(3)] == [200, 200, 200]
    refused = _post_login(client, 3)
    assert refused.status_code == 429
    assert "For mange forespørgsler" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/login").status_code == 200  # reading the page is not limited


def test_password_reset_requests_are_limited_too(limited_app):
    client = limited_app().test_client()

    def ask():
        token = csrf_token(client, "/password/forgot")
        response = client.post("/password/forgot", data={"csrf_token": token, "email": "x@example.dk"})
        return response.status_code

    assert [ask(), ask(), ask()] == [302, 302, 429]


def test_each_client_address_has_its_own_allowance_and_cannot_choose_it(limited_app):
    app = limited_app()
    first = app.test_client()
    first.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    for n in range(3):
        _post_login(first, n)
    assert _post_login(first, 3).status_code == 429
    # Without trusted proxies a client cannot dodge the limit by claiming another address.
    assert _post_login(first, 4, headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    assert _post_login(other, 5).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(limited_app):
    app = limited_app(PROXY_FIX_X_FOR=1)
    proxy = app.test_client()  # every request arrives from the load balancer's address
    for n in range(3):
        assert _post_login(proxy, n, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert _post_login(proxy, 3, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert _post_login(proxy, 4, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200


def test_sign_in_keeps_working_when_redis_is_unreachable(limited_app):
    # Nothing listens on port 1: the limiter falls back to counting in this process.
    client = limited_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0").test_client()
    assert [_post_login(client, n).status_code for n in range(3)] == [200, 200, 200]
    assert _post_login(client, 3).status_code == 429
