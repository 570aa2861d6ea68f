"""Throughput and latency of the main pages at national scale, against a bare endpoint as baseline.

    .venv/bin/python -m bench.load [--seconds 5] [--rounds 3] [--connections 32] [--workers 2] [--threads 1]
    .venv/bin/python -m bench.load --churn ...   (a change every second meanwhile: bench/load/churn.py)

Creates a throw-away PostgreSQL database, migrates it, fills it with ``flask seed-scale`` (20,000
volunteers, 10,000 households, 50,000 matches by default), starts gunicorn on 127.0.0.1 (sync
workers unless --threads says otherwise) and signs in a municipal coordinator. Then, page by
page for a fixed time, ``--connections`` keep-alive connections each send one request after
another (a closed loop), from wrk (Debian's package; `make bench-load` installs it) or, without
it, from Python threads, which take more of the CPU from the server. Prints requests per second,
p50/p95/p99 latency, errors (anything but 200, or no answer) and each page's throughput as a
share of the bare endpoint's (/healthz, anonymous), measured in the same run; the same endpoint
signed in is printed as a reference, the share that checking the account on each request leaves.
Before each page's run it prints the page's time alone, the first request and a later one.
Nothing changes between requests in this mode, so it is the steady state of a quiet afternoon;
the working day, with a change every second, is ``--churn``, which carries the goals. The load
generator shares the machine's cores with gunicorn and PostgreSQL, so every figure is a lower
bound for dedicated machines. Before each run, the session cookie is brought up to date as a
browser keeps it (``current_cookie``): the idle timeout writes the session's last-seen time at
most every 30 s, and a client that sent the sign-in cookie for ever would make every answer sign
a new cookie, which no browser causes. Goal: no errors, p95 < 150 ms at 32 connections (the old
goal of a share of the bare endpoint's throughput rewarded replaying pages and is retired; the
share is printed as a reference).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import threading
import time

from bench.load.common import (
    CODE,
    EMAIL,
    PASSWORD,
    add_server_arguments,
    current_cookie,
    drained,
    drive,
    drive_wrk,
    median,
    redis_reachable,
    request,
    seeded,
    sign_in,
    start_gunicorn,
)
from bench.load.common import env as _env
from tests.support import fresh_postgres_database

__all__ = ["CODE", "EMAIL", "PASSWORD", "_env", "main", "seeded"]  # bench.load.instructions uses these

GOAL_P95_MS = 150.0
REFERENCE = "bare endpoint, signed in"


def _warm_every_worker(port: int, path: str, cookie: str, requests: int) -> None:
    """As many requests at once as gunicorn has threads, so every worker process has built what
    the page keeps between requests before the measurement (each process keeps its own copy)."""
    threads = [
        threading.Thread(target=lambda: request(port, "GET", path, cookie, timeout=180))
        for _ in range(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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
    add_server_arguments(parser)
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as cleanup:
        database_url = cleanup.enter_context(fresh_postgres_database(args.pg_url, prefix="vh_bench_load"))
        household_id = seeded(database_url, args.volunteers, args.households, args.matches)
        shared = args.redis_url if args.redis_url and redis_reachable(args.redis_url) else None
        port = start_gunicorn(cleanup, database_url, args.workers, args.threads, shared=shared)
        cookie = sign_in(port)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"machine: {os.cpu_count()} cores (shared by gunicorn, PostgreSQL and this load generator), "
            f"load average {load}"
        )
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads; {args.connections} keep-alive "
            f"connections; {args.rounds} rounds of {args.seconds:g} s a page; load from {args.tool}; "
            + (f"REDIS_URL {shared}" if shared else "no Redis")
        )
        pages = _pages(household_id)
        for label, path, signed_in in pages:
            jar = cookie if signed_in else ""
            drained(port)
            began = time.perf_counter()
            try:  # the first request computes what the page keeps per data version (cold)
                status = request(port, "GET", path, jar, timeout=120)[0]
                cold = f"{(time.perf_counter() - began) * 1000:.0f} ms"
            except OSError as error:
                status, cold = type(error).__name__, "-"
            for _ in range(3):  # gunicorn gives no say in which worker answers: several rounds
                _warm_every_worker(port, path, jar, 2 * args.workers * args.threads)
            began = time.perf_counter()
            request(port, "GET", path, jar, timeout=120)
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
                drained(port)
                cookie = current_cookie(port, cookie)
                results[label].append(
                    run(port, path, cookie if signed_in else "", args.seconds, args.connections)
                )
        _print(pages, results)
    return 0


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
        share, p95 = median(shares), max(r["p95"] for r in rounds)
        errors = sum(int(r["errors"]) for r in rounds)
        missed = []
        if p95 >= GOAL_P95_MS:
            missed.append("p95")
        if errors:
            missed.append("errors")
        verdict = "met" if not missed else "MISSED: " + ", ".join(missed)
        if label == REFERENCE:
            verdict = "(a reference, not a page)"
        spread = f"{min(shares):.0%}-{max(shares):.0%}"
        rps, p50 = (median([r[key] for r in rounds]) for key in ("rps", "p50"))
        p99 = max(r["p99"] for r in rounds)
        print(
            f"{label:<28}{rps:>8.1f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{errors:>8}{share:>8.0%}"
            f"  {spread:>9}  {verdict}"
        )
