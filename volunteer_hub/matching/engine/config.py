"""Tunable numbers of the matcher: factor weights per scheme, decay distances and the needs table.

Weights live in one dict so a municipality can reweigh a scheme without touching code; every
scheme's weights sum to 1, so a score (a weighted sum of factors in [0, 1]) stays in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from volunteer_hub.matching.engine.types import Names

FACTORS: tuple[str, ...] = (
    "language", "interests", "availability", "distance", "skills", "waiting",
)  # fmt: skip
"""The named score factors, in the order reasons are listed."""

CHILD_CERTIFICATE_VALID_MONTHS: int = 24
"""Rule 4: a child certificate counts when received at most this many months before as_of."""

CHILD_CERTIFICATE_AGE_LIMIT: int = 15
"""Rule 4: family_buddy needs a certificate when any child is younger than this (Danish law)."""

CHILD_CONTACT_SCHEMES: frozenset[str] = frozenset({"child_culture", "family_buddy"})
"""Rule 4: the schemes that can bring a volunteer into regular contact with children under 15,
so may need a child certificate: child culture always, follow-a-family when the household has a
child under 15. The one list: the app hands it to the volunteers' sign-up (config
``CHILD_CONTACT_SCHEMES``, set by matching's ``register``), which asks for consent to a certificate
for exactly these schemes."""

CHILDREN_ONLY_SCHEMES: frozenset[str] = frozenset({"child_culture"})
"""Of ``CHILD_CONTACT_SCHEMES``, those about children whatever the household: always rule 4."""

LEVEL_RANK: Mapping[str, int] = MappingProxyType({"basic": 1, "conversational": 2, "fluent": 3, "native": 4})
"""The language rule's scale: rank of each level; 0 means 'does not speak it'."""

CONVERSATIONAL_RANK: int = LEVEL_RANK["conversational"]
"""Rule 3 needs both sides at least this rank in one shared language."""

LANGUAGE_GROUP: Mapping[str, str] = MappingProxyType({"prs": "fa", "hr": "bs", "sr": "bs"})
"""Codes that count as one language (rule 3): Dari = Persian; Bosnian = Croatian = Serbian.

Each code maps to the code that stands for its group; codes not listed are their own group.
"""


def language_group(code: str) -> str:
    """The code standing for the group ``code`` belongs to (itself for most languages)."""
    return LANGUAGE_GROUP.get(code, code)


LEVEL_VALUE: Mapping[int, float] = MappingProxyType({0: 0.0, 1: 0.2, 2: 0.5, 3: 0.8, 4: 1.0})
"""Language factor for the best level both sides share (rank 1 basic .. 4 native).

Basic only matters when a coordinator waived the language rule; a pair eligible by rule 3
always scores at least the conversational value.
"""

_DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    # Language first everywhere: the pair must talk. Leisure introduction is about shared
    # interests; contact persons and child culture are about practical help (skills).
    "family_buddy": {"language": 0.30, "interests": 0.15, "availability": 0.15,
                     "distance": 0.15, "skills": 0.15, "waiting": 0.10},
    "friend_buddy": {"language": 0.30, "interests": 0.25, "availability": 0.15,
                     "distance": 0.15, "skills": 0.05, "waiting": 0.10},
    "contact_person": {"language": 0.35, "interests": 0.05, "availability": 0.15,
                       "distance": 0.15, "skills": 0.20, "waiting": 0.10},
    "leisure_intro": {"language": 0.20, "interests": 0.35, "availability": 0.15,
                      "distance": 0.15, "skills": 0.05, "waiting": 0.10},
    "child_culture": {"language": 0.25, "interests": 0.10, "availability": 0.15,
                      "distance": 0.15, "skills": 0.25, "waiting": 0.10},
}  # fmt: skip

DEFAULT_WEIGHTS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {scheme: MappingProxyType(weights) for scheme, weights in _DEFAULT_WEIGHTS.items()}
)
"""Factor weights per scheme; each scheme's weights sum to 1."""

SCHEMES: tuple[str, ...] = tuple(_DEFAULT_WEIGHTS)
"""The schemes the matcher weighs: every scheme of FORMATS.md, in its order."""

SCHEME_SKILL_NEEDS: Mapping[str, frozenset[str]] = MappingProxyType({
    # What a volunteer in each scheme is mostly asked to help with (DOMAIN.md P9-P14).
    "family_buddy": frozenset({"danish_practice", "paperwork", "digital_skills"}),
    "friend_buddy": frozenset({"danish_practice", "digital_skills", "cycling_training"}),
    "contact_person": frozenset(
        {"danish_practice", "paperwork", "healthcare_navigation", "housing_help"}
    ),
    "leisure_intro": frozenset({"sports_coaching", "music", "arts_crafts", "cycling_training"}),
    "child_culture": frozenset({"homework_help", "childcare", "arts_crafts"}),
})  # fmt: skip

WORK_SKILLS: frozenset[str] = frozenset({"job_search", "cv_writing"})
"""Added to the needs when an adult has no work (P8: work is the main route to integration)."""

WORK_SCHEMES: frozenset[str] = frozenset({"family_buddy", "friend_buddy", "contact_person"})
"""Schemes in which a volunteer also helps adults towards work."""

CHILD_SCHEMES: frozenset[str] = frozenset({"family_buddy", "child_culture"})
"""Schemes in which the household's children add needs: childcare under 6, homework 6-16."""

NEEDED_SKILLS: tuple[str, ...] = tuple(
    sorted(set().union(*SCHEME_SKILL_NEEDS.values(), WORK_SKILLS, {"childcare", "homework_help"}))
)
"""Every skill ``skill_needs`` can ask for; a volunteer's other skills never count."""


def skill_needs(scheme: str, children_ages: tuple[int, ...], adults_without_work: int) -> frozenset[str]:
    """Skills that help one household in one scheme: the scheme's table plus household needs."""
    needs = set(SCHEME_SKILL_NEEDS.get(scheme, frozenset()))
    if adults_without_work > 0 and scheme in WORK_SCHEMES:
        needs |= WORK_SKILLS
    if scheme in CHILD_SCHEMES:
        if any(age < 6 for age in children_ages):
            needs.add("childcare")
        if any(6 <= age <= 16 for age in children_ages):
            needs.add("homework_help")
    return frozenset(needs)


@dataclass(frozen=True)
class MatchingConfig:
    """All knobs in one immutable object; build variants with ``with_weights`` or ``replace``.

    ``distance_zero_km``: the distance factor falls linearly from 1 (same postcode centroid) to
    0 at this distance. ``waiting_saturation_days``: the waiting factor grows linearly to 1 at
    this many days since ``registered_on``. ``skills_saturation``: this many needed skills
    give the full skills factor (a household rarely needs a volunteer who can do everything).
    ``names``: the words the sentences use for codes, per vocabulary, given by the app (see
    ``types.Names``); a code without a name reads as the code itself.
    """

    weights: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    child_certificate_valid_months: int = CHILD_CERTIFICATE_VALID_MONTHS
    distance_zero_km: float = 30.0
    waiting_saturation_days: int = 90
    skills_saturation: int = 3
    names: Names = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        validate_weights(self.weights)
        if self.child_certificate_valid_months < 0:
            raise ValueError("child_certificate_valid_months must be >= 0")
        if self.distance_zero_km <= 0 or self.waiting_saturation_days <= 0:
            raise ValueError("distance_zero_km and waiting_saturation_days must be > 0")
        if self.skills_saturation <= 0:
            raise ValueError("skills_saturation must be > 0")

    def with_weights(self, overrides: Mapping[str, Mapping[str, float]]) -> MatchingConfig:
        """A copy whose listed schemes use the given weights (factors left out weigh 0)."""
        merged = {scheme: dict(w) for scheme, w in self.weights.items()}
        for scheme, weights in overrides.items():
            merged[scheme] = {factor: float(weights.get(factor, 0.0)) for factor in FACTORS}
            unknown = set(weights) - set(FACTORS)
            if unknown:
                raise ValueError(f"unknown factor(s) for {scheme}: {sorted(unknown)}")
        return replace(self, weights=merged)

    def weights_for(self, scheme: str) -> tuple[float, ...]:
        """The scheme's weights in ``FACTORS`` order."""
        weights = self.weights[scheme]
        return tuple(float(weights.get(factor, 0.0)) for factor in FACTORS)


def validate_weights(weights: Mapping[str, Mapping[str, float]]) -> None:
    """Refuse weights that would let a score leave [0, 1]: negative, unknown or not summing to 1."""
    for scheme in SCHEMES:
        if scheme not in weights:
            raise ValueError(f"no weights for scheme {scheme}")
    for scheme, scheme_weights in weights.items():
        unknown = set(scheme_weights) - set(FACTORS)
        if unknown:
            raise ValueError(f"unknown factor(s) for {scheme}: {sorted(unknown)}")
        if any(w < 0 or not math.isfinite(w) for w in scheme_weights.values()):
            raise ValueError(f"weights for {scheme} must be finite and >= 0")
        total = math.fsum(scheme_weights.values())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"weights for {scheme} sum to {total}, not 1")


DEFAULT_CONFIG = MatchingConfig()
"""The configuration used when a caller passes none."""
