"""Production refuses to start without its secrets; development never uses a constant secret."""

from __future__ import annotations

import pytest

from config import ConfigError, ProductionConfig, config_for


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        ProductionConfig()


def test_production_refuses_to_start_without_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig()


def test_production_uses_psycopg3_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1/test")
    config = ProductionConfig()
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg://")
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"


def test_development_secret_is_generated_per_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = config_for("development", str(tmp_path / "a"))
    second = config_for("development", str(tmp_path / "b"))
    assert first.SECRET_KEY != second.SECRET_KEY
    assert config_for("development", str(tmp_path / "a")).SECRET_KEY == first.SECRET_KEY
    assert first.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
