"""Ballots as compact strings, and the counting of every kind (pure functions, no database).

Encoding of one ballot (`content`), choice ids in decimal:

* MOTION, YES_NO, SINGLE: ``"12"``
* MULTIPLE: ``"12,15"`` (sorted, 1 to k ids)
* RANKING: ``"15>12>13"`` (first preference first; a partial ranking is allowed)
* DATES: ``"12:y,13:m,14:n"`` (every date answered: yes / if needed / no)

At close the box is reduced to *cells* (`cells_of`), the only thing kept: ``"ballots"`` (how
many ballots), ``"<id>"`` (votes or selections of a choice), ``"<id>:y"`` / ``"<id>:m"`` (a date's
yes and if-needed answers) and, for a ranking, one cell per ranking pattern (instant-runoff
needs them).
Paper counts entered after closing are cells of the paper channel; `compute_result` adds both.
"""

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.ballots.models import Kind, Outcome
from tenantvoice.ballots.rules import Rules, decide, quorum_required

BALLOTS = "ballots"
DATE_ANSWERS = ("y", "m", "n")  #: yes, if needed, no


# --- one ballot ---------------------------------------------------------------------------------


def _ids(raw: Iterable) -> list[int]:
    out = []
    for value in raw:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            raise BallotInvalidError(
                _l("This choice is not part of this question."), "choice"
            ) from None
    return out


def encode(kind: Kind, choice_ids: list[int], answer, *, max_choices: int | None = None) -> str:
    """Check one ballot against the question and encode it (else BallotInvalidError, 422).

    `answer` is: an id (MOTION, YES_NO, SINGLE); a list of ids (MULTIPLE); a mapping id → rank
    (RANKING, blank ranks left out); a mapping id → "y"/"m"/"n" (DATES).
    """
    valid = set(choice_ids)
    if kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE):
        if answer in (None, ""):
            raise BallotInvalidError(_l("Choose an answer."), "choice")
        (choice,) = _ids([answer])
        if choice not in valid:
            raise BallotInvalidError(_l("This choice is not part of this question."), "choice")
        return str(choice)
    if kind == Kind.MULTIPLE:
        ids = _ids(answer or [])
        if not ids:
            raise BallotInvalidError(_l("Choose at least one answer."), "choice")
        if not set(ids) <= valid:
            raise BallotInvalidError(_l("This choice is not part of this question."), "choice")
        if len(set(ids)) != len(ids):
            raise BallotInvalidError(_l("Each answer can be chosen once."), "choice")
        if max_choices and len(ids) > max_choices:
            raise BallotInvalidError(
                _l("Choose at most %(count)d answers.", count=max_choices), "choice"
            )
        return ",".join(str(i) for i in sorted(ids))
    if kind == Kind.RANKING:
        ranks = {}
        for key, rank in (answer or {}).items():
            if rank in (None, ""):
                continue
            (choice,) = _ids([key])
            (position,) = _ids([rank])
            if choice not in valid or position < 1 or position > len(valid):
                raise BallotInvalidError(_l("This choice is not part of this question."), "choice")
            ranks[choice] = position
        if not ranks:
            raise BallotInvalidError(_l("Rank at least one choice."), "choice")
        if len(set(ranks.values())) != len(ranks):
            raise BallotInvalidError(_l("Two choices have the same rank."), "choice")
        return ">".join(str(c) for c, _r in sorted(ranks.items(), key=lambda item: item[1]))
    if kind == Kind.DATES:
        answers = {}
        for key, value in (answer or {}).items():
            (choice,) = _ids([key])
            if choice not in valid or value not in DATE_ANSWERS:
                raise BallotInvalidError(_l("This choice is not part of this question."), "choice")
            answers[choice] = value
        if set(answers) != valid:
            raise BallotInvalidError(_l("Answer for every date."), "choice")
        return ",".join(f"{c}:{answers[c]}" for c in sorted(answers))
    raise ValueError(f"unknown kind {kind}")


def decode(kind: Kind, content: str):
    """The inverse of `encode` (a named vote shown back to its voter, a test)."""
    if kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE):
        return int(content)
    if kind == Kind.MULTIPLE:
        return [int(x) for x in content.split(",")]
    if kind == Kind.RANKING:
        return [int(x) for x in content.split(">")]
    if kind == Kind.DATES:
        return {int(c): a for c, a in (part.split(":") for part in content.split(","))}
    raise ValueError(f"unknown kind {kind}")


def cells_of(kind: Kind, contents: Iterable[str]) -> Counter:
    """Reduce ballots to the counts kept after close (see the module docstring)."""
    cells: Counter = Counter()
    for content in contents:
        cells[BALLOTS] += 1
        if kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE):
            cells[content] += 1
        elif kind == Kind.MULTIPLE:
            for part in content.split(","):
                cells[part] += 1
        elif kind == Kind.RANKING:
            cells[content] += 1
        elif kind == Kind.DATES:
            for part in content.split(","):
                choice, answer = part.split(":")
                if answer != "n":
                    cells[f"{choice}:{answer}"] += 1
    return cells


# --- instant-runoff and average rank -------------------------------------------------------------


@dataclass
class Round:
    counts: dict[int, int]  #: first preferences among the continuing choices
    exhausted: int  #: ballots with no continuing choice left
    eliminated: int | None = None
    tied: list[int] = field(default_factory=list)  #: tied for elimination, if they were
    tie_break: str | None = None  #: "earlier_rounds" or "draw"


@dataclass
class Runoff:
    rounds: list[Round]
    winner: int | None


def patterns_of(cells: Mapping[str, int]) -> Counter:
    """Ranking cells → Counter of rankings (tuples of choice ids)."""
    out: Counter = Counter()
    for cell, n in cells.items():
        if cell != BALLOTS and n > 0:
            out[tuple(int(x) for x in cell.split(">"))] += n
    return out


def _break_tie(tied: list[int], rounds: list[Round], rng: random.Random) -> tuple[int, str]:
    """Eliminate the tied choice with fewer votes in the latest earlier round that tells them
    apart; if none does, by the recorded draw."""
    candidates = sorted(tied)
    for earlier in reversed(rounds):
        low = min(earlier.counts.get(c, 0) for c in candidates)
        candidates = [c for c in candidates if earlier.counts.get(c, 0) == low]
        if len(candidates) == 1:
            return candidates[0], "earlier_rounds"
    return rng.choice(candidates), "draw"


def instant_runoff(patterns: Mapping[tuple, int], choices: list[int], seed: int) -> Runoff:
    """Instant-runoff: a choice with more than half of the continuing ballots wins; otherwise the
    last is eliminated (ties: earlier rounds' counts, then a draw seeded by `seed`)."""
    rng = random.Random(seed)
    continuing = list(choices)
    rounds: list[Round] = []
    while continuing:
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking, n in patterns.items():
            top = next((c for c in ranking if c in counts), None)
            if top is None:
                exhausted += n
            else:
                counts[top] += n
        active = sum(counts.values())
        current = Round(counts=counts, exhausted=exhausted)
        if active == 0:
            rounds.append(current)
            return Runoff(rounds, None)
        best = max(counts.values())
        leaders = [c for c in continuing if counts[c] == best]
        if len(continuing) == 1 or (2 * best > active and len(leaders) == 1):
            rounds.append(current)
            return Runoff(rounds, leaders[0])
        low = min(counts.values())
        tied = [c for c in continuing if counts[c] == low]
        if len(tied) == 1:
            current.eliminated = tied[0]
        else:
            current.eliminated, current.tie_break = _break_tie(tied, rounds, rng)
            current.tied = sorted(tied)
        rounds.append(current)
        continuing.remove(current.eliminated)
    return Runoff(rounds, None)  # pragma: no cover - the loop always returns


def average_ranks(patterns: Mapping[tuple, int], choices: list[int]) -> dict[int, Fraction]:
    """Mean rank of each choice over every ballot (lower is better). A ballot that ranks r of n
    choices gives each unranked choice the mean of the ranks left, (r + 1 + n) / 2."""
    n = len(choices)
    total = sum(patterns.values())
    if not total:
        return {}
    sums = dict.fromkeys(choices, Fraction(0))
    for ranking, count in patterns.items():
        ranked = [c for c in ranking if c in sums]
        unranked_rank = Fraction(len(ranked) + 1 + n, 2)
        for position, choice in enumerate(ranked, start=1):
            sums[choice] += position * count
        for choice in set(choices) - set(ranked):
            sums[choice] += unranked_rank * count
    return {c: s / total for c, s in sums.items()}


# --- the result ----------------------------------------------------------------------------------


@dataclass
class Result:
    """Everything a results page shows, computed from cells, rules and the electorate."""

    kind: Kind
    outcome: Outcome
    electorate: int
    turnout: int  #: people on the roll (app ballots + paper voters checked in)
    ballots: int  #: ballots counted (app + paper entered)
    quorum_required: int
    counts: dict[int, int]  #: votes (dates: "yes") per choice, in choice order
    maybe: dict[int, int] = field(default_factory=dict)  #: DATES: "if needed" per date
    leaders: list[int] = field(default_factory=list)  #: most votes / IRV winner / best date
    runoff: Runoff | None = None
    mean_ranks: dict[int, Fraction] = field(default_factory=dict)
    seed: int | None = None

    @property
    def quorum_reached(self) -> bool:
        return self.turnout >= self.quorum_required


def merge(*cell_sets: Mapping[str, int]) -> Counter:
    total: Counter = Counter()
    for cells in cell_sets:
        total.update({k: v for k, v in cells.items() if v})
    return total


def compute_result(
    kind: Kind,
    choices: list,
    cells: Mapping[str, int],
    *,
    electorate: int,
    turnout: int,
    rules: Rules,
    seed: int | None = None,
) -> Result:
    """The result of a question from its merged cells. `choices` are objects with `id` and
    `code` (and `starts_at` for dates), in display order."""
    ids = [c.id for c in choices]
    ballots = cells.get(BALLOTS, 0)
    required = quorum_required(rules, electorate)
    counts = {i: cells.get(str(i), 0) for i in ids}
    result = Result(
        kind=kind,
        outcome=Outcome.COUNTED,
        electorate=electorate,
        turnout=turnout,
        ballots=ballots,
        quorum_required=required,
        counts=counts,
        seed=seed,
    )
    if kind in (Kind.MOTION, Kind.YES_NO):
        by_code = {c.code: counts[c.id] for c in choices}
        yes = by_code.get("for", by_code.get("yes", 0))
        no = by_code.get("against", by_code.get("no", 0))
        result.outcome = decide(
            yes,
            no,
            by_code.get("abstain", 0),
            electorate=electorate,
            rules=rules,
            turnout=turnout,
        )
        return result
    if turnout < required:
        result.outcome = Outcome.NO_QUORUM
    if kind == Kind.RANKING:
        patterns = patterns_of(cells)
        result.runoff = instant_runoff(patterns, ids, seed or 0)
        result.mean_ranks = average_ranks(patterns, ids)
        result.counts = result.runoff.rounds[0].counts if result.runoff.rounds else counts
        result.leaders = [result.runoff.winner] if result.runoff.winner is not None else []
    elif kind == Kind.DATES:
        result.counts = {i: cells.get(f"{i}:y", 0) for i in ids}
        result.maybe = {i: cells.get(f"{i}:m", 0) for i in ids}
        if ballots:
            # Most people available (yes or if needed), then most "yes", then the first listed
            # (dates are listed in time order).
            def score(position):
                choice = ids[position]
                return (-(result.counts[choice] + result.maybe[choice]), -result.counts[choice])

            result.leaders = [ids[min(range(len(ids)), key=lambda p: (score(p), p))]]
    elif ballots:
        best = max(counts.values(), default=0)
        result.leaders = [i for i in ids if counts[i] == best and best > 0]
    return result
