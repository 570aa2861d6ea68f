"""The household figures counted in SQL: households waiting per language, and the
municipality's 14-day deadlines and housing before arrival."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import is_working_age
from volunteer_hub.families.models import (
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Housing,
    InternshipOffer,
    Member,
    MemberKind,
    ReceptionStep,
    ReceptionStepKind,
)
from volunteer_hub.matching.models import Match
from volunteer_hub.reports.counts import DEADLINE_DAYS, QuarterCounts, deadline_figures, housing_figures
from volunteer_hub.reports.data import LEVEL_RANK
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.sql.scope import Scope, active_on, as_text

DEADLINE = timedelta(days=DEADLINE_DAYS)


def _best_languages(scope: Scope) -> Any:
    """(household_id, language) of each household's best language: the highest level, a tie
    going to the language listed first."""
    level = as_text(HouseholdLanguage.level)
    rank = sa.case(*((level == code, value) for code, value in LEVEL_RANK.items()))
    order = (rank.desc(), HouseholdLanguage.position, HouseholdLanguage.id)
    ranked = (
        select(
            HouseholdLanguage.household_id,
            HouseholdLanguage.language,
            sa.func.row_number()
            .over(partition_by=HouseholdLanguage.household_id, order_by=order)
            .label("best"),
        )
        .join(Household, Household.id == HouseholdLanguage.household_id)
        .where(Household.municipality_id == scope.municipality_id, level.in_(list(LEVEL_RANK)))
        .subquery()
    )
    return select(ranked.c.household_id, ranked.c.language).where(ranked.c.best == 1).subquery()


def households_waiting(scope: Scope, end: date) -> dict[str, int]:
    """Per best language: households registered by ``end`` with a scheme they ask for and no
    match in it active on ``end`` (matched by any organisation)."""
    best = _best_languages(scope)
    matched = (
        select(Match.household_id, Match.scheme)
        .where(Match.municipality_id == scope.municipality_id, active_on(end))
        .distinct()
        .subquery()
    )
    waiting = (
        select(HouseholdScheme.household_id)
        .outerjoin(
            matched,
            sa.and_(
                matched.c.household_id == HouseholdScheme.household_id,
                matched.c.scheme == HouseholdScheme.scheme,
            ),
        )
        .where(matched.c.household_id.is_(None))
        .distinct()
        .subquery()
    )
    return dict(
        plain_rows(
            db.session,
            select(best.c.language, sa.func.count())
            .join(Household, Household.id == best.c.household_id)
            .join(waiting, waiting.c.household_id == Household.id)
            .where(Household.registered_on <= end)
            .group_by(best.c.language),
        )
    )


def count_policy(scope: Scope, quarters: tuple[Quarter, ...], counts: list[QuarterCounts]) -> None:
    """Welcome letters and internship offers due in each quarter (arrival + 14 days), and the
    households that arrived in it: only the few households and adults that arrived in the
    quarters' window are read."""
    since, until = min(q.start for q in quarters) - DEADLINE, max(q.end for q in quarters)
    arrived_then = select(Member.household_id).where(Member.arrival_on >= since, Member.arrival_on <= until)
    arrival = sa.func.min(Member.arrival_on)
    arrivals = (
        select(Member.household_id, arrival.label("arrival_on"))
        .where(Member.household_id.in_(arrived_then))
        .group_by(Member.household_id)
        .having(arrival >= since, arrival <= until)
        .subquery()
    )
    households = plain_rows(
        db.session,
        select(arrivals.c.arrival_on, ReceptionStep.done_on, Housing.found_on)
        .join(Household, Household.id == arrivals.c.household_id)
        .outerjoin(
            ReceptionStep,
            sa.and_(
                ReceptionStep.household_id == Household.id,
                ReceptionStep.kind == ReceptionStepKind.WELCOME_LETTER,
            ),
        )
        .outerjoin(Housing, Housing.household_id == Household.id)
        .where(Household.municipality_id == scope.municipality_id),
    )
    adults = plain_rows(
        db.session,
        select(Member.arrival_on, Member.employed, Member.birth_year, InternshipOffer.offered_on)
        .join(Household, Household.id == Member.household_id)
        .outerjoin(InternshipOffer, InternshipOffer.member_id == Member.id)
        .where(
            Household.municipality_id == scope.municipality_id,
            Member.kind == MemberKind.ADULT,
            Member.arrival_on >= since,  # their deadline (arrival + 14 days) falls in the window
            Member.arrival_on <= until - DEADLINE,
        ),
    )
    letters = [(arrival_on, done_on) for arrival_on, done_on, _found_on in households]
    housed = [
        (arrival_on, None if found_on is None else found_on <= arrival_on)
        for arrival_on, _done_on, found_on in households
    ]
    internships = [
        (arrival_on, offered_on)
        for arrival_on, employed, birth_year, offered_on in adults
        if not employed and is_working_age(birth_year, arrival_on)
    ]
    for quarter, quarter_counts in zip(quarters, counts, strict=True):
        quarter_counts.policy_14_days = {
            "welcome_letters": deadline_figures(letters, quarter),
            "internship_offers": deadline_figures(internships, quarter),
        }
        quarter_counts.housing_before_arrival = housing_figures(housed, quarter)
