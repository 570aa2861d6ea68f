"""Exact minimum-cost (or maximum-value) assignment on a sparse graph, with column capacities
and an optional price for leaving each row unassigned.

Both the matcher's plan and the OR-Library tests go through ``min_cost_assignment``, so the
published optima test the very code that plans. The method is the textbook reduction to a
rectangular assignment problem: a column of capacity c is repeated c times ("slots"), each row
gets a private dummy column carrying its unassigned price, and
``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp, exact) solves it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

UNASSIGNED: int = -1
"""Column reported for a row left unassigned (only possible with ``unassigned``)."""


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    """``columns[r]`` is row r's column or ``UNASSIGNED``; ``objective`` is the sum of the
    assigned entries plus the ``unassigned`` entries of the other rows (a cost, or a value when
    maximising)."""

    columns: npt.NDArray[np.intp]
    objective: float


def min_cost_assignment(
    cost: sparse.sparray | sparse.spmatrix | npt.ArrayLike,
    *,
    capacity: npt.ArrayLike | None = None,
    unassigned: npt.ArrayLike | None = None,
    maximize: bool = False,
) -> AssignmentResult:
    """Optimal assignment: every row takes at most one column, column j at most ``capacity[j]``
    rows (default 1); minimises the total (maximises it with ``maximize=True``).

    ``cost``: a scipy sparse matrix whose stored entries (explicit zeros included) are the
    allowed pairs, or a dense 2-D array where ``inf``/``nan`` marks a forbidden pair.
    Without ``unassigned`` the assignment must be full (every row assigned when rows <=
    column slots, else every slot used), as in the classic assignment problem; a ValueError
    says when none exists. With it, row r may stay unassigned, which counts ``unassigned[r]``
    in the objective (a cost, or a value when maximising). Entries may be any finite numbers:
    they are shifted to be strictly positive before solving, which changes every full
    matching's total by the same amount and so not the optimum.
    """
    indptr, indices, data, n_rows, n_cols = _as_csr_arrays(cost)
    slots = np.ones(n_cols, dtype=np.int64)
    if capacity is not None:
        slots = np.asarray(capacity, dtype=np.int64).reshape(-1)
        if slots.shape != (n_cols,) or (slots < 0).any():
            raise ValueError("capacity needs one non-negative entry per column")
        # Exact reduction: a column never needs more slots than rows adjacent to it.
        degree = np.bincount(indices, minlength=n_cols)
        slots = np.minimum(slots, degree)
    dummy: npt.NDArray[np.float64] | None = None
    if unassigned is not None:
        dummy = np.asarray(unassigned, dtype=np.float64).reshape(-1)
        if dummy.shape != (n_rows,) or not np.isfinite(dummy).all():
            raise ValueError("unassigned needs one finite entry per row")

    graph, slot_column = _slot_graph(indptr, indices, data, n_rows, slots, dummy, maximize)
    if graph.shape[0] == 0 or graph.shape[1] == 0:
        return AssignmentResult(np.full(n_rows, UNASSIGNED, dtype=np.intp), _total(dummy))
    try:
        rows, cols = min_weight_full_bipartite_matching(graph)
    except ValueError as error:
        raise ValueError("no full assignment exists for this cost matrix") from error
    del graph
    columns = np.full(n_rows, UNASSIGNED, dtype=np.intp)
    real = cols < len(slot_column)
    columns[rows[real]] = slot_column[cols[real]]
    return AssignmentResult(columns, _assignment_cost(indptr, indices, data, columns, dummy))


def _as_csr_arrays(
    cost: sparse.sparray | sparse.spmatrix | npt.ArrayLike,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float64], int, int]:
    """(indptr, indices, data, n_rows, n_cols) with sorted column indices and no duplicates."""
    if sparse.issparse(cost):
        matrix = sparse.csr_array(cost)
        if not matrix.has_canonical_format:
            matrix = matrix.copy()
            matrix.sum_duplicates()  # also sorts indices; keeps explicit zeros
    else:
        dense = np.asarray(cost, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError("cost must be a 2-D array or a sparse matrix")
        allowed = np.isfinite(dense)
        r, c = np.nonzero(allowed)
        matrix = sparse.csr_array((dense[allowed], (r, c)), shape=dense.shape)
    n_rows, n_cols = matrix.shape
    data = np.asarray(matrix.data, dtype=np.float64)
    if not np.isfinite(data).all():
        raise ValueError("stored costs must be finite")
    return (
        np.asarray(matrix.indptr, dtype=np.int64),
        np.asarray(matrix.indices, dtype=np.int32),
        data,
        int(n_rows),
        int(n_cols),
    )


def _slot_graph(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    data: npt.NDArray[np.float64],
    n_rows: int,
    slots: npt.NDArray[np.int64],
    dummy: npt.NDArray[np.float64] | None,
    maximize: bool,
) -> tuple[sparse.csr_array, npt.NDArray[np.intp]]:
    """The CSR graph (rows x slots [+ one dummy per row]) with positive costs, and the original
    column of each slot.

    Built straight in CSR order, in 32-bit indices where they fit, because for a large
    municipality this graph has tens of millions of entries and memory is the limit: each
    row's dummy is first appended as one more entry of the compact matrix (one slot), then
    every entry is repeated once per slot of its column in a single pass.
    """
    n_cols = len(slots)
    n_slots = int(slots.sum())
    slot_start = np.zeros(n_cols, dtype=np.int64)
    np.cumsum(slots[:-1], out=slot_start[1:])
    slot_column = np.repeat(np.arange(n_cols, dtype=np.intp), slots)
    n_total = n_slots
    if dummy is not None:
        ends = indptr[1:]
        indices = np.insert(indices, ends, np.arange(n_cols, n_cols + n_rows, dtype=np.int32))
        data = np.insert(data, ends, dummy)
        indptr = indptr + np.arange(n_rows + 1)
        slots = np.concatenate([slots, np.ones(n_rows, dtype=np.int64)])
        slot_start = np.concatenate([slot_start, n_slots + np.arange(n_rows, dtype=np.int64)])
        n_total += n_rows

    repeat = slots.astype(np.int32)[indices]
    n_entries = int(repeat.sum(dtype=np.int64))
    index_type = np.int32 if max(n_entries, n_total) < np.iinfo(np.int32).max else np.int64
    first_copy = np.zeros(len(repeat) + 1, dtype=index_type)  # entry -> its first position
    np.cumsum(repeat, out=first_copy[1:])
    new_indptr = first_copy[indptr]
    new_data = np.repeat(data, repeat)
    del data
    new_indices = np.repeat(slot_start.astype(index_type)[indices], repeat)
    del indices
    # The k-th copy of an entry goes to its column's k-th slot (only columns with k+ slots).
    for k in range(1, int(repeat.max(initial=1))):
        new_indices[first_copy[:-1][repeat > k] + k] += k
    del first_copy, repeat

    if maximize:
        np.negative(new_data, out=new_data)
    if n_entries:
        new_data += 1.0 - float(new_data.min())  # strictly positive: no entry reads as absent
    graph = sparse.csr_array((new_data, new_indices, new_indptr), shape=(n_rows, n_total))
    return graph, slot_column


def _assignment_cost(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    data: npt.NDArray[np.float64],
    columns: npt.NDArray[np.intp],
    dummy: npt.NDArray[np.float64] | None,
) -> float:
    """The objective in the caller's units (no shift, no sign change), from the original entries."""
    total = 0.0
    for row in np.flatnonzero(columns != UNASSIGNED):
        start, end = indptr[row], indptr[row + 1]
        at = start + np.searchsorted(indices[start:end], columns[row])
        total += float(data[at])
    if dummy is not None:
        total += float(dummy[columns == UNASSIGNED].sum())
    return total


def _total(dummy: npt.NDArray[np.float64] | None) -> float:
    return 0.0 if dummy is None else float(dummy.sum())


def greedy_assignment(
    value: sparse.sparray | sparse.spmatrix, *, capacity: npt.ArrayLike | None = None
) -> npt.NDArray[np.intp]:
    """Baseline for comparison only (benchmark and tests): take pairs by decreasing value while
    the row is free and the column has room. Not optimal; ``min_cost_assignment`` is."""
    matrix = sparse.coo_array(value)
    n_rows, n_cols = matrix.shape
    room = [1] * n_cols if capacity is None else np.asarray(capacity, dtype=np.int64).tolist()
    order = np.lexsort((matrix.col, matrix.row, -matrix.data))
    columns = [UNASSIGNED] * n_rows
    rows_left, room_left = n_rows, sum(room)
    for r, c in zip(matrix.row[order].tolist(), matrix.col[order].tolist(), strict=True):
        if columns[r] == UNASSIGNED and room[c] > 0:
            columns[r] = c
            room[c] -= 1
            rows_left -= 1
            room_left -= 1
            if rows_left == 0 or room_left == 0:
                break
    return np.array(columns, dtype=np.intp)
