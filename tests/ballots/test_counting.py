"""Counting every kind: encoding checks, instant-runoff (exhausted ballots, ties, the seeded
draw), average rank, dates, single and multiple choice."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenantvoice.ballots import counting
from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.ballots.models import Kind, Outcome, QuorumMode
from tenantvoice.ballots.rules import Rules

pytestmark = pytest.mark.usefixtures("request_ctx")

A, B, C, D = 11, 12, 13, 14


def choices(*ids, dates=False):
    start = datetime(2027, 1, 5, 23, 0, tzinfo=UTC)
    return [
        SimpleNamespace(id=i, code=None, starts_at=start + timedelta(days=n) if dates else None)
        for n, i in enumerate(ids)
    ]


def runoff(ballots, ids=(A, B, C), seed=7):
    return counting.instant_runoff(Counter(ballots), list(ids), seed)


# --- encoding -------------------------------------------------------------------------------------


def test_multiple_choice_refuses_more_than_k():
    with pytest.raises(BallotInvalidError, match="at most 2"):
        counting.encode(Kind.MULTIPLE, [A, B, C], [A, B, C], max_choices=2)
    assert counting.encode(Kind.MULTIPLE, [A, B, C], [str(C), str(A)], max_choices=2) == "11,13"


def test_ranking_refuses_two_choices_at_one_rank_and_keeps_a_partial_ranking():
    with pytest.raises(BallotInvalidError, match="same rank"):
        counting.encode(Kind.RANKING, [A, B, C], {A: 1, B: 1})
    assert counting.encode(Kind.RANKING, [A, B, C], {C: "1", A: "2", B: ""}) == "13>11"


def test_dates_need_an_answer_for_every_date():
    with pytest.raises(BallotInvalidError, match="every date"):
        counting.encode(Kind.DATES, [A, B], {A: "y"})
    assert counting.encode(Kind.DATES, [A, B], {B: "m", A: "y"}) == "11:y,12:m"


@pytest.mark.parametrize("forged", ["99", "abc", None, "", "11; DROP TABLE ballot_box"])
def test_a_forged_single_choice_is_refused(forged):
    with pytest.raises(BallotInvalidError):
        counting.encode(Kind.SINGLE, [A, B], forged)


def test_cells_keep_counts_not_ballots_except_rankings():
    cells = counting.cells_of(Kind.MULTIPLE, ["11,12", "12", "11,12"])
    assert cells == Counter({"ballots": 3, "12": 3, "11": 2})
    cells = counting.cells_of(Kind.DATES, ["11:y,12:n", "11:m,12:y"])
    assert cells == Counter({"ballots": 2, "11:y": 1, "11:m": 1, "12:y": 1})


# --- instant-runoff -------------------------------------------------------------------------------


def test_a_majority_of_first_preferences_wins_in_the_first_round():
    result = runoff({(A, B): 3, (B,): 1, (C, A): 1})
    assert result.winner == A
    assert len(result.rounds) == 1


def test_the_last_is_eliminated_and_its_ballots_transfer():
    result = runoff({(A,): 4, (B, C): 3, (C, B): 2})
    assert [r.eliminated for r in result.rounds] == [C, None]
    assert result.rounds[1].counts == {A: 4, B: 5}
    assert result.winner == B


def test_exhausted_ballots_leave_the_count():
    result = runoff({(A,): 4, (B,): 3, (C,): 2})
    assert result.rounds[1].exhausted == 2
    assert result.winner == A  # 4 of the 7 continuing ballots


def test_a_tie_for_elimination_is_broken_by_the_earlier_rounds():
    # Round 1: A 5, B 2, C 4, D 2 → D out, both its ballots go to B: B and C tie at 4 in
    # round 2, and round 1 (B 2, C 4) tells them apart.
    ballots = {(A,): 5, (B,): 2, (C,): 4, (D, B): 2}
    result = runoff(ballots, ids=(A, B, C, D))
    first, second = result.rounds[0], result.rounds[1]
    assert first.eliminated == D
    assert second.counts == {A: 5, B: 4, C: 4}
    assert second.tie_break == "earlier_rounds"
    assert second.eliminated == B  # B had 2 in round 1, C had 4
    assert second.tied == [B, C]


def test_a_tie_no_earlier_round_breaks_is_drawn_with_the_recorded_seed():
    ballots = {(A,): 3, (B,): 3, (C,): 5}
    draws = {runoff(ballots, seed=s).rounds[0].eliminated for s in range(40)}
    assert draws == {A, B}  # both outcomes occur over seeds…
    first = runoff(ballots, seed=12345)
    assert first.rounds[0].tie_break == "draw"
    assert runoff(ballots, seed=12345).rounds == first.rounds  # …and a seed replays exactly


def test_everyone_exhausted_means_no_winner():
    result = counting.instant_runoff(Counter(), [A, B], 1)
    assert result.winner is None


rankings = st.lists(
    st.lists(st.sampled_from([A, B, C, D]), min_size=1, max_size=4, unique=True).map(tuple),
    min_size=1,
    max_size=60,
)


@given(ballots=rankings, seed=st.integers(min_value=0, max_value=2**48))
def test_runoff_properties(ballots, seed):
    patterns = Counter(ballots)
    result = counting.instant_runoff(patterns, [A, B, C, D], seed)
    for round_ in result.rounds:
        assert sum(round_.counts.values()) + round_.exhausted == len(ballots)
    firsts = Counter(b[0] for b in ballots)
    top, votes = firsts.most_common(1)[0]
    if 2 * votes > len(ballots):
        assert result.winner == top
    assert result.winner in (A, B, C, D)
    assert counting.instant_runoff(patterns, [A, B, C, D], seed) == result


def test_average_rank_gives_unranked_choices_the_mean_of_the_ranks_left():
    ranks = counting.average_ranks(Counter({(A, B): 1, (C,): 1}), [A, B, C])
    # Ballot 1: A 1, B 2, C 3. Ballot 2: C 1, A and B share ranks 2 and 3 → 2.5.
    assert ranks == {A: Fraction(7, 4), B: Fraction(9, 4), C: Fraction(2)}


# --- results of each kind ---------------------------------------------------------------------


def test_best_date_has_most_people_available_then_most_yes_then_is_earliest():
    cells = {"ballots": 4, "11:y": 2, "11:m": 2, "12:y": 3, "12:m": 1, "13:y": 4}
    result = counting.compute_result(
        Kind.DATES, choices(A, B, C, dates=True), cells, electorate=9, turnout=4, rules=Rules()
    )
    assert result.leaders == [C]
    tie = {"ballots": 4, "11:y": 3, "11:m": 1, "12:y": 3, "12:m": 1}
    result = counting.compute_result(
        Kind.DATES, choices(A, B, dates=True), tie, electorate=9, turnout=4, rules=Rules()
    )
    assert result.leaders == [A]
    assert result.maybe == {A: 1, B: 1}


def test_single_choice_reports_every_leader_of_a_tie():
    result = counting.compute_result(
        Kind.SINGLE,
        choices(A, B, C),
        {"ballots": 4, "11": 2, "13": 2},
        electorate=9,
        turnout=4,
        rules=Rules(),
    )
    assert result.leaders == [A, C]
    assert result.outcome == Outcome.COUNTED


def test_a_poll_below_its_quorum_has_no_result():
    result = counting.compute_result(
        Kind.MULTIPLE,
        choices(A, B),
        {"ballots": 2, "11": 2},
        electorate=10,
        turnout=2,
        rules=Rules(quorum_mode=QuorumMode.PERCENT, quorum_value=30),
    )
    assert result.outcome == Outcome.NO_QUORUM


def test_ranking_result_carries_rounds_mean_ranks_and_seed():
    cells = {"ballots": 5, "11>12": 2, "12>11": 2, "13>12": 1}
    result = counting.compute_result(
        Kind.RANKING, choices(A, B, C), cells, electorate=5, turnout=5, rules=Rules(), seed=99
    )
    assert result.leaders == [B]
    assert result.seed == 99
    assert result.counts == {A: 2, B: 2, C: 1}
    assert result.mean_ranks[B] < result.mean_ranks[A]
