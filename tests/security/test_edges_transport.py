"""Finding 11: production tells browsers to keep to HTTPS (Strict-Transport-Security).

Development serves plain HTTP on 127.0.0.1 and sends no such header: a browser that saw it
there would refuse the development server on that address for a year.
"""

from __future__ import annotations

from volunteer_hub import create_app


def _production_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite3'}")
    return create_app("production")


def test_production_answers_with_hsts_for_a_year(monkeypatch, tmp_path):
    app = _production_app(monkeypatch, tmp_path)
    response = app.test_client().get("/tilgaengelighed", base_url="https://hub.example.dk")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_and_tests_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/tilgaengelighed").headers
