"""The exact assignment solver: OR-Library optima, LP optima and brute force on random instances."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from volunteer_hub.matching.engine.solver import UNASSIGNED, greedy_assignment, min_cost_assignment

ORLIB = Path(__file__).resolve().parents[1] / "data" / "orlib"


def read_orlib(name: str) -> sparse.csr_array | np.ndarray:
    """Dense files: n then n*n costs. Sparse files ('assignp'): n then triples i j c (1-based)."""
    numbers = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(numbers[0])
    if name.startswith("assignp"):
        i, j, c = numbers[1:].reshape(-1, 3).T
        return sparse.csr_array((c.astype(float), (i - 1, j - 1)), shape=(n, n))
    return numbers[1 : 1 + n * n].reshape(n, n).astype(float)


@pytest.mark.parametrize(
    ("name", "optimum"),
    [
        ("assign100", 305),
        ("assign200", 475),
        ("assign800", 1552),
        ("assignp800", 2239),
        ("assignp5000", 48533),
    ],
)
def test_orlib_instances_reach_the_published_optimum(name, optimum):
    cost = read_orlib(name)
    result = min_cost_assignment(cost)
    n = cost.shape[0]
    assert sorted(result.columns.tolist()) == list(range(n))  # a permutation: full assignment
    assert result.objective == optimum
    dense = cost.toarray() if sparse.issparse(cost) else cost
    assert dense[np.arange(n), result.columns].sum() == optimum
    if sparse.issparse(cost):  # every used pair is an allowed (stored) pair
        assert (cost[np.arange(n), result.columns] > 0).all()


def random_instance(seed: int, n_rows: int, n_cols: int, density: float, with_dummy: bool):
    rng = np.random.default_rng(seed)
    allowed = rng.random((n_rows, n_cols)) < density
    r, c = np.nonzero(allowed)
    # Negative and positive costs, and a few exact ties, to stress the shift to positive costs.
    values = np.round(rng.uniform(-1.0, 1.0, len(r)), 2)
    cost = sparse.csr_array((values, (r, c)), shape=(n_rows, n_cols))
    capacity = rng.integers(1, 4, n_cols)
    unassigned = np.round(rng.uniform(-0.2, 0.8, n_rows), 2) if with_dummy else None
    return cost, capacity, unassigned


def lp_optimum(cost, capacity, unassigned) -> float:
    """The LP relaxation (integral here: the constraint matrix is totally unimodular)."""
    coo = sparse.coo_array(cost)
    n_rows, n_cols = cost.shape
    n_edges = coo.nnz
    edges = np.arange(n_edges)
    row_block = sparse.csr_array((np.ones(n_edges), (coo.row, edges)), shape=(n_rows, n_edges))
    col_block = sparse.csr_array((np.ones(n_edges), (coo.col, edges)), shape=(n_cols, n_edges))
    if unassigned is None:
        c, a_eq = coo.data, row_block
    else:
        c = np.concatenate([coo.data, unassigned])
        a_eq = sparse.hstack([row_block, sparse.eye_array(n_rows)])
        col_block = sparse.hstack([col_block, sparse.csr_array((n_cols, n_rows))])
    result = linprog(
        c,
        A_ub=col_block,
        b_ub=capacity,
        A_eq=a_eq,
        b_eq=np.ones(n_rows),
        bounds=(0, 1),
        method="highs",
    )
    assert result.status == 0, result.message
    return float(result.fun)


def brute_force(cost, capacity, unassigned) -> float:
    """Enumerate every assignment (tiny instances only)."""
    dense = cost.toarray()
    coo = sparse.coo_array(cost)
    allowed = np.zeros(cost.shape, dtype=bool)
    allowed[coo.row, coo.col] = True
    options = []
    for r in range(cost.shape[0]):
        row = [int(j) for j in np.flatnonzero(allowed[r])]
        options.append(row + ([UNASSIGNED] if unassigned is not None else []))
    best = math.inf
    for choice in itertools.product(*options):
        used = np.bincount([j for j in choice if j != UNASSIGNED], minlength=cost.shape[1])
        if (used > capacity).any():
            continue
        total = sum(dense[r, j] if j != UNASSIGNED else unassigned[r] for r, j in enumerate(choice))
        best = min(best, total)
    return best


def check_feasible(result, cost, capacity, unassigned):
    coo = sparse.coo_array(cost)
    allowed = set(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
    taken = np.zeros(cost.shape[1], dtype=int)
    for r, j in enumerate(result.columns.tolist()):
        if j == UNASSIGNED:
            assert unassigned is not None
            continue
        assert (r, j) in allowed
        taken[j] += 1
    assert (taken <= capacity).all()


@pytest.mark.parametrize("seed", range(12))
def test_tiny_instances_equal_brute_force_and_lp(seed):
    cost, capacity, unassigned = random_instance(seed, 6, 4, 0.6, with_dummy=True)
    capacity = np.minimum(capacity, 2)
    result = min_cost_assignment(cost, capacity=capacity, unassigned=unassigned)
    check_feasible(result, cost, capacity, unassigned)
    expected = brute_force(cost, capacity, unassigned)
    assert result.objective == pytest.approx(expected, abs=1e-9)
    assert lp_optimum(cost, capacity, unassigned) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("seed", "n_rows", "n_cols", "density"),
    [
        (1, 30, 12, 0.3),
        (2, 200, 60, 0.1),
        (3, 120, 400, 0.05),
        (4, 1500, 300, 0.02),
        (5, 600, 2000, 0.01),
    ],
)
def test_capacitated_instances_equal_lp_optimum(seed, n_rows, n_cols, density):
    cost, capacity, unassigned = random_instance(seed, n_rows, n_cols, density, with_dummy=True)
    result = min_cost_assignment(cost, capacity=capacity, unassigned=unassigned)
    check_feasible(result, cost, capacity, unassigned)
    assert result.objective == pytest.approx(lp_optimum(cost, capacity, unassigned), abs=1e-7)


@pytest.mark.parametrize("seed", range(5))
def test_full_assignment_without_dummies_equals_lp(seed):
    rng = np.random.default_rng(100 + seed)
    n = 40
    dense = rng.integers(1, 50, (n, n)).astype(float)
    dense[rng.random((n, n)) < 0.5] = np.inf  # forbidden pairs
    np.fill_diagonal(dense, rng.integers(1, 50, n))  # keeps a full assignment possible
    result = min_cost_assignment(dense)
    assert (result.columns != UNASSIGNED).all()
    allowed = np.isfinite(dense)
    r, c = np.nonzero(allowed)
    cost = sparse.csr_array((dense[allowed], (r, c)), shape=dense.shape)
    assert result.objective == pytest.approx(lp_optimum(cost, np.ones(n), None))


def test_explicit_zero_costs_are_allowed_pairs():
    cost = sparse.csr_array(
        (np.array([0.0, 5.0, 5.0]), (np.array([0, 0, 1]), np.array([0, 1, 0]))), shape=(2, 2)
    )
    result = min_cost_assignment(cost)
    assert result.columns.tolist() == [1, 0] and result.objective == 10.0
    result = min_cost_assignment(cost, unassigned=[3.0, 3.0])
    assert result.columns.tolist() == [0, UNASSIGNED] and result.objective == 3.0


def test_infeasible_full_assignment_raises():
    dense = np.array([[1.0, np.inf], [2.0, np.inf]])
    with pytest.raises(ValueError, match="no full assignment"):
        min_cost_assignment(dense)


def test_more_rows_than_columns_fills_every_column():
    dense = np.array([[1.0], [0.5], [3.0]])
    result = min_cost_assignment(dense)
    assert result.columns.tolist() == [UNASSIGNED, 0, UNASSIGNED] and result.objective == 0.5


def test_capacity_and_dummy_shapes_are_checked():
    cost = np.ones((2, 3))
    with pytest.raises(ValueError, match="capacity"):
        min_cost_assignment(cost, capacity=[1, 1])
    with pytest.raises(ValueError, match="unassigned"):
        min_cost_assignment(cost, unassigned=[1.0, np.nan])


def test_greedy_baseline_is_sometimes_worse_never_better():
    worse = 0
    for seed in range(20):
        cost, capacity, _ = random_instance(seed, 60, 25, 0.15, with_dummy=False)
        value = sparse.csr_array(
            (np.abs(cost.data) + 0.01, cost.indices, cost.indptr), shape=cost.shape
        )
        exact = min_cost_assignment(-value, capacity=capacity, unassigned=np.zeros(60))
        greedy = greedy_assignment(value, capacity=capacity)
        dense = value.toarray()
        greedy_total = sum(dense[r, j] for r, j in enumerate(greedy.tolist()) if j != UNASSIGNED)
        assert greedy_total <= -exact.objective + 1e-9
        worse += greedy_total < -exact.objective - 1e-9
    assert worse >= 5


@pytest.mark.parametrize("seed", range(3))
def test_maximize_equals_minimising_the_negated_values(seed):
    cost, capacity, unassigned = random_instance(300 + seed, 80, 30, 0.1, with_dummy=True)
    low = min_cost_assignment(-cost, capacity=capacity, unassigned=-unassigned)
    high = min_cost_assignment(cost, capacity=capacity, unassigned=unassigned, maximize=True)
    assert high.objective == pytest.approx(-low.objective)
    assert high.objective == pytest.approx(-lp_optimum(-cost, capacity, -unassigned))
