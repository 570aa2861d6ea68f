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


def households_waiting(scope: Scope, ends: tuple[date, ...]) -> list[dict[str, int]]:
    """For each of ``ends``, per best language: households registered by that day with a scheme
    they ask for and no match in it active on that day (matched by any organisation). One pass
    over the matches active on any of the days."""
    best = _best_languages(scope)
    matched = (
        select(
            Match.household_id,
            Match.scheme,
            *(
                sa.func.max(sa.case((active_on(end), 1), else_=0)).label(f"on_{n}")
                for n, end in enumerate(ends)
            ),
        )
        .where(
            Match.municipality_id == scope.municipality_id,
            Match.started_on <= max(ends),
            sa.or_(Match.ended_on.is_(None), Match.ended_on > min(ends)),
        )
        .group_by(Match.household_id, Match.scheme)
        .subquery()
    )
    unmatched = [sa.func.coalesce(getattr(matched.c, f"on_{n}"), 0) == 0 for n in range(len(ends))]
    waiting = (
        select(
            HouseholdScheme.household_id,
            *(
                sa.func.max(sa.case((each, 1), else_=0)).label(f"waits_{n}")
                for n, each in enumerate(unmatched)
            ),
        )
        .outerjoin(
            matched,
            sa.and_(
                matched.c.household_id == HouseholdScheme.household_id,
                matched.c.scheme == HouseholdScheme.scheme,
            ),
        )
        .group_by(HouseholdScheme.household_id)
        .subquery()
    )
    counted = [
        sa.func.count(
            sa.case((sa.and_(getattr(waiting.c, f"waits_{n}") == 1, Household.registered_on <= end), 1))
        )
        for n, end in enumerate(ends)
    ]
    found: list[dict[str, int]] = [{} for _ in ends]
    for language, *numbers in plain_rows(
        db.session,
        select(best.c.language, *counted)
        .join(Household, Household.id == best.c.household_id)
        .join(waiting, waiting.c.household_id == Household.id)
        .where(Household.registered_on <= max(ends))
        .group_by(best.c.language),
    ):
        for per_language, n in zip(found, numbers, strict=True):
            if n:  # a language appears where a household waits
                per_language[language] = n
    return found


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
