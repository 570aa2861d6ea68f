"""The figures behind README "Scaling past one machine": what one part of the layout can carry.

    .venv/bin/python -m bench.scaling [--seconds 8] [--concurrency 8]

Measures, on this machine and its loopback, with a throw-away PostgreSQL database:
the CPU cost of one sign-in (argon2id, production parameters); requests per second of one
gunicorn instance (2 sync workers) on a page without the database, a readiness check with
one query, and the sign-in page, with and without the Redis-backed rate limiter on the
sign-in POST; and messages per second of 1, 2 and 4 outbox workers into a local SMTP
server. The load generator, the SMTP server and everything measured share the machine's
cores, so the figures are lower bounds for dedicated machines.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database_url: str, **extra: str) -> dict[str, str]:
    ours = ("MAIL_", "OUTBOX_", "REDIS_", "RATELIMIT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(VOLUNTEER_HUB_ENV="development", DATABASE_URL=database_url, SECRET_KEY="bench-" + "s" * 40)
    env.update(extra)
    return env


def _wait_http(port: int, path: str = "/healthz", timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def _load(
    port: int,
    method: str,
    path: str,
    seconds: float,
    concurrency: int,
    body: str | None = None,
    cookie: str | None = None,
):
    """Closed-loop load: ``concurrency`` threads, one request at a time each, new connection each."""
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie

    def run() -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status >= 500:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p95 * 1000, errors[0]


def _session_and_token(port: int) -> tuple[str, str]:
    import re
    import urllib.parse

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    return cookie, urllib.parse.quote(token)


def _argon2_ms() -> float:
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    digest = hasher.hash("a passphrase of some length")
    started = time.perf_counter()
    for _ in range(20):
        hasher.verify(digest, "a passphrase of some length")
    return (time.perf_counter() - started) / 20 * 1000


def _redis_url() -> str | None:
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as store:
            store.ping()
        return url
    except redis.RedisError:
        return None


def bench_instance(database_url: str, seconds: float, concurrency: int) -> None:
    redis_url = _redis_url()
    variants = [("memory", {"RATELIMIT_ENABLED": "0"})]
    if redis_url:
        prefix = f"bench-{uuid.uuid4().hex[:6]}"
        settings = {"REDIS_URL": redis_url, "RATELIMIT_KEY_PREFIX": prefix}
        settings["LOGIN_RATE_LIMIT"] = "1000000/minute"  # counted, never refused
        variants.append(("redis", settings))
    print(f"\none gunicorn instance, 2 sync workers; {concurrency} concurrent clients, {seconds:g} s per row")
    print(f"{'request':<44}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for label, extra in variants:
        port = _free_port()
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=_env(database_url, **extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_http(port)
            rows = [
                ("GET /healthz (no database)", "GET", "/healthz", None),
                ("GET /readyz (one query)", "GET", "/readyz", None),
                ("GET /login (form, session cookie)", "GET", "/login", None),
            ]
            if label == "redis":
                rows = []
            # A sign-in form without a password fails validation (400): it is counted by the
            # limiter but reaches neither argon2 nor the database, so the row shows the
            # limiter's cost.
            cookie, token = _session_and_token(port)
            limiter = "no limiter" if label == "memory" else "limiter in Redis"
            rows.append(
                (
                    f"POST /login, no password, {limiter}",
                    "POST",
                    "/login",
                    f"csrf_token={token}&email=x%40example.dk&password=",
                )
            )
            for name, method, path, body in rows:
                rps, p50, p95, errors = _load(port, method, path, seconds, concurrency, body, cookie)
                print(f"{name:<44}{rps:>8.0f}{p50:>9.1f}{p95:>9.1f}{errors:>8}")
        finally:
            process.terminate()
            process.wait(timeout=20)


def bench_outbox(app, database_url: str, messages: int) -> None:
    from aiosmtpd.controller import Controller

    from volunteer_hub.extensions import db
    from volunteer_hub.notifications.services import queue_email
    from volunteer_hub.tenancy.services import ensure_municipality

    class Sink:
        count = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Sink.count += 1
            return "250 OK"

    with app.app_context():
        municipality = ensure_municipality("0161", "Glostrup Kommune")
        for i in range(messages):
            queue_email(
                municipality_id=municipality.id,
                to=f"p{i}@example.dk",
                template="password_reset",
                language="da",
                context={"name": "P", "url": "http://x/y", "minutes": 60},
            )
        db.session.commit()
    port = _free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    engine = sa.create_engine(database_url)
    print(f"\noutbox workers draining {messages:,} queued e-mails into a local SMTP server")
    print(f"{'workers':<12}{'seconds':>9}{'messages/s':>12}")
    try:
        for workers in (1, 2, 4):
            with engine.begin() as connection:
                connection.execute(sa.text("UPDATE outbox_message SET status = 'pending', sent_at = NULL"))
            Sink.count = 0
            env = _env(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port))
            started = time.monotonic()
            processes = [
                subprocess.Popen(
                    [str(BIN / "flask"), "--app", "wsgi", "outbox", "run", "--interval", "0.2"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(workers)
            ]
            try:
                while True:
                    with engine.connect() as connection:
                        left = connection.execute(
                            sa.text("SELECT count(*) FROM outbox_message WHERE status = 'pending'")
                        ).scalar()
                    if left == 0:
                        break
                    time.sleep(0.05)
                elapsed = time.monotonic() - started
            finally:
                for process in processes:
                    process.terminate()
                    process.wait(timeout=20)
            print(f"{workers:<12}{elapsed:>9.1f}{messages / elapsed:>12.0f}   (incl. ~1 s worker start-up)")
    finally:
        controller.stop()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from volunteer_hub import create_app

    name = f"vh_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        max_connections = connection.execute(sa.text("SHOW max_connections")).scalar()
    database_url = args.pg_url.rsplit("/", 1)[0] + "/" + name
    try:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
        with app.app_context():
            upgrade()
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"machine: {os.cpu_count()} cores, load average {load}")
        print(f"PostgreSQL max_connections = {max_connections}")
        print(f"one sign-in check (argon2id, production parameters): {_argon2_ms():.0f} ms of CPU")
        bench_instance(database_url, args.seconds, args.concurrency)
        bench_outbox(app, database_url, args.messages)
        with app.app_context():
            from volunteer_hub.extensions import db

            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
