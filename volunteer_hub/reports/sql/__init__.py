"""The quarterly report counted in the database (FORMATS.md definitions, as ``quarterly``).

Each figure is an aggregate (COUNT, COUNT(DISTINCT), CASE) over the rows of the reported
quarter or the one before; where a figure needs per-row logic (the median days to a first
match, the 14-day deadlines, housing before arrival) only the few rows of those two quarters
are read. ``counts.assemble_report`` shapes the counts into the report, exactly as it does for
the facts counted by ``quarterly``, and a test compares the two on a varied municipality.
"""

from __future__ import annotations

from typing import Any

from volunteer_hub.extensions import db
from volunteer_hub.reports.counts import QuarterCounts, assemble_report
from volunteer_hub.reports.data import OrganisationRef
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.provider import today_in_denmark
from volunteer_hub.reports.sql.dates import without_jit
from volunteer_hub.reports.sql.households import count_policy, households_waiting
from volunteer_hub.reports.sql.matches import count_matches, first_match_days
from volunteer_hub.reports.sql.scope import Scope
from volunteer_hub.reports.sql.volunteers import count_volunteers


def count_quarters(
    municipality_id: int, quarter: Quarter, organisation_id: int | None, valid_months: int
) -> tuple[QuarterCounts, QuarterCounts]:
    """The counts of ``quarter`` and of the quarter before it, for one municipality (or one of
    its organisations: its volunteers and its matches)."""
    with without_jit(db.session.connection()):
        return _count_quarters(municipality_id, quarter, organisation_id, valid_months)


def _count_quarters(
    municipality_id: int, quarter: Quarter, organisation_id: int | None, valid_months: int
) -> tuple[QuarterCounts, QuarterCounts]:
    previous = quarter.previous()
    scope = Scope(municipality_id, organisation_id, previous.start, quarter.end)
    quarters = (quarter, previous)
    counts = [QuarterCounts(), QuarterCounts()]
    count_volunteers(scope, quarters, valid_months, counts)
    waiting = households_waiting(scope, (quarter.end, previous.end))
    count_matches(scope, quarters, counts)
    for quarter_counts, waiting_then in zip(counts, waiting, strict=True):
        quarter_counts.households_waiting = waiting_then
    for quarter_counts, days in zip(counts, first_match_days(scope, quarters), strict=True):
        quarter_counts.first_match_days = days
    if organisation_id is None:
        count_policy(scope, quarters, counts)
    return counts[0], counts[1]


def compute_report(
    municipality_id: int, quarter: Quarter, organisation: OrganisationRef | None, valid_months: int
) -> dict[str, Any]:
    """The quarterly report of the municipality (``organisation`` None) or one organisation."""
    current, previous = count_quarters(
        municipality_id, quarter, organisation.id if organisation else None, valid_months
    )
    return assemble_report(
        current,
        previous,
        quarter,
        organisation.name if organisation else None,
        today_in_denmark(),
        valid_months,
    )
