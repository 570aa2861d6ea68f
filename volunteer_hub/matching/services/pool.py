"""The pool read from the database: the whole pool for the plan, or the SQL pre-filter's candidates
for one household, with the interest counts that weigh them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, select, true

from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, HouseholdLanguage, HouseholdScheme, Member
from volunteer_hub.families.models.household import MemberKind
from volunteer_hub.families.snapshot import schemes_by_household
from volunteer_hub.matching.engine import types
from volunteer_hub.matching.engine.config import (
    CONVERSATIONAL_RANK,
    LANGUAGE_GROUP,
    LEVEL_RANK,
    MatchingConfig,
    language_group,
)
from volunteer_hub.matching.engine.features import InterestFrequencies, VolunteerPool
from volunteer_hub.matching.engine.rules import months_before, requires_child_certificate
from volunteer_hub.matching.engine.scorer import start_day
from volunteer_hub.matching.models import OPEN_STATUSES, Match, RejectedPair
from volunteer_hub.matching.services.rows import active_match_counts, did_not_work_out, holds_place
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Gender,
    LanguageLevel,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
)


def approved_volunteers(municipality_id: int) -> ColumnElement[bool]:
    """SQL condition: the municipality's approved volunteers, the pool the matcher works on."""
    return (
        (Volunteer.municipality_id == municipality_id)
        & Volunteer.erased_at.is_(None)
        & (Volunteer.status == VolunteerStatus.APPROVED)
    )


def asking_households(municipality_id: int) -> ColumnElement[bool]:
    """SQL condition: the municipality's households asking for a scheme."""
    return (Household.municipality_id == municipality_id) & Household.id.in_(
        select(HouseholdScheme.household_id)
    )


def _volunteer_rows(
    municipality_id: int, as_of: dt.date, where: ColumnElement[bool] | None = None
) -> tuple[list[types.Volunteer], dict[str, int]]:
    """The approved volunteers (those of them ``where`` keeps) as the matcher sees them, by ref,
    read as plain rows (four queries).

    The same values as ``to_matcher_volunteer`` gives for a loaded row, without building ORM
    objects: at national scale that is the difference between seconds and a tenth of one.
    """
    approved = approved_volunteers(municipality_id)
    if where is not None:
        approved = approved & where
    rows = plain_rows(
        db.session,
        select(
            Volunteer.id,
            Volunteer.ref,
            Volunteer.status,
            Volunteer.gender,
            Volunteer.postcode,
            Volunteer.capacity,
            Volunteer.child_certificate_state,
            Volunteer.child_certificate_received_on,
            Volunteer.first_name,
        )
        .where(approved)
        .order_by(Volunteer.ref),
    )
    languages: dict[int, dict[str, str]] = defaultdict(dict)
    for volunteer_id, code, level in plain_rows(
        db.session,
        select(VolunteerLanguage.volunteer_id, VolunteerLanguage.code, VolunteerLanguage.level)
        .join(Volunteer, Volunteer.id == VolunteerLanguage.volunteer_id)
        .where(approved)
        .order_by(VolunteerLanguage.id),
    ):
        languages[volunteer_id][code] = level.value
    attributes: dict[int, dict[AttributeKind, list[str]]] = defaultdict(lambda: defaultdict(list))
    for volunteer_id, kind, code in plain_rows(
        db.session,
        select(VolunteerAttribute.volunteer_id, VolunteerAttribute.kind, VolunteerAttribute.code)
        .join(Volunteer, Volunteer.id == VolunteerAttribute.volunteer_id)
        .where(approved)
        .order_by(VolunteerAttribute.id),
    ):
        attributes[volunteer_id][kind].append(code)
    counts = active_match_counts(
        municipality_id, as_of, None if where is None else select(Volunteer.id).where(approved)
    )
    volunteers = []
    for row in rows:
        codes = attributes.get(row.id, {})
        received_ok = row.child_certificate_state == ChildCertificateState.RECEIVED_OK
        volunteers.append(
            types.Volunteer(
                ref=row.ref,
                status=str(row.status),
                gender=str(row.gender) if row.gender else None,
                postcode=row.postcode,
                languages=languages.get(row.id, {}),
                skills=tuple(codes.get(AttributeKind.SKILL, ())),
                interests=tuple(codes.get(AttributeKind.INTEREST, ())),
                schemes=tuple(codes.get(AttributeKind.SCHEME, ())),
                availability=tuple(codes.get(AttributeKind.AVAILABILITY, ())),
                capacity=row.capacity,
                active_matches=counts.get(row.id, 0),
                child_certificate_on=row.child_certificate_received_on if received_ok else None,
                first_name=row.first_name,
            )
        )
    return volunteers, {row.ref: row.id for row in rows}


def _household_rows(municipality_id: int, as_of: dt.date) -> tuple[list[types.Household], dict[str, int]]:
    """Every household asking for a scheme as the matcher sees it, read as plain rows (four queries).

    The same values as ``to_matcher_household`` gives, in ``load_households``' order.
    """
    schemes = schemes_by_household(municipality_id)
    asking = asking_households(municipality_id)
    languages: dict[int, dict[str, str]] = defaultdict(dict)
    for household_id, language, level in plain_rows(
        db.session,
        select(HouseholdLanguage.household_id, HouseholdLanguage.language, HouseholdLanguage.level)
        .join(Household, Household.id == HouseholdLanguage.household_id)
        .where(asking)
        .order_by(HouseholdLanguage.household_id, HouseholdLanguage.position),
    ):
        languages[household_id][language] = level
    adults: dict[int, list[bool]] = defaultdict(list)
    birth_years: dict[int, list[int]] = defaultdict(list)
    arrivals: dict[int, dt.date] = {}
    for household_id, kind, birth_year, employed, arrival_on in plain_rows(
        db.session,
        select(Member.household_id, Member.kind, Member.birth_year, Member.employed, Member.arrival_on)
        .join(Household, Household.id == Member.household_id)
        .where(asking),
    ):
        if arrival_on is not None and (household_id not in arrivals or arrival_on < arrivals[household_id]):
            arrivals[household_id] = arrival_on
        if kind == MemberKind.ADULT:
            adults[household_id].append(employed)
        elif kind == MemberKind.CHILD and birth_year is not None:
            birth_years[household_id].append(birth_year)
    rows = plain_rows(
        db.session,
        select(
            Household.id,
            Household.ref,
            Household.postcode,
            Household.interests,
            Household.availability,
            Household.volunteer_gender,
            Household.consent_on,
            Household.registered_on,
        )
        .where(asking)
        .order_by(Household.registered_on, Household.ref),
    )
    households = [
        types.Household(
            ref=row.ref,
            postcode=row.postcode,
            languages=languages.get(row.id, {}),
            interests=tuple(row.interests or ()),
            schemes=tuple(schemes.get(row.id, ())),
            availability=tuple(row.availability or ()),
            volunteer_gender=row.volunteer_gender or None,
            consent_on=row.consent_on,
            registered_on=row.registered_on,
            children_ages=tuple(sorted(as_of.year - year for year in birth_years.get(row.id, ()))),
            adults=len(adults.get(row.id, ())),
            adults_without_work=sum(1 for employed in adults.get(row.id, ()) if not employed),
            arrives_on=arrivals.get(row.id),
        )
        for row in rows
    ]
    return households, {row.ref: row.id for row in rows}


@dataclass(frozen=True)
class MatcherData:
    """A municipality's volunteers and households as the matcher sees them, with the pool built
    over them: what the plan works on."""

    as_of: dt.date
    pool: VolunteerPool
    volunteer_ids: dict[str, int]
    household_ids: dict[str, int]
    matcher_households: dict[str, types.Household]


def load_matcher_data(municipality_id: int, as_of: dt.date) -> MatcherData:
    """Approved volunteers and every household asking for a scheme; interest rarity is fitted on both.

    The whole pool, for the plan (a batch job). A household's suggestions load only its
    candidates (``suggestions_for``), with interest rarity counted over this same pool, so a
    pair scores the same on both pages.
    """
    volunteers, volunteer_ids = _volunteer_rows(municipality_id, as_of)
    households, household_ids = _household_rows(municipality_id, as_of)
    pool = VolunteerPool.build(volunteers, households)
    return MatcherData(as_of, pool, volunteer_ids, household_ids, {h.ref: h for h in households})


# --- One household's candidates ----------------------------------------------------------------


def _household_interest_counts(asking: ColumnElement[bool]) -> Select[tuple[str, int]]:
    """(interest code, households listing it) over the households ``asking`` keeps, from their
    JSON lists; a household listing a code twice counts once, and a list that is not an array
    counts for nothing."""
    if db.session.get_bind().dialect.name == "postgresql":
        array = case((func.json_typeof(Household.interests) == "array", Household.interests))
        elements = func.json_array_elements_text(array).table_valued("value")
        codes = select(elements.c.value).distinct().lateral()
        return (
            select(codes.c.value, func.count())
            .select_from(Household)
            .join(codes, true())
            .where(asking)
            .group_by(codes.c.value)
        )
    array = case((func.json_type(Household.interests) == "array", Household.interests))
    elements = func.json_each(array).table_valued("value")
    return (
        select(elements.c.value, func.count(Household.id.distinct()))
        .select_from(Household)
        .join(elements, true())
        .where(asking)
        .group_by(elements.c.value)
    )


def interest_frequencies(municipality_id: int) -> InterestFrequencies:
    """How many of the pool (approved volunteers and households asking for a scheme) list each
    interest, counted by the database (four queries): the IDF ``load_matcher_data`` fits.
    """
    approved, asking = approved_volunteers(municipality_id), asking_households(municipality_id)
    documents = db.session.execute(
        select(
            select(func.count(Volunteer.id)).where(approved).scalar_subquery(),
            select(func.count(Household.id)).where(asking).scalar_subquery(),
        )
    ).one()
    counts: dict[str, int] = defaultdict(int)
    for code, count in plain_rows(
        db.session,
        select(VolunteerAttribute.code, func.count())
        .join(Volunteer, Volunteer.id == VolunteerAttribute.volunteer_id)
        .where(approved, VolunteerAttribute.kind == AttributeKind.INTEREST)
        .group_by(VolunteerAttribute.code),
    ):
        counts[code] += count
    for code, count in plain_rows(db.session, _household_interest_counts(asking)):
        if code is not None:
            counts[code] += count
    return InterestFrequencies(documents[0] + documents[1], dict(counts))


_CONVERSATIONAL_LEVELS = [level for level in LanguageLevel if LEVEL_RANK[level] >= CONVERSATIONAL_RANK]


def _group_codes(code: str) -> set[str]:
    """Every language code counted as the same language as ``code`` (rule 3)."""
    group = language_group(code)
    return {group} | {other for other, its_group in LANGUAGE_GROUP.items() if its_group == group}


def candidate_filter(
    household: Household,
    matcher_household: types.Household,
    scheme: str,
    as_of: dt.date,
    config: MatchingConfig,
) -> ColumnElement[bool]:
    """SQL condition on Volunteer for the hard rules the database can check (FORMATS.md).

    Rules 1 (approval is in ``approved_volunteers``; free capacity here), 2, 3, 4, 5 and 7; the
    household-wide rules (it asks for the scheme, it consented) are the caller's. The pure
    rules run again on what this keeps, so it must only ever narrow: each condition is the
    rule's own, or weaker.
    """
    return and_(*candidate_conditions(household, matcher_household, scheme, as_of, config).values())


def candidate_conditions(
    household: Household,
    matcher_household: types.Household,
    scheme: str,
    as_of: dt.date,
    config: MatchingConfig,
) -> dict[str, ColumnElement[bool]]:
    """``candidate_filter``'s conditions keyed by the rule id each checks, in FORMATS.md's order
    (rules 4 and 5 only when they apply); ``matching.blockers`` counts what each one removes."""
    # Each subquery names Volunteer as the only outer table, so the condition can also narrow
    # queries over languages, attributes or matches.
    taken = (
        select(func.count(Match.id))
        .where(Match.volunteer_id == Volunteer.id, holds_place(as_of))
        .correlate(Volunteer)
        .scalar_subquery()
    )
    spoken = set().union(
        *(
            _group_codes(code)
            for code, level in matcher_household.languages.items()
            if LEVEL_RANK.get(level, 0) >= CONVERSATIONAL_RANK
        )
    )
    offers_scheme = select(VolunteerAttribute.id).where(
        VolunteerAttribute.volunteer_id == Volunteer.id,
        VolunteerAttribute.kind == AttributeKind.SCHEME,
        VolunteerAttribute.code == scheme,
    )
    speaks = select(VolunteerLanguage.id).where(
        VolunteerLanguage.volunteer_id == Volunteer.id,
        VolunteerLanguage.code.in_(sorted(spoken)),
        VolunteerLanguage.level.in_(_CONVERSATIONAL_LEVELS),
    )
    matched = select(Match.id).where(
        Match.household_id == household.id,
        Match.volunteer_id == Volunteer.id,
        Match.scheme == scheme,
        Match.status.in_(OPEN_STATUSES) | did_not_work_out(),
    )
    rejected = select(RejectedPair.id).where(
        RejectedPair.household_id == household.id,
        RejectedPair.volunteer_id == Volunteer.id,
        RejectedPair.scheme == scheme,
    )
    conditions = {
        "approved_free_capacity": Volunteer.capacity > taken,
        "scheme": offers_scheme.correlate(Volunteer).exists(),
        "shared_language": speaks.correlate(Volunteer).exists(),
    }
    if requires_child_certificate(matcher_household, scheme):
        day = start_day(matcher_household, as_of)  # the pure rule's day: an announced household's arrival
        cutoff = months_before(day, config.child_certificate_valid_months)
        conditions["child_certificate"] = and_(
            Volunteer.child_certificate_state == ChildCertificateState.RECEIVED_OK,
            Volunteer.child_certificate_received_on.between(cutoff, day),
        )
    if matcher_household.volunteer_gender in Gender._value2member_map_:
        conditions["volunteer_gender"] = Volunteer.gender == Gender(matcher_household.volunteer_gender)
    conditions["not_matched_or_rejected"] = and_(
        ~matched.correlate(Volunteer).exists(), ~rejected.correlate(Volunteer).exists()
    )
    return conditions
