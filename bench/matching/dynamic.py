"""A year, simulated (issue 21): plan week by week with each policy, every proposed pair approved,
and compare with the hindsight optimum (the exact plan over the whole year, all arrivals known).

    .venv/bin/python -m bench.matching.dynamic [--seeds 1 2 3] [--arrivals 120] [--horizon 28] [--oracle]

A synthetic municipality (seeded, nothing personal) with realistic scarcity: most volunteers
speak Danish and English, few speak a refugee language (one or two speak Tigrinya or Amharic),
and child certificates are scarce; families speak one main language, some a little English, and
half have children (a family buddy for them needs a certificate). Families are announced 0-6
weeks before they arrive; volunteers sign up through the year. A match lasts beyond the year (no
place frees up), so a place given away is gone: exactly the setting where spending a scarce
volunteer early costs a family that only she can serve.

Scores leave out waiting (``registered_on`` is empty), so a pair's score is its fit alone and
the same under every policy and in hindsight; every batch plans on the same pool (interest
rarity fitted once), with a volunteer who has not signed up yet given no free place.

Policies, each planned every Monday with the matcher's best-fit plan:
- today: the households that have arrived (the planner before issue 21);
- announced: also the households announced to arrive within the horizon, no forecast;
- ahead: announced, plus places held for the families expected (``engine.forecast``: last
  12 months' arrival mix over the next ``FORECAST_DAYS``, each expected family's pairs weighted
  down the further ahead it is), the "plan ahead" policy of the app.

Two bounds frame the figures. The hindsight optimum lets a family wait for a volunteer who
signs up months after it arrived. "Hindsight on arrival" is the same exact plan with each family
limited to the volunteers signed up by its arrival day: no policy that matches every family it
serves by that family's arrival can score more, so where it is below 98% of hindsight, 98% needs
some families to wait for volunteers who sign up after they arrived.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from volunteer_hub.matching.engine import VolunteerPool, plan
from volunteer_hub.matching.engine.forecast import (
    FORECAST_DAYS,
    FORECAST_PREFIX,
    forecast_requests,
    is_forecast,
)
from volunteer_hub.matching.engine.reasons import UNASSIGNED_NO_CANDIDATE
from volunteer_hub.matching.engine.scorer import score_requests
from volunteer_hub.matching.engine.solver import UNASSIGNED, min_cost_assignment
from volunteer_hub.matching.engine.types import Household, Request, Volunteer

YEAR = date(2026, 1, 1)
DAYS = 365
POLICIES = ("today", "announced", "ahead")
ORACLE = "oracle"
"""Not a policy: announced, knowing the rest of the year's families and sign-ups (``--oracle``)."""
CENTRE_POSTCODES = ("2600", "2605", "2620", "2625", "2650", "2750", "2610", "2630")
INTERESTS = ("football", "swimming", "running", "cycling", "music", "cooking", "chess", "art", "reading",
             "gardening", "dancing", "hiking")  # fmt: skip
AVAILABILITY = ("weekday_daytime", "weekday_evening", "weekend")
SKILLS = ("danish_practice", "homework_help", "job_search", "paperwork", "digital_skills",
          "childcare", "cycling_training", "healthcare_navigation", "housing_help", "sports_coaching",
          "music")  # fmt: skip

# Families' main languages (share of arrivals) and the share of volunteers speaking each.
FAMILY_LANGUAGES = {"ar": 0.26, "uk": 0.22, "prs": 0.12, "so": 0.10, "ti": 0.10, "am": 0.06, "ku": 0.07,
                    "ta": 0.07}  # fmt: skip
VOLUNTEER_LANGUAGES = {"ar": 0.10, "uk": 0.06, "fa": 0.05, "so": 0.025, "ti": 0.015, "am": 0.012,
                       "ku": 0.015, "ta": 0.012}  # fmt: skip


def _choice(rng: np.random.Generator, weights: dict[str, float]) -> str:
    codes = list(weights)
    p = np.array([weights[c] for c in codes])
    return str(rng.choice(codes, p=p / p.sum()))


def _some(rng: np.random.Generator, items: tuple[str, ...], low: int, high: int) -> tuple[str, ...]:
    return tuple(rng.choice(items, size=int(rng.integers(low, high + 1)), replace=False).tolist())


@dataclass(frozen=True)
class Arrival:
    household: Household
    announced_on: date


def families(rng: np.random.Generator, n: int, year_start: date, prefix: str) -> list[Arrival]:
    """``n`` households arriving through the year starting ``year_start``, each announced 0-42
    days before (a fifth at short notice, 0-3 days)."""
    out = []
    for i in range(n):
        arrival = year_start + timedelta(days=int(rng.integers(0, DAYS)))
        notice = int(rng.integers(0, 4)) if rng.random() < 0.2 else int(rng.integers(7, 43))
        main = _choice(rng, FAMILY_LANGUAGES)
        languages = {main: "native"}
        if rng.random() < 0.35:
            languages["en"] = str(rng.choice(("conversational", "fluent")))
        elif rng.random() < 0.15:
            languages["da"] = "conversational"
        children = (
            tuple(int(a) for a in rng.integers(0, 17, size=int(rng.integers(1, 4))))
            if rng.random() < 0.5
            else ()
        )
        if children:
            schemes = ["family_buddy"] + (["child_culture"] if rng.random() < 0.25 else [])
        else:
            schemes = [str(rng.choice(("friend_buddy", "contact_person", "leisure_intro", "family_buddy")))]
        adults = int(rng.integers(1, 3))
        household = Household(
            ref=f"{prefix}{i:04d}",
            postcode=str(rng.choice(CENTRE_POSTCODES)),
            languages=languages,
            interests=_some(rng, INTERESTS, 0, 3),
            schemes=tuple(schemes),
            availability=_some(rng, AVAILABILITY, 0, 2),
            consent_on=arrival - timedelta(days=notice),
            registered_on=None,  # no waiting factor: a pair's score is its fit, the same for every policy
            children_ages=tuple(sorted(children)),
            adults=adults,
            adults_without_work=adults,
            arrives_on=arrival,
        )
        out.append(Arrival(household, arrival - timedelta(days=notice)))
    return sorted(out, key=lambda a: (a.household.arrives_on, a.household.ref))


def volunteers(rng: np.random.Generator, n_start: int, n_new: int) -> tuple[list[Volunteer], dict[str, date]]:
    """The pool on 1 January and those who sign up during the year, with their sign-up days."""
    out, joined = [], {}
    for i in range(n_start + n_new):
        languages = {"da": "native"}
        if rng.random() < 0.6:
            languages["en"] = str(rng.choice(("conversational", "fluent")))
        for code, share in VOLUNTEER_LANGUAGES.items():
            if rng.random() < share:
                languages[code] = str(rng.choice(("conversational", "fluent", "native")))
        certificate = YEAR - timedelta(days=int(rng.integers(0, 300))) if rng.random() < 0.35 else None
        capacity = 2 if rng.random() < 0.2 else 1
        schemes = _some(
            rng, ("family_buddy", "friend_buddy", "contact_person", "leisure_intro", "child_culture"), 1, 3
        )
        ref = f"V{i:04d}"
        out.append(
            Volunteer(
                ref=ref,
                postcode=str(rng.choice(CENTRE_POSTCODES)),
                languages=languages,
                skills=_some(rng, SKILLS, 0, 3),
                interests=_some(rng, INTERESTS, 0, 3),
                schemes=schemes,
                availability=_some(rng, AVAILABILITY, 1, 3),
                capacity=capacity,
                child_certificate_on=certificate,
                first_name=ref,
            )
        )
        joined[ref] = YEAR if i < n_start else YEAR + timedelta(days=int(rng.integers(0, DAYS)))
    return out, joined


@dataclass
class Outcome:
    total: float
    first_match: dict[str, date]
    pairs: int
    first_candidate: dict[str, date]
    """Household ref -> first plan day on which it had an eligible volunteer with a free place."""


def simulate(
    policy: str,
    people: list[Volunteer],
    joined: dict[str, date],
    year: list[Arrival],
    history: list[Household],
    pool_households: list[Household],
    horizon: int,
    forecast_days: int,
) -> Outcome:
    """Plan every Monday of the year with ``policy``, approving every proposed pair."""
    used = {v.ref: 0 for v in people}
    served: set[tuple[str, str]] = set()
    first: dict[str, date] = {}
    candidate: dict[str, date] = {}
    total, pairs = 0.0, 0
    day = YEAR + timedelta(days=(7 - YEAR.weekday()) % 7)
    while day < YEAR + timedelta(days=DAYS):
        # A volunteer not signed up yet has no free place; the pool (and interest rarity) stays the same.
        batch = [
            replace(v, active_matches=v.capacity if joined[v.ref] > day else used[v.ref]) for v in people
        ]
        if policy == ORACLE:  # knows who signs up later: a stand-in with all her places
            batch = [
                replace(v, ref=f"{FORECAST_PREFIX}{v.ref}", active_matches=0) if joined[v.ref] > day else v
                for v in batch
            ]
        pool = VolunteerPool.build(batch, pool_households)
        last = day + timedelta(days=horizon if policy != "today" else 0)
        requests = [
            Request(a.household, s)
            for a in year
            if a.announced_on <= day and a.household.arrives_on <= last
            for s in a.household.schemes
            if (a.household.ref, s) not in served
        ]
        forecast: list[Request] = []
        if policy == "ahead":
            past = history + [a.household for a in year if a.household.arrives_on < day]
            forecast = forecast_requests(past, as_of=day, horizon_days=forecast_days)
        elif policy == ORACLE:  # knows the year's remaining families, each counted fully
            planned = {(r.household.ref, r.scheme) for r in requests}
            forecast = [
                Request(replace(a.household, ref=f"{FORECAST_PREFIX}{a.household.ref}", consent_on=day), s)
                for a in year
                if a.household.arrives_on >= day
                for s in a.household.schemes
                if (a.household.ref, s) not in planned and (a.household.ref, s) not in served
            ]
        result = plan(pool, requests, as_of=day, forecast=forecast)
        result = replace(  # a family the oracle keeps for a volunteer who has not signed up waits
            result, assignments=tuple(a for a in result.assignments if not is_forecast(a.volunteer))
        )
        for u in result.unassigned:
            if u.reason != UNASSIGNED_NO_CANDIDATE:
                candidate.setdefault(u.household, day)
        for a in result.assignments:
            candidate.setdefault(a.household, day)
            used[a.volunteer] += 1
            served.add((a.household, a.scheme))
            total += a.score
            pairs += 1
            start = a.starts_on or day
            first[a.household] = min(first.get(a.household, start), start)
        day += timedelta(days=7)
    return Outcome(total, first, pairs, candidate)


def hindsight(
    people: list[Volunteer],
    year: list[Arrival],
    pool_households: list[Household],
    joined: dict[str, date] | None = None,
) -> tuple[float, dict[str, int], set[str]]:
    """The exact best plan over the whole year with every arrival known (and the eligible
    volunteers of each family, for the rarest-needs figure). With ``joined``, a family may only
    have a volunteer signed up by its arrival day ("hindsight on arrival")."""
    pool = VolunteerPool.build(people, pool_households)
    requests = [Request(a.household, s) for a in year for s in a.household.schemes]
    before = YEAR - timedelta(days=1)  # every household is announced: judged on its arrival day
    scored = score_requests(pool, requests, as_of=before)
    from scipy import sparse

    if joined is not None:
        signed_up = np.array([joined[v.ref] for v in people], dtype="datetime64[D]")
        arrival = np.array([r.household.arrives_on for r in scored.requests], dtype="datetime64[D]")
        rows = np.repeat(np.arange(len(scored.requests)), np.diff(scored.indptr))
        keep = signed_up[scored.volunteers] <= arrival[rows]
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows[keep], minlength=len(scored.requests)))))
        scored = replace(
            scored, indptr=indptr, volunteers=scored.volunteers[keep], scores=scored.scores[keep]
        )
    value = sparse.csr_array(
        (scored.scores, scored.volunteers, scored.indptr), shape=(len(scored.requests), len(pool))
    )
    result = min_cost_assignment(
        value, capacity=pool.free_capacity, unassigned=np.zeros(len(scored.requests)), maximize=True
    )
    total = float(
        sum(
            scored.scores[
                scored.indptr[r]
                + np.searchsorted(scored.volunteers[scored.indptr[r] : scored.indptr[r + 1]], c)
            ]
            for r, c in enumerate(result.columns)
            if c != UNASSIGNED
        )
    )
    eligible: dict[str, int] = {}
    served: set[str] = set()
    for r, request in enumerate(scored.requests):
        ref = request.household.ref
        eligible[ref] = eligible.get(ref, 0) + int(scored.indptr[r + 1] - scored.indptr[r])
        if result.columns[r] != UNASSIGNED:
            served.add(ref)
    return total, eligible, served


def run(
    seed: int, n_arrivals: int, horizon: int, forecast_days: int, policies: tuple[str, ...] = POLICIES
) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    history = [a.household for a in families(rng, n_arrivals, YEAR - timedelta(days=DAYS), "H")]
    year = families(rng, n_arrivals, YEAR, "F")
    people, joined = volunteers(rng, n_start=int(n_arrivals * 0.9), n_new=int(n_arrivals * 0.5))
    pool_households = [a.household for a in year]
    best, eligible, served = hindsight(people, year, pool_households)
    on_arrival = hindsight(people, year, pool_households, joined)[0]
    # "A family with an eligible volunteer": one the hindsight plan serves (an eligible volunteer
    # with a place to give, all arrivals known); the others cannot all be served by anyone.
    with_candidate = [a for a in year if a.household.ref in served]
    counts = sorted(eligible[a.household.ref] for a in with_candidate)
    rare_cut = counts[max(0, len(counts) // 10 - 1)] if counts else 0
    rare = [a for a in with_candidate if eligible[a.household.ref] <= rare_cut]
    rows: dict[str, dict[str, float]] = {}
    for policy in policies:
        outcome = simulate(policy, people, joined, year, history, pool_households, horizon, forecast_days)
        waits = [
            (outcome.first_match[a.household.ref] - a.household.arrives_on).days
            for a in with_candidate
            if a.household.ref in outcome.first_match
        ]
        by_arrival = sum(
            1
            for a in with_candidate
            if a.household.ref in outcome.first_match
            and outcome.first_match[a.household.ref] <= a.household.arrives_on
        )
        # Families announced a week or more ahead: a weekly plan can reach every one of them in time.
        noticed = [a for a in with_candidate if (a.household.arrives_on - a.announced_on).days >= 7]
        in_time = sum(
            1
            for a in noticed
            if a.household.ref in outcome.first_match
            and outcome.first_match[a.household.ref] <= a.household.arrives_on
        )
        # Families that had an eligible volunteer with a free place in a plan made by their arrival.
        reachable = [
            a
            for a in year
            if a.household.ref in outcome.first_candidate
            and outcome.first_candidate[a.household.ref] <= a.household.arrives_on
        ]
        reached = sum(
            1
            for a in reachable
            if a.household.ref in outcome.first_match
            and outcome.first_match[a.household.ref] <= a.household.arrives_on
        )
        rows[policy] = {
            "share": outcome.total / best if best else 1.0,
            "reachable_in_time": reached / len(reachable) if reachable else 1.0,
            "by_arrival": by_arrival / len(with_candidate) if with_candidate else 1.0,
            "noticed_in_time": in_time / len(noticed) if noticed else 1.0,
            "median": statistics.median(waits) if waits else float("nan"),
            "worst": max(waits) if waits else float("nan"),
            "matched": len(waits) / len(with_candidate) if with_candidate else 1.0,
            "rare": sum(1 for a in rare if a.household.ref in outcome.first_match) / len(rare)
            if rare
            else 1.0,
        }
    rows["_"] = {
        "families": len(year),
        "with_candidate": len(with_candidate),
        "any_eligible": sum(1 for a in year if eligible[a.household.ref] > 0),
        "rare": len(rare),
        "on_arrival": on_arrival / best if best else 1.0,
    }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--arrivals", type=int, default=120, help="families arriving in the year")
    parser.add_argument("--horizon", type=int, default=28)
    parser.add_argument(
        "--forecast-days",
        type=int,
        default=None,
        help=f"days of expected arrivals to hold for (default: the app's, {FORECAST_DAYS})",
    )
    parser.add_argument(
        "--oracle",
        action="store_true",
        help="also plan knowing the rest of the year's families and sign-ups (what a perfect forecast gives)",
    )
    args = parser.parse_args()
    forecast_days = args.forecast_days or FORECAST_DAYS
    policies = POLICIES + ((ORACLE,) if args.oracle else ())
    print(
        f"{args.arrivals} arrivals a year, horizon {args.horizon} days, forecast {forecast_days} days, "
        "plans every Monday, all pairs approved"
    )
    print(
        "| seed | policy | score / hindsight | matched by arrival | ... of those announced 7+ days ahead "
        "| ... of those with a free eligible volunteer by arrival "
        "| median days | worst days | matched in the year | rarest-needs families matched |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    bounds = []
    every: dict[str, list[dict[str, float]]] = {policy: [] for policy in policies}
    for seed in args.seeds:
        rows = run(seed, args.arrivals, args.horizon, forecast_days, policies)
        info = rows.pop("_")
        for policy, r in rows.items():
            every[policy].append(r)
            print(_row(str(seed), policy, r))
        print(
            f"| {seed} | (families {info['families']:.0f}; some volunteer eligible "
            f"{info['any_eligible']:.0f}; served in hindsight {info['with_candidate']:.0f}; "
            f"rarest-needs {info['rare']:.0f}; hindsight on arrival {info['on_arrival']:.1%}) "
            "| | | | | | | | |"
        )
        bounds.append(info["on_arrival"])
    for policy, results in every.items():
        mean = {key: statistics.fmean(r[key] for r in results) for key in results[0]}
        print(_row("mean", policy, mean))
    print(
        f"| mean | hindsight on arrival (the most any policy that matches by arrival can score) "
        f"| {statistics.fmean(bounds):.1%} | | | | | | | |"
    )


def _row(seed: str, policy: str, r: dict[str, float]) -> str:
    return (
        f"| {seed} | {policy} | {r['share']:.1%} | {r['by_arrival']:.1%} | {r['noticed_in_time']:.1%} "
        f"| {r['reachable_in_time']:.1%} "
        f"| {r['median']:.1f} | {r['worst']:.0f} | {r['matched']:.1%} | {r['rare']:.0%} |"
    )


if __name__ == "__main__":
    main()
