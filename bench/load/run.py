"""Throughput and latency of the main pages at national scale, against a bare endpoint as baseline.

    .venv/bin/python -m bench.load [--seconds 5] [--rounds 3] [--connections 32] [--workers 2] [--threads 1]

Creates a throw-away PostgreSQL database, migrates it, fills it with ``seed_scale`` (20,000
volunteers, 10,000 households, 50,000 matches by default), starts gunicorn on 127.0.0.1 (sync
workers unless --threads says otherwise) and signs in a municipal coordinator. Then, page by
page for a fixed time, ``--connections`` keep-alive connections each send one request after
another (a closed loop), from wrk (Debian's package; `make bench-load` installs it) or, without
it, from Python threads, which take more of the CPU from the server. Prints requests per second,
p50/p95/p99 latency, errors (anything but 200, or no answer) and each page's throughput as a
share of the bare endpoint's (/healthz, anonymous), measured in the same run; the same endpoint
signed in is printed as a reference, the share that checking the account on each request leaves.
Before each page's run it prints the page's time alone, cold (the first request, which computes
what the page keeps per data version: see volunteer_hub/core/derived.py and page_cache.py) and
warm, after every worker process has its copy; the run under load measures the warm state, as a
municipality's day between changes. The load generator shares the machine's cores with gunicorn
and PostgreSQL, so every figure is a lower bound for dedicated machines. Before each run, the
session cookie is brought up to date as a browser keeps it (``_current_cookie``): the idle
timeout writes the session's last-seen time at most every 30 s, and a client that sent the
sign-in cookie for ever would make every answer sign a new cookie, which no browser causes.
Goals (issue 9): each page >= 30% of the baseline, p95 < 150 ms at 32 connections, no errors.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import sqlalchemy as sa

from tests.support import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CODE = "0161"
EMAIL = "bench.coordinator@example.invalid"
PASSWORD = "bench passphrase " + "x" * 8
GOAL_RATIO, GOAL_P95_MS = 0.30, 150.0
REFERENCE = "bare endpoint, signed in"
REQUEST_TIMEOUT = 20  # seconds; a request without an answer by then counts as an error


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database_url: str, derived_redis: str | None = None) -> dict[str, str]:
    ours = ("VH_", "MAIL_", "OUTBOX_", "REDIS_", "RATELIMIT_", "LOGIN_", "DATABASE_URL", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        VOLUNTEER_HUB_ENV="development",
        DATABASE_URL=database_url,
        SECRET_KEY="bench-load-" + "s" * 40,
        RATELIMIT_ENABLED="0",  # the benchmark's one client address would be throttled otherwise
    )
    if derived_redis:
        env["DERIVED_CACHE_REDIS_URL"] = derived_redis
    return env


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as store:
            return bool(store.ping())
    except redis.RedisError:
        return False


def _request(port: int, method: str, path: str, cookie: str = "", form: dict | None = None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def _wait_ready(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            if _request(port, "GET", "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


def _sign_in(port: int) -> str:
    """The session cookie of the municipal coordinator, signed in through the real form."""
    status, headers, page = _request(port, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    status, headers, _ = _request(port, "POST", "/login", cookie, form)
    if status != 302:
        raise RuntimeError(f"sign-in failed with {status}")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    # A page that keeps no derived data, so the dashboard's first request below is really cold.
    if _request(port, "GET", "/frivillige", cookie)[0] != 200:
        raise RuntimeError("the signed-in session does not reach the volunteer list")
    return cookie


def _current_cookie(port: int, cookie: str) -> str:
    """The session cookie a browser would send now: the one the last answer set, if it set one."""
    headers = _request(port, "GET", "/healthz", cookie)[1]
    for value in headers.get_all("Set-Cookie") or []:
        if value.split("=", 1)[0] == cookie.split("=", 1)[0]:
            return value.split(";", 1)[0]
    return cookie


def _drained(port: int, limit: float = 180) -> None:
    """Wait until requests abandoned by the previous page's clients are done (the bare page is fast)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            status = _request(port, "GET", "/healthz", timeout=limit)[0]
            if status == 200 and time.perf_counter() - began < 0.2:
                return
        except OSError:
            pass
        time.sleep(0.5)


def _warm_every_worker(port: int, path: str, cookie: str, requests: int) -> None:
    """As many requests at once as gunicorn has threads, so every worker process has built what
    the page keeps between requests before the measurement (each process keeps its own copy)."""
    threads = [
        threading.Thread(target=lambda: _request(port, "GET", path, cookie, timeout=180))
        for _ in range(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def drive(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict[str, float]:
    """Closed loop: ``connections`` threads, each one keep-alive connection, one request at a time."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    headers = {"Cookie": cookie} if cookie else {}
    start_barrier = threading.Barrier(connections)
    stop_at = [0.0]

    def run(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        start_barrier.wait()
        while time.monotonic() < stop_at[0]:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            latencies[n].append(time.perf_counter() - started)
            if not ok:
                errors[n] += 1
        connection.close()

    stop_at[0] = time.monotonic() + seconds + 0.05
    threads = [threading.Thread(target=run, args=(n,)) for n in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(x for per in latencies for x in per)
    return {
        "requests": len(ordered),
        "rps": len(ordered) / elapsed,
        "p50": _percentile(ordered, 0.50) * 1000,
        "p95": _percentile(ordered, 0.95) * 1000,
        "p99": _percentile(ordered, 0.99) * 1000,
        "errors": sum(errors),
    }


WRK_SCRIPT = """
-- Counts answers other than 200 as errors and prints the figures the table needs.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do errors = errors + thread:get("bad") end
  io.write(string.format("VHBENCH %d %d %.3f %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def drive_wrk(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict[str, float]:
    """The same closed loop with wrk (C, two threads): the load generator takes less of the CPU."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", f"{REQUEST_TIMEOUT}s"]
        command += ["-s", script.name, f"http://127.0.0.1:{port}{path}"]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("VHBENCH "))
    requests, duration_us, p50, p95, p99, errors = line.split()[1:]
    return {
        "requests": int(requests),
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(errors),
    }


def _seed(app, volunteers: int, households: int, matches: int) -> int:
    """National-scale data and a municipal coordinator; returns a household id for the case pages."""
    from volunteer_hub.auth.models import Role
    from volunteer_hub.auth.services import create_user
    from volunteer_hub.extensions import db
    from volunteer_hub.families.models import Household
    from volunteer_hub.demo.scale import seed_scale
    from volunteer_hub.tenancy.services import get_municipality_by_code

    with app.app_context():
        counts = seed_scale(CODE, volunteers, households, matches)
        municipality = get_municipality_by_code(CODE)
        create_user(
            municipality_id=municipality.id,
            email=EMAIL,
            name="Bench Coordinator",
            password=PASSWORD,
            role=Role.MUNICIPAL_COORDINATOR,
            actor=None,
        )
        household_id = (
            db.session.execute(
                sa.select(Household.id)
                .where(Household.municipality_id == municipality.id)
                .order_by(Household.id)
            )
            .scalars()
            .first()
        )
        db.session.commit()
        db.engine.dispose()
    print("seeded: " + ", ".join(f"{name}={count}" for name, count in counts.items()))
    return household_id


def seeded(database_url: str, volunteers: int, households: int, matches: int) -> int:
    """Migrate and fill the database (``_seed``), then VACUUM ANALYZE; a household id for the case pages."""
    from flask_migrate import upgrade

    from volunteer_hub import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
    started = time.monotonic()
    household_id = _seed(app, volunteers, households, matches)
    print(f"seeding took {time.monotonic() - started:.0f} s")
    target = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with target.connect() as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))  # what autovacuum does after bulk inserts
    target.dispose()
    return household_id


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _pages(household_id: int) -> list[tuple[str, str, bool]]:
    """(label, path, signed in?); the baseline first."""
    return [
        ("bare endpoint (baseline)", "/healthz", False),
        # Not a goal, a reference: what checking the signed-in account alone leaves of the baseline
        # (every staff page pays it: session, one account lookup, the transaction's round trips).
        (REFERENCE, "/healthz", True),
        ("public registration", "/bliv-frivillig", False),
        ("volunteer list, filtered", "/frivillige?status=approved&language=ar&scheme=friend_buddy", True),
        ("case page", f"/familier/{household_id}", True),
        ("household's suggestions", f"/familier/{household_id}/forslag", True),
        ("quarterly report", "/reports/quarterly", True),
        ("coordinator dashboard", "/", True),  # the slowest last: its backlog delays what follows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="load time per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every page (median printed)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="per worker; 1 is gunicorn's sync worker (README: why)"
    )
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--matches", type=int, default=50_000)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--tool",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (Debian's package; the default when installed) or Python threads",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/0",
        help="where workers share derived data, as in production with REDIS_URL ('' for none)",
    )
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as cleanup:
        database_url = cleanup.enter_context(fresh_postgres_database(args.pg_url, prefix="vh_bench_load"))
        household_id = seeded(database_url, args.volunteers, args.households, args.matches)
        port = _free_port()
        command = [
            str(BIN / "gunicorn"),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ]
        shared = args.redis_url if args.redis_url and _redis_reachable(args.redis_url) else None
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_env(database_url, shared),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cleanup.callback(_stop, process)
        _wait_ready(port, process)
        cookie = _sign_in(port)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"machine: {os.cpu_count()} cores (shared by gunicorn, PostgreSQL and this load generator), "
            f"load average {load}"
        )
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads; {args.connections} keep-alive "
            f"connections; {args.rounds} rounds of {args.seconds:g} s a page; load from {args.tool}; "
            "derived data " + (f"shared through Redis ({shared})" if shared else "computed by each worker")
        )
        pages = _pages(household_id)
        for label, path, signed_in in pages:
            jar = cookie if signed_in else ""
            _drained(port)
            began = time.perf_counter()
            try:  # the first request computes what the page keeps per data version (cold)
                status = _request(port, "GET", path, jar, timeout=120)[0]
                cold = f"{(time.perf_counter() - began) * 1000:.0f} ms"
            except OSError as error:
                status, cold = type(error).__name__, "-"
            for _ in range(3):  # gunicorn gives no say in which worker answers: several rounds
                _warm_every_worker(port, path, jar, 2 * args.workers * args.threads)
            began = time.perf_counter()
            _request(port, "GET", path, jar, timeout=120)
            warm = f"{(time.perf_counter() - began) * 1000:.0f} ms"
            print(f"  {label}: GET {path} -> {status}, alone {cold} cold, {warm} warm")
        # Rounds over every page, the baseline first in each: a machine whose speed drifts (other
        # work on the host) moves a round's baseline and pages together, so each page's share is
        # taken against its own round's baseline, and the median round is printed.
        run = drive_wrk if args.tool == "wrk" else drive
        results: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in pages}
        for number in range(1, args.rounds + 1):
            print(
                f"round {number} of {args.rounds}: {args.connections} connections, {args.seconds:g} s a page"
            )
            for label, path, signed_in in pages:
                _drained(port)
                cookie = _current_cookie(port, cookie)
                results[label].append(
                    run(port, path, cookie if signed_in else "", args.seconds, args.connections)
                )
        _print(pages, results)
    return 0


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _print(pages: list[tuple[str, str, bool]], results: dict[str, list[dict[str, float]]]) -> None:
    """Per page: median requests/s and share of the baseline over the rounds (each round's share
    against that round's baseline, and their range), median p50, the worst round's p95 and p99,
    and every error of every round."""
    baselines = [r["rps"] for r in results[pages[0][0]]]
    print()
    head = f"{'page':<28}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'of base':>9}"
    print(head + "  (range)  goals")
    for label, _path, _signed_in in pages:
        rounds = results[label]
        shares = [r["rps"] / b if b else float("nan") for r, b in zip(rounds, baselines, strict=True)]
        share, p95 = _median(shares), max(r["p95"] for r in rounds)
        errors = sum(int(r["errors"]) for r in rounds)
        missed = []
        if share < GOAL_RATIO:
            missed.append("throughput")
        if p95 >= GOAL_P95_MS:
            missed.append("p95")
        if errors:
            missed.append("errors")
        verdict = "met" if not missed else "MISSED: " + ", ".join(missed)
        if label == REFERENCE:
            verdict = "(a reference, not a page)"
        spread = f"{min(shares):.0%}-{max(shares):.0%}"
        rps, p50 = (_median([r[key] for r in rounds]) for key in ("rps", "p50"))
        p99 = max(r["p99"] for r in rounds)
        print(
            f"{label:<28}{rps:>8.1f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{errors:>8}{share:>8.0%}"
            f"  {spread:>9}  {verdict}"
        )
