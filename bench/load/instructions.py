"""The application's own work per answer, counted in CPU instructions: the same figure on every run.

    .venv/bin/python -m bench.load.instructions [--requests 100] [--households 1000] ...

Requests per second on a shared machine drift by a fifth from minute to minute (see
``bench.load``), too much to see a change of 5%. This benchmark counts instead: it fills a
throw-away PostgreSQL database (``seed_scale``, smaller than national scale by default, which
changes nothing for a kept page), then runs the app in one Python process under valgrind's
callgrind (Debian's ``valgrind``; ``make bench-instructions`` installs it). That process signs in
a municipal coordinator through the real form, warms each page (its first answer renders and
keeps it), collects garbage and freezes what is left (``gc.freeze()``), and makes ``--requests``
WSGI calls per page. Callgrind counts only inside those calls (each page's loop runs inside its
own C function of ``itertools``, which ``--toggle-collect`` names), with a fixed hash seed.

Printed per page: thousands of instructions per answer, and the ratio to the bare endpoint
(``/healthz``, anonymous) counted in the same process. Not counted: gunicorn (parsing HTTP, the
socket), PostgreSQL and the kernel; ``bench.load`` measures those under load.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from itertools import dropwhile, filterfalse, starmap, takewhile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each page's loop runs inside one of these C functions, so callgrind can count it apart.
WRAPPERS: dict[str, Callable[[Callable[[], object], int], object]] = {
    "starmap_next": lambda call, n: list(starmap(call, [()] * n)),
    "takewhile_next": lambda call, n: list(takewhile(lambda _: call() or True, range(n))),
    "dropwhile_next": lambda call, n: list(dropwhile(lambda _: call() or True, range(n))),
    "filterfalse_next": lambda call, n: list(filterfalse(lambda _: call() or True, range(n))),
}


def _pages(household_id: int) -> list[tuple[str, str, bool]]:
    """(label, path, signed in?); the baseline first. At most one page per wrapper."""
    return [
        ("bare endpoint (baseline)", "/healthz", False),
        ("bare endpoint, signed in", "/healthz", True),
        ("case page", f"/familier/{household_id}", True),
        ("household's suggestions", f"/familier/{household_id}/forslag", True),
    ]


def child(database_url: str, household_id: int, requests: int) -> None:
    """Run under callgrind: sign in, warm each page, then each page's counted loop."""
    from werkzeug.test import EnvironBuilder

    from bench.load.run import EMAIL, PASSWORD, _env
    from volunteer_hub import create_app

    os.environ.update(_env(database_url))
    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed with {response.status_code}")
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = f"{name}={client.get_cookie(name).value}"

    for (label, path, signed_in), wrapper in zip(_pages(household_id), WRAPPERS.values(), strict=True):
        builder = EnvironBuilder(path=path, headers={"Cookie": cookie} if signed_in else {})
        environ = builder.get_environ()
        builder.close()

        def call(environ: dict = environ, label: str = label) -> None:
            """One request; a new session cookie in the answer is sent from then on, as a browser would."""
            answer: list[tuple[str, list[tuple[str, str]]]] = []
            body = app(
                {**environ, "wsgi.input": io.BytesIO(b"")},
                lambda status, headers, *_: answer.append((status, headers)),
            )
            b"".join(body)
            getattr(body, "close", lambda: None)()
            status, headers = answer[0]
            if not status.startswith("200"):
                raise SystemExit(f"{label}: {status}")
            for header, value in headers:
                if header == "Set-Cookie" and value.startswith(name + "=") and "HTTP_COOKIE" in environ:
                    environ["HTTP_COOKIE"] = value.split(";", 1)[0]

        for _ in range(20):
            call()
        gc.collect()
        gc.freeze()
        wrapper(call, requests)


def _counts(callgrind_out: Path) -> dict[str, int]:
    """Inclusive instruction count of each wrapper function."""
    report = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", str(callgrind_out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts = {}
    for line in report.splitlines():  # "  364,633,026 (35.92%)  .../itertoolsmodule.c:filterfalse_next [...]"
        for function in WRAPPERS:
            if f":{function} " in line:
                counts[function] = int(line.split()[0].replace(",", ""))
    missing = set(WRAPPERS) - set(counts)
    if missing:
        raise SystemExit(f"callgrind counted nothing in {sorted(missing)}: is Python built with its symbols?")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="counted requests per page")
    parser.add_argument("--volunteers", type=int, default=2_000)
    parser.add_argument("--households", type=int, default=1_000)
    parser.add_argument("--matches", type=int, default=5_000)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--child", nargs=2, metavar=("DATABASE_URL", "HOUSEHOLD_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), args.requests)
        return 0
    if not shutil.which("valgrind"):
        print("valgrind is missing: `make bench-instructions` installs Debian's package", file=sys.stderr)
        return 1

    from bench.load.run import seeded
    from tests.support import fresh_postgres_database

    with fresh_postgres_database(args.pg_url, prefix="vh_bench_instructions") as database_url:
        household_id = seeded(database_url, args.volunteers, args.households, args.matches)
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "callgrind.out"
            command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--callgrind-out-file={out}"]
            command += [f"--toggle-collect={function}" for function in WRAPPERS]
            command += [sys.executable, "-m", "bench.load.instructions", "--requests", str(args.requests)]
            command += ["--child", database_url, str(household_id)]
            print(f"counting {args.requests} requests a page under callgrind (a few minutes)", flush=True)
            subprocess.run(
                command,
                cwd=ROOT,
                env={**os.environ, "PYTHONHASHSEED": "0"},
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            counts = _counts(out)
    pages = _pages(household_id)
    per_request = {
        label: counts[function] / args.requests
        for (label, _, _), function in zip(pages, WRAPPERS, strict=True)
    }
    baseline = per_request[pages[0][0]]
    print(f"\n{'page':<28}{'k instructions':>16}{'x baseline':>12}")
    for label, _path, _signed_in in pages:
        print(f"{label:<28}{per_request[label] / 1000:>16,.0f}{per_request[label] / baseline:>12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
