"""The main pages while a municipality works: a real change through the app's own forms every second.

    .venv/bin/python -m bench.load --churn [--seconds 10] [--repeats 7] [--suggest-runs 5]
        [--app-dir DIR] [--database-url URL] [--write-docs] [--volunteers N --households N --matches N]

A coordinator at work changes something about once a second, and every change may throw away
what a page keeps between requests; replaying the same pages with nothing changing hides that.
Here a writer, signed in with a session of its own, ticks or unticks a reception-checklist step
of a household through the case's own form (the page read for its CSRF token and version, then
the POST a browser sends), so the bench drives any version of the app from outside. Per page:

- right after a change: ``--repeats`` times a change, then one request of the page alone
  (median and slowest);
- under churn: ``--connections`` keep-alive connections for ``--seconds`` (wrk, or Python
  threads without it) while the writer makes a change every second; requests per second,
  p50/p95/p99, errors, and the throughput as a share of the bare endpoint's (/healthz, anonymous,
  measured the same way in the same run). The writer's own requests are not counted; its
  changes and failed changes are.

Then ``flask match suggest`` for the measured household, beyond process start-up: ``--suggest-runs``
times a change, the command, then ``flask db current`` (start-up, one connection, a trivial
query); the median of the differences.

The database is a fresh throw-away one filled by ``flask seed-scale`` (national scale by
default), or ``--database-url``: one already seeded, reused as it is (a coordinator is added if
missing; the municipality with the most households is measured). ``--app-dir`` runs gunicorn and
the ``flask`` commands of another checkout of the app (e.g. the one before a change) while the
bench runs from here. ``--write-docs`` replaces the churn table in docs/performance.md. Each run
signs what workers share in Redis with a secret of its own, so no earlier run's values are used.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import secrets
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

from bench.load import common
from bench.load.common import ROOT, median, request

GOAL_AFTER_MS, GOAL_P95_MS, GOAL_REPORT_MS, GOAL_SUGGEST_S = 100.0, 150.0, 500.0, 0.3
CHANGE_EVERY = 1.0  # seconds between the writer's changes
STEP = "guided_tour"  # the reception-checklist step the writer ticks and unticks
DOCS = ROOT / "docs" / "performance.md"
BEGIN = "<!-- churn table: begin (written by `python -m bench.load --churn --write-docs`) -->"
END = "<!-- churn table: end -->"
INTRO = """# Performance

Figures printed by the benchmarks under `bench/` on the machine named with them (2 shared cores
unless said otherwise; the load generator shares them with gunicorn and PostgreSQL, so every
figure is a lower bound for dedicated machines). Benchmarks print figures; no test times anything.

The churn table comes from `make bench-churn` (`python -m bench.load --churn --write-docs`): a
throw-away PostgreSQL database filled by `flask seed-scale`, gunicorn with 2 sync workers and a
writer that makes a real change through the app's own forms every second while each page is
loaded (bench/load/churn.py says how each figure is taken).
"""


class Page:
    """A page to measure: ``kind`` is "key" or "report" for the goals, "" for the baseline."""

    def __init__(self, label: str, path: str, kind: str, signed_in: bool = True) -> None:
        self.label, self.path, self.kind, self.signed_in = label, path, kind, signed_in


def pages(household_id: int) -> list[Page]:
    """The baseline first; the slowest pages last, so their backlog delays no other page."""
    return [
        Page("bare endpoint (baseline)", "/healthz", "", signed_in=False),
        Page("case page", f"/familier/{household_id}", "key"),
        Page(
            "volunteer list, filtered", "/frivillige?status=approved&language=ar&scheme=friend_buddy", "key"
        ),
        Page("case list, filtered, sorted", "/familier/?vis=attention&sorter=name", "key"),
        Page("household's suggestions", f"/familier/{household_id}/forslag", "key"),
        Page("quarterly report", "/reports/quarterly", "report"),
        Page("coordinator dashboard", "/", "key"),
    ]


class _Forms(HTMLParser):
    """Each form of a page: its action, method and what a browser would submit unchanged."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append({"action": a.get("action") or "", "method": method, "fields": {}})
            return
        if not self.forms:
            return
        fields, name = self.forms[-1]["fields"], a.get("name")
        kind = (a.get("type") or "text").lower()
        if tag == "input" and name and kind not in ("submit", "button", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                fields[name] = a.get("value") or ("on" if kind in ("checkbox", "radio") else "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and (self._select not in fields or "selected" in a):
            fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, fields[name] = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


class Writer:
    """Ticks or unticks a reception-checklist step through the case's form, as a coordinator does."""

    def __init__(self, port: int, cookie: str, households: list[int]) -> None:
        self.port, self.cookie, self.households = port, cookie, households
        self.changes = self.errors = 0
        self.problems: list[str] = []
        self._turn = 0

    def change(self, household_id: int | None = None) -> bool:
        """One change, made and answered before this returns; False (and counted) if it failed."""
        if household_id is None:
            household_id = self.households[self._turn % len(self.households)]
            self._turn += 1
        path = f"/familier/{household_id}/modtagelse"
        try:
            fields = self._form(path)
            if fields[f"{STEP}_on"]:
                fields[f"{STEP}_on"] = fields[f"{STEP}_by"] = ""
            else:
                fields[f"{STEP}_on"], fields[f"{STEP}_by"] = dt.date.today().isoformat(), "Bench"
            status, headers, _ = request(self.port, "POST", path, self.cookie, fields)
            self.cookie = common.cookie_set(headers, self.cookie)
            if status != 302:
                raise LookupError(f"POST {path} answered {status}")
        except (OSError, http.client.HTTPException, LookupError) as error:
            self.errors += 1
            if len(self.problems) < 5:
                self.problems.append(f"{type(error).__name__}: {error}")
            return False
        self.changes += 1
        return True

    def _form(self, path: str) -> dict[str, str]:
        status, headers, page = request(self.port, "GET", path, self.cookie)
        self.cookie = common.cookie_set(headers, self.cookie)
        if status != 200:
            raise LookupError(f"GET {path} answered {status}")
        for form in _Forms(page).forms:
            if form["method"] == "post" and form["action"] in ("", path) and f"{STEP}_on" in form["fields"]:
                return form["fields"]
        raise LookupError(f"{path} has no form with {STEP}_on")

    @contextlib.contextmanager
    def every_second(self):
        """A change each second (or at once, if the last one took longer) while the block runs."""
        stop = threading.Event()

        def loop() -> None:
            due = time.monotonic()
            while not stop.is_set():
                self.change()
                due = max(due + CHANGE_EVERY, time.monotonic())
                stop.wait(due - time.monotonic())

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


SCALE = """SELECT (SELECT count(*) FROM volunteer v WHERE v.municipality_id = m.id),
(SELECT count(*) FROM household h WHERE h.municipality_id = m.id),
(SELECT count(*) FROM match x WHERE x.municipality_id = m.id) FROM municipality m WHERE m.code = :c"""


def _commit(app_dir: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(app_dir), *args], capture_output=True, text=True
        ).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return (git("rev-parse", "--short", "HEAD") or "unknown") + (" with uncommitted changes" if dirty else "")


def measure(port: int, page: Page, cookie: str, writer: Writer, args: argparse.Namespace) -> dict:
    """Right after a change (``--repeats`` times), then the load under churn."""
    jar = cookie if page.signed_in else ""
    common.drained(port)
    after, failed = [], 0
    for _ in range(args.repeats):
        if not writer.change(writer.households[0]):
            continue
        began = time.perf_counter()
        try:
            failed += request(port, "GET", page.path, jar, timeout=120)[0] != 200
        except OSError:
            failed += 1
        after.append((time.perf_counter() - began) * 1000)
    common.drained(port)
    changes, errors = writer.changes, writer.errors
    run = common.drive_wrk if args.tool == "wrk" else common.drive
    with writer.every_second():
        result = run(port, page.path, jar, args.seconds, args.connections)
    result.update(
        after=median(after) if after else float("nan"),
        after_max=max(after, default=float("nan")),
        after_failed=failed,
        changes=writer.changes - changes,
        change_errors=writer.errors - errors,
    )
    print(
        f"  {page.label}: {page.path}: after a change {result['after']:.0f} ms "
        f"(max {result['after_max']:.0f}), p95 under churn {result['p95']:.0f} ms, "
        f"{result['changes']} changes",
        flush=True,
    )
    return result


def verdict(page: Page, r: dict) -> str:
    missed = []
    limit_after, limit_p95 = {
        "key": (GOAL_AFTER_MS, GOAL_P95_MS),
        "report": (GOAL_REPORT_MS, GOAL_REPORT_MS),
    }.get(page.kind, (float("inf"), float("inf")))
    if not r["after"] <= limit_after:
        missed.append("after a change")
    if not (r["p95"] < limit_p95 if page.kind == "key" else r["p95"] <= limit_p95):
        missed.append("p95")
    if r["errors"] or r["after_failed"]:
        missed.append("errors")
    if r["change_errors"]:
        missed.append("writer's errors")
    if not page.kind and not missed:
        return "(baseline)"
    return "met" if not missed else "MISSED: " + ", ".join(missed)


def time_suggest(app_dir: Path, database_url: str, code: str, ref: str, runs: int, writer: Writer) -> tuple:
    """``flask match suggest`` beyond start-up: the median of the differences between it and a
    trivial command run just after it (start-up takes seconds on a busy machine, and drifts);
    then the medians of each. Each pair runs right after a change."""

    def timed(*command: str) -> float:
        began = time.perf_counter()
        common.flask(app_dir, database_url, *command)
        return time.perf_counter() - began

    suggest, trivial = [], []
    for _ in range(runs):
        writer.change()
        suggest.append(timed("match", "suggest", "--family", ref, "--municipality", code, "--format", "json"))
        trivial.append(timed("db", "current"))
    beyond = median([s - t for s, t in zip(suggest, trivial, strict=True)])
    return beyond, median(suggest), median(trivial)


def table(rows: list[tuple[Page, dict]], baseline_rps: float, suggest: tuple | None) -> list[str]:
    """The figures as a markdown table (printed as is, and written to docs/performance.md)."""
    lines = [
        "| page | after a change, median (max) ms | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| of baseline | changes (failed) | goals |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, r in rows:
        lines.append(
            f"| {page.label} | {r['after']:.0f} ({r['after_max']:.0f}) | {r['rps']:.1f} | {r['p50']:.0f} "
            f"| {r['p95']:.0f} | {r['p99']:.0f} | {r['errors'] + r['after_failed']} "
            f"| {r['rps'] / baseline_rps:.0%} | {r['changes']} ({r['change_errors']}) | {verdict(page, r)} |"
        )
    if suggest is None:
        lines.append("| `flask match suggest`, ms beyond start-up | not timed | | | | | | | | |")
        return lines
    beyond, suggest_s, startup_s = suggest
    met = "met" if beyond < GOAL_SUGGEST_S else "MISSED"
    lines.append(
        f"| `flask match suggest`, ms beyond start-up | {beyond * 1000:.0f} (runs {suggest_s:.2f} s, "
        f"`flask db current` {startup_s:.2f} s) | | | | | | | | {met} |"
    )
    return lines


def write_docs(heading: str, about: str, lines: list[str]) -> None:
    """Replace the churn section of docs/performance.md (between its markers), or add it."""
    section = "\n".join([BEGIN, f"## {heading}", "", about, "", *lines, END])
    text = DOCS.read_text() if DOCS.exists() else INTRO
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(text)
    print(f"written to {DOCS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="load time per page, under churn")
    parser.add_argument(
        "--repeats", type=int, default=7, help="changes, each followed by one request, per page"
    )
    parser.add_argument("--suggest-runs", type=int, default=5)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout of the app to measure")
    parser.add_argument("--database-url", help="an already seeded database to reuse (default: a fresh one)")
    parser.add_argument(
        "--write-docs", action="store_true", help="replace the churn table in docs/performance.md"
    )
    common.add_server_arguments(parser)
    args = parser.parse_args(argv)
    app_dir = args.app_dir.resolve()

    with contextlib.ExitStack() as cleanup:
        if args.database_url:
            database_url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
            code = common.busiest_municipality(database_url)
            common.ensure_coordinator(database_url, code, app_dir)
            household_id = common.first_household(database_url, code)
        else:
            from tests.support import fresh_postgres_database

            database_url = cleanup.enter_context(
                fresh_postgres_database(args.pg_url, prefix="vh_bench_churn")
            )
            code = common.CODE
            household_id = common.seeded(
                database_url, args.volunteers, args.households, args.matches, app_dir
            )
        shared = args.redis_url if args.redis_url and common.redis_reachable(args.redis_url) else None
        port = common.start_gunicorn(
            cleanup,
            database_url,
            args.workers,
            args.threads,
            app_dir=app_dir,
            shared=shared,
            secret=secrets.token_hex(32),
        )
        cookie = common.sign_in(port)
        households = [
            row[0]
            for row in common.query(
                database_url,
                "SELECT h.id FROM household h JOIN municipality m ON m.id = h.municipality_id"
                " WHERE m.code = :c ORDER BY h.id LIMIT 20",
                c=code,
            )
        ]
        writer = Writer(port, common.sign_in(port), households)
        counts = common.query(database_url, SCALE, c=code)[0]
        scale = "{:,} volunteers / {:,} households / {:,} matches".format(*counts)
        commit = _commit(app_dir)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        about = (
            f"{os.cpu_count()} cores shared by gunicorn, PostgreSQL and the load generator (load average "
            f"{load} at the start); gunicorn {args.workers} workers x {args.threads} threads; "
            f"{args.connections} connections for {args.seconds:g} s a page from {args.tool} while a change "
            f"is made every {CHANGE_EVERY:g} s; after a change: {args.repeats} times a change, then one "
            "request; "
            + (f"REDIS_URL {shared}" if shared else "no Redis")
            + f"; app at {app_dir} ({commit})."
        )
        print(about, flush=True)
        rows = [(page, measure(port, page, cookie, writer, args)) for page in pages(household_id)]
        (ref,) = common.query(database_url, "SELECT ref FROM household WHERE id = :i", i=household_id)[0]
        try:
            suggest = time_suggest(app_dir, database_url, code, ref, args.suggest_runs, writer)
        except RuntimeError as error:  # an older checkout's `flask db current` fails on a newer database
            print(f"flask match suggest not timed: {str(error).strip().splitlines()[-1]}", flush=True)
            suggest = None
    lines = table(rows, rows[0][1]["rps"], suggest)
    print()
    print("\n".join(lines))
    print(
        f"\nwriter: {writer.changes} changes, {writer.errors} failed"
        + "".join(f"\n  {p}" for p in writer.problems)
    )
    if args.write_docs:
        heading = f"Pages while a municipality works: {dt.date.today().isoformat()}, commit {commit}, {scale}"
        write_docs(heading, about, lines)
    return 0
