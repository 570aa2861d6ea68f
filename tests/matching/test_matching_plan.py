"""The global plan: exact, within capacity, eligible pairs only, and the waiting-price switch."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from volunteer_hub.matching.engine import (
    PLAN_BEST_FIT,
    PLAN_NOBODY_WAITS_TOO_LONG,
    Request,
    VolunteerPool,
    explain_ineligibility,
    plan,
    suggest,
    waiting_requests,
)
from volunteer_hub.matching.engine.config import SCHEMES
from volunteer_hub.matching.engine.scorer import score_requests
from volunteer_hub.matching.engine.solver import UNASSIGNED, greedy_assignment

AS_OF = date(2026, 11, 27)


def lp_plan_value(scored, capacity, waiting_priority: float) -> float:
    """max sum(score x) - sum(price y) s.t. x-sum + y = 1 per request, capacity per volunteer."""
    n_req, n_vol, n_edges = len(scored.requests), len(capacity), scored.n_pairs
    rows = np.repeat(np.arange(n_req), np.diff(scored.indptr))
    edges = np.arange(n_edges)
    a_eq = sparse.hstack(
        [
            sparse.csr_array((np.ones(n_edges), (rows, edges)), shape=(n_req, n_edges)),
            sparse.eye_array(n_req),
        ]
    )
    a_ub = sparse.hstack(
        [
            sparse.csr_array(
                (np.ones(n_edges), (scored.volunteers, edges)), shape=(n_vol, n_edges)
            ),
            sparse.csr_array((n_vol, n_req)),
        ]
    )
    c = np.concatenate([-scored.scores, waiting_priority * scored.waiting])
    result = linprog(
        c, A_ub=a_ub, b_ub=capacity, A_eq=a_eq, b_eq=np.ones(n_req), bounds=(0, 1), method="highs"
    )
    assert result.status == 0
    return -float(result.fun)


def plan_value(result, scored, waiting_priority):
    waiting = dict(
        zip(((r.household.ref, r.scheme) for r in scored.requests), scored.waiting, strict=True)
    )
    penalty = sum(waiting[(u.household, u.scheme)] for u in result.unassigned)
    return result.total_score - waiting_priority * penalty


@pytest.mark.parametrize(
    ("seed", "n_volunteers", "n_households"),
    [(1, 80, 40), (2, 40, 120), (3, 300, 60), (4, 150, 400)],
)
@pytest.mark.parametrize("waiting_priority", [PLAN_BEST_FIT, 0.3, PLAN_NOBODY_WAITS_TOO_LONG])
def test_plan_is_exact_feasible_and_eligible(
    people, seed, n_volunteers, n_households, waiting_priority
):
    volunteers, households = people(seed, n_volunteers, n_households)
    exclusions = {
        (h.ref, v.ref, s) for h in households[::7] for v in volunteers[::5] for s in h.schemes
    }
    pool = VolunteerPool.build(volunteers, households)
    requests = waiting_requests(households)
    result = plan(
        pool, requests, as_of=AS_OF, exclusions=exclusions, waiting_priority=waiting_priority
    )

    keys = [(a.household, a.scheme) for a in result.assignments]
    keys += [(u.household, u.scheme) for u in result.unassigned]
    assert sorted(keys) == sorted((r.household.ref, r.scheme) for r in requests)
    assert len(set(keys)) == len(keys)  # at most one volunteer per request

    used = Counter(a.volunteer for a in result.assignments)
    by_ref = {v.ref: v for v in volunteers}
    assert all(n <= by_ref[ref].capacity - by_ref[ref].active_matches for ref, n in used.items())

    households_by_ref = {h.ref: h for h in households}
    for a in result.assignments:
        hh, vol = households_by_ref[a.household], by_ref[a.volunteer]
        assert explain_ineligibility(vol, hh, a.scheme, as_of=AS_OF, exclusions=exclusions) == []
    assert result.total_score == pytest.approx(sum(a.score for a in result.assignments))

    scored = score_requests(pool, requests, as_of=AS_OF, exclusions=exclusions)
    optimum = lp_plan_value(scored, pool.free_capacity, waiting_priority)
    assert plan_value(result, scored, waiting_priority) == pytest.approx(optimum, abs=1e-9)
    assert len(result.assignments) > 5


def test_plan_scores_are_the_suggestion_scores(people):
    volunteers, households = people(21, 100, 30)
    pool = VolunteerPool.build(volunteers, households)
    households_by_ref = {h.ref: h for h in households}
    result = plan(pool, waiting_requests(households), as_of=AS_OF)
    for a in result.assignments:
        ranked = suggest(pool, households_by_ref[a.household], a.scheme, as_of=AS_OF, top=0)
        assert {s.volunteer: s.score for s in ranked}[a.volunteer] == a.score


def test_plan_beats_or_equals_greedy_and_sometimes_strictly(people):
    strictly = 0
    for seed in range(6):
        volunteers, households = people(50 + seed, 60, 150)
        pool = VolunteerPool.build(volunteers, households)
        requests = waiting_requests(households)
        exact = plan(pool, requests, as_of=AS_OF)
        scored = score_requests(pool, requests, as_of=AS_OF)
        value = sparse.csr_array(
            (scored.scores, scored.volunteers, scored.indptr), shape=(len(requests), len(pool))
        )
        columns = greedy_assignment(value, capacity=pool.free_capacity)
        dense = value.toarray()
        greedy_total = sum(dense[r, c] for r, c in enumerate(columns.tolist()) if c != UNASSIGNED)
        assert greedy_total <= exact.total_score + 1e-9
        strictly += greedy_total < exact.total_score - 1e-9
    assert strictly >= 1


def test_waiting_price_decides_who_is_served(make_volunteer, make_household):
    anna = make_volunteer(ref="V1", postcode="2600", interests=("chess", "music"))
    newcomer = make_household(
        ref="F1",
        postcode="2600",
        interests=("chess", "music"),
        registered_on=AS_OF - timedelta(days=2),
    )
    long_waiting = make_household(
        ref="F2", postcode="4000", interests=("hiking",), registered_on=AS_OF - timedelta(days=200)
    )
    pool = VolunteerPool.build([anna], [newcomer, long_waiting])
    requests = waiting_requests([newcomer, long_waiting])
    score = {h.ref: suggest(pool, h, as_of=AS_OF)[0].score for h in (newcomer, long_waiting)}
    assert score["F1"] > score["F2"]  # the newcomer fits better, even with F2's waiting factor

    best_fit = plan(pool, requests, as_of=AS_OF, waiting_priority=PLAN_BEST_FIT)
    fair = plan(pool, requests, as_of=AS_OF, waiting_priority=PLAN_NOBODY_WAITS_TOO_LONG)
    assert [a.household for a in best_fit.assignments] == ["F1"]
    assert [a.household for a in fair.assignments] == ["F2"]
    assert best_fit.total_score > fair.total_score
    [left] = fair.unassigned
    assert left.reason == "capacity_taken"
    assert left.text == "capacity taken by better-scoring or longer-waiting requests"
    [left] = best_fit.unassigned
    assert left.text == "capacity taken by better-scoring requests"


def test_capacity_above_one_serves_several_requests(make_volunteer, make_household):
    vol = make_volunteer(ref="V1", capacity=3, active_matches=1)
    households = [make_household(ref=f"F{i}") for i in range(4)]
    result = plan(VolunteerPool.build([vol]), waiting_requests(households), as_of=AS_OF)
    assert len(result.assignments) == 2
    assert {u.reason for u in result.unassigned} == {"capacity_taken"}


def test_unassigned_reason_when_nobody_is_eligible(make_volunteer, make_household):
    vol = make_volunteer(languages={"da": "native"})
    hh = make_household(ref="F9", schemes=("family_buddy", "friend_buddy"))
    result = plan(VolunteerPool.build([vol]), waiting_requests([hh]), as_of=AS_OF, lang="en")
    assert result.assignments == () and result.total_score == 0.0
    assert [(u.scheme, u.reason, u.text) for u in result.unassigned] == [
        ("family_buddy", "no_eligible_volunteer", "no eligible volunteer"),
        ("friend_buddy", "no_eligible_volunteer", "no eligible volunteer"),
    ]
    da = plan(VolunteerPool.build([vol]), waiting_requests([hh]), as_of=AS_OF, lang="da")
    assert da.unassigned[0].text == "ingen egnet frivillig"


def test_waiting_requests_skip_active_matches_and_filter_scheme(make_household):
    a = make_household(ref="F1", schemes=("family_buddy", "child_culture"))
    b = make_household(ref="F2", schemes=("child_culture",))
    found = waiting_requests([a, b], active={("F1", "family_buddy")})
    assert [(r.household.ref, r.scheme) for r in found] == [
        ("F1", "child_culture"),
        ("F2", "child_culture"),
    ]
    only = waiting_requests([a, b], scheme="family_buddy")
    assert [(r.household.ref, r.scheme) for r in only] == [("F1", "family_buddy")]


def test_duplicate_requests_and_bad_price_are_refused(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer()])
    hh = make_household()
    with pytest.raises(ValueError, match="only once"):
        plan(pool, [Request(hh, "family_buddy")] * 2, as_of=AS_OF)
    with pytest.raises(ValueError, match="waiting_priority"):
        plan(pool, [Request(hh, "family_buddy")], as_of=AS_OF, waiting_priority=-1.0)


def test_empty_inputs(make_volunteer, make_household):
    assert (
        plan(VolunteerPool.build([]), waiting_requests([make_household()]), as_of=AS_OF)
        .unassigned[0]
        .reason
        == "no_eligible_volunteer"
    )
    empty = plan(VolunteerPool.build([make_volunteer()]), [], as_of=AS_OF)
    assert empty.assignments == () and empty.unassigned == () and empty.total_score == 0.0


def brute_force_plan_total(scored, capacity) -> float:
    """Best total over every way to give each request one eligible volunteer or none."""
    options = []
    for r in range(len(scored.requests)):
        start, end = scored.indptr[r], scored.indptr[r + 1]
        vols, scores = scored.volunteers[start:end].tolist(), scored.scores[start:end].tolist()
        pairs = list(zip(vols, scores, strict=True))
        options.append([None, *pairs])
    best = 0.0
    for choice in itertools.product(*options):
        used = Counter(pair[0] for pair in choice if pair is not None)
        if all(n <= capacity[v] for v, n in used.items()):
            best = max(best, sum(pair[1] for pair in choice if pair is not None))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_tiny_plans_equal_brute_force(people, seed):
    volunteers, households = people(200 + seed, 6, 4)
    volunteers = [replace(v, status="approved", languages={**v.languages, "en": "fluent"},
                          schemes=SCHEMES) for v in volunteers]  # fmt: skip
    households = [replace(h, languages={"en": "conversational"}, consent_on=AS_OF)
                  for h in households]  # fmt: skip
    pool = VolunteerPool.build(volunteers, households)
    requests = waiting_requests(households)
    scored = score_requests(pool, requests, as_of=AS_OF)
    assert scored.n_pairs >= len(requests)  # enough choice to make the search meaningful
    result = plan(pool, requests, as_of=AS_OF)
    assert result.total_score == pytest.approx(brute_force_plan_total(scored, pool.free_capacity))
