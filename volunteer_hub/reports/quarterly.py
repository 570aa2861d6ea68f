"""The quarterly partnership report, computed from plain facts (FORMATS.md definitions).

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

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

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

SCHEMES: tuple[str, ...] = (
    "family_buddy", "friend_buddy", "contact_person", "leisure_intro", "child_culture",
)  # fmt: skip
"""FORMATS.md schemes, in the order the report lists them (unknown codes follow, sorted)."""

DEADLINE_DAYS = 14
RETENTION_MONTHS = 3
CERTIFICATE_WARNING_DAYS = 30
DEFAULT_CERTIFICATE_VALID_MONTHS = 24

FORMATS_KEYS: tuple[str, ...] = (
    "period", "organisation", "volunteers", "matches", "reached",
    "median_days_to_first_match", "language_gap",
)  # fmt: skip
"""The keys FORMATS.md documents, in its order; every other key is an addition."""


def is_active_on(match: MatchFact, day: date) -> bool:
    """FORMATS.md: active on d when ``started_on <= d`` and (no ``ended_on`` or ``ended_on > d``)."""
    return match.started_on <= day and (match.ended_on is None or match.ended_on > day)


def is_active_during(match: MatchFact, quarter: Quarter) -> bool:
    """Active on at least one day of the quarter (a match ending the day it starts never is)."""
    first = max(quarter.start, match.started_on)
    return first <= quarter.end and (match.ended_on is None or match.ended_on > first)


def _by_scheme(counts: Counter[str]) -> dict[str, int]:
    known = [s for s in SCHEMES if counts.get(s)]
    other = sorted(s for s in counts if s not in SCHEMES and counts[s])
    return {scheme: counts[scheme] for scheme in known + other}


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
        first_match = self.first_match
        households = self.households
        for match in data.matches:
            if match.household_id not in households:
                raise ValueError(f"match {match.id} refers to household {match.household_id}, not loaded")
            if match.volunteer_id not in volunteer_ids:
                raise ValueError(f"match {match.id} refers to volunteer {match.volunteer_id}, not loaded")
            known = first_match.get(match.household_id)
            if known is None or match.started_on < known[0]:
                first_match[match.household_id] = (match.started_on, {match.organisation_id})
            elif match.started_on == known[0]:
                known[1].add(match.organisation_id)
        self.matches: list[MatchFact] = [
            m for m in data.matches if org is None or m.organisation_id == org.id
        ]
        # The day each match lasted RETENTION_MONTHS, for the retention figures of both quarters.
        self.milestones: list[date] = [add_months(m.started_on, RETENTION_MONTHS) for m in self.matches]
        scoped_ids = {m.id for m in self.matches}
        self.meetings: list[MeetingFact] = [m for m in data.meetings if m.match_id in scoped_ids]


@dataclass
class _MatchScan:
    """What one pass over the counted matches finds for one quarter."""

    started: Counter[str] = field(default_factory=Counter)
    ended: Counter[str] = field(default_factory=Counter)
    active_at_end: Counter[str] = field(default_factory=Counter)
    active_volunteers: set[int] = field(default_factory=set)
    active_households: set[int] = field(default_factory=set)
    reached_3_months: int = 0
    ended_before_3_months: int = 0
    ended_after_3_months: int = 0


def _scan_matches(index: _Index, quarter: Quarter) -> _MatchScan:
    """Started / ended / active figures and retention of the counted matches, in one pass.

    The same definitions as ``is_active_on`` and ``is_active_during``, written out because this
    loop runs over every match twice per report.
    """
    start, end = quarter.start, quarter.end
    scan = _MatchScan()
    for match, milestone in zip(index.matches, index.milestones, strict=True):
        started_on, ended_on = match.started_on, match.ended_on
        if started_on > end:
            continue  # not begun: nothing of it falls in the quarter (its milestone is later still)
        if started_on >= start:
            scan.started[match.scheme] += 1
        if ended_on is not None and start <= ended_on <= end:
            scan.ended[match.scheme] += 1
            if ended_on < milestone:
                scan.ended_before_3_months += 1
            else:
                scan.ended_after_3_months += 1
        first_day = started_on if started_on > start else start
        if ended_on is None or ended_on > first_day:  # active on some day of the quarter
            scan.active_volunteers.add(match.volunteer_id)
            scan.active_households.add(match.household_id)
            if ended_on is None or ended_on > end:
                scan.active_at_end[match.scheme] += 1
        if start <= milestone <= end and (ended_on is None or ended_on >= milestone):
            scan.reached_3_months += 1
    return scan


def _volunteer_figures(
    index: _Index, quarter: Quarter, scan: _MatchScan, statuses: list[str | None]
) -> dict[str, int]:
    start, end = quarter.start, quarter.end
    return {
        "registered": sum(start <= v.registered_on <= end for v in index.volunteers),
        "approved_at_end": sum(status in APPROVED_STATUSES for status in statuses),
        "active": len(scan.active_volunteers),
    }


def _match_figures(scan: _MatchScan) -> dict[str, dict[str, int]]:
    return {
        "started": _by_scheme(scan.started),
        "ended": _by_scheme(scan.ended),
        "active_at_end": _by_scheme(scan.active_at_end),
    }


def _reached(index: _Index, scan: _MatchScan) -> dict[str, int]:
    households = [index.households[i] for i in scan.active_households]
    return {
        "households": len(households),
        "persons": sum(h.adults + h.children for h in households),
        "children": sum(h.children for h in households),
    }


def _days_to_first_match(index: _Index, quarter: Quarter) -> list[int]:
    org = index.organisation
    days = []
    for household_id, (first, organisations) in index.first_match.items():
        if quarter.contains(first) and (org is None or org.id in organisations):
            days.append((first - index.households[household_id].registered_on).days)
    return days


def _language_gap(index: _Index, quarter: Quarter, statuses: list[str | None]) -> list[dict[str, Any]]:
    """Households waiting and volunteers available on the quarter's end, per language.

    Capacity and waiting look at every match of the municipality (a volunteer's matches for
    another organisation still fill their capacity; a household matched by anyone is not waiting).
    """
    end = quarter.end
    busy: Counter[int] = Counter()
    matched: set[tuple[int, str]] = set()
    for match in index.data.matches:
        ended_on = match.ended_on  # is_active_on(match, end), written out: it runs for every match
        if match.started_on <= end and (ended_on is None or ended_on > end):
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
    languages = sorted(set(waiting) | set(available), key=lambda code: (-waiting[code], code))
    return [
        {"language": code, "households_waiting": waiting[code], "volunteers_available": available[code]}
        for code in languages
    ]


def _deadline_figures(items: Iterable[tuple[date, date | None]], quarter: Quarter) -> dict[str, int]:
    """(arrival, done_on) pairs whose arrival + 14 days falls in the quarter, by outcome."""
    due = on_time = late = 0
    for arrival, done_on in items:
        deadline = arrival + timedelta(days=DEADLINE_DAYS)
        if not quarter.contains(deadline):
            continue
        due += 1
        if done_on is not None and done_on <= deadline:
            on_time += 1
        elif done_on is not None and done_on <= quarter.end:
            late += 1
    return {"due": due, "on_time": on_time, "late": late, "open": due - on_time - late}


def _policy_14_days(index: _Index, quarter: Quarter) -> dict[str, dict[str, int]]:
    letters = (
        (h.arrival_on, h.welcome_letter_sent_on)
        for h in index.households.values()
        if h.arrival_on is not None
    )
    internships = (
        (a.arrival_on, a.internship_offered_on)
        for a in index.data.adults
        if a.arrival_on is not None and a.working_age and not a.employed
    )
    return {
        "welcome_letters": _deadline_figures(letters, quarter),
        "internship_offers": _deadline_figures(internships, quarter),
    }


def _housing(index: _Index, quarter: Quarter) -> dict[str, Any]:
    arrived = [h for h in index.households.values() if quarter.contains(h.arrival_on)]
    housed = sum(h.housed_before_arrival is True for h in arrived)
    not_housed = sum(h.housed_before_arrival is False for h in arrived)
    return {
        "arrived": len(arrived),
        "housed_before_arrival": housed,
        "not_housed_before_arrival": not_housed,
        "unknown": len(arrived) - housed - not_housed,
        "share": round(housed / len(arrived), 3) if arrived else None,
    }


def _retention(index: _Index, quarter: Quarter, scan: _MatchScan) -> dict[str, Any]:
    start, end = quarter.start, quarter.end
    meetings = [m for m in index.meetings if start <= m.on <= end]
    return {
        "reached_3_months": scan.reached_3_months,
        "ended_before_3_months": scan.ended_before_3_months,
        "ended_after_3_months": scan.ended_after_3_months,
        "meetings": len(meetings),
        "matches_with_meetings": len({m.match_id for m in meetings}),
        "meeting_hours": round(sum(m.minutes for m in meetings) / 60, 2),
    }


def is_certificate_valid(volunteer: VolunteerFact, day: date, valid_months: int) -> bool:
    """A certificate without remarks, received at most ``valid_months`` months before ``day``."""
    received = volunteer.certificate_received_on
    if received is None or volunteer.certificate_with_remarks:
        return False
    return months_before(day, valid_months) <= received <= day


def _child_certificates(
    index: _Index, quarter: Quarter, valid_months: int, statuses: list[str | None]
) -> dict[str, int]:
    end = quarter.end
    later = end + timedelta(days=CERTIFICATE_WARNING_DAYS)
    counted = [
        v
        for v, status in zip(index.volunteers, statuses, strict=True)
        if v.works_with_children and status in APPROVED_STATUSES
    ]
    valid = expiring = 0
    for volunteer in counted:
        if is_certificate_valid(volunteer, end, valid_months):
            if is_certificate_valid(volunteer, later, valid_months):
                valid += 1
            else:
                expiring += 1
    return {
        "working_with_children": len(counted),
        "valid": valid,
        "expiring": expiring,
        "missing": len(counted) - valid - expiring,
        "validity_months": valid_months,
    }


def _quarter_figures(index: _Index, quarter: Quarter, valid_months: int) -> dict[str, Any]:
    days = _days_to_first_match(index, quarter)
    scan = _scan_matches(index, quarter)
    # Each counted volunteer's status on the quarter's last day, in index.volunteers' order.
    statuses = [v.status_on(quarter.end) for v in index.volunteers]
    municipal = index.organisation is None
    return {
        "period": quarter.as_json(),
        "organisation": None if municipal else index.organisation.name,  # type: ignore[union-attr]
        "volunteers": _volunteer_figures(index, quarter, scan, statuses),
        "matches": _match_figures(scan),
        "reached": _reached(index, scan),
        "median_days_to_first_match": float(statistics.median(days)) if days else None,
        "language_gap": _language_gap(index, quarter, statuses),
        "data_as_of": index.data.as_of.isoformat(),
        "households_first_matched": len(days),
        "retention": _retention(index, quarter, scan),
        "child_certificates": _child_certificates(index, quarter, valid_months, statuses),
        "policy_14_days": _policy_14_days(index, quarter) if municipal else None,
        "housing_before_arrival": _housing(index, quarter) if municipal else None,
    }


HEADLINE_FIGURES: tuple[str, ...] = (
    "volunteers.registered", "volunteers.approved_at_end", "volunteers.active",
    "matches.started", "matches.ended", "matches.active_at_end",
    "reached.households", "reached.persons", "reached.children",
    "households_first_matched", "median_days_to_first_match",
    "retention.reached_3_months", "child_certificates.valid", "child_certificates.missing",
    "policy_14_days.welcome_letters.on_time", "policy_14_days.welcome_letters.late",
    "policy_14_days.internship_offers.on_time", "policy_14_days.internship_offers.late",
    "housing_before_arrival.share",
)  # fmt: skip
"""The headline figures ``change_from_previous_quarter`` compares, as paths into the report.

A path to a per-scheme object (``matches.started``) means its total over the schemes. The
``policy_14_days`` and ``housing_before_arrival`` ones exist in the municipality's report only.
``change`` is current - previous (None when either is None, e.g. a median over no
households); changes of shares and medians are rounded to 3 decimals.
"""


def read_figure(report: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a report; an object of counts gives its total."""
    value: Any = report
    for key in path.split("."):
        if value is None:
            return None
        value = value[key]
    if isinstance(value, dict):
        return sum(value.values())
    return value


MUNICIPALITY_ONLY: frozenset[str] = frozenset({"policy_14_days", "housing_before_arrival"})
"""Sections of the municipality's own report only (None in an organisation's)."""


def _change(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for path in HEADLINE_FIGURES:
        if current["organisation"] is not None and path.split(".")[0] in MUNICIPALITY_ONLY:
            continue
        before, now = read_figure(previous, path), read_figure(current, path)
        if before is None or now is None:
            change = None
        elif isinstance(before, float) or isinstance(now, float):
            change = round(now - before, 3)
        else:
            change = now - before
        figures[path] = {"previous": before, "current": now, "change": change}
    return {"previous_period": previous["period"], "figures": figures}


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
    current = _quarter_figures(index, period, certificate_valid_months)
    previous = _quarter_figures(index, period.previous(), certificate_valid_months)
    current["change_from_previous_quarter"] = _change(previous, current)
    return current
