"""Factories for the pure matcher's tests: plain dataclasses, no Flask app, no database."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from volunteer_hub import vocab
from volunteer_hub.matching.engine.types import Household, Volunteer

AS_OF = date(2026, 11, 27)
AVAILABILITY, INTERESTS, SCHEMES, SKILLS = (
    tuple(vocab.AVAILABILITY),
    tuple(vocab.INTERESTS),
    tuple(vocab.SCHEMES),
    tuple(vocab.SKILLS),
)

BASE_VOLUNTEER = Volunteer(
    ref="V0001",
    status="approved",
    gender="f",
    postcode="2600",
    languages={"da": "native", "ar": "fluent"},
    skills=("danish_practice", "paperwork"),
    interests=("football", "cooking"),
    schemes=SCHEMES,
    availability=AVAILABILITY,
    capacity=1,
    active_matches=0,
    child_certificate_on=AS_OF - timedelta(days=100),
    first_name="Anna",
)

BASE_HOUSEHOLD = Household(
    ref="F0001",
    postcode="2600",
    languages={"ar": "native"},
    interests=("football", "cooking"),
    schemes=("family_buddy",),
    availability=("weekend",),
    volunteer_gender=None,
    consent_on=AS_OF - timedelta(days=30),
    registered_on=AS_OF - timedelta(days=30),
    children_ages=(),
    adults=2,
    adults_without_work=0,
)


def volunteer(**changes: Any) -> Volunteer:
    """An approved volunteer who passes every rule for ``BASE_HOUSEHOLD``, with changes."""
    return replace(BASE_VOLUNTEER, **changes)


def household(**changes: Any) -> Household:
    """A consenting Arabic-speaking household asking for a family buddy, with changes."""
    return replace(BASE_HOUSEHOLD, **changes)


LEVELS = ("basic", "conversational", "fluent", "native")
LANGS = ("da", "en", "ar", "ti", "fa", "prs", "uk", "so", "bs", "hr", "sr")
POSTCODES = ("2600", "2605", "2620", "2750", "2100", "4000", "5000", "9999", "2400", "2650")


def random_people(seed: int, n_volunteers: int, n_households: int) -> tuple[list[Volunteer], list[Household]]:
    """Small random municipalities with every rule in play (for property-style tests)."""
    rng = random.Random(seed)

    def langs() -> dict[str, str]:
        return {c: rng.choice(LEVELS) for c in rng.sample(LANGS, rng.randint(1, 3))}

    volunteers = [
        Volunteer(
            ref=f"V{i:04d}",
            status=rng.choice(("approved",) * 6 + ("pending", "paused")),
            gender=rng.choice(("f", "m", "x", None)),
            postcode=rng.choice(POSTCODES),
            languages=langs(),
            skills=tuple(rng.sample(SKILLS, rng.randint(0, 4))),
            interests=tuple(rng.sample(INTERESTS[:10], rng.randint(0, 4))),
            schemes=tuple(rng.sample(SCHEMES, rng.randint(1, 3))),
            availability=tuple(rng.sample(AVAILABILITY, rng.randint(1, 3))),
            capacity=rng.randint(1, 3),
            active_matches=rng.randint(0, 1),
            child_certificate_on=rng.choice((None, AS_OF - timedelta(days=rng.randint(0, 1000)))),
            first_name=f"Vol{i}",
        )
        for i in range(n_volunteers)
    ]
    households = [
        Household(
            ref=f"F{i:04d}",
            postcode=rng.choice(POSTCODES),
            languages=langs(),
            interests=tuple(rng.sample(INTERESTS[:10], rng.randint(0, 4))),
            schemes=tuple(rng.sample(SCHEMES, rng.randint(1, 2))),
            availability=tuple(rng.sample(AVAILABILITY, rng.randint(0, 2))),
            volunteer_gender=rng.choice((None, None, None, "f", "m")),
            consent_on=rng.choice((AS_OF - timedelta(days=rng.randint(0, 50)), None)),
            registered_on=AS_OF - timedelta(days=rng.randint(0, 200)),
            children_ages=tuple(rng.randint(0, 17) for _ in range(rng.randint(0, 3))),
            adults=rng.randint(1, 2),
            adults_without_work=rng.randint(0, 1),
        )
        for i in range(n_households)
    ]
    return volunteers, households


@pytest.fixture
def make_volunteer() -> Callable[..., Volunteer]:
    return volunteer


@pytest.fixture
def make_household() -> Callable[..., Household]:
    return household


@pytest.fixture
def people() -> Callable[[int, int, int], tuple[list[Volunteer], list[Household]]]:
    return random_people
