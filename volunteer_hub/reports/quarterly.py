"""The quarterly partnership report counted from plain facts (FORMATS.md definitions).

The database report counts the same figures in SQL (``reports.sql``); this module counts them
over ``data.ReportInput`` facts, for reports from a facts provider and as the reference the
SQL is compared with. Both fill ``counts.QuarterCounts``; ``counts.assemble_report`` shapes them.

``compute_quarterly`` returns the JSON object of ``flask report quarterly``: first exactly the
keys of FORMATS.md (``period`` ... ``language_gap``), then the figures the municipality's
policy asks for, under keys of their own:

- ``data_as_of``: the day the facts describe (a quarter not yet over is a draft).
- ``households_first_matched``: how many households the median is computed over.
- ``retention``: ``reached_3_months`` (matches whose day ``started_on`` + 3 calendar months
  falls in the quarter and that had not ended before that day, i.e. lasted at least 3 months),
  ``ended_before_3_months`` / ``ended_after_3_months`` (matches ended in the quarter, split by
  whether they lasted 3 months; the two add up to the ``ended`` figures), ``meetings`` (meetings
  logged on a day of the quarter), ``matches_with_meetings`` and ``meeting_hours`` (their
  minutes / 60, two decimals).
- ``child_certificates``: among the volunteers approved (incl. paused) at ``end`` who work with
  children, ``valid`` (still valid 30 days after ``end``), ``expiring`` (valid at ``end``, not
  30 days later) and ``missing`` (none, with remarks, received after ``end``, or expired). A
  certificate received on r is valid on d when ``d - validity_months <= r <= d`` in calendar
  months, as the matcher's rule 4 counts it.
- ``policy_14_days`` (the municipality's own report only; None for an organisation): the
  welcome letters (policy P2) and introduction-internship offers (P8) whose deadline (arrival +
  14 days) falls in the quarter: ``due``, ``on_time`` (done on or before the deadline),
  ``late`` (after the deadline but by ``end``) and ``open`` (not done by ``end``).
- ``housing_before_arrival`` (municipality only): households that arrived in the quarter,
  how many were housed before arrival, not, or unknown, and ``share`` = housed / arrived.
- ``change_from_previous_quarter``: each headline figure (``HEADLINE_FIGURES``) this quarter,
  the quarter before (Q1's is Q4 of the year before) and the change.

With an organisation, only that organisation's volunteers (``VolunteerFact.organisation_id``)
and its matches (``MatchFact.organisation_id``) count. The household figures then mean:
``reached`` = households with one of the organisation's matches active in the quarter;
the median = over households whose first match ever started in the quarter and was with
the organisation (its first day had a match of the organisation); ``language_gap`` =
households waiting anywhere in the municipality (households belong to no organisation)
against the organisation's own available volunteers. ``policy_14_days`` and
``housing_before_arrival`` are the municipality's tasks and are None in an organisation report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from volunteer_hub.reports.counts import (
    CERTIFICATE_WARNING_DAYS,
    DEADLINE_DAYS,
    DEFAULT_CERTIFICATE_VALID_MONTHS,
    FORMATS_KEYS,
    HEADLINE_FIGURES,
    MUNICIPALITY_ONLY,
    RETENTION_MONTHS,
    SCHEMES,
    QuarterCounts,
    assemble_report,
    deadline_figures,
    housing_figures,
    read_figure,
)
from volunteer_hub.reports.data import (
    APPROVED_STATUSES,
    CONVERSATIONAL_RANK,
    LEVEL_RANK,
    HouseholdFact,
    MatchFact,
    MeetingFact,
    OrganisationRef,
    ReportInput,
    VolunteerFact,
)
from volunteer_hub.reports.periods import Quarter, add_months, months_before

__all__ = [
    "DEADLINE_DAYS", "FORMATS_KEYS", "HEADLINE_FIGURES", "MUNICIPALITY_ONLY", "SCHEMES",
    "compute_quarterly", "count_quarter", "is_active_during", "is_active_on",
    "is_certificate_valid", "read_figure",
]  # fmt: skip


def is_active_on(match: MatchFact, day: date) -> bool:
    """FORMATS.md: active on d when ``started_on <= d`` and (no ``ended_on`` or ``ended_on > d``)."""
    return match.started_on <= day and (match.ended_on is None or match.ended_on > day)


def is_active_during(match: MatchFact, quarter: Quarter) -> bool:
    """Active on at least one day of the quarter (a match ending the day it starts never is)."""
    first = max(quarter.start, match.started_on)
    return first <= quarter.end and (match.ended_on is None or match.ended_on > first)


def is_certificate_valid(volunteer: VolunteerFact, day: date, valid_months: int) -> bool:
    """A certificate without remarks, received at most ``valid_months`` months before ``day``."""
    received = volunteer.certificate_received_on
    if received is None or volunteer.certificate_with_remarks:
        return False
    return months_before(day, valid_months) <= received <= day


@dataclass
class _Index:
    """The facts, indexed once for both quarters the report computes."""

    data: ReportInput
    organisation: OrganisationRef | None

    def __post_init__(self) -> None:
        data, org = self.data, self.organisation
        self.households: dict[int, HouseholdFact] = {h.id: h for h in data.households}
        volunteer_ids = {v.id for v in data.volunteers}
        self.volunteers: list[VolunteerFact] = [
            v for v in data.volunteers if org is None or v.organisation_id == org.id
        ]
        # A household's first match ever (any organisation), and whose matches started that day.
        self.first_match: dict[int, tuple[date, set[int | None]]] = {}
        for match in data.matches:
            if match.household_id not in self.households:
                raise ValueError(f"match {match.id} refers to household {match.household_id}, not loaded")
            if match.volunteer_id not in volunteer_ids:
                raise ValueError(f"match {match.id} refers to volunteer {match.volunteer_id}, not loaded")
            known = self.first_match.get(match.household_id)
            if known is None or match.started_on < known[0]:
                self.first_match[match.household_id] = (match.started_on, {match.organisation_id})
            elif match.started_on == known[0]:
                known[1].add(match.organisation_id)
        self.matches: list[MatchFact] = [
            m for m in data.matches if org is None or m.organisation_id == org.id
        ]
        scoped_ids = {m.id for m in self.matches}
        self.meetings: list[MeetingFact] = [m for m in data.meetings if m.match_id in scoped_ids]


def _count_matches(index: _Index, quarter: Quarter, counts: QuarterCounts) -> None:
    """Started / ended / active figures, reach and retention of the counted matches."""
    start, end = quarter.start, quarter.end
    started: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    active_at_end: Counter[str] = Counter()
    volunteers: set[int] = set()
    households: set[int] = set()
    for match in index.matches:
        if match.started_on > end:
            continue
        milestone = add_months(match.started_on, RETENTION_MONTHS)
        if match.started_on >= start:
            started[match.scheme] += 1
        if match.ended_on is not None and start <= match.ended_on <= end:
            ended[match.scheme] += 1
            if match.ended_on < milestone:
                counts.ended_before_3_months += 1
            else:
                counts.ended_after_3_months += 1
        if is_active_during(match, quarter):
            volunteers.add(match.volunteer_id)
            households.add(match.household_id)
            if is_active_on(match, end):
                active_at_end[match.scheme] += 1
        if start <= milestone <= end and (match.ended_on is None or match.ended_on >= milestone):
            counts.reached_3_months += 1
    counts.started, counts.ended, counts.active_at_end = started, ended, active_at_end
    counts.active_volunteers = len(volunteers)
    reached = [index.households[i] for i in households]
    counts.reached_households = len(reached)
    counts.reached_persons = sum(h.adults + h.children for h in reached)
    counts.reached_children = sum(h.children for h in reached)
    meetings = [m for m in index.meetings if start <= m.on <= end]
    counts.meetings = len(meetings)
    counts.matches_with_meetings = len({m.match_id for m in meetings})
    counts.meeting_minutes = sum(m.minutes for m in meetings)


def _count_language_gap(
    index: _Index, quarter: Quarter, statuses: list[str | None], counts: QuarterCounts
) -> None:
    """Households waiting and volunteers available on the quarter's end, per language.

    Capacity and waiting look at every match of the municipality (a volunteer's matches for
    another organisation still fill their capacity; a household matched by anyone is not waiting).
    """
    end = quarter.end
    busy: Counter[int] = Counter()
    matched: set[tuple[int, str]] = set()
    for match in index.data.matches:
        if is_active_on(match, end):
            busy[match.volunteer_id] += 1
            matched.add((match.household_id, match.scheme))
    waiting: Counter[str] = Counter()
    for household in index.households.values():
        if household.registered_on > end or not household.best_language:
            continue
        for request in household.requests:
            since = request.requested_on or household.registered_on
            in_effect = since <= end and (request.withdrawn_on is None or request.withdrawn_on > end)
            if in_effect and (household.id, request.scheme) not in matched:
                waiting[household.best_language] += 1
                break
    available: Counter[str] = Counter()
    for volunteer, status in zip(index.volunteers, statuses, strict=True):
        if status == "approved" and volunteer.capacity - busy[volunteer.id] > 0:
            for code, level in volunteer.languages.items():
                if LEVEL_RANK.get(level, 0) >= CONVERSATIONAL_RANK:
                    available[code] += 1
    counts.households_waiting, counts.volunteers_available = waiting, available


def _count_volunteers(
    index: _Index, quarter: Quarter, valid_months: int, statuses: list[str | None], counts: QuarterCounts
) -> None:
    start, end = quarter.start, quarter.end
    later = end + timedelta(days=CERTIFICATE_WARNING_DAYS)
    counts.registered = sum(start <= v.registered_on <= end for v in index.volunteers)
    counts.approved_at_end = sum(status in APPROVED_STATUSES for status in statuses)
    for volunteer, status in zip(index.volunteers, statuses, strict=True):
        if not volunteer.works_with_children or status not in APPROVED_STATUSES:
            continue
        counts.working_with_children += 1
        if is_certificate_valid(volunteer, end, valid_months):
            if is_certificate_valid(volunteer, later, valid_months):
                counts.certificates_valid += 1
            else:
                counts.certificates_expiring += 1


def _count_policy(index: _Index, quarter: Quarter, counts: QuarterCounts) -> None:
    letters = [
        (h.arrival_on, h.welcome_letter_sent_on) for h in index.households.values() if h.arrival_on
    ]
    internships = [
        (a.arrival_on, a.internship_offered_on)
        for a in index.data.adults
        if a.arrival_on is not None and a.working_age and not a.employed
    ]
    counts.policy_14_days = {
        "welcome_letters": deadline_figures(letters, quarter),
        "internship_offers": deadline_figures(internships, quarter),
    }
    counts.housing_before_arrival = housing_figures(
        ((h.arrival_on, h.housed_before_arrival) for h in index.households.values() if h.arrival_on),
        quarter,
    )


def count_quarter(index: _Index, quarter: Quarter, valid_months: int) -> QuarterCounts:
    """Every count of one quarter, from the indexed facts."""
    counts = QuarterCounts()
    # Each counted volunteer's status on the quarter's last day, in index.volunteers' order.
    statuses = [v.status_on(quarter.end) for v in index.volunteers]
    _count_volunteers(index, quarter, valid_months, statuses, counts)
    _count_matches(index, quarter, counts)
    org = index.organisation
    counts.first_match_days = [
        (first - index.households[household_id].registered_on).days
        for household_id, (first, organisations) in index.first_match.items()
        if quarter.contains(first) and (org is None or org.id in organisations)
    ]
    _count_language_gap(index, quarter, statuses, counts)
    if org is None:
        _count_policy(index, quarter, counts)
    return counts


def compute_quarterly(
    data: ReportInput,
    year: int,
    quarter: int,
    organisation: OrganisationRef | None = None,
    *,
    certificate_valid_months: int = DEFAULT_CERTIFICATE_VALID_MONTHS,
) -> dict[str, Any]:
    """The quarterly report for the municipality (``organisation`` None) or one organisation.

    Returns the FORMATS.md object (its keys first, in its order) followed by the additions the
    module docstring defines. JSON carries exact figures; small-number suppression is the
    exports' job.
    """
    period = Quarter(year, quarter)
    index = _Index(data, organisation)
    return assemble_report(
        count_quarter(index, period, certificate_valid_months),
        count_quarter(index, period.previous(), certificate_valid_months),
        period,
        organisation.name if organisation else None,
        data.as_of,
        certificate_valid_months,
    )
