"""Times ``compute_quarterly`` on a synthetic municipality; prints figures, is never a test.

    python -m bench.reports                       # 20,000 volunteers, 10,000 households, 50,000 matches
    python -m bench.reports --volunteers 2000 --households 1000 --matches 5000 --repeat 3

The baseline is one trivial pass over the same facts in the same process (reading each fact's
date once and counting those in the quarter), so the ratio says how much the report costs over
merely touching the data. This measures the pure core only: loading the facts from PostgreSQL
through the real provider is measured after the volunteer, household and match models merge.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from bench.reports.synthetic import municipality
from volunteer_hub.reports.data import OrganisationRef, ReportInput
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.quarterly import compute_quarterly


def baseline(data: ReportInput, quarter: Quarter) -> int:
    """Touch every fact once: how many have their main date in the quarter."""
    count = 0
    for volunteer in data.volunteers:
        count += quarter.start <= volunteer.registered_on <= quarter.end
    for household in data.households:
        count += quarter.start <= household.registered_on <= quarter.end
    for adult in data.adults:
        count += adult.arrival_on is not None and quarter.start <= adult.arrival_on <= quarter.end
    for match in data.matches:
        count += quarter.start <= match.started_on <= quarter.end
    for meeting in data.meetings:
        count += quarter.start <= meeting.on <= quarter.end
    return count


def _timed(function, repeat: int) -> tuple[float, float, object]:
    """Median and fastest of ``repeat`` runs (the machine is shared: the fastest is the cost)."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def _presentation(report: dict, repeat: int) -> None:
    """What the page and downloads add on top of the core, in an app context (no database used)."""
    from volunteer_hub import create_app
    from volunteer_hub.reports import exports
    from volunteer_hub.reports.figures import diff_reports
    from volunteer_hub.reports.presentation import build_sections

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        steps = {
            "page sections and charts": lambda: build_sections(report, suppress=False, charts=True),
            "diff with a finalised copy": lambda: diff_reports(report, report),
            "CSV": lambda: exports.to_csv(report),
            "XLSX": lambda: exports.to_xlsx(report),
            "PDF": lambda: exports.to_pdf(report, municipality_name="Glostrup Kommune"),
        }
        for name, step in steps.items():
            median, fastest, _ = _timed(step, max(1, repeat // 2))
            print(f"{name + ':':<56}{median * 1000:7.1f} / {fastest * 1000:7.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--matches", type=int, default=50_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--quarter", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data = municipality(args.volunteers, args.households, args.matches)
    built = time.perf_counter() - started
    quarter = Quarter(args.year, args.quarter)
    print(f"facts: {len(data.volunteers):,} volunteers, {len(data.households):,} households, "
          f"{len(data.adults):,} adults, {len(data.matches):,} matches, {len(data.meetings):,} meetings "
          f"(built in {built:.1f} s)")  # fmt: skip
    base, base_min, touched = _timed(lambda: baseline(data, quarter), args.repeat)
    municipal, municipal_min, report = _timed(
        lambda: compute_quarterly(data, args.year, args.quarter), args.repeat
    )
    organisation, organisation_min, _ = _timed(
        lambda: compute_quarterly(data, args.year, args.quarter, OrganisationRef(1, "Organisation 1")),
        args.repeat,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"times: median / fastest of {args.repeat} runs each")
    print(f"baseline pass (one date per fact, {touched:,} in the quarter): "
          f"{base * 1000:7.1f} / {base_min * 1000:7.1f} ms")  # fmt: skip
    print(f"compute_quarterly, whole municipality (2 quarters):      "
          f"{municipal * 1000:7.1f} / {municipal_min * 1000:7.1f} ms   "
          f"ratio {municipal_min / base_min:5.1f}x")  # fmt: skip
    print(f"compute_quarterly, one organisation (2 quarters):        "
          f"{organisation * 1000:7.1f} / {organisation_min * 1000:7.1f} ms   "
          f"ratio {organisation_min / base_min:5.1f}x")  # fmt: skip
    print(f"peak memory of this process: {peak:.0f} MiB")
    _presentation(report, args.repeat)  # type: ignore[arg-type]
    print("figures:", {
        "volunteers": report["volunteers"],  # type: ignore[index]
        "matches_started": sum(report["matches"]["started"].values()),  # type: ignore[index]
        "reached": report["reached"],  # type: ignore[index]
        "median_days_to_first_match": report["median_days_to_first_match"],  # type: ignore[index]
        "languages_in_gap": len(report["language_gap"]),  # type: ignore[index]
    })  # fmt: skip
    print("PostgreSQL end to end (provider + page): measured after the merge; not part of this benchmark.")
    return 0
