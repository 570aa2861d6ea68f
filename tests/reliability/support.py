"""Real processes and a fault-injecting SMTP server for the reliability tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("VH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.02) -> Any:
    """Poll ``condition`` until it is truthy; fail the test with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g}s waiting for: {what}")
        time.sleep(interval)


def app_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app process (flask command or gunicorn) on ``database_url``."""
    # Settings of the calling shell must not leak into the processes under test.
    ours = ("VH_", "MAIL_", "OUTBOX_", "REDIS_", "RATELIMIT_", "LOGIN_", "PROXY_FIX_")
    ours += ("DATABASE_URL", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        VOLUNTEER_HUB_ENV="development",
        DATABASE_URL=database_url,
        SECRET_KEY="reliability-tests-" + "k" * 40,
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


class AppProcess:
    """A subprocess of the app (``flask --app wsgi ...`` or gunicorn), output kept in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 10) -> int:
        """SIGTERM and wait for the exit status."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise

    def stop(self) -> None:
        if self.alive():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        self._log.close()

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")


def flask_command(*args: str) -> list[str]:
    return [str(VENV_BIN / "flask"), "--app", "wsgi", *args]


class FaultySmtpSink:
    """A real SMTP server on 127.0.0.1 that records the Message-ID of everything it accepts.

    A message counts as received as soon as its data has arrived (as a real mail server
    queues it), before the "250 OK" goes back. ``delay`` keeps senders inside the DATA
    step for a while; ``holding`` keeps every received message unanswered until it is
    cleared (so a test can kill a sender mid-send); ``go_down()`` and ``start()`` are an
    outage that loses no accepted message and records none twice.
    """

    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.delay = delay
        self.received: list[tuple[str, str]] = []  # (Message-ID, From), in arrival order
        self.unanswered: dict[str, str] = {}  # received, "250" not yet sent: Message-ID -> From
        self.holding = False
        self._paused = False
        self._lock = threading.Lock()
        self._controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        while self._paused:  # going down: what arrives now is dropped unrecorded
            await asyncio.sleep(0.005)
        message = message_from_bytes(envelope.content, policy=policy.default)
        message_id, sender = str(message["Message-ID"]), str(message["From"])
        with self._lock:
            self.received.append((message_id, sender))
            self.unanswered[message_id] = sender
        try:
            await asyncio.sleep(self.delay)
            while self.holding:
                await asyncio.sleep(0.005)
        finally:
            with self._lock:
                self.unanswered.pop(message_id, None)
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._paused = False
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def go_down(self) -> None:
        """Stop the server once every message it has received has been answered."""
        self._paused = True
        wait_until(lambda: not self.unanswered, 10, "the sink to answer what it received")
        time.sleep(0.2)  # let the last "250" reach its sender
        self.stop()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def snapshot_unanswered(self) -> dict[str, str]:
        with self._lock:
            return dict(self.unanswered)

    def message_ids(self) -> list[str]:
        with self._lock:
            return [message_id for message_id, _ in self.received]


def redis_or_skip() -> str:
    """REDIS_URL for tests that need Redis: skipped when it is not running, failed on CI."""
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2) as store:
            store.ping()
    except redis.RedisError:
        if os.environ.get("VH_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"Redis is required here (VH_REQUIRE_POSTGRES=1) but not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def cut_database_connections(app: Any) -> int:
    """Terminate every other connection to the app's database, as a failover would (including
    the idle ones in the app's own pool: the statement runs on a connection of its own)."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from volunteer_hub.extensions import db

    with app.app_context():
        url = db.engine.url
    admin = sa.create_engine(url, poolclass=NullPool)
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
    finally:
        admin.dispose()
