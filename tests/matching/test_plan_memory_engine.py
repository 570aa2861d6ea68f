"""The pure plan's memory and fairness (issue 23) and its announced arrivals and forecast (issue 21)."""

from __future__ import annotations

from datetime import date, timedelta

from volunteer_hub.matching.engine import (
    PLAN_BEST_FIT,
    PLAN_NOBODY_WAITS_TOO_LONG,
    VolunteerPool,
    plan,
    suggest,
    waiting_requests,
)
from volunteer_hub.matching.engine.config import DEFAULT_CONFIG
from volunteer_hub.matching.engine.forecast import FORECAST_PREFIX, forecast_requests
from volunteer_hub.matching.engine.scorer import waiting_factor, waiting_price_basis

AS_OF = date(2026, 11, 27)


def test_the_waiting_price_keeps_growing_past_ninety_days(make_volunteer, make_household):
    anna = make_volunteer(ref="V1", postcode="2600", interests=("chess",))
    # F128 fits Anna a little better; F300 has waited much longer.
    f128 = make_household(
        ref="F128", postcode="2600", interests=("chess",), registered_on=AS_OF - timedelta(days=128)
    )
    f300 = make_household(
        ref="F300", postcode="2605", interests=(), registered_on=AS_OF - timedelta(days=300)
    )
    pool = VolunteerPool.build([anna], [f128, f300])
    score = {h.ref: suggest(pool, h, as_of=AS_OF)[0].score for h in (f128, f300)}
    assert score["F128"] > score["F300"]
    # The score's own factor stays capped (a score is in [0, 1]); the plan's price does not.
    assert waiting_factor(f300, AS_OF, DEFAULT_CONFIG) == waiting_factor(f128, AS_OF, DEFAULT_CONFIG) == 1.0
    assert (
        waiting_price_basis(f300, AS_OF, DEFAULT_CONFIG)
        > waiting_price_basis(f128, AS_OF, DEFAULT_CONFIG)
        > 1
    )
    fair = plan(
        pool, waiting_requests([f128, f300]), as_of=AS_OF, waiting_priority=PLAN_NOBODY_WAITS_TOO_LONG
    )
    assert [a.household for a in fair.assignments] == ["F300"]


def test_the_fairness_mode_marks_the_pairs_that_differ_from_best_fit(make_volunteer, make_household):
    anna = make_volunteer(ref="V1", postcode="2600", interests=("chess", "music"))
    newcomer = make_household(ref="F1", postcode="2600", interests=("chess", "music"), registered_on=AS_OF)
    waited = make_household(
        ref="F2", postcode="4000", interests=(), registered_on=AS_OF - timedelta(days=200)
    )
    pool = VolunteerPool.build([anna], [newcomer, waited])
    requests = waiting_requests([newcomer, waited])
    fair = plan(
        pool, requests, as_of=AS_OF, waiting_priority=PLAN_NOBODY_WAITS_TOO_LONG, compare_best_fit=True
    )
    [pair] = fair.assignments
    assert pair.household == "F2" and pair.differs_from_best_fit
    best = plan(pool, requests, as_of=AS_OF, waiting_priority=PLAN_BEST_FIT, compare_best_fit=True)
    assert [(a.household, a.differs_from_best_fit) for a in best.assignments] == [("F1", False)]


def test_a_pending_proposal_is_listed_as_proposed_and_not_planned_twice(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer(ref="V1"), make_volunteer(ref="V2")])
    hh = make_household(ref="F1")
    result = plan(pool, waiting_requests([hh]), as_of=AS_OF, pending={("F1", "family_buddy")}, lang="da")
    assert result.assignments == ()
    [left] = result.unassigned
    assert (left.reason, left.text) == ("proposed", "foreslået, afventer godkendelse")


def test_an_announced_household_is_judged_on_its_arrival_and_starts_then(make_volunteer, make_household):
    arrival = AS_OF + timedelta(days=12)
    # Consent given after today but before arrival: eligible on the day the pair starts.
    hh = make_household(ref="F1", arrives_on=arrival, consent_on=AS_OF + timedelta(days=5))
    result = plan(VolunteerPool.build([make_volunteer()]), waiting_requests([hh]), as_of=AS_OF)
    [pair] = result.assignments
    assert pair.starts_on == arrival
    arrived = make_household(ref="F2", arrives_on=AS_OF - timedelta(days=3))
    [pair] = plan(
        VolunteerPool.build([make_volunteer()]), waiting_requests([arrived]), as_of=AS_OF
    ).assignments
    assert pair.starts_on is None


def _tigrinya_families(make_household, n):
    return [
        make_household(
            ref=f"H{i}",
            languages={"ti": "native"},
            children_ages=(4, 9),
            arrives_on=AS_OF - timedelta(days=10 + 30 * i),
        )
        for i in range(n)
    ]


def test_plan_ahead_keeps_the_only_fit_for_families_expected_soon(make_volunteer, make_household):
    # Selam: the only Tigrinya speaker with a child certificate; Omar speaks Arabic too.
    selam = make_volunteer(ref="V1", first_name="Selam", languages={"ti": "native", "ar": "native"})
    omar = make_volunteer(ref="V2", first_name="Omar", languages={"ar": "conversational"}, postcode="2750")
    arabic = make_household(ref="F1", languages={"ar": "native"})
    history = _tigrinya_families(make_household, 12)  # a Tigrinya family with children a month
    forecast = forecast_requests(history, as_of=AS_OF, horizon_days=28)
    assert forecast and all(r.household.ref.startswith(FORECAST_PREFIX) for r in forecast)
    pool = VolunteerPool.build([selam, omar], [arabic])

    today = plan(pool, waiting_requests([arabic]), as_of=AS_OF, lang="en")
    assert [a.volunteer for a in today.assignments] == ["V1"]  # Selam fits F1 best

    ahead = plan(pool, waiting_requests([arabic]), as_of=AS_OF, forecast=forecast, lang="en")
    [pair] = ahead.assignments  # placeholders are never proposed
    assert (pair.household, pair.volunteer, pair.held_volunteer) == ("F1", "V2", "V1")
    # The engine's test config has no words for codes: the sentence names the code.
    assert pair.held_for == ("a family speaking ti, with children under 15 (family_buddy)",)
    assert ahead.total_score == pair.score


def test_the_forecast_is_last_years_mix_scaled_to_the_horizon(make_household):
    history = _tigrinya_families(make_household, 12) + [
        make_household(ref="OLD", arrives_on=AS_OF - timedelta(days=400))  # more than a year ago
    ]
    four_weeks = forecast_requests(history, as_of=AS_OF, horizon_days=28)
    assert len(four_weeks) == round(12 * 28 / 365)
    assert len(forecast_requests(history, as_of=AS_OF, horizon_days=365)) == 12
    assert forecast_requests(history, as_of=AS_OF, horizon_days=0) == []
    for request in four_weeks:
        assert AS_OF < request.household.arrives_on <= AS_OF + timedelta(days=28)
        assert "OLD" not in request.household.ref


def _expected(model, days_ahead, k=0):
    """A placeholder for ``model``'s kind of family, expected ``days_ahead`` days from AS_OF."""
    from dataclasses import replace

    from volunteer_hub.matching.engine.types import Request

    arrives = AS_OF + timedelta(days=days_ahead)
    placeholder = replace(
        model,
        ref=f"{FORECAST_PREFIX}{k}:{model.ref}",
        consent_on=AS_OF,
        registered_on=arrives,
        arrives_on=arrives,
    )
    return Request(placeholder, "family_buddy")


def test_an_expected_family_counts_less_the_further_ahead_it_is(make_volunteer, make_household):
    from volunteer_hub.matching.engine.forecast import CONFIDENCE_PER_MONTH, forecast_weight

    [model] = _tigrinya_families(make_household, 1)
    assert forecast_weight(model) == 1.0  # a real family counts fully
    assert forecast_weight(_expected(model, 30).household) == CONFIDENCE_PER_MONTH
    assert forecast_weight(_expected(model, 180).household) == CONFIDENCE_PER_MONTH**6

    # Selam is the only volunteer for a Tigrinya family with children, and the only one for F1.
    selam = make_volunteer(ref="V1", first_name="Selam", languages={"ti": "native", "ar": "native"})
    here = make_household(ref="F1", languages={"ti": "conversational"}, children_ages=(4,))
    pool = VolunteerPool.build([selam], [here])
    requests = waiting_requests([here], scheme="family_buddy")
    # Expected in a week, the family she fits best keeps her; F1 is told why.
    soon = plan(pool, requests, as_of=AS_OF, forecast=[_expected(model, 7)], lang="en")
    assert soon.assignments == ()
    [left] = soon.unassigned
    assert (left.household, left.reason, left.held_volunteer) == ("F1", "held_for_expected", "V1")
    # Expected in half a year, it is less sure than the family at hand: F1 gets her.
    later = plan(pool, requests, as_of=AS_OF, forecast=[_expected(model, 180)], lang="en")
    assert [(a.household, a.volunteer) for a in later.assignments] == [("F1", "V1")]
    assert later.total_score == later.assignments[0].score  # scores shown are never weighted


def test_why_not_judges_an_announced_household_on_its_arrival_day(make_volunteer, make_household):
    from volunteer_hub.matching.engine.scorer import explain_ineligibility

    # Her child certificate is valid today and runs out three weeks before the family arrives.
    received = date(2024, 12, 18)  # valid for 24 months: until 2026-12-18
    selam = make_volunteer(ref="V1", languages={"ti": "native"}, child_certificate_on=received)
    coming = make_household(
        ref="F1", languages={"ti": "native"}, children_ages=(4,), arrives_on=AS_OF + timedelta(days=40)
    )
    failures = explain_ineligibility(selam, coming, "family_buddy", as_of=AS_OF)
    assert [f.rule for f in failures] == ["child_certificate"]
    pool = VolunteerPool.build([selam], [coming])
    assert suggest(pool, coming, as_of=AS_OF, scheme="family_buddy") == []  # the same answer
    here = make_household(ref="F2", languages={"ti": "native"}, children_ages=(4,), arrives_on=AS_OF)
    assert explain_ineligibility(selam, here, "family_buddy", as_of=AS_OF) == []
