"""Health endpoints, security headers and the language switcher."""

from __future__ import annotations


def test_healthz_answers_without_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_html_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_login_page_is_danish_by_default_and_english_on_request(client):
    assert 'lang="da"' in client.get("/login").get_data(as_text=True)
    assert "Log ind" in client.get("/login").get_data(as_text=True)
    client.get("/sprog/en?next=/login")
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_language_switch_refuses_offsite_redirect(client):
    response = client.get("/sprog/en?next=//evil.example")
    assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client):
    client.get("/sprog/xx")
    assert 'lang="da"' in client.get("/login").get_data(as_text=True)
