"""Synthetic municipalities for the matcher benchmark: plausible, seeded, nothing personal.

Shapes follow what Glostrup-like data looks like: volunteers are mostly Danish speakers, many
with good English and some with a refugee language; households speak one main language
(Arabic, Ukrainian, Tigrinya, Dari ...) and sometimes a little English or Danish. That makes
the language rule the strongest filter, as it is in practice.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from volunteer_hub import vocab
from volunteer_hub.matching.engine.geo import haversine_km, load_postcodes
from volunteer_hub.matching.engine.types import Household, Volunteer

AVAILABILITY, INTERESTS, SCHEMES, SKILLS = (
    tuple(vocab.AVAILABILITY),
    tuple(vocab.INTERESTS),
    tuple(vocab.SCHEMES),
    tuple(vocab.SKILLS),
)

AS_OF = date(2026, 11, 27)
CENTRE = "2600"  # Glostrup

HOUSEHOLD_LANGUAGES = {
    "ar": 0.24,
    "uk": 0.18,
    "ti": 0.14,
    "prs": 0.08,
    "fa": 0.05,
    "so": 0.07,
    "ps": 0.05,
    "ckb": 0.04,
    "ku": 0.03,
    "am": 0.02,
    "bs": 0.02,
    "sr": 0.01,
    "hr": 0.01,
    "ta": 0.02,
    "vi": 0.02,
    "tr": 0.02,
}
LEVELS = ("basic", "conversational", "fluent", "native")


def _nearby_postcodes(radius_km: float) -> list[str]:
    table = load_postcodes()
    codes = sorted(table)
    lat = np.radians([table[c][0] for c in codes])
    lon = np.radians([table[c][1] for c in codes])
    lat0, lon0 = np.radians(table[CENTRE])
    km = haversine_km(lat0, lon0, lat, lon)
    return [c for c, d in zip(codes, km, strict=True) if d <= radius_km]


def _pick(
    rng: np.random.Generator,
    items: tuple[str, ...],
    low: int,
    high: int,
    p: np.ndarray | None = None,
) -> tuple[str, ...]:
    k = int(rng.integers(low, high + 1))
    return tuple(rng.choice(items, size=min(k, len(items)), replace=False, p=p).tolist())


def municipality(
    n_volunteers: int, n_households: int, seed: int = 0
) -> tuple[list[Volunteer], list[Household]]:
    """``n_volunteers`` volunteers and ``n_households`` households around Glostrup."""
    rng = np.random.default_rng(seed)
    postcodes = _nearby_postcodes(35.0)
    close = _nearby_postcodes(12.0)
    interest_p = 1.0 / np.arange(1, len(INTERESTS) + 1) ** 0.8
    interest_p /= interest_p.sum()
    interests = tuple(rng.permutation(INTERESTS).tolist())
    skill_p = np.linspace(2.0, 0.5, len(SKILLS))
    skill_p /= skill_p.sum()
    home_langs = tuple(HOUSEHOLD_LANGUAGES)
    home_p = np.array(list(HOUSEHOLD_LANGUAGES.values()))
    home_p /= home_p.sum()

    volunteers = []
    for i in range(n_volunteers):
        langs: dict[str, str] = {}
        if rng.random() < 0.15:  # diaspora volunteer: native refugee language, good Danish
            langs[str(rng.choice(home_langs, p=home_p))] = "native"
            langs["da"] = str(rng.choice(("conversational", "fluent", "native")))
        else:
            langs["da"] = "native"
        english = rng.random()
        if english < 0.7:
            langs["en"] = "fluent"
        elif english < 0.9:
            langs["en"] = "conversational"
        if rng.random() < 0.1:
            langs[str(rng.choice(("de", "fr", "es")))] = "conversational"
        capacity = int(rng.choice((1, 2, 3), p=(0.6, 0.3, 0.1)))
        cert = None
        if rng.random() < 0.5:
            cert = AS_OF - timedelta(days=int(rng.integers(0, 1100)))
        volunteers.append(
            Volunteer(
                ref=f"V{i:06d}",
                status=str(rng.choice(("approved", "pending", "paused"), p=(0.8, 0.1, 0.1))),
                gender=str(rng.choice(("f", "m", "x"), p=(0.6, 0.38, 0.02))),
                postcode=str(rng.choice(postcodes)),
                languages=langs,
                skills=_pick(rng, SKILLS, 1, 4, skill_p),
                interests=_pick(rng, interests, 2, 5, interest_p),
                schemes=_pick(rng, SCHEMES, 1, 3),
                availability=_pick(rng, AVAILABILITY, 1, 3),
                capacity=capacity,
                active_matches=int(rng.integers(0, capacity + 1)) if rng.random() < 0.4 else 0,
                child_certificate_on=cert,
                first_name=f"Volunteer{i}",
            )
        )

    households = []
    for i in range(n_households):
        main = str(rng.choice(home_langs, p=home_p))
        langs = {main: "native"}
        if main == "uk" and rng.random() < 0.5:
            langs["ru"] = "native"
        if rng.random() < 0.3:
            langs["en"] = str(rng.choice(("basic", "conversational")))
        if rng.random() < 0.3:
            langs["da"] = str(rng.choice(("basic", "basic", "conversational")))
        n_children = int(rng.choice((0, 1, 2, 3, 4), p=(0.5, 0.15, 0.15, 0.12, 0.08)))
        consent = AS_OF - timedelta(days=int(rng.integers(0, 300)))
        households.append(
            Household(
                ref=f"F{i:06d}",
                postcode=str(rng.choice(close)),
                languages=langs,
                interests=_pick(rng, interests, 1, 4, interest_p),
                schemes=_pick(rng, SCHEMES, 1, 2),
                availability=_pick(rng, AVAILABILITY, 0, 2),
                volunteer_gender=str(rng.choice(("", "f", "m"), p=(0.75, 0.2, 0.05))) or None,
                consent_on=consent if rng.random() < 0.95 else None,
                registered_on=AS_OF - timedelta(days=int(rng.integers(0, 200))),
                children_ages=tuple(int(a) for a in rng.integers(0, 18, n_children)),
                adults=int(rng.integers(1, 3)),
                adults_without_work=int(rng.integers(0, 2)),
            )
        )
    return volunteers, households
