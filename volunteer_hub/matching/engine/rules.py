"""The hard rules of matching (FORMATS.md, `match suggest`, rules 1-7) as boolean masks.

Rules are filters, never score terms: a volunteer who fails one is not suggested, however well
they would score. Each rule is one vectorised mask over the whole pool, so the same code
answers "who is eligible?" for a ranking and "why not Anna?" for one volunteer. Only the
language rule may be waived (a coordinator's override, with a reason); the child-certificate
rule never can, because Danish law requires the certificate.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date

import numpy as np

from volunteer_hub.matching.engine.config import (
    CHILD_CERTIFICATE_AGE_LIMIT,
    CHILD_CONTACT_SCHEMES,
    CHILDREN_ONLY_SCHEMES,
    CONVERSATIONAL_RANK,
    DEFAULT_CONFIG,
    MatchingConfig,
)
from volunteer_hub.matching.engine.features import (
    SCHEME_BIT,
    BoolArray,
    HouseholdFeatures,
    IntArray,
    VolunteerPool,
)
from volunteer_hub.matching.engine.types import Exclusions, Household

RULES: tuple[str, ...] = (
    "approved_free_capacity",
    "scheme",
    "shared_language",
    "child_certificate",
    "volunteer_gender",
    "consent",
    "not_matched_or_rejected",
)
"""Rule ids, in the order (and with the numbers 1-7) of FORMATS.md."""

RULE_NUMBER: dict[str, int] = {rule: number for number, rule in enumerate(RULES, start=1)}

WAIVABLE_RULES: frozenset[str] = frozenset({"shared_language"})
"""The only rule a coordinator may override."""


def months_before(day: date, months: int) -> date:
    """``day`` minus whole calendar months; the day is clamped (2026-03-31 - 1 -> 2026-02-28)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def requires_child_certificate(household: Household, scheme: str) -> bool:
    """Rule 4 applies to child culture, and to family buddies when a child is under 15.

    Which schemes those are is ``config.CHILD_CONTACT_SCHEMES``, the list the sign-up's consent reads.
    """
    if scheme in CHILDREN_ONLY_SCHEMES:
        return True
    return scheme in CHILD_CONTACT_SCHEMES and any(
        age < CHILD_CERTIFICATE_AGE_LIMIT for age in household.children_ages
    )


def has_consented(household: Household, as_of: date) -> bool:
    """Rule 6: consent given on or before ``as_of``."""
    return household.consent_on is not None and household.consent_on <= as_of


def check_waivable(waive: Collection[str]) -> frozenset[str]:
    """The waived rules, refusing any rule that may not be waived (e.g. the child certificate)."""
    waived = frozenset(waive)
    refused = waived - WAIVABLE_RULES
    if refused:
        raise ValueError(f"only {sorted(WAIVABLE_RULES)} may be waived, not {sorted(refused)}")
    return waived


def rule_masks(
    pool: VolunteerPool,
    features: HouseholdFeatures,
    scheme: str,
    *,
    as_of: date,
    excluded: IntArray,
    config: MatchingConfig = DEFAULT_CONFIG,
) -> dict[str, BoolArray]:
    """One mask per rule id: True where the volunteer passes that rule for this request."""
    household = features.household
    n = len(pool)
    not_excluded = np.ones(n, dtype=bool)
    not_excluded[excluded] = False
    return {
        "approved_free_capacity": _available(pool),
        "scheme": _offers(pool, scheme) & (scheme in household.schemes),
        "shared_language": _shared_language(pool, features),
        "child_certificate": _certificate_ok(pool, household, scheme, as_of, config),
        "volunteer_gender": _gender_ok(pool, features),
        "consent": np.full(n, has_consented(household, as_of)),
        "not_matched_or_rejected": not_excluded,
    }


def eligible_mask(
    pool: VolunteerPool,
    features: HouseholdFeatures,
    scheme: str,
    *,
    as_of: date,
    excluded: IntArray,
    config: MatchingConfig = DEFAULT_CONFIG,
    waive: Collection[str] = (),
) -> BoolArray:
    """AND of the rule masks (minus waived ones), short-circuiting the household-wide rules.

    Equal to ``rule_masks`` combined; kept separate because it is on the hot path of
    ``suggest`` and ``plan`` and skips the masks that cannot change the answer.
    """
    waived = check_waivable(waive)
    household = features.household
    if scheme not in household.schemes or not has_consented(household, as_of):
        return np.zeros(len(pool), dtype=bool)
    mask = _available(pool)
    mask &= _offers(pool, scheme)
    if "shared_language" not in waived:
        mask &= _shared_language(pool, features)
    if requires_child_certificate(household, scheme):
        mask &= _certificate_ok(pool, household, scheme, as_of, config)
    if features.gender:
        mask &= pool.gender == features.gender
    mask[excluded] = False
    return mask


def eligibility(
    pool: VolunteerPool,
    household: Household,
    scheme: str,
    *,
    as_of: date,
    exclusions: Exclusions = (),
    config: MatchingConfig = DEFAULT_CONFIG,
) -> dict[str, BoolArray]:
    """Per-rule masks over the pool (row i = ``pool.volunteers[i]``), for the integration layer.

    Combine them as it needs, e.g. everything but ``shared_language`` for an override screen.
    """
    features = pool.encode_household(household)
    excluded = pool.excluded_indices(household.ref, scheme, exclusions)
    return rule_masks(pool, features, scheme, as_of=as_of, excluded=excluded, config=config)


def _available(pool: VolunteerPool) -> BoolArray:
    return pool.approved & (pool.free_capacity > 0)


def _offers(pool: VolunteerPool, scheme: str) -> BoolArray:
    return (pool.schemes & np.uint8(SCHEME_BIT.get(scheme, 0))) != 0


def _shared_language(pool: VolunteerPool, features: HouseholdFeatures) -> BoolArray:
    mask = np.zeros(len(pool), dtype=bool)
    for column, rank in zip(features.language_columns, features.language_levels, strict=True):
        if rank >= CONVERSATIONAL_RANK:
            mask |= pool.languages[column] >= CONVERSATIONAL_RANK
    return mask


def _certificate_ok(
    pool: VolunteerPool, household: Household, scheme: str, as_of: date, config: MatchingConfig
) -> BoolArray:
    if not requires_child_certificate(household, scheme):
        return np.ones(len(pool), dtype=bool)
    cutoff = months_before(as_of, config.child_certificate_valid_months).toordinal()
    received = pool.certificate_on
    return (received >= cutoff) & (received <= as_of.toordinal())


def _gender_ok(pool: VolunteerPool, features: HouseholdFeatures) -> BoolArray:
    if not features.gender:
        return np.ones(len(pool), dtype=bool)
    return pool.gender == features.gender
