"""Benchmark of the pure matcher on synthetic municipalities; prints a table, is never a test.

    python -m bench.matching                 # all four sizes (a few minutes on 2 cores)
    python -m bench.matching --sizes small   # quick run
    python bench/matching/run.py --sizes small,scarce

Each size runs in its own child process so its peak memory (ru_maxrss) is its own. The plan's
exactness is checked against an independent optimum: the LP of the problem (integral here),
solved by HiGHS and certified by LP duality (``certified_optimum``); the greedy baseline is
scored against the same optimum in the same process.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

if TYPE_CHECKING:
    from volunteer_hub.matching.engine.scorer import ScoredRequests

ROOT = Path(__file__).resolve().parents[2]

SIZES: dict[str, tuple[int, int]] = {
    "small": (1_000, 200),
    "medium": (10_000, 2_000),
    "large": (50_000, 5_000),
    "scarce": (2_000, 10_000),
}
GOALS = "suggest(50k) < 10 ms; plan(10k x 2k) < 5 s; plan(50k x 5k) < 60 s and < 2 GiB; exact"


def rss_mib() -> float:
    """Current resident memory of this process, in MiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _lp(rows: np.ndarray, vols: np.ndarray, scores: np.ndarray, n_req: int,
        capacity: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:  # fmt: skip
    """max sum(score x) s.t. <= 1 per request, <= capacity per volunteer, x >= 0 (HiGHS).

    Returns the optimum and the duals of the request and volunteer constraints (>= 0).
    """
    n_vol, n_edges = len(capacity), len(scores)
    edges = np.arange(n_edges)
    a_ub = sparse.vstack(
        [
            sparse.csr_array((np.ones(n_edges), (rows, edges)), shape=(n_req, n_edges)),
            sparse.csr_array((np.ones(n_edges), (vols, edges)), shape=(n_vol, n_edges)),
        ],
        format="csr",
    )
    bounds = np.concatenate([np.ones(n_req), capacity])
    result = linprog(-scores, A_ub=a_ub, b_ub=bounds, bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(result.message)
    duals = -np.asarray(result.ineqlin.marginals)
    return -float(result.fun), duals[:n_req], duals[n_req:]


def _top_k(group: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Mask of each group's k best-scoring pairs."""
    order = np.lexsort((-scores, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(scores), dtype=bool)
    keep[order[np.arange(len(order)) - run_start < k]] = True
    return keep


def certified_optimum(
    scored: ScoredRequests, capacity: np.ndarray, k: int = 20, tolerance: float = 1e-7
) -> tuple[float, int]:
    """The exact optimum by linear programming, independent of the matcher's solver.

    The LP of this problem is integral (bipartite, totally unimodular), so its optimum is the
    best plan's total. Solving it over all pairs would take HiGHS too long at 16 million pairs,
    so it is solved over a subset (each request's and each volunteer's k best pairs) and the
    LP duals then certify it: when no left-out pair has positive reduced cost, the subset's
    optimum is the optimum of the full problem. Pairs that violate are added and the LP is
    solved again. Returns (optimum, LP rounds).
    """
    n_req = len(scored.requests)
    rows = np.repeat(np.arange(n_req), np.diff(scored.indptr))
    vols = scored.volunteers.astype(np.int64)
    chosen = _top_k(rows, scored.scores, k) | _top_k(vols, scored.scores, k)
    for rounds in range(1, 50):
        optimum, u, p = _lp(rows[chosen], vols[chosen], scored.scores[chosen], n_req, capacity)
        violating = ~chosen & (scored.scores - u[rows] - p[vols] > tolerance)
        if not violating.any():
            return optimum, rounds
        chosen |= violating
    raise RuntimeError("LP certificate did not converge")


def measure(name: str, seed: int) -> dict[str, object]:
    """Every figure of one size, in this process."""
    from bench.matching.synthetic import AS_OF, municipality
    from volunteer_hub.matching.engine.features import VolunteerPool
    from volunteer_hub.matching.engine.plan import plan_from_scores, waiting_requests
    from volunteer_hub.matching.engine.scorer import score_requests, suggest
    from volunteer_hub.matching.engine.solver import UNASSIGNED, greedy_assignment

    n_vol, n_hh = SIZES[name]
    start = time.perf_counter()
    volunteers, households = municipality(n_vol, n_hh, seed=seed)
    generate_s = time.perf_counter() - start

    start = time.perf_counter()
    pool = VolunteerPool.build(volunteers, households)
    build_s = time.perf_counter() - start
    requests = waiting_requests(households)
    rss_before = rss_mib()

    start = time.perf_counter()
    scored = score_requests(pool, requests, as_of=AS_OF)
    score_s = time.perf_counter() - start
    start = time.perf_counter()
    result = plan_from_scores(pool, scored)
    solve_s = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rng = np.random.default_rng(seed + 1)
    sample = [households[i] for i in rng.choice(len(households), size=30, replace=False)]
    suggest(pool, sample[0], as_of=AS_OF)  # warm-up (first call imports and caches)
    times_ms = []
    for household in sample:
        start = time.perf_counter()
        suggest(pool, household, as_of=AS_OF, top=10)
        times_ms.append((time.perf_counter() - start) * 1000)

    value = sparse.csr_array(
        (scored.scores, scored.volunteers, scored.indptr), shape=(len(requests), len(pool))
    )
    start = time.perf_counter()
    columns = greedy_assignment(value, capacity=pool.free_capacity)
    greedy_s = time.perf_counter() - start
    assigned = np.flatnonzero(columns != UNASSIGNED)
    greedy_total = 0.0
    for r in assigned:
        start, end = scored.indptr[r], scored.indptr[r + 1]
        greedy_total += float(
            scored.scores[start + np.searchsorted(scored.volunteers[start:end], columns[r])]
        )
    del value

    start = time.perf_counter()
    optimum, lp_rounds = certified_optimum(scored, pool.free_capacity.astype(np.float64))
    lp_s = time.perf_counter() - start
    reference = optimum
    return {
        "size": name,
        "volunteers": n_vol,
        "households": n_hh,
        "requests": len(requests),
        "pairs": scored.n_pairs,
        "assigned": len(result.assignments),
        "generate_s": generate_s,
        "build_s": build_s,
        "score_s": score_s,
        "solve_s": solve_s,
        "suggest_median_ms": statistics.median(times_ms),
        "suggest_max_ms": max(times_ms),
        "rss_before_mib": rss_before,
        "peak_mib": peak_mib,
        "total": result.total_score,
        "optimum": optimum,
        "lp_s": lp_s,
        "lp_rounds": lp_rounds,
        "plan_ratio": result.total_score / reference if reference else 1.0,
        "greedy_ratio": greedy_total / reference if reference else 1.0,
        "greedy_s": greedy_s,
        "greedy_assigned": len(assigned),
    }


def print_table(rows: list[dict[str, object]]) -> None:
    """One line per size, then what the columns mean."""
    columns = [
        ("size", 7), ("vols x hh", 15), ("requests", 9), ("pairs", 11), ("build s", 8),
        ("score s", 8), ("solve s", 8), ("plan s", 7), ("sugg ms", 10), ("base MiB", 9),
        ("peak MiB", 9), ("plan/opt", 9), ("LP s", 6), ("greedy/opt", 11), ("greedy s", 9),
        ("served", 12),
    ]  # fmt: skip
    widths = [w for _, w in columns]
    print(_line([name for name, _ in columns], widths))
    print("-" * sum(widths))
    for r in rows:
        cells = [
            str(r["size"]),
            f"{r['volunteers']:,} x {r['households']:,}",
            f"{r['requests']:,}",
            f"{r['pairs']:,}",
            f"{r['build_s']:.2f}",
            f"{r['score_s']:.2f}",
            f"{r['solve_s']:.2f}",
            f"{float(r['score_s']) + float(r['solve_s']):.2f}",
            f"{r['suggest_median_ms']:.1f}/{r['suggest_max_ms']:.1f}",
            f"{r['rss_before_mib']:.0f}",
            f"{r['peak_mib']:.0f}",
            f"{r['plan_ratio']:.6f}",
            f"{r['lp_s']:.1f}",
            f"{r['greedy_ratio']:.4f}",
            f"{r['greedy_s']:.2f}",
            f"{r['assigned']}/{r['greedy_assigned']}",
        ]
        print(_line(cells, widths))
    print()
    print("pairs = eligible (request, volunteer) pairs; plan s = score s + solve s (the full plan);")
    print("sugg ms = one household's top-10 suggestions, median/max over 30 households;")
    print("base MiB = resident memory before planning (data + pool); peak MiB = the child")
    print("process's ru_maxrss; plan/opt and greedy/opt = total score / LP optimum, found by")
    print("HiGHS on a subset of pairs and certified for all pairs by LP duality (independent of")
    print("the matcher's solver; LP s = that check); served = requests served by plan / greedy.")
    print(f"goals: {GOALS}")


def _line(cells: list[str], widths: list[int]) -> str:
    first, *rest = zip(cells, widths, strict=True)
    return f"{first[0]:<{first[1]}}" + "".join(f"{c:>{w}}" for c, w in rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="all", help="all, or a comma list of " + ", ".join(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.seed)))
        return 0
    names = list(SIZES) if args.sizes == "all" else [s.strip() for s in args.sizes.split(",")]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}")
    rows = []
    for name in names:
        command = [
            sys.executable,
            "-m",
            "bench.matching",
            "--child",
            name,
            "--seed",
            str(args.seed),
        ]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"... {name} done", file=sys.stderr, flush=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):  # run as a file: make the repository importable
        sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
