"""The anonymity threshold: small counts hidden, and no hidden count recomputable from what is
published — tried by exact linear algebra and by brute force over every table that matches."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenantvoice.ballots.anonymity import (
    COMPLEMENT,
    SMALL,
    K,
    protect,
    protect_counts,
    protect_row,
)


def published(table):
    """What a reader sees: None for hidden entries."""
    cells = [[c.value for c in row] for row in table.cells]
    return (
        cells,
        [t.value for t in table.row_totals],
        [t.value for t in table.column_totals],
        table.total.value,
    )


def candidate_values(table, rows):
    """For each hidden cell, every value it takes in some table of non-negative counts that
    shows exactly what `table` publishes, each 'fewer than 5' cell being 1 to 4 (what a reader
    knows). Backtracking over the hidden cells, pruned by the published sums."""
    cells, row_totals, col_totals, total = published(table)
    n_rows, n_cols = len(cells), len(cells[0])
    lines = [([(0, c) for c in range(n_cols)], total)] if n_rows == 1 else []
    if n_rows > 1:
        lines += [([(r, c) for c in range(n_cols)], row_totals[r]) for r in range(n_rows)]
        lines += [([(r, c) for r in range(n_rows)], col_totals[c]) for c in range(n_cols)]
        lines.append(([(r, c) for r in range(n_rows) for c in range(n_cols)], total))
    hidden = [(r, c) for r in range(n_rows) for c in range(n_cols) if cells[r][c] is None]
    bound = sum(map(sum, rows))
    # A hidden cell is never above a published total of a line it belongs to: capping each cell
    # there keeps the search small (without it a table with no published total has bound**cells
    # candidates, which never ends).
    cap = {}
    for r, c in hidden:
        known = [t for members, t in lines if t is not None and (r, c) in members]
        cap[(r, c)] = min(known, default=bound)
    # A hidden cell in no line with a published sum is tied to nothing: it takes every value
    # of its range whatever the others are, so it stays out of the search.
    free = [
        cell
        for cell in hidden
        if not any(t is not None and cell in members for members, t in lines)
    ]
    hidden = [cell for cell in hidden if cell not in free]
    seen = {cell: set() for cell in hidden}
    filled = [row[:] for row in cells]

    def ok(final):
        for members, line_total in lines:
            if line_total is None:
                continue
            values = [filled[r][c] for r, c in members]
            known = sum(v for v in values if v is not None)
            complete = final or None not in values
            if known > line_total or (complete and known != line_total):
                return False
        return True

    def search(i):
        if i == len(hidden):
            if ok(True):
                for r, c in hidden:
                    seen[(r, c)].add(filled[r][c])
            return
        r, c = hidden[i]
        small = table.cells[r][c].state == SMALL and not table.below_threshold
        low, high = (1, K - 1) if small else (0, cap[(r, c)])
        # What the published sums leave for this cell: at most each line's remainder, and
        # exactly it when the cell is the line's last unknown.
        for members, line_total in lines:
            if line_total is None or (r, c) not in members:
                continue
            others = [filled[m][n] for m, n in members if (m, n) != (r, c)]
            rest = line_total - sum(v for v in others if v is not None)
            high = min(high, rest)
            if None not in others:
                low = max(low, rest)
        values = range(low, high + 1)
        for v in values:
            filled[r][c] = v
            if ok(False):
                search(i + 1)
        filled[r][c] = None

    search(0)
    for r, c in free:
        small = table.cells[r][c].state == SMALL and not table.below_threshold
        seen.setdefault((r, c), set()).update(range(1, K) if small else range(0, bound + 1))
    return seen


def assert_nothing_recomputable(rows):
    table = protect(rows)
    _cells, row_totals, col_totals, total = published(table)
    if total is None and not any(t is not None for t in [*row_totals, *col_totals]):
        # No sum at all is published: nothing ties a hidden cell to anything (and the brute
        # force below would have no bound to prune by).
        return
    seen = candidate_values(table, rows)
    for (r, c), values in seen.items():
        assert rows[r][c] in values, "the true table must be among the candidates"
        # A small count must stay unknown; a complement may turn out to be known (a zero in a
        # row of zeros) as long as the small ones it sits beside are not.
        if table.cells[r][c].state == SMALL:
            assert len(values) > 1, f"cell {(r, c)} of {rows} is recomputable: {values}"


def test_a_small_count_is_shown_as_fewer_than_five_and_a_complement_is_hidden():
    table = protect_counts([10, 3, 7])
    states = [c.state for c in table.cells[0]]
    assert states == ["shown", SMALL, COMPLEMENT]
    assert table.total.value == 20
    assert table.cells[0][0].percent == pytest.approx(0.5)
    assert table.cells[0][1].percent is None


def test_fewer_than_five_in_all_hides_every_count():
    table = protect_counts([2, 1, 1])
    assert table.below_threshold
    assert all(c.hidden for c in table.cells[0])
    assert table.total.hidden


def test_every_choice_under_five_hides_everything_even_with_a_total_of_five_or_more():
    table = protect_counts([4, 4, 4])
    assert table.below_threshold
    assert all(c.hidden for c in table.cells[0])


def test_counts_of_five_or_more_and_zeros_are_all_shown():
    table = protect_counts([5, 0, 9])
    assert [c.value for c in table.cells[0]] == [5, 0, 9]


def test_the_complement_of_a_single_small_cell_is_a_cell_with_votes():
    table = protect_counts([12, 0, 2, 6])
    assert [c.state for c in table.cells[0]] == ["shown", "shown", SMALL, COMPLEMENT]


@pytest.mark.parametrize(
    "rows",
    [
        [[10, 3, 7]],
        [[1, 9, 9]],
        [[4, 4, 4]],
        [[4, 4, 9]],
        [[1, 1, 9]],
        [[10, 3, 7], [6, 6, 6], [1, 8, 9]],
        [[20, 2], [3, 25]],
        [[5, 5, 1], [5, 5, 5]],
        [[0, 1, 9], [7, 0, 8]],
        [[2, 2], [2, 2]],
        [[12, 1, 0], [0, 0, 6]],
    ],
)
def test_no_hidden_cell_can_be_recomputed(rows):
    assert_nothing_recomputable(rows)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda n_rows: st.integers(min_value=2, max_value=3).flatmap(
            lambda n_cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=7), min_size=n_cols, max_size=n_cols),
                min_size=n_rows,
                max_size=n_rows,
            )
        )
    )
)
def test_property_no_small_count_is_ever_published_or_recomputable(rows):
    table = protect(rows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if 0 < value < K:
                assert table.cells[r][c].hidden
    assert_nothing_recomputable(rows)


def test_percentages_of_shown_cells_cannot_rebuild_a_hidden_one():
    table = protect_counts([40, 2, 58])
    shown_percent = sum(c.percent for c in table.cells[0] if not c.hidden)
    # 58 % shown; the 42 % left is split between the 2 and the 40, both hidden.
    assert shown_percent == pytest.approx(0.58)
    assert table.cells[0][0].hidden


def _row_outcome(table):
    return (
        [(c.value, c.state, c.percent) for c in table.cells[0]],
        (table.total.value, table.total.state),
        table.below_threshold,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=6))
def test_protect_row_hides_what_protect_hides_for_one_row(row):
    assert _row_outcome(protect_row(row)) == _row_outcome(protect([row]))


def row_candidates(table, row):
    """For each hidden cell of one row whose total the reader knows (even when the page hides
    it), the values it can take: the hidden cells add up to the total less the shown ones, a
    'fewer than 5' is 1 to 4, any other hidden count 0 or more. With interval bounds and one
    sum, every whole value between the lowest and the highest is reachable."""
    cells = table.cells[0]
    hidden = [i for i, c in enumerate(cells) if c.hidden]
    rest = sum(row) - sum(c.value for c in cells if not c.hidden)
    bounds = {i: (1, K - 1) if cells[i].state == SMALL else (0, rest) for i in hidden}
    out = {}
    for i in hidden:
        others = [bounds[j] for j in hidden if j != i]
        low = max(bounds[i][0], rest - sum(hi for _lo, hi in others))
        high = min(bounds[i][1], rest - sum(lo for lo, _hi in others))
        out[i] = range(low, high + 1)
    return out


@pytest.mark.parametrize(
    "row",
    [
        [40, 3] + [9] * 20,  # 22 categories, one small: its complement is the next smallest
        [12, 1, 1, 1, 30, 7, 5, 0, 0, 2, 8, 44, 6, 9, 10, 11, 13, 4, 3, 2, 25, 18],
        [4, 4] + [0] * 20,
        [1, 1, 0, 0, 5],
        [3, 3],
        [1, 1, 0],
    ],
)
def test_protect_row_leaves_no_small_count_recomputable_with_the_total_known(row):
    table = protect_row(row)
    if table.below_threshold:
        # Fewer than 5 in all, or small counts of 1 beside nothing but zeros: no count at all.
        assert all(c.hidden for c in table.cells[0])
        return
    for i, values in row_candidates(table, row).items():
        assert row[i] in values
        if table.cells[0][i].state == SMALL:
            assert len(values) > 1, f"cell {i} of {row} is recomputable: {list(values)}"
