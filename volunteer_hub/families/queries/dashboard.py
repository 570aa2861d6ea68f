"""The coordinator overview's family lists: each filtered, sorted and cut to what it shows in SQL,
with its total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Select,
    case,
    func,
    literal,
    select,
    true,
    union_all,
)

from volunteer_hub.core.navigation import DASHBOARD_ROWS
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import (
    DUE_SOON_DAYS,
    INTERNSHIP_DAYS,
    WELCOME_LETTER_DAYS,
    Deadline,
    DeadlineKind,
    DeadlineState,
    internship_due_on,
    latest_arrival_due_by,
    welcome_letter_due_on,
)
from volunteer_hub.families.models import (
    DanishClass,
    Household,
    Housing,
    Member,
    SharedUnit,
)
from volunteer_hub.families.queries.conditions import (
    _housing_has_children,
    _is_danish_without_work,
    _is_owed_internship,
    _is_temporary_housing,
    _letter_sent,
)
from volunteer_hub.families.services.housing import HousedFigure
from volunteer_hub.families.warnings import (
    CaseWarning,
    WarningKind,
)


@dataclass(frozen=True)
class HouseholdLink:
    """What a dashboard row shows of a household and links to."""

    id: int
    name: str
    ref: str
    first_arrival_on: dt.date | None = None


@dataclass(frozen=True)
class MemberLink:
    id: int
    name: str
    arrival_on: dt.date


@dataclass(frozen=True)
class DeadlineRow:
    household: HouseholdLink
    member: MemberLink | None
    deadline: Deadline
    state: DeadlineState
    days_left: int


@dataclass
class Dashboard:
    """What needs doing: the most urgent rows of each list and how many there are in all."""

    today: dt.date
    letters: list[DeadlineRow] = field(default_factory=list)
    letters_total: int = 0
    internships: list[DeadlineRow] = field(default_factory=list)
    internships_total: int = 0
    housing_warnings: list[tuple[HouseholdLink, CaseWarning]] = field(default_factory=list)
    housing_warnings_total: int = 0
    danish_warnings: list[tuple[HouseholdLink, MemberLink, CaseWarning]] = field(default_factory=list)
    danish_warnings_total: int = 0
    housed: HousedFigure = HousedFigure(0, 0)


def _rows_and_total(statement: Select[Any], rows: int | None) -> tuple[list[Any], int]:
    """The first ``rows`` rows of ``statement`` (all when None) and how many it has, in one query:
    the statement's last column is the total, as ``count(*) over ()``."""
    found = plain_rows(db.session, statement if rows is None else statement.limit(rows))
    return [row[:-1] for row in found], found[0][-1] if found else 0


def _deadline_row(
    household: HouseholdLink, member: MemberLink | None, deadline: Deadline, today: dt.date
) -> DeadlineRow:
    return DeadlineRow(household, member, deadline, deadline.state(today), deadline.days_left(today))


def _letter_rows(municipality_id: int, today: dt.date, rows: int | None) -> tuple[list[DeadlineRow], int]:
    """P2: open welcome letters overdue or due within 3 days, by due date and reference."""
    first_arrival, soon = Household.earliest_arrival_on, today + dt.timedelta(days=DUE_SOON_DAYS)
    found, total = _rows_and_total(
        select(Household.id, Household.name, Household.ref, first_arrival, func.count().over())
        .where(
            Household.municipality_id == municipality_id,
            first_arrival <= latest_arrival_due_by(soon, WELCOME_LETTER_DAYS),
            ~_letter_sent(),
        )
        .order_by(first_arrival, Household.ref),
        rows,
    )
    return [
        _deadline_row(
            HouseholdLink(household_id, name, ref, first_arrival_on),
            None,
            Deadline(
                DeadlineKind.WELCOME_LETTER, household_id, None, welcome_letter_due_on(first_arrival_on), None
            ),
            today,
        )
        for household_id, name, ref, first_arrival_on in found
    ], total


def _member_columns(*, total: bool = True) -> tuple[Any, ...]:
    """A member's row on the overview: its household, itself, and (``total``) the list's total."""
    columns = (Household.id, Household.name, Household.ref, Member.id, Member.name, Member.arrival_on)
    return (*columns, func.count().over()) if total else columns


def _internship_rows(municipality_id: int, today: dt.date, rows: int | None) -> tuple[list[DeadlineRow], int]:
    """P8: adults owed an internship offer overdue or due within 3 days, by due date,
    reference and member.

    The rows shown and how many there are in two statements: the count reads the members'
    index by municipality alone, without joining each counted member to its household.
    """
    owed = (
        Member.municipality_id == municipality_id,
        Member.arrival_on <= latest_arrival_due_by(today + dt.timedelta(days=DUE_SOON_DAYS), INTERNSHIP_DAYS),
        _is_owed_internship(),
    )
    listed = (
        select(*_member_columns(total=False))
        .join(Household, Household.id == Member.household_id)
        .where(*owed)
        .order_by(Member.arrival_on, Household.ref, Member.id)
    )
    found = plain_rows(db.session, listed if rows is None else listed.limit(rows))
    # Counted always, even when the rows tell: a page's number of statements stays the same.
    total = db.session.execute(select(func.count()).select_from(Member).where(*owed)).scalar_one()
    return [
        _deadline_row(
            HouseholdLink(household_id, name, ref),
            MemberLink(member_id, member_name, arrival_on),
            Deadline(DeadlineKind.INTERNSHIP, household_id, member_id, internship_due_on(arrival_on), None),
            today,
        )
        for household_id, name, ref, member_id, member_name, arrival_on in found
    ], total


def _housing_warning_rows(
    municipality_id: int, rows: int | None
) -> tuple[list[tuple[HouseholdLink, CaseWarning]], int]:
    """P7 warnings by reference, children in temporary housing before a flagged shared unit."""
    ours = Household.municipality_id == municipality_id
    children = (
        select(Household.id, Household.name, Household.ref, literal(0).label("kind"))
        .join(Housing, Housing.household_id == Household.id)
        .where(ours, _is_temporary_housing(), _housing_has_children())
    )
    flagged = (
        select(Household.id, Household.name, Household.ref, literal(1).label("kind"))
        .join(Housing, Housing.household_id == Household.id)
        .join(SharedUnit, SharedUnit.id == Housing.shared_unit_id)
        .where(ours, SharedUnit.mix_flagged == true())
    )
    both = union_all(children, flagged).subquery("housing_warnings")
    found, total = _rows_and_total(
        select(both.c.id, both.c.name, both.c.ref, both.c.kind, func.count().over()).order_by(
            both.c.ref, both.c.kind
        ),
        rows,
    )
    kinds = (WarningKind.CHILDREN_IN_TEMPORARY_HOUSING, WarningKind.SHARED_UNIT_FLAGGED)
    return [
        (HouseholdLink(household_id, name, ref), CaseWarning(kinds[kind], household_id))
        for household_id, name, ref, kind in found
    ], total


def _danish_warning_rows(
    municipality_id: int, today: dt.date, rows: int | None
) -> tuple[list[tuple[HouseholdLink, MemberLink, CaseWarning]], int]:
    """P14 warnings by reference and member."""
    found, total = _rows_and_total(
        select(*_member_columns())
        .join(Household, Household.id == Member.household_id)
        .join(DanishClass, DanishClass.member_id == Member.id)
        .where(Household.municipality_id == municipality_id, _is_danish_without_work(today))
        .order_by(Household.ref, Member.id),
        rows,
    )
    return [
        (
            HouseholdLink(household_id, name, ref),
            MemberLink(member_id, member_name, arrival_on),
            CaseWarning(WarningKind.DANISH_WITHOUT_WORK, household_id, member_id),
        )
        for household_id, name, ref, member_id, member_name, arrival_on in found
    ], total


def housed_before_arrival_count(municipality_id: int) -> HousedFigure:
    """P6 over the municipality (``housed_before_arrival_figure``): of the households with a known
    arrival, how many had a home found on or before their first arrival."""
    first_arrival = Household.earliest_arrival_on
    housed, households = db.session.execute(
        select(func.count(case((Housing.found_on <= first_arrival, 1))), func.count())
        .select_from(Household)
        .outerjoin(Housing, Housing.household_id == Household.id)
        .where(Household.municipality_id == municipality_id, first_arrival.is_not(None))
    ).one()
    return HousedFigure(housed, households)


def build_dashboard(municipality_id: int, today: dt.date, rows: int | None = DASHBOARD_ROWS) -> Dashboard:
    """What needs doing: P2/P8 deadlines overdue or due within 3 days, P7 housing warnings and P14
    Danish-without-work warnings, each its first ``rows`` rows (None: all) and its total."""
    board = Dashboard(today=today, housed=housed_before_arrival_count(municipality_id))
    board.letters, board.letters_total = _letter_rows(municipality_id, today, rows)
    board.internships, board.internships_total = _internship_rows(municipality_id, today, rows)
    board.housing_warnings, board.housing_warnings_total = _housing_warning_rows(municipality_id, rows)
    board.danish_warnings, board.danish_warnings_total = _danish_warning_rows(municipality_id, today, rows)
    return board


def dashboard(municipality_id: int, today: dt.date) -> Dashboard:
    """The dashboard's family section, as the overview page shows it."""
    return build_dashboard(municipality_id, today)


# --- The case list -----------------------------------------------------------------------------
