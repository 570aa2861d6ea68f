"""The current quarter's draft on an existing database: `python -m bench.reports.draft CODE`.

Uses the app's configuration (``DATABASE_URL``), so point it at a seeded copy (run ``ANALYZE``
on it first). Times ``build_report`` for the quarter containing today, for the whole
municipality and for its first organisation: every run counts from nothing (nothing is kept
between runs). On a busy machine the CPU time (of the database server process, when the server
runs here, and of this process) is steadier than the wall time. With ``--statements`` it also
prints the slowest statements of one run.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa


def _backend_cpu_ms(backend_pid: int) -> float | None:
    """CPU time used so far by a database server process on this machine (None elsewhere)."""
    try:
        with open(f"/proc/{backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _median_ms(
    fn: Callable[[], object], repeat: int, backend_pid: Callable[[], int]
) -> tuple[float, float, float | None, float | None]:
    """Median and fastest wall time, and the median CPU time of the database server process and
    of this process: on a machine shared with other work CPU time varies less."""
    times, cpu, app_cpu = [], [], []
    for _ in range(repeat):
        pid = backend_pid()  # the connection the run will use
        server = _backend_cpu_ms(pid)
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        app_cpu.append((time.process_time() - started_cpu) * 1000)
        server_after = _backend_cpu_ms(pid)
        if server is not None and server_after is not None:
            cpu.append(server_after - server)
    database = statistics.median(cpu) if cpu else None
    return statistics.median(times), min(times), database, statistics.median(app_cpu)


@contextmanager
def _statement_times(engine: sa.Engine) -> Iterator[list[tuple[float, str]]]:
    """(ms, first line of SQL) of each statement run inside the block."""
    found: list[tuple[float, str]] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["vh_started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        elapsed = (time.perf_counter() - conn.info.pop("vh_started")) * 1000
        found.append((elapsed, " ".join(statement.split())[:110]))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code", help="municipality code, e.g. 9999 (seed-scale)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--statements", action="store_true")
    args = parser.parse_args()

    from volunteer_hub import create_app
    from volunteer_hub.extensions import db
    from volunteer_hub.reports.periods import Quarter
    from volunteer_hub.reports.provider import today_in_denmark
    from volunteer_hub.reports.services import build_report
    from volunteer_hub.tenancy.models import Organisation
    from volunteer_hub.tenancy.services import get_municipality_by_code

    app = create_app()
    with app.app_context():
        municipality = get_municipality_by_code(args.code)
        assert municipality is not None, f"no municipality {args.code}"
        organisation = db.session.execute(
            sa.select(Organisation).where(Organisation.municipality_id == municipality.id).limit(1)
        ).scalar_one()
        today = today_in_denmark()
        quarter = Quarter(today.year, (today.month - 1) // 3 + 1)

        def draft(for_organisation: Organisation | None) -> Callable[[], object]:
            def run() -> object:
                report = build_report(municipality.id, quarter, for_organisation)
                db.session.rollback()  # as a request ends: nothing survives to the next run
                return report

            return run

        def backend_pid() -> int:
            return db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()

        print(f"quarterly draft {quarter.year} Q{quarter.quarter}, municipality {args.code}")
        print(f"{'report':<24}{'median ms':>12}{'fastest ms':>12}{'db CPU ms':>12}{'app CPU ms':>12}")
        for label, who in (("whole municipality", None), ("one organisation", organisation)):
            median, fastest, database, app = _median_ms(draft(who), args.repeat, backend_pid)
            shown = "-" if database is None else f"{database:.1f}"
            print(f"{label:<24}{median:>12.1f}{fastest:>12.1f}{shown:>12}{app:>12.1f}")
        if args.statements:
            with _statement_times(db.engine) as found:
                draft(None)()
            for elapsed, statement in sorted(found, reverse=True)[:12]:
                print(f"{elapsed:>8.1f} ms  {statement}")
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
