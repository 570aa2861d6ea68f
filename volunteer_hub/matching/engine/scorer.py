"""Scores eligible volunteers for a household and ranks them, with the reasons behind each score.

A score is a weighted sum of named factors, each in [0, 1], with the scheme's weights summing
to 1, so the score is in [0, 1] and each reason's contribution (weight x value) adds up to it.
Every factor is computed for all candidate volunteers at once with numpy; Python only loops
over the suggestions it returns (to write their sentences). Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from volunteer_hub.matching.engine.config import (
    DEFAULT_CONFIG,
    FACTORS,
    LEVEL_VALUE,
    SCHEMES,
    MatchingConfig,
    skill_needs,
)
from volunteer_hub.matching.engine.features import (
    SKILL_BIT,
    FloatArray,
    HouseholdFeatures,
    IntArray,
    VolunteerPool,
    bitmask,
    exclusion_index,
)
from volunteer_hub.matching.engine.reasons import factor_reasons, rule_failure_text
from volunteer_hub.matching.engine.rules import (
    RULE_NUMBER,
    RULES,
    WAIVABLE_RULES,
    check_waivable,
    eligibility,
    eligible_mask,
)
from volunteer_hub.matching.engine.types import (
    Exclusions,
    Household,
    Lang,
    Request,
    RuleFailure,
    Suggestion,
    Volunteer,
)

_LEVEL_VALUES: FloatArray = np.array([LEVEL_VALUE[rank] for rank in range(5)])


def waiting_factor(household: Household, as_of: date, config: MatchingConfig) -> float:
    """Days since ``registered_on`` over the saturation (90 days by default), capped at 1."""
    if household.registered_on is None:
        return 0.0
    days = max((as_of - household.registered_on).days, 0)
    return min(days / config.waiting_saturation_days, 1.0)


def start_day(household: Household, as_of: date) -> date:
    """The day a pair for this household would start: its arrival when announced, else ``as_of``."""
    if household.arrives_on is not None and household.arrives_on > as_of:
        return household.arrives_on
    return as_of


def waiting_price_basis(household: Household, as_of: date, config: MatchingConfig) -> float:
    """The plan's waiting price per unit of priority: days waited (since registration or
    arrival, whichever is later) over the saturation, NOT capped.

    The score's waiting factor stops at 1 because a score must stay in [0, 1] (FORMATS.md);
    the fairness mode's price keeps growing, so 300 days weigh more than 128. An announced
    household waits 0 days until it arrives.
    """
    if household.registered_on is None:
        return 0.0
    since = max(household.registered_on, household.arrives_on or household.registered_on)
    return max((as_of - since).days, 0) / config.waiting_saturation_days


def interest_similarity(pool: VolunteerPool, features: HouseholdFeatures) -> FloatArray:
    """Cosine of TF-IDF interest vectors between the household and every volunteer, in [0, 1].

    Both sides are l2-normalised with non-negative weights, so the dot product is the cosine;
    a rare interest has a large IDF weight and so counts more than one everybody lists.
    """
    if not features.interests.any():
        return np.zeros(len(pool), dtype=np.float64)
    return np.clip(pool.interests @ features.interests, 0.0, 1.0)


def factor_values(
    pool: VolunteerPool,
    features: HouseholdFeatures,
    scheme: str,
    rows: IntArray,
    *,
    as_of: date,
    config: MatchingConfig = DEFAULT_CONFIG,
    cosine: FloatArray | None = None,
) -> FloatArray:
    """Factor values (``len(FACTORS)`` x ``len(rows)``) for the volunteers at pool ``rows``.

    ``cosine``: the household's interest similarity to every volunteer, when the caller
    already has it (a household asking for two schemes needs it once).
    """
    household = features.household
    values = np.empty((len(FACTORS), len(rows)), dtype=np.float64)

    best = np.zeros(len(rows), dtype=np.uint8)
    for column, rank in zip(features.language_columns, features.language_levels, strict=True):
        np.maximum(best, np.minimum(pool.languages[column, rows], rank), out=best)
    values[0] = _LEVEL_VALUES[best]

    if cosine is None:
        cosine = interest_similarity(pool, features)
    values[1] = cosine[rows]

    available = pool.availability[rows]
    if features.availability_wanted:
        shared = np.bitwise_count(available & np.uint64(features.availability))
        values[2] = shared / features.availability_wanted
    else:
        values[2] = available != 0  # no preference: any volunteer with some time fits

    # fmax/fmin ignore NaN, so an unknown postcode (NaN km) gives closeness 0, not NaN.
    closeness = np.fmin(np.fmax(1.0 - features.km_by_postcode / config.distance_zero_km, 0.0), 1.0)
    values[3] = closeness[pool.postcode_index[rows]]

    needs = bitmask(skill_needs(scheme, household.children_ages, household.adults_without_work), SKILL_BIT)
    if needs:
        met = np.bitwise_count(pool.skills[rows] & np.uint32(needs))
        enough = min(int(np.bitwise_count(np.uint32(needs))), config.skills_saturation)
        values[4] = np.minimum(met / enough, 1.0)
    else:
        values[4] = 0.0

    values[5] = waiting_factor(household, as_of, config)
    return values


def combine(values: FloatArray, weights: Sequence[float]) -> tuple[FloatArray, FloatArray]:
    """Contributions (weight x value per factor) and scores (their sum, kept within [0, 1])."""
    contributions = np.asarray(weights, dtype=np.float64)[:, None] * values
    scores = np.clip(contributions.sum(axis=0), 0.0, 1.0)
    return contributions, scores


def rank(scores: FloatArray, tiebreak: IntArray, top: int) -> IntArray:
    """Positions of the best ``top`` scores (all when 0), highest first, ties by ``tiebreak``."""
    candidates = np.arange(len(scores))
    if 0 < top < len(scores):
        threshold = np.partition(scores, len(scores) - top)[len(scores) - top]
        candidates = np.flatnonzero(scores >= threshold)
    order = candidates[np.lexsort((tiebreak[candidates], -scores[candidates]))]
    return order[:top] if top > 0 else order


def resolve_scheme(household: Household, scheme: str | None) -> str:
    """The requested scheme, or the household's first one (the CLI default)."""
    chosen = scheme or (household.schemes[0] if household.schemes else None)
    if chosen is None:
        raise ValueError(f"household {household.ref} asks for no scheme")
    if chosen not in SCHEMES:
        raise ValueError(f"unknown scheme {chosen!r}")
    return chosen


def suggest(
    pool: VolunteerPool,
    household: Household,
    scheme: str | None = None,
    *,
    as_of: date,
    exclusions: Exclusions = (),
    top: int = 10,
    lang: Lang = "en",
    waive: Collection[str] = (),
    config: MatchingConfig = DEFAULT_CONFIG,
) -> list[Suggestion]:
    """Eligible volunteers for one household and scheme, best first, with reasons.

    ``top=0`` returns all. Ties are broken by volunteer ref so output is reproducible.
    ``waive`` may only contain ``"shared_language"`` (a coordinator's override).
    """
    chosen = resolve_scheme(household, scheme)
    features = pool.encode_household(household)
    excluded = pool.excluded_indices(household.ref, chosen, exclusions)
    day = start_day(household, as_of)  # as the plan does: an announced household on its arrival
    mask = eligible_mask(pool, features, chosen, as_of=day, excluded=excluded, config=config, waive=waive)
    rows = np.flatnonzero(mask)
    values = factor_values(pool, features, chosen, rows, as_of=day, config=config)
    weights = config.weights_for(chosen)
    _, scores = combine(values, weights)
    suggestions = []
    for j in rank(scores, pool.ref_rank[rows], top):
        row = int(rows[j])
        reasons = factor_reasons(
            pool, row, features, chosen, values[:, j], weights, as_of=day, lang=lang,
            config=config,
        )  # fmt: skip
        suggestions.append(
            Suggestion(volunteer=pool.volunteers[row].ref, score=float(scores[j]), reasons=reasons)
        )
    return suggestions


def explain_ineligibility(
    volunteer: Volunteer,
    household: Household,
    scheme: str,
    *,
    as_of: date,
    exclusions: Exclusions = (),
    lang: Lang = "en",
    config: MatchingConfig = DEFAULT_CONFIG,
) -> list[RuleFailure]:
    """The hard rules this volunteer fails for the household and scheme ("why not Anna?").

    An empty list means eligible. Uses the very masks ``suggest`` uses, on a pool of one, on the
    same day: an announced household is judged on its arrival, as its suggestions and the plan are.
    """
    day = start_day(household, as_of)
    pool = VolunteerPool.build([volunteer], postcode_table={})
    masks = eligibility(pool, household, scheme, as_of=day, exclusions=exclusions, config=config)
    return [
        RuleFailure(
            rule=rule,
            number=RULE_NUMBER[rule],
            text=rule_failure_text(rule, volunteer, household, scheme, day, lang, config),
            waivable=rule in WAIVABLE_RULES,
        )
        for rule in RULES
        if not masks[rule][0]
    ]


def is_eligible(
    volunteer: Volunteer,
    household: Household,
    scheme: str,
    *,
    as_of: date,
    exclusions: Exclusions = (),
    waive: Collection[str] = (),
    config: MatchingConfig = DEFAULT_CONFIG,
) -> bool:
    """Whether one pair passes every hard rule except the waived ones (language only)."""
    waived = check_waivable(waive)
    failures = explain_ineligibility(
        volunteer, household, scheme, as_of=as_of, exclusions=exclusions, config=config
    )
    return all(failure.rule in waived for failure in failures)


@dataclass(frozen=True, eq=False)
class ScoredRequests:
    """The eligible pairs of many requests, CSR-like: request r's candidates are
    ``volunteers[indptr[r]:indptr[r+1]]`` (pool rows, ascending) with ``scores`` alongside.

    ``waiting`` holds each request's waiting price basis (``waiting_price_basis``, uncapped).
    """

    requests: tuple[Request, ...]
    indptr: npt.NDArray[np.int64]
    volunteers: npt.NDArray[np.int32]
    scores: FloatArray
    waiting: FloatArray

    @property
    def n_pairs(self) -> int:
        """Number of eligible (request, volunteer) pairs."""
        return int(self.indptr[-1])


def score_requests(
    pool: VolunteerPool,
    requests: Sequence[Request],
    *,
    as_of: date,
    exclusions: Exclusions = (),
    config: MatchingConfig = DEFAULT_CONFIG,
) -> ScoredRequests:
    """Scores of every eligible pair for many requests, one vectorised pass per request.

    Uses the same masks and factors as ``suggest``, so a plan's scores equal the suggestions'.
    The result lists the requests grouped by household (in order of first appearance; the
    order ``waiting_requests`` already gives), so household-level work is done once.
    """
    excluded_by_request = exclusion_index(pool, exclusions)
    no_rows = np.zeros(0, dtype=np.intp)
    by_household: dict[str, list[Request]] = {}
    for request in requests:
        by_household.setdefault(request.household.ref, []).append(request)
    ordered = [request for group in by_household.values() for request in group]
    counts = np.zeros(len(ordered) + 1, dtype=np.int64)
    waiting = np.zeros(len(ordered), dtype=np.float64)
    pairs = _PairBuffer()
    r = 0
    for group in by_household.values():
        household = group[0].household
        features = pool.encode_household(household)
        cosine: FloatArray | None = None
        for request in group:
            scheme = resolve_scheme(household, request.scheme)
            excluded = excluded_by_request.get((household.ref, scheme), no_rows)
            day = start_day(household, as_of)  # an announced household is judged on its arrival
            mask = eligible_mask(pool, features, scheme, as_of=day, excluded=excluded, config=config)
            rows = np.flatnonzero(mask)
            if len(rows) and cosine is None:
                cosine = interest_similarity(pool, features)
            values = factor_values(pool, features, scheme, rows, as_of=day, config=config, cosine=cosine)
            _, scores = combine(values, config.weights_for(scheme))
            pairs.add(rows, scores)
            counts[r + 1] = len(rows)
            waiting[r] = waiting_price_basis(household, as_of, config)
            r += 1
    volunteers, scores = pairs.arrays()
    return ScoredRequests(
        requests=tuple(ordered),
        indptr=np.cumsum(counts),
        volunteers=volunteers,
        scores=scores,
        waiting=waiting,
    )


class _PairBuffer:
    """Collects per-request chunks into large blocks as it goes.

    Thousands of small chunks freed at the end would leave their memory stranded in the
    allocator's heap; merging them into blocks every million pairs keeps the resident size
    close to the final arrays.
    """

    BLOCK = 1 << 20

    def __init__(self) -> None:
        self._rows: list[npt.NDArray[np.int32]] = []
        self._scores: list[FloatArray] = []
        self._pending = 0
        self._blocks: list[tuple[npt.NDArray[np.int32], FloatArray]] = []

    def add(self, rows: IntArray, scores: FloatArray) -> None:
        self._rows.append(rows.astype(np.int32))
        self._scores.append(scores)
        self._pending += len(rows)
        if self._pending >= self.BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._blocks.append((np.concatenate(self._rows), np.concatenate(self._scores)))
        self._rows, self._scores, self._pending = [], [], 0

    def arrays(self) -> tuple[npt.NDArray[np.int32], FloatArray]:
        self._flush()
        if not self._blocks:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        rows = np.concatenate([b[0] for b in self._blocks])
        scores = np.concatenate([b[1] for b in self._blocks])
        self._blocks = []
        return rows, scores
