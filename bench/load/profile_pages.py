"""One request of each key page right after a change, in-process, with its SQL: where a page's time goes.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/vh_scale \\
        .venv/bin/python -m bench.load.profile_pages [--repeats 5] [--sql] [--profile PAGE] [--only PAGE]

Runs against a database already filled by ``flask seed-scale`` (``bench.load.common.seeded``),
with its bench coordinator. The app is created in this process and driven by Flask's test client,
signed in as that coordinator; before each request a reception-checklist step of another household
is ticked or unticked through the case's own form, as ``bench.load.churn``'s writer does. Per page:
the median and slowest of ``--repeats`` requests, the number of SQL statements and their time;
``--sql`` lists the slowest statements of the last request, ``--explain N`` runs EXPLAIN ANALYZE
on the N slowest, ``--each`` prints every request's time (the first one in a process also compiles
the page's templates and statements), ``--profile PAGE`` prints cProfile's top functions for that
page. Run it from another checkout (``cd ../before && python -m bench.load.profile_pages``) to
compare two versions on the same database.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import re
import time
from contextlib import contextmanager

from sqlalchemy import event, text

from bench.load.churn import STEP, _Forms
from bench.load.common import CODE, EMAIL, busiest_municipality, first_household, median


def _pages(household_id: int) -> dict[str, str]:
    return {
        "case": f"/familier/{household_id}",
        "volunteers": "/frivillige?status=approved&language=ar&scheme=friend_buddy",
        "cases": "/familier/?vis=attention&sorter=name",
        "suggestions": f"/familier/{household_id}/forslag",
        "report": "/reports/quarterly",
        "dashboard": "/",
    }


class Statements:
    """Every SQL statement the engine runs while ``recording``, with its time."""

    def __init__(self, engine) -> None:
        self.on = False
        self.found: list[tuple[float, str, object]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_began"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on:
            self.found.append((time.perf_counter() - conn.info.pop("bench_began"), statement, parameters))

    @contextmanager
    def recording(self):
        self.found, self.on = [], True
        try:
            yield
        finally:
            self.on = False


def _change(client, household_id: int) -> None:
    """Tick or untick a reception step of ``household_id`` through its form (one committed change)."""
    path = f"/familier/{household_id}/modtagelse"
    page = client.get(path).get_data(as_text=True)
    fields = next(f["fields"] for f in _Forms(page).forms if f"{STEP}_on" in f["fields"])
    if fields[f"{STEP}_on"]:
        fields[f"{STEP}_on"] = fields[f"{STEP}_by"] = ""
    else:
        fields[f"{STEP}_on"], fields[f"{STEP}_by"] = dt.date.today().isoformat(), "Bench"
    answer = client.post(path, data=fields)
    if answer.status_code != 302:
        raise RuntimeError(f"POST {path} answered {answer.status_code}")


def _explain(app, found) -> None:
    """EXPLAIN ANALYZE each statement again, with its parameters (read-only statements only)."""
    from volunteer_hub.extensions import db

    with app.app_context():
        connection = db.session.connection()
        for seconds, statement, parameters in found:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            print(f"--- {seconds * 1000:.1f} ms\n{statement}\n{parameters}")
            plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n".join(row[0] for row in plan))
        db.session.rollback()


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="list the slowest statements of each page")
    parser.add_argument("--profile", default="", help="cProfile this page (a name as printed)")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the N slowest statements")
    parser.add_argument("--top", type=int, default=6, help="how many statements --sql lists")
    parser.add_argument("--each", action="store_true", help="print every request's time")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    os.environ.setdefault("VOLUNTEER_HUB_ENV", "development")
    os.environ.setdefault("SECRET_KEY", "bench-profile-" + "s" * 40)
    os.environ["RATELIMIT_ENABLED"] = "0"

    from volunteer_hub import create_app
    from volunteer_hub.auth.models import User
    from volunteer_hub.auth.session_guard import AUTH_AT, SEEN_AT
    from volunteer_hub.extensions import db

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    code = CODE if first_household(url, CODE) else busiest_municipality(url)
    household_id = first_household(url, code)
    with app.app_context():
        statements = Statements(db.engine)
        writer_households = [
            row[0]
            for row in db.session.execute(
                text(
                    "SELECT id FROM household WHERE municipality_id = (SELECT id FROM municipality"
                    " WHERE code = :c) ORDER BY id DESC LIMIT 20"
                ),
                {"c": code},
            )
        ]
        user = db.session.execute(db.select(User).where(User.email == EMAIL)).scalar_one()
        client = app.test_client()
        with client.session_transaction() as session:  # signed in, as Flask-Login leaves it
            session["_user_id"], session["_fresh"] = user.get_id(), True
            session[AUTH_AT] = session[SEEN_AT] = int(time.time())
        db.session.remove()
    wanted = [p for p in args.only.split(",") if p]
    turn = 0
    print(f"household {household_id}; in-process, one request right after a change, {args.repeats} times")
    for name, path in _pages(household_id).items():
        if wanted and name not in wanted:
            continue
        times: list[float] = []
        for _ in range(args.repeats):
            _change(client, writer_households[turn % len(writer_households)])
            turn += 1
            profiler = cProfile.Profile() if args.profile == name else None
            with statements.recording():
                began = time.perf_counter()
                if profiler:
                    profiler.enable()
                answer = client.get(path)
                if profiler:
                    profiler.disable()
                times.append(time.perf_counter() - began)
            if args.each:
                print(f"    {name} {times[-1] * 1000:.1f} ms")
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path} answered {answer.status_code}")
        sql = sum(t for t, _, _ in statements.found)
        print(
            f"{name:12s} median {median(times) * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms"
            f"  last: {len(statements.found)} statements, {sql * 1000:.1f} ms in SQL"
        )
        if args.sql:
            for seconds, statement, _ in sorted(statements.found, key=lambda f: -f[0])[: args.top]:
                flat = re.sub(r"\s+", " ", statement)
                print(f"    {seconds * 1000:7.1f} ms  {flat[:300]}")
        if args.explain:
            _explain(app, sorted(statements.found, key=lambda f: -f[0])[: args.explain])
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
