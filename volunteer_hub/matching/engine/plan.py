"""The global plan: one volunteer per waiting request at most, never above a volunteer's free
capacity, maximising the total score, solved exactly (not greedily).

Choices, documented because coordinators will ask:
- Capacity is the only limit on a volunteer (FORMATS.md): a volunteer with two free places may
  get two requests, even two schemes of the same household.
- ``waiting_priority`` is the price of leaving a request unmatched, per unit of its waiting
  factor (0 on registration, 1 after ``waiting_saturation_days``). 0 ("best fit") maximises the
  total score alone; larger values make leaving out a long-waiting request costly, so those
  requests are served first ("nobody waits too long"). The total score reported is always the
  sum of the assignments' scores, without the prices.
- When leaving a request out and giving it a score-0 volunteer tie exactly (best fit), either
  may be chosen; with any real weights an eligible pair scores above 0.
- The plan lists requests grouped by household, in order of first appearance (the order
  ``waiting_requests`` gives anyway).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from datetime import date

import numpy as np
from scipy import sparse

from volunteer_hub.matching.engine.config import DEFAULT_CONFIG, MatchingConfig
from volunteer_hub.matching.engine.features import VolunteerPool
from volunteer_hub.matching.engine.reasons import (
    UNASSIGNED_CAPACITY,
    UNASSIGNED_NO_CANDIDATE,
    unassigned_text,
)
from volunteer_hub.matching.engine.scorer import ScoredRequests, score_requests
from volunteer_hub.matching.engine.solver import UNASSIGNED, min_cost_assignment
from volunteer_hub.matching.engine.types import (
    Assignment,
    Exclusions,
    Household,
    Lang,
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
) -> Plan:
    """Exact best plan for all ``requests`` at once (see the module docstring for the rules)."""
    keys = [(r.household.ref, r.scheme) for r in requests]
    if len(set(keys)) != len(keys):
        raise ValueError("each (household, scheme) request may appear only once")
    scored = score_requests(pool, requests, as_of=as_of, exclusions=exclusions, config=config)
    return plan_from_scores(pool, scored, waiting_priority=waiting_priority, lang=lang)


def plan_from_scores(
    pool: VolunteerPool,
    scored: ScoredRequests,
    *,
    waiting_priority: float = PLAN_BEST_FIT,
    lang: Lang = "en",
) -> Plan:
    """Solve the plan for already scored requests (lets a benchmark time the two steps apart)."""
    if not math.isfinite(waiting_priority) or waiting_priority < 0:
        raise ValueError("waiting_priority must be a finite number >= 0")
    columns = assign(pool, scored, waiting_priority=waiting_priority)
    assignments: list[Assignment] = []
    unassigned: list[Unassigned] = []
    for r, request in enumerate(scored.requests):
        ref, scheme = request.household.ref, request.scheme
        if columns[r] == UNASSIGNED:
            empty = scored.indptr[r] == scored.indptr[r + 1]
            reason = UNASSIGNED_NO_CANDIDATE if empty else UNASSIGNED_CAPACITY
            text = unassigned_text(reason, waiting_priority, lang)
            unassigned.append(Unassigned(ref, scheme, reason, text))
            continue
        start, end = scored.indptr[r], scored.indptr[r + 1]
        at = start + int(np.searchsorted(scored.volunteers[start:end], columns[r]))
        score = float(scored.scores[at])
        assignments.append(Assignment(ref, scheme, pool.volunteers[columns[r]].ref, score))
    total = math.fsum(a.score for a in assignments)
    return Plan(tuple(assignments), tuple(unassigned), total)


def assign(
    pool: VolunteerPool, scored: ScoredRequests, *, waiting_priority: float = PLAN_BEST_FIT
) -> np.ndarray:
    """Pool row assigned to each request (or -1), maximising total score minus the prices of
    the requests left out; exact, through ``solver.min_cost_assignment``."""
    n_requests = len(scored.requests)
    indptr = scored.indptr
    if scored.n_pairs < np.iinfo(np.int32).max:
        indptr = indptr.astype(np.int32)  # matches the int32 indices, so scipy copies neither
    value = sparse.csr_array((scored.scores, scored.volunteers, indptr), shape=(n_requests, len(pool)))
    result = min_cost_assignment(
        value,
        capacity=pool.free_capacity,
        unassigned=-waiting_priority * scored.waiting,
        maximize=True,
    )
    return result.columns
