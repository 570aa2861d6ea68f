"""Expected arrivals for the "plan ahead" policy: placeholders drawn from last year's arrival mix.

The plan prices a volunteer's capacity by the families expected soon, the way dynamic refugee
placement does (Ahani et al., Operations Research 2024): forecast households take part in the
same exact assignment as real ones, so a volunteer who is the best or only fit for families
expected soon is kept for them unless a real request needs her more. Placeholders are never
proposed; they only hold places.

The forecast is the municipality's arrivals of the last 12 months, scaled to a window:
``round(arrivals x days / 365)`` households, taken at even steps from last year's households
ordered by need (languages, children, schemes), so the sample keeps last year's mix. The steps
start at an offset that moves with ``as_of``, so over the weeks every profile gets its turn in
proportion to how often it arrived.

The app looks ``FORECAST_DAYS`` ahead (six months), further than the planning horizon: a place
given away lasts, so it is the families of the coming months, not only of the coming weeks, that
a scarce volunteer should be kept for. An expected family is less certain than one at hand, and
the less so the further ahead it is: in the assignment its pairs count
``CONFIDENCE_PER_MONTH ** months ahead`` of their score (``forecast_weight``), so a real family
loses a volunteer to a placeholder only when the placeholder needs her clearly more. The
simulated year (``bench/matching/dynamic``, docs/performance.md) chose both numbers: the window
scaled to the 28-day horizon and held at full weight reached 90.6% of the hindsight optimum
over five seeds, this one 93% over ten, with as many families matched by their arrival day.
Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from volunteer_hub.matching.engine.config import CHILD_CERTIFICATE_AGE_LIMIT, LEVEL_RANK
from volunteer_hub.matching.engine.reasons import _name, _t
from volunteer_hub.matching.engine.types import Household, Lang, Names, Request

FORECAST_PREFIX = "forecast:"
"""Refs of placeholder households start with this (a real ref never does)."""

HISTORY_DAYS = 365
"""How far back the arrival mix is read: the last 12 months."""

FORECAST_DAYS = 182
"""How far ahead the app holds places for expected families (the window of ``forecast_requests``)."""

CONFIDENCE_PER_MONTH = 0.85
"""Weight of an expected family's pairs per 30 days ahead (see the module docstring)."""

_GOLDEN = 0.6180339887498949  # offset step: a low-discrepancy walk over the weeks


def is_forecast(ref: str) -> bool:
    """Whether a household ref is a placeholder of the forecast."""
    return ref.startswith(FORECAST_PREFIX)


def _need_key(household: Household) -> tuple[object, ...]:
    best = sorted(household.languages.items(), key=lambda item: (-LEVEL_RANK.get(item[1], 0), item[0]))
    young = any(age < CHILD_CERTIFICATE_AGE_LIMIT for age in household.children_ages)
    return (tuple(code for code, _ in best[:2]), young, household.schemes, household.ref)


def forecast_requests(
    history: Iterable[Household], *, as_of: date, horizon_days: int, scheme: str | None = None
) -> list[Request]:
    """Placeholder requests for the families expected in the next ``horizon_days``.

    ``history``: households of the municipality; those that arrived in the 12 months before
    ``as_of`` make the mix. Each placeholder copies one of them (languages, children, schemes,
    wishes), arrives within the horizon, has consented and has waited 0 days.
    """
    start = as_of - timedelta(days=HISTORY_DAYS)
    past = sorted(
        (h for h in history if h.arrives_on is not None and start <= h.arrives_on < as_of),
        key=_need_key,
    )
    if not past or horizon_days <= 0:
        return []
    count = round(len(past) * horizon_days / HISTORY_DAYS)
    if count == 0:
        return []
    step = len(past) / count
    offset = (as_of.toordinal() * _GOLDEN) % 1.0
    requests: list[Request] = []
    for k in range(count):
        model = past[min(int((k + offset) * step), len(past) - 1)]
        arrives = as_of + timedelta(days=max(1, round((k + 0.5) * horizon_days / count)))
        placeholder = replace(
            model,
            ref=f"{FORECAST_PREFIX}{k}:{model.ref}",
            consent_on=as_of,
            registered_on=arrives,
            arrives_on=arrives,
        )
        requests += [
            Request(placeholder, wanted)
            for wanted in dict.fromkeys(placeholder.schemes)
            if scheme is None or wanted == scheme
        ]
    return requests


def forecast_weight(household: Household) -> float:
    """How much a household's pairs count in the plan's assignment: 1 for a real household; for
    a placeholder, ``CONFIDENCE_PER_MONTH`` per 30 days between the forecast (its ``consent_on``)
    and its expected arrival. Scores shown to anybody are never weighted."""
    if not is_forecast(household.ref) or household.arrives_on is None or household.consent_on is None:
        return 1.0
    months = max((household.arrives_on - household.consent_on).days, 0) / 30
    return float(CONFIDENCE_PER_MONTH**months)


def describe_expected(household: Household, scheme: str, names: Names, lang: Lang) -> str:
    """A placeholder as a coordinator reads it: "a family speaking Tigrinya, with children
    under 15 (follow a family)"; no ref, no name (it is not a real family)."""
    best = sorted(household.languages.items(), key=lambda item: (-LEVEL_RANK.get(item[1], 0), item[0]))
    language = _name(names, "language", best[0][0], lang) if best else "?"
    scheme_name = _name(names, "scheme", scheme, lang)
    limit = CHILD_CERTIFICATE_AGE_LIMIT
    if any(age < limit for age in household.children_ages):
        return _t(
            lang,
            f"a family speaking {language}, with children under {limit} ({scheme_name})",
            f"en familie, der taler {language}, med børn under {limit} ({scheme_name})",
        )
    return _t(
        lang,
        f"a household speaking {language} ({scheme_name})",
        f"en husstand, der taler {language} ({scheme_name})",
    )
