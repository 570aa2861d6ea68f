"""Read-only queries behind the case page, the case list and the coordinator's dashboard.

The dashboard's lists and the case list are filtered, counted, sorted and cut to what the page
shows in SQL, so their cost follows the rows shown rather than the size of the municipality.
The SQL conditions restate the pure rules of ``deadlines.py`` and ``warnings.py``, which stay the
definition: tests/families/test_dashboard_sql.py checks both give the same rows. Only the case
list's page of households is loaded as models, for the deadlines and warnings it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    extract,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from volunteer_hub.core.navigation import DASHBOARD_ROWS
from volunteer_hub.core.paging import Page, page_count
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import (
    DUE_SOON_DAYS,
    INTERNSHIP_DAYS,
    WELCOME_LETTER_DAYS,
    WORKING_AGE_FROM,
    WORKING_AGE_TO,
    AdultFacts,
    Deadline,
    DeadlineKind,
    DeadlineState,
    household_deadlines,
    internship_due_on,
    latest_arrival_due_by,
    welcome_letter_due_on,
)
from volunteer_hub.families.models import (
    DanishClass,
    Household,
    Housing,
    InternshipOffer,
    Member,
    MemberKind,
    ReceptionStep,
    ReceptionStepKind,
    SharedUnit,
)
from volunteer_hub.families.services.housing import HousedFigure
from volunteer_hub.families.warnings import (
    ACTIVE_INTERNSHIP_STATUSES,
    TEMPORARY_SECTORS,
    TEMPORARY_STATUS,
    CaseWarning,
    WarningKind,
    housing_warnings,
    is_danish_without_work,
)

# The case list orders households by their next open deadline through the arrival date that
# drives it, which is only the same order while both deadlines count the same number of days.
assert WELCOME_LETTER_DAYS == INTERNSHIP_DAYS


def case_page_load_options() -> list[Any]:
    """The case page's eager loads, in five queries.

    One-to-one rows (health check, housing and its shared unit; each member's internship,
    Danish class and child details) are joined into the household's and the members' queries.
    """
    return [
        joinedload(Household.health_check),
        joinedload(Household.housing).joinedload(Housing.shared_unit),
        selectinload(Household.members).options(
            joinedload(Member.internship), joinedload(Member.danish_class), joinedload(Member.child_details)
        ),
        selectinload(Household.languages),
        selectinload(Household.schemes),
        selectinload(Household.reception_steps),
    ]


def case_row_load_options() -> list[Any]:
    """What ``case_deadlines`` and ``case_warnings`` read of a household, in three queries."""
    return [
        joinedload(Household.housing).joinedload(Housing.shared_unit),
        selectinload(Household.members).options(
            joinedload(Member.internship), joinedload(Member.danish_class)
        ),
        selectinload(Household.reception_steps),
    ]


def welcome_letter_sent_on(household: Household) -> dt.date | None:
    step = next((s for s in household.reception_steps if s.kind == ReceptionStepKind.WELCOME_LETTER), None)
    return step.done_on if step else None


def case_deadlines(household: Household) -> list[Deadline]:
    """The household's P2 and P8 deadlines, done or not."""
    adults = [
        AdultFacts(
            member_id=m.id,
            arrival_on=m.arrival_on,
            birth_year=m.birth_year,
            employed=m.employed,
            internship_offered_on=m.internship.offered_on if m.internship else None,
        )
        for m in household.adults
    ]
    return household_deadlines(
        household.id, [m.arrival_on for m in household.members], welcome_letter_sent_on(household), adults
    )


def case_warnings(household: Household, today: dt.date) -> list[CaseWarning]:
    """The household's housing (P7) and Danish-without-work (P14) warnings."""
    housing = household.housing
    warnings = housing_warnings(
        household.id,
        has_children=bool(household.children),
        sector=housing.sector if housing else None,
        status=housing.status if housing else None,
        shared_unit_flagged=bool(housing and housing.shared_unit and housing.shared_unit.mix_flagged),
    )
    for adult in household.adults:
        course = adult.danish_class
        if course is not None and is_danish_without_work(
            birth_year=adult.birth_year,
            class_start_on=course.start_on,
            class_ended_on=course.ended_on,
            employed=adult.employed,
            internship_status=adult.internship.status if adult.internship else None,
            today=today,
        ):
            warnings.append(CaseWarning(WarningKind.DANISH_WITHOUT_WORK, household.id, adult.id))
    return warnings


# --- The rules as SQL conditions ---------------------------------------------------------------
# Each restates one rule of deadlines.py or warnings.py over the models' columns.


def _letter_sent() -> ColumnElement[bool]:
    """P2 done: the household has a welcome-letter step."""
    return exists().where(
        ReceptionStep.household_id == Household.id, ReceptionStep.kind == ReceptionStepKind.WELCOME_LETTER
    )


def _first_arrivals(municipality_id: int) -> Any:
    """(household id, first arrival) of every household of the municipality with members."""
    return (
        select(Member.household_id, func.min(Member.arrival_on).label("first_arrival_on"))
        .join(Household, Household.id == Member.household_id)
        .where(Household.municipality_id == municipality_id)
        .group_by(Member.household_id)
        .subquery("first_arrivals")
    )


def _is_owed_internship(offered: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """P8: the member is an adult, not employed, of working age the year they arrived, and has
    not been offered an internship (``household_deadlines``); ``offered`` tells whether they were
    when the query joins the offers itself."""
    age_on_arrival = extract("year", Member.arrival_on) - Member.birth_year
    return and_(
        Member.kind == MemberKind.ADULT,
        Member.employed == false(),
        or_(Member.birth_year.is_(None), age_on_arrival.between(WORKING_AGE_FROM, WORKING_AGE_TO)),
        ~offered if offered is not None else ~exists().where(InternshipOffer.member_id == Member.id),
    )


def _household_arrivals(municipality_id: int) -> Any:
    """Per household with members: its first arrival, and the earliest arrival of an adult still
    owed an internship offer (None when nobody is), in one pass over the members."""
    owed = _is_owed_internship(offered=InternshipOffer.id.is_not(None))
    return (
        select(
            Member.household_id,
            func.min(Member.arrival_on).label("first_arrival_on"),
            func.min(case((owed, Member.arrival_on))).label("first_owed_on"),
        )
        .join(Household, Household.id == Member.household_id)
        .outerjoin(InternshipOffer, InternshipOffer.member_id == Member.id)
        .where(Household.municipality_id == municipality_id)
        .group_by(Member.household_id)
        .subquery("arrivals")
    )


def _is_temporary_housing() -> ColumnElement[bool]:
    return or_(Housing.sector.in_(sorted(TEMPORARY_SECTORS)), Housing.status == TEMPORARY_STATUS)


def _housing_has_children() -> ColumnElement[bool]:
    """The household of the ``Housing`` row in the enclosing query has children."""
    return exists().where(Member.household_id == Housing.household_id, Member.kind == MemberKind.CHILD)


def _has_housing_warning() -> ColumnElement[bool]:
    """P7: children in temporary housing, or a shared unit flagged (``housing_warnings``)."""
    return exists().where(
        Housing.household_id == Household.id,
        or_(
            and_(_is_temporary_housing(), _housing_has_children()),
            exists().where(SharedUnit.id == Housing.shared_unit_id, SharedUnit.mix_flagged == true()),
        ),
    )


def _is_danish_without_work(today: dt.date) -> ColumnElement[bool]:
    """P14 for a member joined with their Danish class (``is_danish_without_work``)."""
    return and_(
        Member.kind == MemberKind.ADULT,
        or_(
            Member.birth_year.is_(None),
            Member.birth_year.between(today.year - WORKING_AGE_TO, today.year - WORKING_AGE_FROM),
        ),
        DanishClass.start_on <= today,
        or_(DanishClass.ended_on.is_(None), DanishClass.ended_on > today),
        Member.employed == false(),
        ~exists().where(
            InternshipOffer.member_id == Member.id,
            InternshipOffer.status.in_(sorted(ACTIVE_INTERNSHIP_STATUSES)),
        ),
    )


def _has_danish_warning(today: dt.date) -> ColumnElement[bool]:
    return exists(
        select(Member.id)
        .join(DanishClass, DanishClass.member_id == Member.id)
        .where(Member.household_id == Household.id, _is_danish_without_work(today))
    )


# --- The dashboard -----------------------------------------------------------------------------


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
    first = _first_arrivals(municipality_id)
    found, total = _rows_and_total(
        select(Household.id, Household.name, Household.ref, first.c.first_arrival_on, func.count().over())
        .join(first, first.c.household_id == Household.id)
        .where(
            Household.municipality_id == municipality_id,
            first.c.first_arrival_on
            <= latest_arrival_due_by(today + dt.timedelta(days=DUE_SOON_DAYS), WELCOME_LETTER_DAYS),
            ~_letter_sent(),
        )
        .order_by(first.c.first_arrival_on, Household.ref),
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


def _internship_rows(municipality_id: int, today: dt.date, rows: int | None) -> tuple[list[DeadlineRow], int]:
    """P8: adults owed an internship offer overdue or due within 3 days, by due date,
    reference and member."""
    found, total = _rows_and_total(
        select(
            Household.id,
            Household.name,
            Household.ref,
            Member.id,
            Member.name,
            Member.arrival_on,
            func.count().over(),
        )
        .join(Household, Household.id == Member.household_id)
        .where(
            Household.municipality_id == municipality_id,
            Member.arrival_on
            <= latest_arrival_due_by(today + dt.timedelta(days=DUE_SOON_DAYS), INTERNSHIP_DAYS),
            _is_owed_internship(),
        )
        .order_by(Member.arrival_on, Household.ref, Member.id),
        rows,
    )
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
        select(
            Household.id,
            Household.name,
            Household.ref,
            Member.id,
            Member.name,
            Member.arrival_on,
            func.count().over(),
        )
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
    first = _first_arrivals(municipality_id)
    housed, households = db.session.execute(
        select(
            func.count(case((Housing.found_on <= first.c.first_arrival_on, 1))),
            func.count(),
        )
        .select_from(first)
        .outerjoin(Housing, Housing.household_id == first.c.household_id)
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


@dataclass(frozen=True)
class CaseHousehold:
    """What the case list shows of a household."""

    id: int
    name: str
    ref: str
    contact_name: str
    registered_on: dt.date
    adults: int
    children: int


@dataclass(frozen=True)
class CaseRow:
    household: CaseHousehold
    deadlines: list[Deadline]
    next_open: Deadline | None
    next_state: DeadlineState | None
    warnings: list[CaseWarning]
    first_arrival_on: dt.date | None


CASE_FILTERS = ("all", "attention", "overdue", "waiting", "warnings")
CASE_SORTS = ("deadline", "ref", "name", "arrival", "registered")
CASES_PER_PAGE = 50
# Where the app keeps the function (municipality id, today) -> query of the ids of the households
# waiting for a volunteer; the matching package registers it, as only it knows who waits.
WAITING_IDS_EXTENSION = "vh_waiting_household_ids"


def case_row(household: Household, today: dt.date) -> CaseRow:
    """A household's row in the case list: its next open deadline and its warnings."""
    deadlines = case_deadlines(household)
    next_open = next((d for d in deadlines if d.done_on is None), None)
    return CaseRow(
        household=CaseHousehold(
            household.id,
            household.name,
            household.ref,
            household.contact_name,
            household.registered_on,
            len(household.adults),
            len(household.children),
        ),
        deadlines=deadlines,
        next_open=next_open,
        next_state=next_open.state(today) if next_open else None,
        warnings=case_warnings(household, today),
        first_arrival_on=household.first_arrival_on,
    )


def list_cases(
    municipality_id: int,
    today: dt.date,
    *,
    text: str = "",
    show: str = "all",
    sort: str = "deadline",
    page: int = 1,
    waiting_ids: Select[Any] | None = None,
    per_page: int = CASES_PER_PAGE,
) -> Page[CaseRow]:
    """One page of the case list, searched, filtered and sorted (filters and sorts outside the
    lists fall back to showing all, by deadline); a page past the end gives the last page.

    ``waiting_ids`` selects the ids of the households waiting for a volunteer, for the "waiting"
    filter (the matching package knows who waits); without it nobody is shown as waiting.
    """
    sort = sort if sort in CASE_SORTS else "deadline"
    arrivals = _household_arrivals(municipality_id)
    # The arrival that drives the next open deadline: the first arrival while the welcome letter
    # is open (no adult arrives before it), otherwise the earliest adult still owed an offer.
    next_due_arrival = case((~_letter_sent(), arrivals.c.first_arrival_on), else_=arrivals.c.first_owed_on)
    statement = (
        select(Household.id)
        .outerjoin(arrivals, arrivals.c.household_id == Household.id)
        .where(Household.municipality_id == municipality_id)
    )
    if text:
        needle = text.lower()
        statement = statement.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (Household.ref, Household.name, Household.contact_name)
                )
            )
        )
    soon = latest_arrival_due_by(today + dt.timedelta(days=DUE_SOON_DAYS), WELCOME_LETTER_DAYS)
    if show == "attention":
        statement = statement.where(next_due_arrival <= soon)
    elif show == "overdue":
        statement = statement.where(
            next_due_arrival <= latest_arrival_due_by(today - dt.timedelta(days=1), WELCOME_LETTER_DAYS)
        )
    elif show == "warnings":
        statement = statement.where(or_(_has_housing_warning(), _has_danish_warning(today)))
    elif show == "waiting":
        statement = statement.where(Household.id.in_(waiting_ids) if waiting_ids is not None else false())
    order = {
        "ref": [],
        "name": [func.lower(Household.name)],
        "arrival": [arrivals.c.first_arrival_on.nulls_last()],
        "registered": [Household.registered_on],
        "deadline": [next_due_arrival.nulls_last()],
    }[sort]
    # The page and the total in one pass; a page past the end is asked again as the last page.
    paged = statement.add_columns(func.count().over()).order_by(*order, Household.ref).limit(per_page)
    number = max(1, page)
    found = db.session.execute(paged.offset((number - 1) * per_page)).all()
    if found:
        total = found[0][-1]
    else:
        total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
        if total and number > page_count(total, per_page):
            number = page_count(total, per_page)
            found = db.session.execute(paged.offset((number - 1) * per_page)).all()
    ids = [row[0] for row in found]
    households = (
        {
            h.id: h
            for h in db.session.execute(
                select(Household).where(Household.id.in_(ids)).options(*case_row_load_options())
            ).scalars()
        }
        if ids
        else {}
    )
    return Page([case_row(households[i], today) for i in ids], total, number, per_page)
