"""The global plan: one volunteer per waiting request at most, never above a volunteer's free
capacity, maximising the total score, solved exactly (not greedily).

Choices, documented because coordinators will ask:
- Capacity is the only limit on a volunteer (FORMATS.md): a volunteer with two free places may
  get two requests, even two schemes of the same household.
- ``waiting_priority`` is the price of leaving a request unmatched, per unit of its waiting
  (0 on registration or arrival, 1 after ``waiting_saturation_days``, and on: 300 days weigh
  more than 128; only the score's own waiting factor stops at 1, to keep a score in [0, 1]).
  0 ("best fit") maximises the
  total score alone; larger values make leaving out a long-waiting request costly, so those
  requests are served first ("nobody waits too long"). The total score reported is always the
  sum of the assignments' scores, without the prices.
- When leaving a request out and giving it a score-0 volunteer tie exactly (best fit), either
  may be chosen; with any real weights an eligible pair scores above 0.
- An announced household (arriving after ``as_of``) is judged on its arrival day; its pairs
  carry ``starts_on``. A request with a proposal awaiting approval is "proposed", not planned
  again. Forecast placeholders (the "plan ahead" policy) hold places but are never proposed.
- The plan lists requests grouped by household, in order of first appearance (the order
  ``waiting_requests`` gives anyway).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date

import numpy as np
from scipy import sparse

from volunteer_hub.matching.engine.config import DEFAULT_CONFIG, MatchingConfig
from volunteer_hub.matching.engine.features import VolunteerPool
from volunteer_hub.matching.engine.forecast import describe_expected, forecast_weight, is_forecast
from volunteer_hub.matching.engine.reasons import (
    UNASSIGNED_CAPACITY,
    UNASSIGNED_HELD,
    UNASSIGNED_NO_CANDIDATE,
    UNASSIGNED_PROPOSED,
    held_text,
    proposed_text,
    unassigned_text,
)
from volunteer_hub.matching.engine.scorer import ScoredRequests, score_requests, start_day
from volunteer_hub.matching.engine.solver import UNASSIGNED, min_cost_assignment
from volunteer_hub.matching.engine.types import (
    Assignment,
    Exclusions,
    Household,
    Lang,
    Names,
    Plan,
    Request,
    Unassigned,
)

PLAN_BEST_FIT: float = 0.0
"""``waiting_priority`` that maximises the total score only."""

PLAN_NOBODY_WAITS_TOO_LONG: float = 1.0
"""``waiting_priority`` at which a request waiting the full saturation period is worth as much
as the best possible score, so it is left out only when nobody eligible has room."""


def waiting_requests(
    households: Iterable[Household],
    *,
    active: Collection[tuple[str, str]] = (),
    scheme: str | None = None,
) -> list[Request]:
    """Requests that wait: the household asks for the scheme and has no active match in it.

    ``active`` holds the (household_ref, scheme) pairs with a match active on ``as_of``; the
    caller computes it from the matches table. ``scheme`` keeps only that scheme's requests.
    """
    taken = set(active)
    return [
        Request(household, wanted)
        for household in households
        for wanted in dict.fromkeys(household.schemes)
        if (scheme is None or wanted == scheme) and (household.ref, wanted) not in taken
    ]


def plan(
    pool: VolunteerPool,
    requests: Sequence[Request],
    *,
    as_of: date,
    exclusions: Exclusions = (),
    waiting_priority: float = PLAN_BEST_FIT,
    lang: Lang = "en",
    config: MatchingConfig = DEFAULT_CONFIG,
    pending: Collection[tuple[str, str]] = (),
    forecast: Sequence[Request] = (),
    compare_best_fit: bool = False,
) -> Plan:
    """Exact best plan for all ``requests`` at once (see the module docstring for the rules).

    ``pending``: (household ref, scheme) with a proposal awaiting approval; those requests are
    listed as "proposed" and not planned again. ``forecast``: placeholder requests for the
    families expected soon (``forecast.forecast_requests``); they hold places in the same
    assignment but are never proposed. ``compare_best_fit``: with a waiting price, mark the
    pairs the best-fit plan would not make.
    """
    keys = [(r.household.ref, r.scheme) for r in requests]
    if len(set(keys)) != len(keys):
        raise ValueError("each (household, scheme) request may appear only once")
    waiting = set(pending)
    proposed = [r for r in requests if (r.household.ref, r.scheme) in waiting]
    planned = [r for r in requests if (r.household.ref, r.scheme) not in waiting]
    scored = score_requests(pool, [*planned, *forecast], as_of=as_of, exclusions=exclusions, config=config)
    result = plan_from_scores(
        pool,
        scored,
        waiting_priority=waiting_priority,
        lang=lang,
        as_of=as_of,
        config=config,
        compare_best_fit=compare_best_fit,
    )
    text = proposed_text(lang)
    return replace(
        result,
        unassigned=result.unassigned
        + tuple(
            Unassigned(r.household.ref, r.scheme, UNASSIGNED_PROPOSED, text, _starts_on(r, as_of))
            for r in proposed
        ),
    )


def _starts_on(request: Request, as_of: date) -> date | None:
    day = start_day(request.household, as_of)
    return day if day > as_of else None


def plan_from_scores(
    pool: VolunteerPool,
    scored: ScoredRequests,
    *,
    waiting_priority: float = PLAN_BEST_FIT,
    lang: Lang = "en",
    as_of: date | None = None,
    config: MatchingConfig = DEFAULT_CONFIG,
    compare_best_fit: bool = False,
) -> Plan:
    """Solve the plan for already scored requests (lets a benchmark time the two steps apart).

    Requests whose household is a forecast placeholder are solved with the others but left
    out of the result; a real request whose best candidate they hold says so.
    """
    if not math.isfinite(waiting_priority) or waiting_priority < 0:
        raise ValueError("waiting_priority must be a finite number >= 0")
    columns = assign(pool, scored, waiting_priority=waiting_priority)
    best_fit = columns
    if compare_best_fit and waiting_priority > 0:
        best_fit = assign(pool, scored, waiting_priority=PLAN_BEST_FIT)
    holders = _forecast_holders(scored, columns, config.names, lang)
    assignments: list[Assignment] = []
    unassigned: list[Unassigned] = []
    for r, request in enumerate(scored.requests):
        ref, scheme = request.household.ref, request.scheme
        if is_forecast(ref):
            continue
        starts_on = _starts_on(request, as_of) if as_of is not None else None
        start, end = scored.indptr[r], scored.indptr[r + 1]
        held_by, held_for = _held(pool, scored, r, columns[r], holders)
        if columns[r] == UNASSIGNED:
            if start == end:
                reason = UNASSIGNED_NO_CANDIDATE
            elif held_by is not None:
                reason = UNASSIGNED_HELD
            else:
                reason = UNASSIGNED_CAPACITY
            text = unassigned_text(reason, waiting_priority, lang)
            if held_by is not None:
                text = held_text(pool.volunteers[held_by].display_name, held_for, lang)
            unassigned.append(Unassigned(ref, scheme, reason, text, starts_on, _ref(pool, held_by), held_for))
            continue
        at = start + int(np.searchsorted(scored.volunteers[start:end], columns[r]))
        score = float(scored.scores[at])
        assignments.append(
            Assignment(
                ref,
                scheme,
                pool.volunteers[columns[r]].ref,
                score,
                starts_on=starts_on,
                differs_from_best_fit=bool(best_fit[r] != columns[r]),
                held_volunteer=_ref(pool, held_by),
                held_for=held_for,
            )
        )
    total = math.fsum(a.score for a in assignments)
    return Plan(tuple(assignments), tuple(unassigned), total)


def _ref(pool: VolunteerPool, row: int | None) -> str | None:
    return None if row is None else pool.volunteers[row].ref


def _forecast_holders(
    scored: ScoredRequests, columns: np.ndarray, names: Names, lang: Lang
) -> dict[int, list[str]]:
    """Pool row -> the expected families (described) the plan gives a place of that volunteer."""
    holders: dict[int, list[str]] = {}
    for r, request in enumerate(scored.requests):
        if is_forecast(request.household.ref) and columns[r] != UNASSIGNED:
            text = describe_expected(request.household, request.scheme, names, lang)
            found = holders.setdefault(int(columns[r]), [])
            if text not in found:
                found.append(text)
    return holders


def _held(
    pool: VolunteerPool, scored: ScoredRequests, r: int, column: int, holders: dict[int, list[str]]
) -> tuple[int | None, tuple[str, ...]]:
    """(best candidate, families expected) when request ``r`` did not get its best candidate, who
    scores strictly higher than what it got, because the plan holds her for expected families."""
    start, end = scored.indptr[r], scored.indptr[r + 1]
    if start == end or not holders:
        return None, ()
    scores = scored.scores[start:end]
    best = int(np.argmax(scores))
    top = int(scored.volunteers[start + best])
    if top == column or top not in holders:
        return None, ()
    if column != UNASSIGNED:
        got = float(scores[int(np.searchsorted(scored.volunteers[start:end], column))])
        if got >= float(scores[best]) - 1e-12:
            return None, ()
    return top, tuple(holders[top])


def assign(
    pool: VolunteerPool, scored: ScoredRequests, *, waiting_priority: float = PLAN_BEST_FIT
) -> np.ndarray:
    """Pool row assigned to each request (or -1), maximising total score minus the prices of
    the requests left out; exact, through ``solver.min_cost_assignment``. A forecast
    placeholder's pairs count at its ``forecast.forecast_weight``."""
    n_requests = len(scored.requests)
    indptr = scored.indptr
    if scored.n_pairs < np.iinfo(np.int32).max:
        indptr = indptr.astype(np.int32)  # matches the int32 indices, so scipy copies neither
    scores = scored.scores
    weights = np.array([forecast_weight(r.household) for r in scored.requests], dtype=np.float64)
    if n_requests and (weights != 1.0).any():  # expected families count less than families at hand
        scores = scores * np.repeat(weights, np.diff(scored.indptr))
    value = sparse.csr_array((scores, scored.volunteers, indptr), shape=(n_requests, len(pool)))
    result = min_cost_assignment(
        value,
        capacity=pool.free_capacity,
        unassigned=-waiting_priority * scored.waiting,
        maximize=True,
    )
    return result.columns
