"""Configuration classes, read from the environment.

Development runs on an SQLite file in the instance folder; ``DATABASE_URL`` selects any
other database (PostgreSQL through psycopg 3). Production refuses to start without
``SECRET_KEY`` and ``DATABASE_URL`` and never falls back to a built-in secret.
"""

from __future__ import annotations

import os
import secrets


class ConfigError(RuntimeError):
    """Raised when a configuration cannot be used safely."""


def _normalise_database_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still get psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:  # a typo in a setting must not pass silently
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


class BaseConfig:
    """Settings shared by every environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Idle pooled connections are tested before use: see volunteer_hub/db.py PING_AFTER_IDLE_SECONDS.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session they belong to
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "vh_session"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    REMEMBER_COOKIE_HTTPONLY = True
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    INTERFACE_LANGUAGES = ("da", "en")
    # Strict-Transport-Security's max-age; 0 sends no header (development serves plain HTTP).
    HSTS_SECONDS = 0

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _int_env("MAIL_PORT", 1025)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_STARTTLS = os.environ.get("MAIL_USE_STARTTLS", "") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Volunteer Hub <noreply@volunteer-hub.local>")
    MAIL_TIMEOUT = _int_env("MAIL_TIMEOUT", 10)
    OUTBOX_MAX_ATTEMPTS = _int_env("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BACKOFF_SECONDS = _int_env("OUTBOX_BACKOFF_SECONDS", 30)
    # A worker that hangs while sending (a frozen machine, a lost network) loses its claim on
    # the message after this long, and another worker sends it. Longer than any SMTP exchange.
    OUTBOX_CLAIM_TIMEOUT_SECONDS = _int_env("OUTBOX_CLAIM_TIMEOUT_SECONDS", max(60, 10 * MAIL_TIMEOUT))
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    FAMILY_LINK_VALID_DAYS = _int_env("FAMILY_LINK_VALID_DAYS", 90)

    # Request rate limits on sign-in and password-reset requests, per client address
    # (Flask-Limiter). With REDIS_URL every app instance counts together; without it each
    # process counts alone. If Redis fails, requests go on, limited per process meanwhile.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # A slow or lost Redis must not hold up sign-in for more than half a second.
    RATELIMIT_STORAGE_OPTIONS: dict = (
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if REDIS_URL else {}
    )
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "volunteer-hub")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute")
    # How many proxies in front of the app (load balancer, reverse proxy) append to
    # X-Forwarded-For; 0 trusts none, so a client cannot pick its own address.
    PROXY_FIX_X_FOR = _int_env("PROXY_FIX_X_FOR", 0)

    LOGIN_MAX_FAILURES = _int_env("LOGIN_MAX_FAILURES", 5)
    LOGIN_FAILURE_WINDOW_SECONDS = _int_env("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
    PASSWORD_RESET_VALID_SECONDS = _int_env("PASSWORD_RESET_VALID_SECONDS", 3600)
    CHILD_CERTIFICATE_VALID_MONTHS = _int_env("CHILD_CERTIFICATE_VALID_MONTHS", 24)
    # A pair approved for a household that has not arrived yet: its contact cards go out this
    # many days before the arrival (matching/arrivals.py).
    CONTACT_CARD_DAYS_BEFORE_ARRIVAL = _int_env("CONTACT_CARD_DAYS_BEFORE_ARRIVAL", 3)
    # Coordinators and administrators sign in with a second factor (TOTP). Always in
    # production; in development only when STAFF_TWO_FACTOR_REQUIRED=1, so the demo logins
    # work without an authenticator app.
    STAFF_TWO_FACTOR_REQUIRED = os.environ.get("STAFF_TWO_FACTOR_REQUIRED", "0") == "1"
    STAFF_IDLE_TIMEOUT_SECONDS = _int_env("STAFF_IDLE_TIMEOUT_SECONDS", 30 * 60)
    REAUTH_MAX_AGE_SECONDS = _int_env("REAUTH_MAX_AGE_SECONDS", 5 * 60)

    # `flask backup` / `flask restore`: where pg_dump, pg_restore and psql are (default: the PATH).
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR") or None


class DevelopmentConfig(BaseConfig):
    """Local development: an SQLite file in the instance folder unless DATABASE_URL is set."""

    DEBUG = False

    def __init__(self, instance_path: str) -> None:
        url = os.environ.get("DATABASE_URL")
        self.SQLALCHEMY_DATABASE_URI = (
            _normalise_database_url(url)
            if url
            else "sqlite:///" + os.path.join(instance_path, "volunteer_hub.sqlite3")
        )
        # A development secret is generated once and kept in the instance folder,
        # so it is never a constant in the code and survives restarts.
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret(instance_path)
        # Where `make run`'s local mail sink keeps what the outbox sends; read at /dev/mail.
        self.DEV_MAIL_DIR = os.path.join(instance_path, "mail")


class TestingConfig(BaseConfig):
    """The test suite: the database URL is given by the fixtures."""

    TESTING = True
    SECRET_KEY = secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    OUTBOX_BACKOFF_SECONDS = 0
    PASSWORD_HASH_FAST = True  # cheap argon2 parameters keep the suite quick
    # Tests of other features sign staff in without a second factor; the tests of
    # two-factor sign-in, idle timeout and re-authentication switch it on.
    STAFF_TWO_FACTOR_REQUIRED = False
    # Request rate limits would make tests that sign in often depend on each other;
    # the tests of the limits turn them on for their own app.
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STORAGE_OPTIONS: dict = {}


class ProductionConfig(BaseConfig):
    """Production: secrets and the database come from the environment, or nothing starts."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    STAFF_TWO_FACTOR_REQUIRED = True
    # Browsers keep to HTTPS for a year once they have seen the site (SECURITY.md, "Transport").
    HSTS_SECONDS = _int_env("HSTS_SECONDS", 365 * 24 * 3600)

    def __init__(self, instance_path: str | None = None) -> None:
        secret = os.environ.get("SECRET_KEY")
        url = os.environ.get("DATABASE_URL")
        missing = [name for name, value in (("SECRET_KEY", secret), ("DATABASE_URL", url)) if not value]
        if missing:
            raise ConfigError("Production needs these environment variables: " + ", ".join(missing))
        assert secret is not None and url is not None
        if len(secret) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long")
        self.SECRET_KEY = secret
        self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(url)


def _instance_secret(instance_path: str) -> str:
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    with open(path, encoding="ascii") as handle:
        return handle.read().strip()


def config_for(name: str, instance_path: str) -> object:
    """Return the configuration object for ``name`` (development, testing, production)."""
    if name == "production":
        return ProductionConfig(instance_path)
    if name == "testing":
        return TestingConfig()
    if name == "development":
        return DevelopmentConfig(instance_path)
    raise ConfigError(f"Unknown configuration {name!r}; use development, testing or production")
