"""The current quarter's draft on an existing database: `python -m bench.reports.draft CODE`.

Uses the app's configuration (``DATABASE_URL``), so point it at a seeded copy (run ``ANALYZE``
on it first). Times ``build_report`` for the quarter containing today, for the whole
municipality and for its first organisation: every run counts from nothing (nothing is kept
between runs). With ``--statements`` it also prints the slowest statements of one run.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa


def _median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


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

        print(f"quarterly draft {quarter.year} Q{quarter.quarter}, municipality {args.code}")
        print(f"{'report':<24}{'median ms':>12}{'fastest ms':>12}")
        for label, who in (("whole municipality", None), ("one organisation", organisation)):
            median, fastest = _median_ms(draft(who), args.repeat)
            print(f"{label:<24}{median:>12.1f}{fastest:>12.1f}")
        if args.statements:
            with _statement_times(db.engine) as found:
                draft(None)()
            for elapsed, statement in sorted(found, reverse=True)[:12]:
                print(f"{elapsed:>8.1f} ms  {statement}")
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
