"""The report's figures assembled from counts (pure: no Flask, no database).

Whoever counts (the SQL aggregation in ``reports.sql``, or ``reports.quarterly`` over plain
facts) fills one ``QuarterCounts`` per quarter; ``assemble_report`` turns the counts of the
reported quarter and the one before into the JSON object of ``flask report quarterly``, so the
shape, order and rounding of every figure are decided here once.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from volunteer_hub.reports.periods import Quarter, add_months

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

MUNICIPALITY_ONLY: frozenset[str] = frozenset({"policy_14_days", "housing_before_arrival"})
"""Sections of the municipality's own report only (None in an organisation's)."""


@dataclass
class QuarterCounts:
    """What is counted for one quarter (``quarterly``'s module docstring defines each figure).

    ``first_match_days``: for each household first matched in the quarter, the days from its
    registration to that match (the median needs the values, not a count).
    ``policy_14_days`` and ``housing_before_arrival`` are None in an organisation's report.
    """

    registered: int = 0
    approved_at_end: int = 0
    active_volunteers: int = 0
    started: Mapping[str, int] = field(default_factory=dict)
    ended: Mapping[str, int] = field(default_factory=dict)
    active_at_end: Mapping[str, int] = field(default_factory=dict)
    reached_households: int = 0
    reached_persons: int = 0
    reached_children: int = 0
    first_match_days: list[int] = field(default_factory=list)
    households_waiting: Mapping[str, int] = field(default_factory=dict)
    volunteers_available: Mapping[str, int] = field(default_factory=dict)
    reached_3_months: int = 0
    ended_before_3_months: int = 0
    ended_after_3_months: int = 0
    meetings: int = 0
    matches_with_meetings: int = 0
    meeting_minutes: int = 0
    working_with_children: int = 0
    certificates_valid: int = 0
    certificates_expiring: int = 0
    policy_14_days: dict[str, dict[str, int]] | None = None
    housing_before_arrival: dict[str, Any] | None = None


def retention_window(quarter: Quarter) -> tuple[date, date]:
    """The first and last ``started_on`` whose ``started_on`` + 3 calendar months falls in the
    quarter (adding months never goes back, and a quarter is whole months, so this is a range)."""
    earliest = add_months(quarter.start, -RETENTION_MONTHS)  # a quarter starts on a 1st
    return earliest, add_months(quarter.end + timedelta(days=1), -RETENTION_MONTHS) - timedelta(days=1)


def deadline_figures(items: Iterable[tuple[date, date | None]], quarter: Quarter) -> dict[str, int]:
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


def housing_figures(arrivals: Iterable[tuple[date, bool | None]], quarter: Quarter) -> dict[str, Any]:
    """(arrival, housed before arrival: True / False / None unknown) of households, for those
    that arrived in the quarter."""
    arrived = [housed for arrival, housed in arrivals if quarter.contains(arrival)]
    housed = sum(value is True for value in arrived)
    not_housed = sum(value is False for value in arrived)
    return {
        "arrived": len(arrived),
        "housed_before_arrival": housed,
        "not_housed_before_arrival": not_housed,
        "unknown": len(arrived) - housed - not_housed,
        "share": round(housed / len(arrived), 3) if arrived else None,
    }


def by_scheme(counts: Mapping[str, int]) -> dict[str, int]:
    """Non-zero counts per scheme, the known schemes first in their order, then others sorted."""
    known = [s for s in SCHEMES if counts.get(s)]
    other = sorted(s for s in counts if s not in SCHEMES and counts[s])
    return {scheme: counts[scheme] for scheme in known + other}


def language_gap(waiting: Mapping[str, int], available: Mapping[str, int]) -> list[dict[str, Any]]:
    """One entry per language with households waiting or volunteers available, most waiting first."""
    codes = {code for code, n in waiting.items() if n} | {code for code, n in available.items() if n}
    ordered = sorted(codes, key=lambda code: (-waiting.get(code, 0), code))
    return [
        {
            "language": code,
            "households_waiting": waiting.get(code, 0),
            "volunteers_available": available.get(code, 0),
        }
        for code in ordered
    ]


def assemble_quarter(
    counts: QuarterCounts, quarter: Quarter, organisation: str | None, as_of: date, valid_months: int
) -> dict[str, Any]:
    """One quarter's figures in the report's shape (FORMATS.md keys first)."""
    days = counts.first_match_days
    working = counts.working_with_children
    return {
        "period": quarter.as_json(),
        "organisation": organisation,
        "volunteers": {
            "registered": counts.registered,
            "approved_at_end": counts.approved_at_end,
            "active": counts.active_volunteers,
        },
        "matches": {
            "started": by_scheme(counts.started),
            "ended": by_scheme(counts.ended),
            "active_at_end": by_scheme(counts.active_at_end),
        },
        "reached": {
            "households": counts.reached_households,
            "persons": counts.reached_persons,
            "children": counts.reached_children,
        },
        "median_days_to_first_match": float(statistics.median(days)) if days else None,
        "language_gap": language_gap(counts.households_waiting, counts.volunteers_available),
        "data_as_of": as_of.isoformat(),
        "households_first_matched": len(days),
        "retention": {
            "reached_3_months": counts.reached_3_months,
            "ended_before_3_months": counts.ended_before_3_months,
            "ended_after_3_months": counts.ended_after_3_months,
            "meetings": counts.meetings,
            "matches_with_meetings": counts.matches_with_meetings,
            "meeting_hours": round(counts.meeting_minutes / 60, 2),
        },
        "child_certificates": {
            "working_with_children": working,
            "valid": counts.certificates_valid,
            "expiring": counts.certificates_expiring,
            "missing": working - counts.certificates_valid - counts.certificates_expiring,
            "validity_months": valid_months,
        },
        "policy_14_days": counts.policy_14_days if organisation is None else None,
        "housing_before_arrival": counts.housing_before_arrival if organisation is None else None,
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


def assemble_report(
    current: QuarterCounts,
    previous: QuarterCounts,
    quarter: Quarter,
    organisation: str | None,
    as_of: date,
    valid_months: int,
) -> dict[str, Any]:
    """The report of ``quarter`` (for ``organisation`` by name, None: the municipality) from
    the counts of that quarter and the one before, with the change between them."""
    report = assemble_quarter(current, quarter, organisation, as_of, valid_months)
    before = assemble_quarter(previous, quarter.previous(), organisation, as_of, valid_months)
    report["change_from_previous_quarter"] = _change(before, report)
    return report


# --- The family's answers on its private link (issue 22) ---------------------------------------

FAMILY_CONFIRMATION_DAYS = 30
ANSWER_KINDS: tuple[str, ...] = ("met", "no_contact", "another_volunteer", "help", "interpreter")
HELP_TOPICS: tuple[str, ...] = (
    "housing", "work", "danish_classes", "school_daycare", "leisure", "health_appointment", "other",
)  # fmt: skip


def family_answer_figures(
    matches: Iterable[tuple[date, date | None]],
    answers: Iterable[tuple[int, date | None, str, str | None]],
    quarter: Quarter,
) -> dict[str, Any]:
    """The report's ``family_answers`` section.

    ``matches``: (started_on, the day the family first said "we have met" or None) of the scope's
    matches. A match counts when its first 30 days end in the quarter (started_on + 30 in it); it
    is confirmed when the family said so on or before that day. ``answers``: (match id, day, kind,
    topic) of the answers given; each (match, kind, topic) given in the quarter counts once, by
    kind and, for help, by topic (non-zero counts only, in the page's order).
    """
    window = timedelta(days=FAMILY_CONFIRMATION_DAYS)
    due = [(start, met) for start, met in matches if quarter.contains(start + window)]
    confirmed = sum(1 for start, met in due if met is not None and met <= start + window)
    given = {(match, kind, topic) for match, day, kind, topic in answers if day and quarter.contains(day)}
    by_kind = {kind: sum(1 for _m, k, _t in given if k == kind) for kind in ANSWER_KINDS}
    by_topic = {topic: sum(1 for _m, k, t in given if k == "help" and t == topic) for topic in HELP_TOPICS}
    return {
        "confirmed_within_30_days": {
            "matches": len(due),
            "confirmed_by_family": confirmed,
            "share": round(confirmed / len(due), 3) if due else None,
        },
        "answers_by_kind": {kind: n for kind, n in by_kind.items() if n},
        "help_by_topic": {topic: n for topic, n in by_topic.items() if n},
    }
