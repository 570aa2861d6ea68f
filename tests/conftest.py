"""Fixtures: app on SQLite or PostgreSQL, client, app context, Glostrup, SMTP sink, browser and axe."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.support import (
    Glostrup,
    empty_all_tables,
    fresh_postgres_database,
    make_app,
    make_glostrup,
    postgres_reachable,
    require_postgres,
)

ROOT = Path(__file__).resolve().parent.parent


def _postgres_or_skip() -> None:
    if postgres_reachable():
        return
    if require_postgres():
        pytest.fail("PostgreSQL is required here (VH_REQUIRE_POSTGRES=1) but not reachable")
    pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    if os.environ.get("VH_TEST_DB", "sqlite") == "postgres":
        _postgres_or_skip()
        with fresh_postgres_database() as url:
            app = make_app(url)
            yield app
            with app.app_context():
                from volunteer_hub.extensions import db

                db.engine.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield make_app(f"sqlite:///{path}")


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    """The app on an empty, migrated database (SQLite, or PostgreSQL with VH_TEST_DB=postgres)."""
    yield _session_app
    empty_all_tables(_session_app)


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context, for tests that call services directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def _session_pg_app() -> Iterator[Flask]:
    _postgres_or_skip()
    with fresh_postgres_database() as url:
        app = make_app(url)
        yield app
        with app.app_context():
            from volunteer_hub.extensions import db

            db.engine.dispose()


@pytest.fixture
def pg_app(_session_pg_app: Flask) -> Iterator[Flask]:
    """The app on PostgreSQL whatever VH_TEST_DB says: for what SQLite hides."""
    yield _session_pg_app
    empty_all_tables(_session_pg_app)


@pytest.fixture
def glostrup(app: Flask) -> Glostrup:
    """Glostrup (code 0161) with Røde Kors and Dansk Flygtningehjælp, a coordinator and an admin
    (e-mails ``GLOSTRUP_COORDINATOR`` and ``GLOSTRUP_ADMIN``, password ``PASSWORD``), committed."""
    with app.app_context():
        return make_glostrup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        self.port = free_port()
        self.running = False
        self._controller_class = Controller
        self._controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> None:
        # A stopped controller's event loop is closed, so every start gets a new one.
        self._controller = self._controller_class(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._controller.stop()
            self.running = False

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_sink(app: Flask) -> Iterator[SmtpSink]:
    """A running SMTP sink, with the app's mail settings pointing at it."""
    sink = SmtpSink()
    sink.start()
    previous = app.config["MAIL_PORT"], app.config["MAIL_SERVER"]
    app.config.update(MAIL_PORT=sink.port, MAIL_SERVER="127.0.0.1")
    yield sink
    sink.stop()
    app.config["MAIL_PORT"], app.config["MAIL_SERVER"] = previous


# --- Browser tests -------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on 127.0.0.1 in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("VH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (VH_REQUIRE_BROWSER=1) but missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser: Any) -> Iterator[Any]:
    """A fresh browser page (desktop size); use ``phone_page`` for a phone-sized one."""
    context = _browser.new_context(locale="da-DK")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(_browser: Any) -> Iterator[Any]:
    context = _browser.new_context(
        locale="da-DK", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()
