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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from volunteer_hub import vocab
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching.engine import types
from volunteer_hub.matching.engine.config import DEFAULT_CONFIG, MatchingConfig
from volunteer_hub.matching.engine.features import InterestFrequencies, VolunteerPool
from volunteer_hub.matching.engine.forecast import FORECAST_DAYS, forecast_requests
from volunteer_hub.matching.engine.plan import plan, waiting_requests
from volunteer_hub.matching.engine.rules import has_consented
from volunteer_hub.matching.engine.scorer import explain_ineligibility, resolve_scheme, start_day, suggest
from volunteer_hub.matching.engine.types import Lang
from volunteer_hub.matching.models import Match  # noqa: F401 - tests query matches through the bridge
from volunteer_hub.matching.rarity import kept_frequencies
from volunteer_hub.matching.services.pool import (  # noqa: F401 - the bridge's interface
    MatcherData,
    _volunteer_rows,
    approved_volunteers,
    asking_households,
    candidate_filter,
    interest_frequencies,
    load_matcher_data,
)
from volunteer_hub.matching.services.rows import (  # noqa: F401 - the bridge's interface
    active_match_counts,
    active_on,
    active_requests,
    certificate_on,
    exclusions,
    holds_place,
    household_load_options,
    load_households,
    proposed_requests,
    to_matcher_household,
    to_matcher_volunteer,
    waiting_schemes,
)
from volunteer_hub.volunteers.labels import status_label
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus

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


def volunteers_by_id(ids: Iterable[int]) -> dict[int, Volunteer]:
    """The volunteer rows behind matcher results (with their organisation), in one query."""
    statement = (
        select(Volunteer).where(Volunteer.id.in_(set(ids))).options(joinedload(Volunteer.organisation))
    )
    return {v.id: v for v in db.session.execute(statement).scalars()}


def households_by_id(ids: Iterable[int]) -> dict[int, Household]:
    """The household rows behind matcher results (with languages and members: the plan page
    shows waiting days from the arrival), in three queries."""
    statement = (
        select(Household)
        .where(Household.id.in_(set(ids)))
        .options(selectinload(Household.languages), selectinload(Household.members))
    )
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
        if chosen in matcher_household.schemes and has_consented(
            matcher_household, start_day(matcher_household, as_of)
        ):
            volunteers, volunteer_ids = load_candidates(household, matcher_household, chosen, as_of, config)
            if volunteers:
                frequencies = kept_frequencies(household.municipality_id, interest_frequencies)
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



PLAN_TODAY = "today"
PLAN_AHEAD = "ahead"
PLAN_POLICIES = (PLAN_AHEAD, PLAN_TODAY)
DEFAULT_HORIZON_DAYS = 28


@dataclass(frozen=True)
class PlanResult:
    """A plan with the rows behind its refs, for pages and the CLI."""

    plan: types.Plan
    volunteers: dict[str, Volunteer]
    households: dict[str, Household]
    requests: int
    policy: str = PLAN_TODAY
    horizon: int = 0
    holds_for_expected: bool = False


def proposed_plan(
    municipality_id: int,
    as_of: dt.date,
    waiting_priority: float,
    scheme: str | None = None,
    lang: Lang = "en",
    *,
    policy: str = PLAN_TODAY,
    horizon: int = DEFAULT_HORIZON_DAYS,
    hold_for_expected: bool = False,
) -> PlanResult:
    """The exact best plan for every waiting request of the municipality (nothing is saved).

    ``policy`` "today" plans the households that have arrived by ``as_of``; "ahead" also
    plans the households announced to arrive within ``horizon`` days (their pairs start on
    arrival). ``hold_for_expected`` (with "ahead") also holds places for the families expected
    in the coming ``FORECAST_DAYS`` from last year's arrival mix (``engine.forecast``); the page
    and ``flask match plan`` do so by default, because the simulated year (docs/performance.md)
    gains from it. A request with a proposal awaiting approval is listed as proposed.
    """
    data = load_matcher_data(municipality_id, as_of)
    ref_of = {household_id: ref for ref, household_id in data.household_ids.items()}
    active = {(ref_of[h], s) for h, s in active_requests(municipality_id, as_of) if h in ref_of}
    pending = {(ref_of[h], s) for h, s in proposed_requests(municipality_id) if h in ref_of}
    last_day = as_of + dt.timedelta(days=horizon if policy == PLAN_AHEAD else 0)
    planned = [
        h for h in data.matcher_households.values() if h.arrives_on is None or h.arrives_on <= last_day
    ]
    requests = waiting_requests(planned, active=active, scheme=scheme)
    forecast: list[types.Request] = []
    if policy == PLAN_AHEAD and hold_for_expected:
        history = data.matcher_households.values()
        forecast = forecast_requests(history, as_of=as_of, horizon_days=FORECAST_DAYS, scheme=scheme)
    config = matching_config()
    result = plan(
        data.pool,
        requests,
        as_of=as_of,
        exclusions=exclusions(municipality_id),
        waiting_priority=waiting_priority,
        lang=lang,
        config=config,
        pending=pending,
        forecast=forecast,
        compare_best_fit=waiting_priority > 0,
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
        policy,
        horizon if policy == PLAN_AHEAD else 0,
        bool(forecast),
    )
