"""The anonymity threshold: publish counts so that no small count can be read or recomputed.

A count from 1 to k − 1 (k = 5) could single people out: it is shown as "fewer than 5". Hiding
it alone is not enough when totals are published (total − the other cells gives it back), so
*complementary suppression* hides more cells until no hidden cell can be recomputed from the
published cells, row totals, column totals and grand total (statistical agencies' practice,
trust-and-safety B-06 [OECD-THR][CELL]). Percentages are shown only for shown counts.

`protect(rows)` takes a table (rows × columns: e.g. sites × choices; one row for a plain result)
and returns what may be published. Polls use it for results, breakdowns, charts and CSV alike,
so every view of the numbers hides the same cells.

The guarantee, tested in tests/ballots/test_anonymity.py by recomputing every hidden cell by
brute force: no small count follows from the published sums, neither by the equations alone
(`determined`, exact elimination) nor with what a reader also knows — a small count is 1 to
k − 1, counts are whole and never negative (`pinned_small_cells`). Every choice under k with
the total shown ([4, 4, 4] of 12) pins them all: such a table publishes no count.
"""

from dataclasses import dataclass
from fractions import Fraction

K = 5

SHOWN = "shown"
SMALL = "small"  #: 1 … k−1: "fewer than 5"
COMPLEMENT = "complement"  #: hidden so a small one cannot be recomputed


@dataclass(frozen=True)
class Shown:
    value: int | None  #: None when hidden
    state: str = SHOWN
    percent: Fraction | None = None  #: of its row's total, when both are shown

    @property
    def hidden(self) -> bool:
        return self.state != SHOWN


@dataclass(frozen=True)
class Table:
    cells: list[list[Shown]]
    row_totals: list[Shown]  #: one per row (for a single row: the grand total again)
    column_totals: list[Shown]  #: one per column (for a single row: the cells again)
    total: Shown
    #: Nothing may be shown but the participation: fewer than k in all, or counts that only
    #: hiding the total could protect (every choice under k).
    below_threshold: bool


def _lines(rows: int, cols: int) -> list[tuple[list, tuple]]:
    """Every published sum: (its members, its total)."""
    if rows == 1:
        return [([("c", 0, c) for c in range(cols)], ("t",))]
    lines: list[tuple[list, tuple]] = [
        ([("c", r, c) for c in range(cols)], ("r", r)) for r in range(rows)
    ]
    lines += [([("c", r, c) for r in range(rows)], ("k", c)) for c in range(cols)]
    lines.append(([("r", r) for r in range(rows)], ("t",)))
    lines.append(([("k", c) for c in range(cols)], ("t",)))
    # Redundant for the equations, not for the bounds: every cell small and the total shown
    # can pin them all.
    lines.append(([("c", r, c) for r in range(rows) for c in range(cols)], ("t",)))
    return lines


def _rank(matrix: list[list[Fraction]]) -> int:
    m = [row[:] for row in matrix]
    rank, width = 0, len(m[0]) if m else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                factor = m[i][col] / m[rank][col]
                m[i] = [a - factor * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def determined(lines: list[tuple[list, tuple]], hidden: set) -> set:
    """Hidden entries whose value follows from the published sums (exact linear algebra)."""
    order = sorted(hidden)
    index = {key: i for i, key in enumerate(order)}
    matrix = []
    for members, total in lines:
        row = [Fraction(0)] * len(order)
        for key in members:
            if key in index:
                row[index[key]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            matrix.append(row)
    if not matrix:
        return set()
    base = _rank(matrix)
    found = set()
    for key, i in index.items():
        unit = [Fraction(0)] * len(order)
        unit[i] = Fraction(1)
        if _rank([*matrix, unit]) == base:
            found.add(key)
    return found


def pinned_small_cells(values: dict, state: dict, lines: list, k: int, budget: int = 200_000):
    """Small hidden cells whose value a reader can still pin down, knowing the published sums,
    that a small count is 1 to k − 1 and that counts are whole and never negative (the bounds
    the linear algebra of `determined` ignores). None when the search exceeds `budget` steps.

    Backtracking over the hidden cells; it stops as soon as every small cell is seen with two
    values, which is the usual case, so only a table that leaks pays for a full search."""
    cells = sorted(key for key in state if key[0] == "c")
    if not cells:
        return set()
    position = {key: i for i, key in enumerate(cells)}
    constraints = []
    for members, total in lines:
        variables = [position[m] for m in members if m in position]
        if not variables or any(m[0] != "c" for m in members):
            continue
        constant = sum(values[m] for m in members if m not in state)
        if total not in state:
            low = high = values[total] - constant
        elif state[total] == SMALL:
            low, high = 1 - constant, k - 1 - constant
        else:
            continue
        constraints.append((variables, low, high))
    grand = values[("t",)]
    domains = []
    for i, key in enumerate(cells):
        if state[key] == SMALL:
            domains.append(range(1, k))
        else:
            cap = min([high for v, _low, high in constraints if i in v] + [grand])
            domains.append(range(0, max(cap, 0) + 1))
    small = [i for i, key in enumerate(cells) if state[key] == SMALL]
    seen: list[set] = [set() for _ in cells]
    chosen = [0] * len(cells)
    steps = 0

    def feasible(depth: int) -> bool:
        for variables, low, high in constraints:
            done = sum(chosen[v] for v in variables if v < depth)
            rest = [v for v in variables if v >= depth]
            least = done + sum(domains[v].start for v in rest)
            most = done + sum(domains[v].stop - 1 for v in rest)
            if least > high or most < low:
                return False
        return True

    def search(depth: int) -> bool:
        """True to stop: budget exceeded or every small cell already ambiguous."""
        nonlocal steps
        steps += 1
        if steps > budget:
            return True
        if depth == len(cells):
            for i in range(len(cells)):
                seen[i].add(chosen[i])
            return all(len(seen[i]) > 1 for i in small)
        for value in domains[depth]:
            chosen[depth] = value
            if feasible(depth + 1) and search(depth + 1):
                return True
        return False

    search(0)
    if steps > budget:
        return None
    return {cells[i] for i in small if len(seen[i]) <= 1}


def protect(rows: list[list[int]], k: int = K) -> Table:
    """Decide which counts of a table may be published (see the module docstring)."""
    n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
    values: dict[tuple, int] = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v < 0:
                raise ValueError("counts cannot be negative")
            values[("c", r, c)] = v
    grand = sum(values.values())
    values[("t",)] = grand
    if n_rows > 1:
        for r in range(n_rows):
            values[("r", r)] = sum(rows[r])
        for c in range(n_cols):
            values[("k", c)] = sum(rows[r][c] for r in range(n_rows))
    lines = _lines(n_rows, n_cols)
    state: dict[tuple, str] = {}

    if 0 < grand < k:
        state = dict.fromkeys(values, SMALL)
    else:
        for key, v in values.items():
            if 0 < v < k:
                state[key] = SMALL

        def hide_one_more(members: list, total: tuple) -> bool:
            open_members = [m for m in members if m not in state]
            positive = [m for m in open_members if values[m] > 0]
            pick = positive or open_members or ([total] if total not in state else [])
            if not pick:
                return False
            state[min(pick, key=lambda m: (values[m], m))] = COMPLEMENT
            return True

        def settle() -> None:
            changed = True
            while changed:
                changed = _settle_once()

        def _settle_once() -> bool:
            changed = False
            for members, total in lines:
                hidden = [m for m in [*members, total] if m in state]
                # One hidden entry: the others give it back. Only small ones hidden and the
                # total shown: their bounds (1 to k − 1) can pin them ([4, 4, 4] of 12 is
                # 4, 4, 4), so each such line also hides a count without an upper bound.
                only_small = (
                    hidden and total not in state and all(state[m] == SMALL for m in hidden)
                )
                if len(hidden) == 1 or only_small:
                    changed |= hide_one_more(members, total)
            if changed:
                return True
            for key in sorted(determined(lines, set(state))):
                containing = [line for line in lines if key in line[0] or key == line[1]]
                if any(hide_one_more(members, total) for members, total in containing):
                    return True
            return False

        settle()
        # The bounds can still pin a small count: hide more beside it, or, when nothing is
        # left to hide (or the table is too large to check), publish no count at all.
        for _round in range(len(values)):
            pinned = pinned_small_cells(values, state, lines, k)
            if not pinned:
                if pinned is None:
                    state.update(dict.fromkeys(values, SMALL))
                break
            key = min(pinned)
            containing = [line for line in lines if key in line[0]]
            if not any(hide_one_more(members, total) for members, total in containing):
                state.update(dict.fromkeys(values, SMALL))
                break
            settle()

    def shown(key: tuple, of: tuple | None = None) -> Shown:
        if key in state:
            return Shown(None, state[key])
        percent = None
        if of is not None and of not in state and values[of]:
            percent = Fraction(values[key], values[of])
        return Shown(values[key], SHOWN, percent)

    if n_rows == 1:
        cells = [[shown(("c", 0, c), ("t",)) for c in range(n_cols)]]
        row_totals = [shown(("t",))]
        column_totals = cells[0]
    else:
        cells = [[shown(("c", r, c), ("r", r)) for c in range(n_cols)] for r in range(n_rows)]
        row_totals = [shown(("r", r), ("t",)) for r in range(n_rows)]
        column_totals = [shown(("k", c), ("t",)) for c in range(n_cols)]
    return Table(
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=shown(("t",)),
        below_threshold=("t",) in state,
    )


def protect_row(counts: list[int], k: int = K) -> Table:
    """`protect` for one row of counts whose total a reader knows (or may know), in linear
    time: the same cells hidden as `protect([counts])` (tests/ballots/test_anonymity.py checks
    it on every small row), for charts of many bars where `protect`'s general search is slow
    (22 categories took seconds).

    With one published sum (the total), a hidden small count can be recomputed only when it is
    alone hidden, or when every hidden count is small (their sum is known and their bounds, 1
    to k − 1, can pin them: [4, 4] of a known 8). Hiding one more count of at least 1 beside
    them (the smallest, as `protect` does) leaves every small one undetermined: it can move by
    one either way against that count. Nothing positive left to hide: a zero beside them, and
    the total too when that still pins them (all at 1) or when there is no zero either."""
    values = list(counts)
    if any(v < 0 for v in values):
        raise ValueError("counts cannot be negative")
    grand = sum(values)
    n = len(values)
    if 0 < grand < k:
        states = [SMALL] * n
        total_state = SMALL
    else:
        states = [SMALL if 0 < v < k else SHOWN for v in values]
        total_state = SHOWN
        if SMALL in states:
            open_cells = [c for c in range(n) if states[c] == SHOWN]
            positive = [c for c in open_cells if values[c] > 0]
            pick = positive or open_cells
            if pick:
                states[min(pick, key=lambda c: (values[c], c))] = COMPLEMENT
            else:
                total_state = COMPLEMENT
            if not positive and all(values[c] == 1 for c in range(n) if states[c] == SMALL):
                # Only a zero was left to hide beside small counts all at 1: none can move
                # down and the zero cannot either, so they stay pinned; hide the total.
                total_state = COMPLEMENT
    total = Shown(grand) if total_state == SHOWN else Shown(None, total_state)
    cells = [
        Shown(
            v,
            SHOWN,
            Fraction(v, grand) if total_state == SHOWN and grand else None,
        )
        if state == SHOWN
        else Shown(None, state)
        for v, state in zip(values, states, strict=True)
    ]
    return Table(
        cells=[cells],
        row_totals=[total],
        column_totals=cells,
        total=total,
        below_threshold=total_state != SHOWN,
    )


def protect_counts(counts: list[int], k: int = K) -> Table:
    """One row of counts and its total (a plain result)."""
    return protect([list(counts)], k)
