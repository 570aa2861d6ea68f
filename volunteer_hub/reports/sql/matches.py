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


def count_matches(scope: Scope, quarter: Quarter, counts: QuarterCounts) -> None:
    """Started / ended / active at the end per scheme, and retention, of one quarter."""
    start, end = quarter.start, quarter.end
    ended_in = sa.and_(Match.ended_on >= start, Match.ended_on <= end)
    milestone = months_later(Match.started_on, RETENTION_MONTHS)
    earliest, latest = retention_window(quarter)
    rows = plain_rows(
        db.session,
        select(
            Match.scheme,
            _count(Match.started_on >= start),
            _count(ended_in),
            _count(sa.and_(ended_in, Match.ended_on < milestone)),
            _count(sa.or_(Match.ended_on.is_(None), Match.ended_on > end)),
            _count(
                sa.and_(
                    Match.started_on >= earliest,
                    Match.started_on <= latest,
                    sa.or_(Match.ended_on.is_(None), Match.ended_on >= milestone),
                )
            ),
        )
        .where(*counted_matches(scope), Match.started_on <= end)
        .group_by(Match.scheme),
    )
    started: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    active_at_end: Counter[str] = Counter()
    for scheme, n_started, n_ended, n_ended_early, n_active, n_reached in rows:
        started[scheme], ended[scheme], active_at_end[scheme] = n_started, n_ended, n_active
        counts.ended_before_3_months += n_ended_early
        counts.ended_after_3_months += n_ended - n_ended_early
        counts.reached_3_months += n_reached
    counts.started, counts.ended, counts.active_at_end = started, ended, active_at_end
    _count_reach(scope, quarter, counts)
    _count_meetings(scope, quarter, counts)


def _count_reach(scope: Scope, quarter: Quarter, counts: QuarterCounts) -> None:
    """Volunteers and households with a match active on some day of the quarter, and the
    households' persons and children (a match ending the day it starts is never active)."""
    active = (
        select(Match.household_id, Match.volunteer_id)
        .where(
            *counted_matches(scope),
            Match.started_on <= quarter.end,
            sa.or_(
                Match.ended_on.is_(None),
                sa.and_(Match.ended_on > quarter.start, Match.ended_on > Match.started_on),
            ),
        )
        .cte("active")
    )
    households = select(active.c.household_id).distinct()
    people = select(sa.func.count(Member.id), _count(Member.kind == MemberKind.CHILD)).where(
        Member.household_id.in_(households)
    )
    ((volunteers, reached),) = plain_rows(
        db.session,
        select(
            sa.func.count(sa.distinct(active.c.volunteer_id)),
            sa.func.count(sa.distinct(active.c.household_id)),
        ),
    )
    ((persons, children),) = plain_rows(db.session, people.add_cte(active))
    counts.active_volunteers, counts.reached_households = volunteers, reached
    counts.reached_persons, counts.reached_children = persons, children


def _count_meetings(scope: Scope, quarter: Quarter, counts: QuarterCounts) -> None:
    """Meetings logged on a day of the quarter, for matches that touch the report's two
    quarters or were a household's first match."""
    first = aliased(Match)
    first_on = (
        select(sa.func.min(first.started_on))
        .where(first.household_id == Match.household_id, first.municipality_id == scope.municipality_id)
        .scalar_subquery()
    )
    ((meetings, matches, minutes),) = plain_rows(
        db.session,
        select(
            sa.func.count(Meeting.id),
            sa.func.count(sa.distinct(Meeting.match_id)),
            sa.func.coalesce(sa.func.sum(Meeting.minutes), 0),
        )
        .join(Match, Match.id == Meeting.match_id)
        .where(
            *counted_matches(scope),
            Match.started_on <= scope.report_end,
            sa.or_(
                Match.ended_on.is_(None),
                Match.ended_on >= scope.previous_start,
                Match.started_on == first_on,
            ),
            Meeting.on >= quarter.start,
            Meeting.on <= quarter.end,
        ),
    )
    counts.meetings, counts.matches_with_meetings, counts.meeting_minutes = meetings, matches, int(minutes)


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

