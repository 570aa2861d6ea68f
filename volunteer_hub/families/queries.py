"""Read-only queries behind the case page, the case list and the coordinator's dashboard.

Households are loaded with everything the deadlines and warnings need in a fixed number of
queries (one-to-one rows joined, collections by subquery), so the number of SQL queries per page
does not grow with the number of households. What the dashboard and the case list compute over
every household is kept as plain rows per municipality, day and data version (core/derived.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, subqueryload

from volunteer_hub.core import derived
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import (
    AdultFacts,
    Deadline,
    DeadlineKind,
    DeadlineState,
    household_deadlines,
    needing_attention,
)
from volunteer_hub.families.models import (
    Household,
    HouseholdScheme,
    Housing,
    Member,
    ReceptionStepKind,
)
from volunteer_hub.families.services.housing import HousedFigure, housed_before_arrival_figure
from volunteer_hub.families.snapshot import load_plain_households, schemes_by_household
from volunteer_hub.families.warnings import (
    CaseWarning,
    WarningKind,
    housing_warnings,
    is_danish_without_work,
)


def case_load_options() -> list[Any]:
    """Eager loads for every household of a municipality (the dashboard, the case list), in a
    fixed number of queries however many households there are: one-to-one rows joined, the
    collections by subquery (``selectinload`` sends one more query per 500 households)."""
    return [
        joinedload(Household.health_check),
        joinedload(Household.housing).joinedload(Housing.shared_unit),
        subqueryload(Household.members).options(
            joinedload(Member.internship), joinedload(Member.danish_class), joinedload(Member.child_details)
        ),
        subqueryload(Household.languages),
        subqueryload(Household.schemes),
        subqueryload(Household.reception_steps),
    ]


def case_page_load_options() -> list[Any]:
    """The case page's eager loads: ``case_load_options`` in five queries instead of eleven.

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


def load_households(municipality_id: int) -> list[Household]:
    """Every household of the municipality, with what deadlines and warnings need."""
    return list(
        db.session.execute(
            select(Household)
            .where(Household.municipality_id == municipality_id)
            .options(*case_load_options())
            .order_by(Household.ref)
        ).scalars()
    )


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


@dataclass(frozen=True)
class HouseholdLink:
    """What a dashboard row shows of a household and links to (plain data, kept between requests)."""

    id: int
    name: str
    ref: str
    first_arrival_on: dt.date | None = None
    registered_on: dt.date | None = None

    @classmethod
    def of(cls, household: Any) -> HouseholdLink:
        """From a household with its members loaded (a model or families/snapshot.py's rows)."""
        return cls(
            household.id, household.name, household.ref, household.first_arrival_on, household.registered_on
        )


@dataclass(frozen=True)
class MemberLink:
    id: int
    name: str
    arrival_on: dt.date


@dataclass(frozen=True)
class WaitingHousehold:
    household: HouseholdLink
    schemes: tuple[str, ...]
    days_waiting: int
    consented: bool


def list_waiting_households(municipality_id: int, today: dt.date) -> list[WaitingHousehold]:
    """Households waiting for a volunteer, longest-waiting first.

    A household waits when it asks for a scheme and has no match active in it on ``today``
    (FORMATS.md); ``schemes`` lists only the schemes it still waits in. Days waiting count
    from ``registered_on``, the day the household asked for a volunteer.
    """
    from volunteer_hub.matching.services import active_requests

    active = active_requests(municipality_id, today)
    asked = schemes_by_household(municipality_id)
    households = plain_rows(
        db.session,
        select(
            Household.id, Household.name, Household.ref, Household.registered_on, Household.consent_on
        ).where(
            Household.municipality_id == municipality_id,
            Household.id.in_(select(HouseholdScheme.household_id)),
        ),
    )
    waiting = [
        WaitingHousehold(
            household=HouseholdLink(household_id, name, ref, None, registered_on),
            schemes=schemes,
            days_waiting=max(0, (today - registered_on).days),
            consented=consent_on is not None and consent_on <= today,
        )
        for household_id, name, ref, registered_on, consent_on in households
        if (schemes := tuple(s for s in asked.get(household_id, ()) if (household_id, s) not in active))
    ]
    return sorted(waiting, key=lambda w: (-w.days_waiting, w.household.ref))


@dataclass(frozen=True)
class DeadlineRow:
    household: HouseholdLink
    member: MemberLink | None
    deadline: Deadline
    state: DeadlineState
    days_left: int


@dataclass
class Dashboard:
    """What needs doing, as plain data: built once per municipality, day and data version."""

    today: dt.date
    letters: list[DeadlineRow] = field(default_factory=list)
    internships: list[DeadlineRow] = field(default_factory=list)
    waiting: list[WaitingHousehold] = field(default_factory=list)
    housing_warnings: list[tuple[HouseholdLink, CaseWarning]] = field(default_factory=list)
    danish_warnings: list[tuple[HouseholdLink, MemberLink, CaseWarning]] = field(default_factory=list)
    housed: HousedFigure = HousedFigure(0, 0)


def _member_link(member: Member) -> MemberLink:
    return MemberLink(member.id, member.name, member.arrival_on)


def _deadline_row(
    household: HouseholdLink, members: dict[int, Member], deadline: Deadline, today: dt.date
) -> DeadlineRow:
    member = members.get(deadline.member_id) if deadline.member_id is not None else None
    link = _member_link(member) if member is not None else None
    return DeadlineRow(household, link, deadline, deadline.state(today), deadline.days_left(today))


def build_dashboard(municipality_id: int, today: dt.date, households: list[Any] | None = None) -> Dashboard:
    """What needs doing: P2/P8 deadlines overdue or due within 3 days, waiting households,
    P7 housing warnings and P14 Danish-without-work warnings."""
    if households is None:  # plain rows (families/snapshot.py); the models give the same board
        households = load_plain_households(municipality_id)
    board = Dashboard(today=today, housed=housed_before_arrival_figure(households))
    for household in households:
        link = HouseholdLink.of(household)
        members = {m.id: m for m in household.members}
        for deadline in needing_attention(case_deadlines(household), today):
            row = _deadline_row(link, members, deadline, today)
            if deadline.kind == DeadlineKind.WELCOME_LETTER:
                board.letters.append(row)
            else:
                board.internships.append(row)
        for warning in case_warnings(household, today):
            if warning.kind == WarningKind.DANISH_WITHOUT_WORK:
                board.danish_warnings.append((link, _member_link(members[warning.member_id]), warning))
            else:
                board.housing_warnings.append((link, warning))
    by_due = lambda row: (row.deadline.due_on, row.household.ref)  # noqa: E731
    board.letters.sort(key=by_due)
    board.internships.sort(key=by_due)
    board.waiting = list_waiting_households(municipality_id, today)
    return board


def dashboard(municipality_id: int, today: dt.date) -> Dashboard:
    """``build_dashboard``, kept until the municipality's data changes (core/derived.py): at
    national scale building it reads every household's case."""
    return derived.cached(
        "family-dashboard",
        municipality_id,
        today,
        lambda: build_dashboard(municipality_id, today),
        capacity=16,
    )


@dataclass(frozen=True)
class CaseHousehold:
    """What the case list shows of a household, searches in and sorts by (plain data)."""

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


def _matches_text(household: CaseHousehold, text: str) -> bool:
    needle = text.casefold()
    return any(
        needle in value.casefold() for value in (household.ref, household.name, household.contact_name)
    )


@dataclass(frozen=True)
class CaseBook:
    """Every household's case row and who waits for a volunteer, on one day (plain data)."""

    rows: list[CaseRow]
    waiting: frozenset[int]


def _build_case_book(municipality_id: int, today: dt.date, households: list[Any] | None = None) -> CaseBook:
    rows = []
    if households is None:  # plain rows (families/snapshot.py); the models give the same rows
        households = load_plain_households(municipality_id)
    for household in households:
        deadlines = case_deadlines(household)
        open_deadlines = [d for d in deadlines if d.done_on is None]
        next_open = open_deadlines[0] if open_deadlines else None
        summary = CaseHousehold(
            household.id,
            household.name,
            household.ref,
            household.contact_name,
            household.registered_on,
            len(household.adults),
            len(household.children),
        )
        rows.append(
            CaseRow(
                household=summary,
                deadlines=deadlines,
                next_open=next_open,
                next_state=next_open.state(today) if next_open else None,
                warnings=case_warnings(household, today),
                first_arrival_on=household.first_arrival_on,
            )
        )
    waiting = frozenset(w.household.id for w in list_waiting_households(municipality_id, today))
    return CaseBook(rows, waiting)


def list_cases(
    municipality_id: int, today: dt.date, *, text: str = "", show: str = "all", sort: str = "deadline"
) -> list[CaseRow]:
    """The case list, filtered and sorted (filters and sorts outside the lists fall back to defaults).

    Every household's row is computed once per municipality, day and data version
    (core/derived.py); searching, filtering and sorting then work on those rows.
    """
    book = derived.cached(
        "case-book", municipality_id, today, lambda: _build_case_book(municipality_id, today), capacity=16
    )
    rows = [row for row in book.rows if not text or _matches_text(row.household, text)]
    if show == "waiting":  # asks for a scheme with no active match in it (FORMATS.md)
        rows = [row for row in rows if row.household.id in book.waiting]
    else:
        rows = [row for row in rows if _shown(row, show)]
    return sorted(rows, key=_sort_key(sort if sort in CASE_SORTS else "deadline"))


def _shown(row: CaseRow, show: str) -> bool:
    if show == "attention":
        return row.next_state in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON)
    if show == "overdue":
        return row.next_state == DeadlineState.OVERDUE
    if show == "warnings":
        return bool(row.warnings)
    return True


def _sort_key(sort: str) -> Any:
    far = dt.date.max
    keys = {
        "ref": lambda r: (r.household.ref,),
        "name": lambda r: (r.household.name.casefold(), r.household.ref),
        "arrival": lambda r: (r.first_arrival_on or far, r.household.ref),
        "registered": lambda r: (r.household.registered_on, r.household.ref),
        "deadline": lambda r: (r.next_open.due_on if r.next_open else far, r.household.ref),
    }
    return keys[sort]
