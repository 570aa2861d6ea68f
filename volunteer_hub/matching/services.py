"""The only bridge between the database and the pure matcher: models in, plain dataclasses out.

A household's suggestions load only its candidates: the hard rules that SQL can check on
indexed columns (status, scheme, language, child certificate, gender, free capacity, rule 7)
narrow the municipality's volunteers in the database, and the pure rules then run again on
those few, so the pre-filter can only narrow, never widen. Interest rarity is judged on the
whole pool all the same, from counts the database aggregates. The plan, a batch job, loads the
whole pool. Everything is loaded in bulk (one query per table, whatever the number of people),
as plain rows. The transitions of a match are in ``workflow.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from volunteer_hub import vocab
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, HouseholdLanguage, HouseholdScheme, Member
from volunteer_hub.families.models.household import MemberKind
from volunteer_hub.families.snapshot import schemes_by_household
from volunteer_hub.matching.engine import types
from volunteer_hub.matching.engine.config import (
    CONVERSATIONAL_RANK,
    DEFAULT_CONFIG,
    LANGUAGE_GROUP,
    LEVEL_RANK,
    MatchingConfig,
    language_group,
)
from volunteer_hub.matching.engine.features import InterestFrequencies, VolunteerPool
from volunteer_hub.matching.engine.plan import plan, waiting_requests
from volunteer_hub.matching.engine.rules import has_consented, months_before, requires_child_certificate
from volunteer_hub.matching.engine.scorer import explain_ineligibility, resolve_scheme, suggest
from volunteer_hub.matching.engine.types import Lang
from volunteer_hub.matching.models import OPEN_STATUSES, Match, MatchStatus, RejectedPair
from volunteer_hub.volunteers.labels import status_label
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

_VOCABULARY_NAMES = vocab.sentence_names()


@cache
def _status_names() -> dict[str, tuple[str, str]]:
    """A volunteer status as the volunteer pages name it, in English and Danish."""
    names: dict[str, list[str]] = {str(status): [] for status in VolunteerStatus}
    for locale in ("en", "da"):
        with force_locale(locale):
            for status in VolunteerStatus:
                names[str(status)].append(status_label(status))
    return {code: (en, da) for code, (en, da) in names.items()}


def matching_config() -> MatchingConfig:
    """The matcher's settings: the app's child-certificate validity, and the words its sentences
    use for codes, from the one vocabulary (``volunteer_hub.vocab``) and the volunteer pages."""
    months = current_app.config.get(
        "CHILD_CERTIFICATE_VALID_MONTHS", DEFAULT_CONFIG.child_certificate_valid_months
    )
    return MatchingConfig(
        child_certificate_valid_months=months,
        names={**_VOCABULARY_NAMES, "status": _status_names()},
    )


def interface_lang(locale: object) -> Lang:
    """The matcher's sentence language for an interface locale (Danish unless English)."""
    return "en" if str(locale).startswith("en") else "da"


# --- Volunteers ------------------------------------------------------------------------------


def active_on(as_of: dt.date) -> object:
    """SQL condition: a match active on ``as_of`` (FORMATS.md), i.e. using up a place."""
    return (
        (Match.status != MatchStatus.PROPOSED)
        & (Match.started_on <= as_of)
        & or_(Match.ended_on.is_(None), Match.ended_on > as_of)
    )


def active_match_counts(
    municipality_id: int, as_of: dt.date, volunteer_ids: Iterable[int] | Select[tuple[int]] | None = None
) -> dict[int, int]:
    """Volunteer id -> number of matches active on ``as_of`` (one grouped query).

    ``volunteer_ids``: only these volunteers, as ids or as a select of ids.
    """
    statement = (
        select(Match.volunteer_id, func.count(Match.id))
        .where(Match.municipality_id == municipality_id, active_on(as_of))
        .group_by(Match.volunteer_id)
    )
    if isinstance(volunteer_ids, Select):
        statement = statement.where(Match.volunteer_id.in_(volunteer_ids))
    elif volunteer_ids is not None:
        statement = statement.where(Match.volunteer_id.in_(list(volunteer_ids)))
    return {volunteer_id: count for volunteer_id, count in db.session.execute(statement).all()}


def certificate_on(volunteer: Volunteer) -> dt.date | None:
    """The day a certificate without remarks was received; None for any other state."""
    if volunteer.child_certificate_state != ChildCertificateState.RECEIVED_OK:
        return None
    return volunteer.child_certificate_received_on


def to_matcher_volunteer(volunteer: Volunteer, active_matches: int) -> types.Volunteer:
    """One volunteer row (languages and attributes loaded) as the matcher sees it."""
    return types.Volunteer(
        ref=volunteer.ref,
        status=str(volunteer.status),
        gender=str(volunteer.gender) if volunteer.gender else None,
        postcode=volunteer.postcode,
        languages=volunteer.language_levels,
        skills=tuple(volunteer.skills),
        interests=tuple(volunteer.interests),
        schemes=tuple(volunteer.schemes),
        availability=tuple(volunteer.availability),
        capacity=volunteer.capacity,
        active_matches=active_matches,
        child_certificate_on=certificate_on(volunteer),
        first_name=volunteer.first_name,
    )


# --- Households ------------------------------------------------------------------------------


def household_load_options() -> list[object]:
    return [
        selectinload(Household.members),
        selectinload(Household.languages),
        selectinload(Household.schemes),
    ]


def to_matcher_household(household: Household, as_of: dt.date) -> types.Household:
    """A household (members, languages, schemes loaded) as the matcher sees it on ``as_of``.

    Children's ages come from their birth years; adults without work are adults not employed.
    """
    adults = household.adults
    return types.Household(
        ref=household.ref,
        postcode=household.postcode,
        languages=household.language_levels,
        interests=tuple(household.interests or ()),
        schemes=tuple(household.scheme_codes),
        availability=tuple(household.availability or ()),
        volunteer_gender=household.volunteer_gender or None,
        consent_on=household.consent_on,
        registered_on=household.registered_on,
        children_ages=tuple(household.children_ages(as_of)),
        adults=len(adults),
        adults_without_work=sum(1 for m in adults if not m.employed),
    )


def load_households(municipality_id: int, *, with_schemes_only: bool = True) -> list[Household]:
    """The municipality's households (asking for a scheme), with what the matcher needs, by ref."""
    statement = (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .options(*household_load_options())
        .order_by(Household.registered_on, Household.ref)
    )
    households = list(db.session.execute(statement).scalars())
    return [h for h in households if h.schemes] if with_schemes_only else households


# --- Rule 7 and waiting requests -------------------------------------------------------------


def exclusions(
    municipality_id: int, *, household_id: int | None = None, ignore_match_id: int | None = None
) -> set[types.ExclusionKey]:
    """Pairs already matched (an open match) or rejected, as (household ref, volunteer ref, scheme)."""
    matched = (
        select(Household.ref, Volunteer.ref, Match.scheme)
        .join(Household, Household.id == Match.household_id)
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(Match.municipality_id == municipality_id, Match.status.in_(OPEN_STATUSES))
    )
    rejected = (
        select(Household.ref, Volunteer.ref, RejectedPair.scheme)
        .join(Household, Household.id == RejectedPair.household_id)
        .join(Volunteer, Volunteer.id == RejectedPair.volunteer_id)
        .where(RejectedPair.municipality_id == municipality_id)
    )
    if household_id is not None:
        matched = matched.where(Match.household_id == household_id)
        rejected = rejected.where(RejectedPair.household_id == household_id)
    if ignore_match_id is not None:
        matched = matched.where(Match.id != ignore_match_id)
    pairs = set(db.session.execute(matched).tuples()) | set(db.session.execute(rejected).tuples())
    return {(h, v, s) for h, v, s in pairs}


def active_requests(municipality_id: int, as_of: dt.date) -> set[tuple[int, str]]:
    """(household id, scheme) with a match active on ``as_of``: those requests do not wait."""
    rows = db.session.execute(
        select(Match.household_id, Match.scheme).where(
            Match.municipality_id == municipality_id, active_on(as_of)
        )
    ).tuples()
    return set(rows)


def waiting_schemes(household: Household, active: set[tuple[int, str]]) -> list[str]:
    """The schemes the household asks for and has no active match in."""
    return [s for s in household.scheme_codes if (household.id, s) not in active]


# --- The pool, suggestions, "why not?" and the plan --------------------------------------------


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
    for household_id, kind, birth_year, employed in plain_rows(
        db.session,
        select(Member.household_id, Member.kind, Member.birth_year, Member.employed)
        .join(Household, Household.id == Member.household_id)
        .where(asking),
    ):
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
    # Each subquery names Volunteer as the only outer table, so the condition can also narrow
    # queries over languages, attributes or matches.
    taken = (
        select(func.count(Match.id))
        .where(Match.volunteer_id == Volunteer.id, active_on(as_of))
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
        Match.status.in_(OPEN_STATUSES),
    )
    rejected = select(RejectedPair.id).where(
        RejectedPair.household_id == household.id,
        RejectedPair.volunteer_id == Volunteer.id,
        RejectedPair.scheme == scheme,
    )
    conditions = [
        Volunteer.capacity > taken,
        offers_scheme.correlate(Volunteer).exists(),
        speaks.correlate(Volunteer).exists(),
        ~matched.correlate(Volunteer).exists(),
        ~rejected.correlate(Volunteer).exists(),
    ]
    if requires_child_certificate(matcher_household, scheme):
        cutoff = months_before(as_of, config.child_certificate_valid_months)
        conditions += [
            Volunteer.child_certificate_state == ChildCertificateState.RECEIVED_OK,
            Volunteer.child_certificate_received_on.between(cutoff, as_of),
        ]
    if matcher_household.volunteer_gender in Gender._value2member_map_:
        conditions.append(Volunteer.gender == Gender(matcher_household.volunteer_gender))
    return and_(*conditions)


def volunteers_by_id(ids: Iterable[int]) -> dict[int, Volunteer]:
    """The volunteer rows behind matcher results (with their organisation), in one query."""
    statement = (
        select(Volunteer).where(Volunteer.id.in_(set(ids))).options(joinedload(Volunteer.organisation))
    )
    return {v.id: v for v in db.session.execute(statement).scalars()}


def households_by_id(ids: Iterable[int]) -> dict[int, Household]:
    """The household rows behind matcher results (with languages), in two queries."""
    statement = select(Household).where(Household.id.in_(set(ids))).options(selectinload(Household.languages))
    return {h.id: h for h in db.session.execute(statement).scalars()}


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: types.Suggestion
    volunteer: Volunteer


def load_candidates(
    household: Household,
    matcher_household: types.Household,
    scheme: str,
    as_of: dt.date,
    config: MatchingConfig,
) -> tuple[list[types.Volunteer], dict[str, int]]:
    """The volunteers ``candidate_filter`` lets through, as the matcher sees them (five queries).

    Their ids come first, so the filter runs once and the volunteers' languages, attributes
    and active matches are read by id.
    """
    municipality_id = household.municipality_id
    candidates = select(Volunteer.id).where(
        approved_volunteers(municipality_id),
        candidate_filter(household, matcher_household, scheme, as_of, config),
    )
    ids = [volunteer_id for (volunteer_id,) in plain_rows(db.session, candidates)]
    if not ids:
        return [], {}
    return _volunteer_rows(municipality_id, as_of, Volunteer.id.in_(ids))


def suggestions_for(
    household: Household,
    scheme: str | None,
    as_of: dt.date,
    lang: Lang = "da",
    *,
    top: int = 10,
    data: MatcherData | None = None,
) -> list[SuggestionRow]:
    """Ranked eligible volunteers for one household and scheme, with reasons in ``lang``.

    Scores only the candidates ``candidate_filter`` lets through, weighing interests by their
    rarity in the whole pool; ``data`` (the whole pool, e.g. the plan's) scores against it
    instead. Either way the ranking, scores and reasons are the same.
    """
    config = matching_config()
    matcher_household = to_matcher_household(household, as_of)
    if data is not None:
        matcher_household = data.matcher_households.get(household.ref, matcher_household)
        pool, volunteer_ids = data.pool, data.volunteer_ids
    else:
        chosen = resolve_scheme(matcher_household, scheme)
        volunteers: list[types.Volunteer] = []
        volunteer_ids = {}
        frequencies = InterestFrequencies(0, {})
        if chosen in matcher_household.schemes and has_consented(matcher_household, as_of):
            volunteers, volunteer_ids = load_candidates(household, matcher_household, chosen, as_of, config)
            if volunteers:
                frequencies = interest_frequencies(household.municipality_id)
        pool = VolunteerPool.build(volunteers, interest_frequencies=frequencies)
    suggestions = suggest(
        pool,
        matcher_household,
        scheme,
        as_of=as_of,
        exclusions=exclusions(household.municipality_id, household_id=household.id),
        top=top,
        lang=lang,
        config=config,
    )
    rows = volunteers_by_id(volunteer_ids[s.volunteer] for s in suggestions)
    return [SuggestionRow(s, rows[volunteer_ids[s.volunteer]]) for s in suggestions]


def load_household(household_id: int, *, lock: bool = False) -> Household:
    """One household with what the matcher needs (the caller has authorised it).

    ``lock`` re-reads it under ``FOR NO KEY UPDATE``, so two approvals for one household wait
    for each other.
    """
    statement = select(Household).where(Household.id == household_id).options(*household_load_options())
    if lock:
        statement = statement.with_for_update(key_share=True, of=Household).execution_options(
            populate_existing=True
        )
    return db.session.execute(statement).scalar_one()


def matcher_pair(
    household: Household, volunteer: Volunteer, as_of: dt.date, *, ignore_match_id: int | None = None
) -> tuple[types.Volunteer, types.Household, set[types.ExclusionKey]]:
    """One pair as the matcher sees it, with the household's exclusions (for rule checks)."""
    counts = active_match_counts(household.municipality_id, as_of, [volunteer.id])
    return (
        to_matcher_volunteer(volunteer, counts.get(volunteer.id, 0)),
        to_matcher_household(household, as_of),
        exclusions(household.municipality_id, household_id=household.id, ignore_match_id=ignore_match_id),
    )


def why_not(
    household: Household,
    scheme: str,
    volunteer: Volunteer,
    as_of: dt.date,
    lang: Lang = "da",
    *,
    ignore_match_id: int | None = None,
) -> list[types.RuleFailure]:
    """The hard rules this volunteer fails for the household and scheme (empty: eligible)."""
    v, h, excluded = matcher_pair(household, volunteer, as_of, ignore_match_id=ignore_match_id)
    return explain_ineligibility(
        v, h, scheme, as_of=as_of, exclusions=excluded, lang=lang, config=matching_config()
    )


@dataclass(frozen=True)
class PlanResult:
    """A plan with the rows behind its refs, for pages and the CLI."""

    plan: types.Plan
    volunteers: dict[str, Volunteer]
    households: dict[str, Household]
    requests: int


def proposed_plan(
    municipality_id: int,
    as_of: dt.date,
    waiting_priority: float,
    scheme: str | None = None,
    lang: Lang = "en",
) -> PlanResult:
    """The exact best plan for every waiting request of the municipality (nothing is saved)."""
    data = load_matcher_data(municipality_id, as_of)
    ref_of = {household_id: ref for ref, household_id in data.household_ids.items()}
    active = {(ref_of[h], s) for h, s in active_requests(municipality_id, as_of) if h in ref_of}
    requests = waiting_requests(data.matcher_households.values(), active=active, scheme=scheme)
    result = plan(
        data.pool,
        requests,
        as_of=as_of,
        exclusions=exclusions(municipality_id),
        waiting_priority=waiting_priority,
        lang=lang,
        config=matching_config(),
    )
    volunteers = volunteers_by_id(data.volunteer_ids[a.volunteer] for a in result.assignments)
    households = households_by_id(
        [data.household_ids[a.household] for a in result.assignments]
        + [data.household_ids[u.household] for u in result.unassigned]
    )
    return PlanResult(
        result,
        {ref: volunteers[i] for ref, i in data.volunteer_ids.items() if i in volunteers},
        {ref: households[i] for ref, i in data.household_ids.items() if i in households},
        len(requests),
    )
