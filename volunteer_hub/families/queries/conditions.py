"""What a case page loads, its deadlines and warnings, and the same rules as SQL conditions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    exists,
    extract,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, joinedload, selectinload

from volunteer_hub.families.deadlines import (
    INTERNSHIP_DAYS,
    WELCOME_LETTER_DAYS,
    WORKING_AGE_FROM,
    WORKING_AGE_TO,
    AdultFacts,
    Deadline,
    household_deadlines,
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
from volunteer_hub.families.warnings import (
    ACTIVE_INTERNSHIP_STATUSES,
    TEMPORARY_SECTORS,
    TEMPORARY_STATUS,
    CaseWarning,
    WarningKind,
    housing_warnings,
    is_danish_without_work,
)
from volunteer_hub.maintained import held, keep_previous, maintain

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


def _is_owed_internship() -> ColumnElement[bool]:
    """P8: the member is an adult, not employed, of working age the year they arrived, and has
    not been offered an internship (``household_deadlines``)."""
    age_on_arrival = extract("year", Member.arrival_on) - Member.birth_year
    return and_(
        Member.kind == MemberKind.ADULT,
        Member.employed == false(),
        or_(Member.birth_year.is_(None), age_on_arrival.between(WORKING_AGE_FROM, WORKING_AGE_TO)),
        ~exists().where(InternshipOffer.member_id == Member.id),
    )


FIRST_OWED = "household.first_owed_on"


def _first_owed_arrival() -> Any:
    """For ``Household.first_owed_on``: the earliest arrival of an adult of the household still
    owed an internship offer."""
    household = Household.__table__
    owed = select(func.min(Member.arrival_on)).where(
        Member.household_id == household.c.id, _is_owed_internship()
    )
    return owed.scalar_subquery()


def _households_of_offers(session: Session, offer: InternshipOffer) -> list[int]:
    """The households of the members an offer is (or was, before this flush) for."""
    members = held(offer, "member_id")
    found = select(Member.__table__.c.household_id).where(Member.__table__.c.id.in_(members))
    return list(session.connection().execute(found).scalars()) if members else []


# A member's arrival, age or job, and an offer made or withdrawn, change who is owed an offer.
keep_previous(InternshipOffer, "member_id")
maintain(
    FIRST_OWED,
    Household,
    "first_owed_on",
    _first_owed_arrival,
    {Member: "household_id", InternshipOffer: _households_of_offers},
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
