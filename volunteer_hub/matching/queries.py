"""Read-only queries for the match pages and the dashboard: lists, stale matches, check-ins due.

Each takes the user (or an organisation id) so a partner coordinator's lists hold only their
own organisation's volunteers' matches. A fixed number of queries per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import joinedload

from volunteer_hub.core.navigation import DASHBOARD_ROWS
from volunteer_hub.core.paging import Page, page_count
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.maintained import maintain, watch_also
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
PER_PAGE = 50  # the match list's page size


def count_rows(statement: Select[Any]) -> int:
    """How many rows ``statement`` gives (one COUNT query, whatever it would load)."""
    return db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()


def _scoped(statement: Select[Any], user: Any) -> Select[Any]:
    """Narrow a select over Match to what ``user`` may see (partner: own organisation's volunteers)."""
    statement = statement.where(Match.municipality_id == user.municipality_id)
    if user.role == Role.PARTNER_COORDINATOR:
        statement = statement.join(Volunteer, Volunteer.id == Match.volunteer_id).where(
            Volunteer.organisation_id == user.organisation_id
        )
    return statement


def _with_people(statement: Select[Any]) -> Select[Any]:
    # Joined, not a second query: a list's number of queries must not depend on whether it is empty.
    return statement.options(joinedload(Match.volunteer), joinedload(Match.household))


def matches_query(user: Any, *, status: str = "open") -> Select[tuple[Match]]:
    """The user's matches: open ones (default), one status, or all (any other value); newest first."""
    statement = _with_people(_scoped(select(Match), user))
    if status == "open":
        statement = statement.where(Match.status.in_(OPEN_STATUSES))
    elif status in MatchStatus._value2member_map_:
        statement = statement.where(Match.status == MatchStatus(status))
    return statement.order_by(Match.proposed_at.desc(), Match.id.desc())


def list_matches(user: Any, *, status: str = "open", limit: int | None = None) -> list[Match]:
    """The user's matches: open ones (default), ended ones, or all; newest first."""
    return list(db.session.execute(matches_query(user, status=status).limit(limit)).scalars())


def status_filter(value: str | None) -> str:
    """The match list's ``?status=``: "open" when not given, a match status, else "all"."""
    if value is None:
        return "open"
    return value if value == "open" or value in MatchStatus._value2member_map_ else "all"


def page_of_matches(
    user: Any, *, status: str = "open", page: int = 1, per_page: int = PER_PAGE
) -> Page[Match]:
    """One page of the user's matches (see ``matches_query``), newest first, and how many there are.

    A page past the end shows the last page. Four queries whatever the page size or the total:
    the count, the page, and the page's volunteers and households.
    """
    statement = matches_query(user, status=status)
    total = count_rows(statement)
    page = max(1, min(page, page_count(total, per_page)))
    items = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


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


def matches_without_contact(
    user: Any, today: dt.date, days: int = NO_CONTACT_DAYS, *, limit: int | None = None
) -> list[StaleMatch]:
    """Running matches with no meeting logged for ``days`` days (counting from the start if none),
    longest without contact first."""
    return stale_matches(user, today, days, limit=limit)[0]


def stale_matches(
    user: Any, today: dt.date, days: int = NO_CONTACT_DAYS, *, limit: int | None = None
) -> tuple[list[StaleMatch], int]:
    """``matches_without_contact``'s first ``limit`` rows and how many there are, in two queries:
    the ids with their last contact and the total, then those matches with their people."""
    found = db.session.execute(stale_matches_query(user, today, days).limit(limit)).all()
    if not found:
        return [], 0
    statement = _with_people(select(Match)).where(Match.id.in_([row.id for row in found]))
    matches = {match.id: match for match in db.session.execute(statement).scalars()}
    return [
        StaleMatch(matches[row.id], row.last_contact_on, (today - row.last_contact_on).days) for row in found
    ], found[0].total


ContactSource = Callable[[], Select[Any]]
_CONTACT_SOURCES = "vh_match_contact_sources"
LAST_CONTACT = "match.last_contact_on"


def add_contact_source(app: Flask, source: ContactSource, model: type) -> None:
    """Contact other than the volunteer's logged meetings, as a select of ``(match_id, on)`` rows
    over ``model``'s rows (which carry ``match_id``): the family's own "we have met" (answers/)
    counts as contact for the list without contact, and a change of such a row refreshes the
    match's ``last_contact_on``."""
    app.extensions.setdefault(_CONTACT_SOURCES, []).append(source)
    watch_also(LAST_CONTACT, model, "match_id")


def _contacts() -> Any:
    """Every known contact, ``(match_id, on)``: meetings, and what other domains registered."""
    meetings = select(Meeting.match_id.label("match_id"), Meeting.on.label("on"))
    others = [source() for source in current_app.extensions.get(_CONTACT_SOURCES, [])]
    return (union_all(meetings, *others) if others else meetings).subquery("contact")


def _last_contact() -> Any:
    """A match's latest contact, or its start while there is none, for ``Match.last_contact_on``."""
    contact = _contacts()
    match = Match.__table__
    latest = select(func.max(contact.c.on)).where(contact.c.match_id == match.c.id).scalar_subquery()
    return func.coalesce(latest, match.c.started_on)


# A new meeting or answer changes its match's last contact; a match's own start counts while
# there is none (``through="id"``: a changed match refreshes itself).
maintain(LAST_CONTACT, Match, "last_contact_on", _last_contact, {Meeting: "match_id", Match: "id"})


def stale_matches_query(user: Any, today: dt.date, days: int = NO_CONTACT_DAYS) -> Select[Any]:
    """(match id, last contact, how many rows) for ``matches_without_contact``, longest without
    contact first.

    The last contact is the latest known contact, or the start when there is none; a match is
    without contact when that is on or before the cutoff. It is read from the match's maintained
    ``last_contact_on`` through an index, so the list costs what it shows, not every meeting.
    """
    cutoff = today - dt.timedelta(days=days)
    return (
        _scoped(select(Match.id, Match.last_contact_on, func.count().over().label("total")), user)
        .where(Match.status.in_(RUNNING_STATUSES), Match.last_contact_on <= cutoff)
        .order_by(Match.last_contact_on, Match.id)
    )


def check_ins_due(
    user: Any, today: dt.date, horizon: int = CHECK_IN_HORIZON_DAYS, *, limit: int | None = None
) -> list[CheckIn]:
    """Open check-ins of running matches due within ``horizon`` days (overdue ones included)."""
    return list(db.session.execute(check_ins_due_query(user, today, horizon).limit(limit)).scalars())


def check_ins_due_query(user: Any, today: dt.date, horizon: int = CHECK_IN_HORIZON_DAYS) -> Select[Any]:
    """The check-ins of ``check_ins_due``, earliest first."""
    return (
        _scoped(select(CheckIn).join(Match, Match.id == CheckIn.match_id), user)
        .where(
            Match.status.in_(RUNNING_STATUSES),
            CheckIn.done_on.is_(None),
            CheckIn.due_on <= today + dt.timedelta(days=horizon),
        )
        .options(joinedload(CheckIn.match).joinedload(Match.volunteer))
        .options(joinedload(CheckIn.match).joinedload(Match.household))
        .order_by(CheckIn.due_on, CheckIn.id)
    )


# --- The dashboard's section ------------------------------------------------------------------


@dataclass(frozen=True)
class MatchBoard:
    """The most urgent rows of each list (``DASHBOARD_ROWS``) and how many there are."""

    today: dt.date
    stale: list[StaleMatch]
    stale_total: int
    check_ins: list[CheckIn]
    check_ins_total: int
    proposed: list[Match]
    proposed_total: int


def match_board(user: Any, today: dt.date) -> MatchBoard:
    """The dashboard's matching section for ``user`` (a partner sees their organisation's only):
    the rows it shows and a count of each list, whatever the number of matches."""
    rows = DASHBOARD_ROWS
    stale, stale_total = stale_matches(user, today, limit=rows)
    return MatchBoard(
        today=today,
        stale=stale,
        stale_total=stale_total,
        check_ins=check_ins_due(user, today, limit=rows),
        check_ins_total=count_rows(check_ins_due_query(user, today)),
        proposed=list_matches(user, status="proposed", limit=rows),
        proposed_total=count_rows(matches_query(user, status="proposed")),
    )
