"""The match figures counted in SQL: started, ended, active, reach, retention, meetings and
each household's first match."""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import aliased

from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, Member, MemberKind
from volunteer_hub.matching.models import Match, Meeting
from volunteer_hub.reports.counts import RETENTION_MONTHS, QuarterCounts, retention_window
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.sql.dates import months_later
from volunteer_hub.reports.sql.scope import Scope, counted_matches


def _count(condition: Any) -> Any:
    return sa.func.count(sa.case((condition, 1)))


def count_matches(scope: Scope, quarters: tuple[Quarter, ...], counts: list[QuarterCounts]) -> None:
    """Started / ended / active at the end per scheme, reach, retention and meetings of each of
    ``quarters`` (``counts`` in the same order), each figure for all quarters in one pass."""
    columns = []
    for quarter in quarters:
        start, end = quarter.start, quarter.end
        ended_in = sa.and_(Match.ended_on >= start, Match.ended_on <= end)
        milestone = months_later(Match.started_on, RETENTION_MONTHS)
        earliest, latest = retention_window(quarter)
        began = Match.started_on <= end
        columns += [
            _count(sa.and_(began, Match.started_on >= start)),
            _count(sa.and_(began, ended_in)),
            _count(sa.and_(began, ended_in, Match.ended_on < milestone)),
            _count(sa.and_(began, sa.or_(Match.ended_on.is_(None), Match.ended_on > end))),
            _count(
                sa.and_(
                    Match.started_on >= earliest,
                    Match.started_on <= latest,
                    sa.or_(Match.ended_on.is_(None), Match.ended_on >= milestone),
                )
            ),
        ]
    rows = plain_rows(
        db.session,
        select(Match.scheme, *columns)
        .where(*counted_matches(scope), Match.started_on <= max(q.end for q in quarters))
        .group_by(Match.scheme),
    )
    per_quarter: list[tuple[Counter[str], Counter[str], Counter[str]]] = [
        (Counter(), Counter(), Counter()) for _ in quarters
    ]
    for scheme, *figures in rows:
        for n, quarter_counts in enumerate(counts):
            n_started, n_ended, n_ended_early, n_active, n_reached = figures[5 * n : 5 * n + 5]
            started, ended, active_at_end = per_quarter[n]
            started[scheme], ended[scheme], active_at_end[scheme] = n_started, n_ended, n_active
            quarter_counts.ended_before_3_months += n_ended_early
            quarter_counts.ended_after_3_months += n_ended - n_ended_early
            quarter_counts.reached_3_months += n_reached
    for quarter_counts, (started, ended, active_at_end) in zip(counts, per_quarter, strict=True):
        quarter_counts.started, quarter_counts.ended, quarter_counts.active_at_end = (
            started,
            ended,
            active_at_end,
        )
    _count_reach(scope, quarters, counts)
    _count_meetings(scope, quarters, counts)


def _active_in(quarter: Quarter) -> Any:
    """A match active on some day of the quarter (a match ending the day it starts never is)."""
    return sa.and_(
        Match.started_on <= quarter.end,
        sa.or_(
            Match.ended_on.is_(None),
            sa.and_(Match.ended_on > quarter.start, Match.ended_on > Match.started_on),
        ),
    )


def _count_reach(scope: Scope, quarters: tuple[Quarter, ...], counts: list[QuarterCounts]) -> None:
    """Volunteers and households with a match active on some day of each quarter, and the
    households' persons and children."""
    active = (
        select(
            Match.household_id,
            Match.volunteer_id,
            *(
                sa.case((_active_in(quarter), 1), else_=0).label(f"in_{n}")
                for n, quarter in enumerate(quarters)
            ),
        )
        .where(*counted_matches(scope), sa.or_(*(_active_in(quarter) for quarter in quarters)))
        .cte("active")
    )
    flags = [getattr(active.c, f"in_{n}") == 1 for n in range(len(quarters))]
    reach = plain_rows(
        db.session,
        select(
            *(sa.func.count(sa.distinct(sa.case((flag, active.c.volunteer_id)))) for flag in flags),
            *(sa.func.count(sa.distinct(sa.case((flag, active.c.household_id)))) for flag in flags),
        ),
    )[0]
    households = (
        select(
            active.c.household_id,
            *(sa.func.max(getattr(active.c, f"in_{n}")).label(f"in_{n}") for n in range(len(quarters))),
        )  # fmt: skip
        .group_by(active.c.household_id)
        .subquery()
    )
    reached = [getattr(households.c, f"in_{n}") == 1 for n in range(len(quarters))]
    people = plain_rows(
        db.session,
        select(
            *(_count(flag) for flag in reached),
            *(_count(sa.and_(flag, Member.kind == MemberKind.CHILD)) for flag in reached),
        )
        .select_from(households)
        .join(Member, Member.household_id == households.c.household_id)
        .add_cte(active),
    )[0]
    size = len(quarters)
    for n, quarter_counts in enumerate(counts):
        quarter_counts.active_volunteers, quarter_counts.reached_households = reach[n], reach[size + n]
        quarter_counts.reached_persons, quarter_counts.reached_children = people[n], people[size + n]


def _count_meetings(scope: Scope, quarters: tuple[Quarter, ...], counts: list[QuarterCounts]) -> None:
    """Meetings logged on a day of each quarter, for matches that touch the report's two
    quarters or were a household's first match."""
    first = aliased(Match)
    first_on = (
        select(sa.func.min(first.started_on))
        .where(first.household_id == Match.household_id, first.municipality_id == scope.municipality_id)
        .scalar_subquery()
    )
    columns = []
    for quarter in quarters:
        held = sa.and_(Meeting.on >= quarter.start, Meeting.on <= quarter.end)
        columns += [
            _count(held),
            sa.func.count(sa.distinct(sa.case((held, Meeting.match_id)))),
            sa.func.coalesce(sa.func.sum(sa.case((held, Meeting.minutes))), 0),
        ]
    (figures,) = plain_rows(
        db.session,
        select(*columns)
        .join(Match, Match.id == Meeting.match_id)
        .where(
            *counted_matches(scope),
            Match.started_on <= scope.report_end,
            sa.or_(
                Match.ended_on.is_(None),
                Match.ended_on >= scope.previous_start,
                Match.started_on == first_on,
            ),
            Meeting.on >= min(q.start for q in quarters),
            Meeting.on <= max(q.end for q in quarters),
        ),
    )
    for n, quarter_counts in enumerate(counts):
        meetings, matches, minutes = figures[3 * n : 3 * n + 3]
        quarter_counts.meetings, quarter_counts.matches_with_meetings = meetings, matches
        quarter_counts.meeting_minutes = int(minutes)


def first_match_days(scope: Scope, quarters: tuple[Quarter, ...]) -> list[list[int]]:
    """For each quarter, the days from registration to first match of the households whose
    first match ever (any organisation) started in it; for an organisation, only households
    whose first day had a match of that organisation."""
    earlier = aliased(Match)
    since, until = min(q.start for q in quarters), max(q.end for q in quarters)
    theirs = Match.organisation_id == scope.organisation_id if scope.organisation_id else sa.true()
    rows = plain_rows(
        db.session,
        select(sa.func.min(Match.started_on), Household.registered_on, _count(theirs))
        .join(Household, Household.id == Match.household_id)
        .where(
            Match.municipality_id == scope.municipality_id,
            Match.started_on >= since,
            Match.started_on <= until,
            ~sa.exists().where(
                earlier.household_id == Match.household_id,
                earlier.municipality_id == scope.municipality_id,
                earlier.started_on < Match.started_on,
            ),
        )
        .group_by(Match.household_id, Household.registered_on),
    )
    days = [(first, (first - registered_on).days) for first, registered_on, hits in rows if hits]
    return [[n for first, n in days if quarter.contains(first)] for quarter in quarters]
