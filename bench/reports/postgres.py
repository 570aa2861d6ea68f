"""The quarterly report on PostgreSQL at national scale: `python -m bench.reports.postgres`.

Creates a throw-away database on 127.0.0.1 (or uses $BENCH_DATABASE_URL), fills it with
`seed-scale` (20,000 volunteers, 10,000 households, 50,000 matches), then times in one process:
the report counted in SQL for the whole municipality and for one organisation, the same report
counted by the pure core from row-by-row facts (tests/reports/fact_loader.py, the reference and
the way it used to be built), and the report page through the app (a signed-in coordinator),
each against a baseline request to /healthz. Nothing is kept between runs: every row computes.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid

import sqlalchemy as sa

ADMIN_URL = os.environ.get("VH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _timed(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main() -> int:
    from flask_migrate import upgrade

    from tests.factories import make_user
    from tests.reports.fact_loader import FactLoader
    from tests.support import login_as
    from volunteer_hub import create_app
    from volunteer_hub.core.roles import Role
    from volunteer_hub.demo.scale import seed_scale
    from volunteer_hub.extensions import db
    from volunteer_hub.reports.periods import Quarter
    from volunteer_hub.reports.quarterly import compute_quarterly
    from volunteer_hub.reports.services import build_report
    from volunteer_hub.tenancy.models import Organisation
    from volunteer_hub.tenancy.services import get_municipality_by_code

    url = os.environ.get("BENCH_DATABASE_URL")
    name = None
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    if url is None:
        name = f"vh_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            municipality = get_municipality_by_code("0161")
            if municipality is None:
                started = time.perf_counter()
                counts = seed_scale("0161", 20_000, 10_000, 50_000)
                db.session.commit()
                print(f"seed-scale: {counts} in {time.perf_counter() - started:.1f} s")
                municipality = get_municipality_by_code("0161")
            assert municipality is not None
            organisation = db.session.execute(
                sa.select(Organisation).where(Organisation.municipality_id == municipality.id).limit(1)
            ).scalar_one()
            user = make_user(
                municipality, Role.MUNICIPAL_COORDINATOR, email=f"bench-{uuid.uuid4().hex[:6]}@x.dk"
            )
            db.session.commit()
            quarter = Quarter(2026, 3)
            loader = FactLoader()
            months = app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
            reference = _timed(
                lambda: compute_quarterly(
                    loader.load(municipality.id, quarter.previous().start, quarter.end),
                    quarter.year, quarter.quarter, None, certificate_valid_months=months,
                ),
                3,
            )  # fmt: skip
            whole = _timed(lambda: build_report(municipality.id, quarter, None), 3)
            partner = _timed(lambda: build_report(municipality.id, quarter, organisation), 3)
            client = app.test_client()
            login_as(client, user)
        path = "/reports/quarterly?year=2026&quarter=3"
        page = _timed(lambda: client.get(path), 5)
        baseline = _timed(lambda: client.get("/healthz"), 20)
        print(f"{'step':<34}{'median ms':>12}{'fastest ms':>12}{'x baseline':>12}")
        for label, (median, fastest) in [
            ("baseline: GET /healthz", baseline),
            ("report from facts (reference)", reference),
            ("report in SQL, whole municipality", whole),
            ("report in SQL, one organisation", partner),
            ("GET /reports/quarterly", page),
        ]:
            print(f"{label:<34}{median * 1000:>12.1f}{fastest * 1000:>12.1f}{median / baseline[0]:>12.0f}")
        with app.app_context():
            db.engine.dispose()
    finally:
        if name is not None:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
