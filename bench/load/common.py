"""What ``bench.load`` and its churn mode share: the seeded database, gunicorn, HTTP, the load loops.

The app is driven only from outside (its ``flask`` commands, gunicorn, HTTP), with ``app_dir``
as working directory and ``PYTHONPATH``, so the same bench measures another checkout of the app
(``--app-dir``) whatever its internals are.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CODE = "0161"
EMAIL = "bench.coordinator@example.invalid"
PASSWORD = "bench passphrase " + "x" * 8
REQUEST_TIMEOUT = 20  # seconds; a request without an answer by then counts as an error

# Run inside the app's checkout: its own account service hashes the password as it always does.
CREATE_COORDINATOR = """
import sys
from wsgi import app
from volunteer_hub.core.roles import Role
from volunteer_hub.auth.services import create_user
from volunteer_hub.extensions import db
with app.app_context():
    create_user(municipality_id=int(sys.argv[1]), email=sys.argv[2], name="Bench Coordinator",
                password=sys.argv[3], role=Role.MUNICIPAL_COORDINATOR, actor=None)
    db.session.commit()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env(
    database_url: str, derived_redis: str | None = None, app_dir: Path = ROOT, secret: str = ""
) -> dict[str, str]:
    ours = ("VH_", "MAIL_", "OUTBOX_", "REDIS_", "RATELIMIT_", "LOGIN_", "DATABASE_URL", "SECRET_KEY")
    result = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    result.update(
        VOLUNTEER_HUB_ENV="development",
        DATABASE_URL=database_url,
        SECRET_KEY=secret or "bench-load-" + "s" * 40,
        RATELIMIT_ENABLED="0",  # the benchmark's one client address would be throttled otherwise
        PYTHONPATH=str(app_dir),
    )
    if derived_redis:  # as production has it; releases before issue 17 kept derived data there too
        result["REDIS_URL"] = result["DERIVED_CACHE_REDIS_URL"] = derived_redis
    return result


def flask(app_dir: Path, database_url: str, *args: str) -> str:
    """Run ``flask --app wsgi ARGS`` in ``app_dir``; its output (an error says what it printed)."""
    command = [str(BIN / "flask"), "--app", "wsgi", *args]
    done = subprocess.run(
        command, cwd=app_dir, env=env(database_url, app_dir=app_dir), capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def query(database_url: str, statement: str, **params: object) -> list:
    """The rows of one SQL statement, read on a connection of its own."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(statement), params))
    finally:
        engine.dispose()


def scalar(database_url: str, statement: str, **params: object) -> object:
    return query(database_url, statement, **params)[0][0]


def busiest_municipality(database_url: str) -> str:
    """The code of the municipality with the most households (a database seeded by someone else)."""
    return str(
        scalar(
            database_url,
            "SELECT m.code FROM municipality m JOIN household h ON h.municipality_id = m.id"
            " GROUP BY m.code ORDER BY count(*) DESC LIMIT 1",
        )
    )


def first_household(database_url: str, code: str) -> int:
    """The household whose pages are measured: the municipality's first."""
    statement = (
        "SELECT min(h.id) FROM household h JOIN municipality m ON m.id = h.municipality_id"
        " WHERE m.code = :code"
    )
    return int(scalar(database_url, statement, code=code))


def ensure_coordinator(database_url: str, code: str, app_dir: Path = ROOT) -> None:
    """The municipal coordinator the bench signs in as, created through the app unless it exists."""
    if scalar(database_url, "SELECT count(*) FROM user_account WHERE email = :e", e=EMAIL):
        return
    municipality_id = scalar(database_url, "SELECT id FROM municipality WHERE code = :code", code=code)
    command = [sys.executable, "-c", CREATE_COORDINATOR, str(municipality_id), EMAIL, PASSWORD]
    subprocess.run(command, cwd=app_dir, env=env(database_url, app_dir=app_dir), check=True)


def seeded(database_url: str, volunteers: int, households: int, matches: int, app_dir: Path = ROOT) -> int:
    """Migrate and fill the database with ``flask seed-scale`` and a municipal coordinator, then
    VACUUM ANALYZE (what autovacuum does after bulk inserts); a household id for the case pages."""
    flask(app_dir, database_url, "db", "upgrade")
    started = time.monotonic()
    scale = {"--volunteers": volunteers, "--households": households, "--matches": matches}
    options = [str(x) for pair in scale.items() for x in pair]
    counts = flask(app_dir, database_url, "seed-scale", "--municipality", CODE, *options)
    ensure_coordinator(database_url, CODE, app_dir)
    print(f"seeded: {counts.strip()} ({time.monotonic() - started:.0f} s)")
    target = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with target.connect() as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
    target.dispose()
    return first_household(database_url, CODE)


def redis_reachable(url: str) -> bool:
    import redis

    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as store:
            return bool(store.ping())
    except redis.RedisError:
        return False


def start_gunicorn(
    cleanup: contextlib.ExitStack,
    database_url: str,
    workers: int,
    threads: int,
    *,
    app_dir: Path = ROOT,
    shared: str | None = None,
    secret: str = "",
) -> int:
    """gunicorn serving ``app_dir``'s ``wsgi:app`` on a free port, stopped by ``cleanup``; the port."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads)]
    command += ["--bind", f"127.0.0.1:{port}", "--chdir", str(app_dir), "wsgi:app"]
    process = subprocess.Popen(
        command,
        cwd=app_dir,
        env=env(database_url, shared, app_dir, secret),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cleanup.callback(stop, process)
    wait_ready(port, process)
    return port


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def request(port: int, method: str, path: str, cookie: str = "", form: dict | None = None, timeout=30):
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


def wait_ready(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            if request(port, "GET", "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


def sign_in(port: int) -> str:
    """The session cookie of the municipal coordinator, signed in through the real form."""
    status, headers, page = request(port, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    status, headers, _ = request(port, "POST", "/login", cookie, form)
    if status != 302:
        raise RuntimeError(f"sign-in failed with {status}")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    # A page that keeps no derived data, so the dashboard's first request below is really cold.
    if request(port, "GET", "/frivillige", cookie)[0] != 200:
        raise RuntimeError("the signed-in session does not reach the volunteer list")
    return cookie


def cookie_set(headers, cookie: str) -> str:
    """The session cookie a browser sends after an answer with ``headers``: the one it set, if any."""
    for value in headers.get_all("Set-Cookie") or []:
        if value.split("=", 1)[0] == cookie.split("=", 1)[0]:
            return value.split(";", 1)[0]
    return cookie


def current_cookie(port: int, cookie: str) -> str:
    """The session cookie a browser would send now: the one the last answer set, if it set one."""
    return cookie_set(request(port, "GET", "/healthz", cookie)[1], cookie)


def drained(port: int, limit: float = 180) -> None:
    """Wait until requests abandoned by the previous page's clients are done (the bare page is fast)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            status = request(port, "GET", "/healthz", timeout=limit)[0]
            if status == 200 and time.perf_counter() - began < 0.2:
                return
        except OSError:
            pass
        time.sleep(0.5)


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


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
        "p50": percentile(ordered, 0.50) * 1000,
        "p95": percentile(ordered, 0.95) * 1000,
        "p99": percentile(ordered, 0.99) * 1000,
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


def add_server_arguments(parser) -> None:
    """The options both modes share: the server, the data's scale, the load generator."""
    import shutil

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
        help="the app's REDIS_URL, as in production ('' for none)",
    )
