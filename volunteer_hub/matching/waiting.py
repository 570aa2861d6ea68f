"""Households waiting for a volunteer, in SQL: the overview's list and the case list's filter.

A household waits when it asks for a scheme and has no match active in that scheme on the day
(FORMATS.md, ``Match.is_active_on``). The families package shows who waits without importing
matching: ``register`` hands it the ids query and the overview's rows through the app.

Each request (a ``HouseholdScheme`` row) keeps ``served_from``, the first day of its matches that
have no end date (``volunteer_hub.maintained``): such a match is active from its start on. The
only other matches that can be active today end later than today, and they are few, so who
waits is found from the requests and those matches, not from every match the municipality has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Flask, g
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from volunteer_hub.core.access import MUNICIPAL_STAFF
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.navigation import DASHBOARD_ROWS, Board, add_dashboard_board
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, HouseholdScheme
from volunteer_hub.families.queries import WAITING_IDS_EXTENSION, HouseholdLink
from volunteer_hub.maintained import held, keep_previous, maintain
from volunteer_hub.matching.models import Match, MatchStatus


@dataclass(frozen=True)
class WaitingHousehold:
    household: HouseholdLink
    schemes: tuple[str, ...]  # the schemes it still waits in, in the order it asked for them
    days_waiting: int
    consented: bool


@dataclass(frozen=True)
class WaitingBoard:
    """The longest-waiting households (the first rows) and how many wait in all."""

    rows: list[WaitingHousehold]
    total: int


SERVED_FROM = "household_scheme.served_from"


def _served_from() -> Any:
    """The first start of the request's matches without an end date, for ``served_from``."""
    request = HouseholdScheme.__table__
    return (
        select(func.min(Match.started_on))
        .where(
            Match.household_id == request.c.household_id,
            Match.scheme == request.c.scheme,
            Match.status != MatchStatus.PROPOSED,
            Match.ended_on.is_(None),
        )
        .scalar_subquery()
    )


def _requests_of_match(session: Session, match: Match) -> list[int]:
    """Every request of the match's household: a household asks for a scheme or three, and a
    scheme changed on an expired match leaves no trace of the one it had."""
    households = held(match, "household_id")
    if not households:
        return []
    request = HouseholdScheme.__table__
    found = select(request.c.id).where(request.c.household_id.in_(households))
    return list(session.connection().execute(found).scalars())


# A match approved, started, moved, ended or deleted changes when its request is served; a new
# request starts from the matches it already has.
keep_previous(Match, "household_id")
maintain(
    SERVED_FROM,
    HouseholdScheme,
    "served_from",
    _served_from,
    {Match: _requests_of_match, HouseholdScheme: "id"},
)


def _is_waiting_request(today: dt.date) -> ColumnElement[bool]:
    """The household's scheme request (a ``HouseholdScheme`` row) has no match active in it today:
    none without an end date that has started, and none with an end date ahead that has started."""
    return and_(
        or_(HouseholdScheme.served_from.is_(None), HouseholdScheme.served_from > today),
        ~exists().where(
            Match.household_id == HouseholdScheme.household_id,
            Match.scheme == HouseholdScheme.scheme,
            Match.status != MatchStatus.PROPOSED,
            Match.ended_on.is_not(None),
            Match.ended_on > today,
            Match.started_on <= today,
        ),
    )


def waiting_household_ids(municipality_id: int, today: dt.date) -> Select[Any]:
    """The ids of the municipality's households waiting for a volunteer on ``today`` (a query to
    use as a subquery)."""
    return (
        select(HouseholdScheme.household_id)
        .join(Household, Household.id == HouseholdScheme.household_id)
        .where(Household.municipality_id == municipality_id, _is_waiting_request(today))
    )


def waiting_board(municipality_id: int, today: dt.date, rows: int | None = DASHBOARD_ROWS) -> WaitingBoard:
    """Households waiting for a volunteer, longest-waiting first (then by reference): the first
    ``rows`` (None: all) and how many there are.

    Days waiting count from ``registered_on``, the day the household asked for a volunteer; a
    household registered ahead of today has waited 0 days.
    """
    waited_since = case((Household.registered_on > today, today), else_=Household.registered_on)
    statement = (
        select(
            Household.id,
            Household.name,
            Household.ref,
            Household.registered_on,
            Household.consent_on,
            func.count().over(),
        )
        .where(
            Household.municipality_id == municipality_id,
            exists().where(HouseholdScheme.household_id == Household.id, _is_waiting_request(today)),
        )
        .order_by(waited_since, Household.ref)
    )
    found = plain_rows(db.session, statement if rows is None else statement.limit(rows))
    schemes: dict[int, list[str]] = {}
    if found:
        for household_id, scheme in plain_rows(
            db.session,
            select(HouseholdScheme.household_id, HouseholdScheme.scheme)
            .where(HouseholdScheme.household_id.in_([row[0] for row in found]), _is_waiting_request(today))
            .order_by(HouseholdScheme.id),
        ):
            schemes.setdefault(household_id, []).append(scheme)
    return WaitingBoard(
        [
            WaitingHousehold(
                household=HouseholdLink(household_id, name, ref),
                schemes=tuple(schemes[household_id]),
                days_waiting=max(0, (today - registered_on).days),
                consented=consent_on is not None and consent_on <= today,
            )
            for household_id, name, ref, registered_on, consent_on, _ in found
        ],
        found[0][-1] if found else 0,
    )


def overview_waiting_board(municipality_id: int, today: dt.date) -> WaitingBoard:
    """``waiting_board`` as the overview shows it, computed once per request: the families section
    lists its rows and the matching section its total, from the same statement."""
    boards: dict[tuple[int, dt.date], WaitingBoard] = g.setdefault("vh_overview_waiting_boards", {})
    key = (municipality_id, today)
    if key not in boards:
        boards[key] = waiting_board(municipality_id, today)
    return boards[key]


def list_waiting_households(municipality_id: int, today: dt.date) -> list[WaitingHousehold]:
    """Every household waiting for a volunteer, longest-waiting first."""
    return waiting_board(municipality_id, today, rows=None).rows


def register(app: Flask) -> None:
    """Let the families pages show who waits: the case list's filter, and the overview's list
    placed inside the families section (in the slot its template leaves for it)."""

    def current_waiting_board() -> Board:
        board = overview_waiting_board(current_user.municipality_id, local_today())
        return Board(board, tuple(row.household.id for row in board.rows))

    app.extensions[WAITING_IDS_EXTENSION] = waiting_household_ids
    add_dashboard_board(app, "waiting", MUNICIPAL_STAFF, current_waiting_board)
    app.jinja_env.globals.setdefault("family_dashboard_parts", []).append("matching/_waiting.html")
