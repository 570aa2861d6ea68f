"""Plain dataclasses the matcher takes and returns, so it needs neither Flask nor the database.

The integration layer (matching/services.py) copies model rows into these; the matcher never
sees a session, so it can be tested and benchmarked alone (STYLE.md, habit 5).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Lang = Literal["da", "en"]
"""Language of the sentences written for a coordinator."""

Names = Mapping[str, Mapping[str, tuple[str, str]]]
"""Words for codes as they read inside a sentence: vocabulary -> code -> (English, Danish).

The vocabularies are those of ``volunteer_hub.vocab`` ("language", "level", "scheme",
"availability", "skill", "interest", "gender") plus "status" for a volunteer's status; the app
builds them (``matching/services.py``), so the engine holds no labels of its own.
"""

ExclusionKey = tuple[str, str, str]
"""``(household_ref, volunteer_ref, scheme)``: a pair that rule 7 excludes in that scheme.

The caller puts here the pairs already matched in the scheme and the pairs a coordinator
rejected before; the matcher does not tell the two apart.
"""

Exclusions = Collection[ExclusionKey]


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer as the matcher sees them on one day.

    ``active_matches`` is the number of matches active on the ``as_of`` day the caller plans
    for (started on or before it, not ended on or before it); free capacity is
    ``capacity - active_matches``. ``languages`` maps a language code to a level.
    """

    ref: str
    status: str = "approved"
    gender: str | None = None
    postcode: str | None = None
    languages: Mapping[str, str] = field(default_factory=dict)
    skills: Collection[str] = ()
    interests: Collection[str] = ()
    schemes: Collection[str] = ()
    availability: Collection[str] = ()
    capacity: int = 1
    active_matches: int = 0
    child_certificate_on: date | None = None
    first_name: str = ""

    @property
    def display_name(self) -> str:
        """First name for sentences to a coordinator, or the ref when the name is unknown."""
        return self.first_name or self.ref


@dataclass(frozen=True, slots=True)
class Household:
    """A household (a single person is a household of one) asking for volunteers.

    ``schemes`` is ordered: the first one is the default for ``suggest``. ``children_ages`` are
    ages in whole years on ``as_of``; ``adults_without_work`` counts adults with no job, who
    make job-search skills relevant. ``volunteer_gender`` empty/None means no preference.
    """

    ref: str
    postcode: str | None = None
    languages: Mapping[str, str] = field(default_factory=dict)
    interests: Collection[str] = ()
    schemes: tuple[str, ...] = ()
    availability: Collection[str] = ()
    volunteer_gender: str | None = None
    consent_on: date | None = None
    registered_on: date | None = None
    children_ages: tuple[int, ...] = ()
    adults: int = 1
    adults_without_work: int = 0
    arrives_on: date | None = None
    """The first member's arrival; after ``as_of`` the household is "announced"."""


@dataclass(frozen=True, slots=True)
class Request:
    """One waiting (household, scheme) request for ``plan``."""

    household: Household
    scheme: str


@dataclass(frozen=True, slots=True)
class Reason:
    """One factor's part in a score: ``contribution = weight * value``; ``text`` is a sentence."""

    factor: str
    value: float
    weight: float
    contribution: float
    text: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An eligible volunteer for one household and scheme, with the reasons behind the score."""

    volunteer: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """A hard rule a volunteer fails for a household and scheme ("why not Anna?")."""

    rule: str
    number: int
    text: str
    waivable: bool


@dataclass(frozen=True, slots=True)
class Assignment:
    """A proposed pair in a plan.

    ``starts_on``: the announced household's arrival, when the pair starts after ``as_of``.
    ``differs_from_best_fit``: the fairness mode chose another volunteer (or served this
    request at all) where the best-fit plan would not. ``held_volunteer``: this request's best
    candidate, not proposed because the plan holds that volunteer for the families described
    in ``held_for`` (expected soon).
    """

    household: str
    scheme: str
    volunteer: str
    score: float
    starts_on: date | None = None
    differs_from_best_fit: bool = False
    held_volunteer: str | None = None
    held_for: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A request the plan leaves waiting, with a reason code and a sentence."""

    household: str
    scheme: str
    reason: str
    text: str
    starts_on: date | None = None
    held_volunteer: str | None = None
    held_for: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """Result of ``plan``: ``total_score`` sums the assignments' scores only."""

    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    total_score: float
