"""Read-only queries for the match pages and the dashboard: lists, stale matches, check-ins due.

Each takes the user (or an organisation id) so a partner coordinator's lists hold only their
own organisation's volunteers' matches. A fixed number of queries per page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from volunteer_hub.auth.models import Role
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    CheckIn,
    Match,
    MatchStatus,
    Meeting,
)
from volunteer_hub.volunteers.models import Volunteer

NO_CONTACT_DAYS = 30
CHECK_IN_HORIZON_DAYS = 7


def _scoped(statement: Select[Any], user: Any) -> Select[Any]:
    """Narrow a select over Match to what ``user`` may see (partner: own organisation's volunteers)."""
    statement = statement.where(Match.municipality_id == user.municipality_id)
    if user.role == Role.PARTNER_COORDINATOR:
        statement = statement.join(Volunteer, Volunteer.id == Match.volunteer_id).where(
            Volunteer.organisation_id == user.organisation_id
        )
    return statement


def _with_people(statement: Select[Any]) -> Select[Any]:
    return statement.options(selectinload(Match.volunteer), selectinload(Match.household))


def matches_query(user: Any, *, status: str = "open") -> Select[tuple[Match]]:
    """The user's matches: open ones (default), one status, or all (any other value); newest first."""
    statement = _with_people(_scoped(select(Match), user))
    if status == "open":
        statement = statement.where(Match.status.in_(OPEN_STATUSES))
    elif status in MatchStatus._value2member_map_:
        statement = statement.where(Match.status == MatchStatus(status))
    return statement.order_by(Match.proposed_at.desc(), Match.id.desc())


def list_matches(user: Any, *, status: str = "open") -> list[Match]:
    """The user's matches: open ones (default), ended ones, or all; newest first."""
    return list(db.session.execute(matches_query(user, status=status)).scalars())


def household_matches(household_id: int) -> list[Match]:
    """Every match of one household (the caller has authorised the household)."""
    return list(
        db.session.execute(
            _with_people(select(Match))
            .where(Match.household_id == household_id)
            .order_by(Match.proposed_at.desc(), Match.id.desc())
        ).scalars()
    )


def case_matches(household_id: int) -> list[Match]:
    """Every match of one household with its volunteer, for the case page (one query)."""
    return list(
        db.session.execute(
            select(Match)
            .where(Match.household_id == household_id)
            .options(joinedload(Match.volunteer))
            .order_by(Match.proposed_at.desc(), Match.id.desc())
        ).scalars()
    )


def volunteer_matches(volunteer_id: int) -> list[Match]:
    """A volunteer's approved, active and ended matches (never proposals), running ones first."""
    matches = db.session.execute(
        _with_people(select(Match))
        .where(Match.volunteer_id == volunteer_id, Match.started_on.is_not(None))
        .order_by(Match.started_on.desc(), Match.id.desc())
    ).scalars()
    return sorted(matches, key=lambda m: m.status == MatchStatus.ENDED)


@dataclass(frozen=True)
class StaleMatch:
    match: Match
    last_contact_on: dt.date
    days: int


def matches_without_contact(user: Any, today: dt.date, days: int = NO_CONTACT_DAYS) -> list[StaleMatch]:
    """Running matches with no meeting logged for ``days`` days (counting from the start if none)."""
    last_meeting = (
        select(Meeting.match_id, func.max(Meeting.on).label("last_on")).group_by(Meeting.match_id).subquery()
    )
    last_contact = func.coalesce(last_meeting.c.last_on, Match.started_on)
    statement = (
        _scoped(select(Match, last_contact), user)
        .outerjoin(last_meeting, last_meeting.c.match_id == Match.id)
        .where(Match.status.in_(RUNNING_STATUSES), last_contact <= today - dt.timedelta(days=days))
        .order_by(last_contact, Match.id)
    )
    rows = db.session.execute(_with_people(statement)).all()
    return [StaleMatch(match, on, (today - on).days) for match, on in rows]


def check_ins_due(user: Any, today: dt.date, horizon: int = CHECK_IN_HORIZON_DAYS) -> list[CheckIn]:
    """Open check-ins of running matches due within ``horizon`` days (overdue ones included)."""
    statement = (
        _scoped(select(CheckIn).join(Match, Match.id == CheckIn.match_id), user)
        .where(
            Match.status.in_(RUNNING_STATUSES),
            CheckIn.done_on.is_(None),
            CheckIn.due_on <= today + dt.timedelta(days=horizon),
        )
        .options(selectinload(CheckIn.match).selectinload(Match.volunteer))
        .options(selectinload(CheckIn.match).selectinload(Match.household))
        .order_by(CheckIn.due_on, CheckIn.id)
    )
    return list(db.session.execute(statement).scalars())
