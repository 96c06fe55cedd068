"""The result function: exhaustive over small counts and every rule, plus hypothesis properties.

Each expectation is written from the rule's definition (domain-rules M6), not from the code."""

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenantvoice.ballots.models import Majority, Outcome, QuorumMode
from tenantvoice.ballots.rules import Rules, decide, quorum_required

ALL_RULES = [
    Rules(quorum_mode=qm, quorum_value=qv, majority=m, count_abstentions=ca)
    for qm, qv in [(QuorumMode.NONE, 0), (QuorumMode.NUMBER, 3), (QuorumMode.PERCENT, 50)]
    for m in Majority
    for ca in (False, True)
]


def expected(f, a, ab, n, rules):
    """The rules in words: quorum first; then the majority asked for, ties rejected."""
    turnout = f + a + ab
    need = {QuorumMode.NONE: 0, QuorumMode.NUMBER: 3, QuorumMode.PERCENT: math.ceil(n / 2)}
    if turnout < need[rules.quorum_mode]:
        return Outcome.NO_QUORUM
    cast = f + a + (ab if rules.count_abstentions else 0)
    if rules.majority == Majority.SIMPLE:
        ok = f > cast / 2
    elif rules.majority == Majority.TWO_THIRDS:
        ok = f > 0 and f >= cast * 2 / 3
    else:
        ok = f > n / 2
    return Outcome.ADOPTED if ok else Outcome.REJECTED


@pytest.mark.parametrize(
    "rules", ALL_RULES, ids=lambda r: f"{r.quorum_mode}-{r.majority}-{r.count_abstentions}"
)
def test_every_small_count_under_every_rule(rules):
    """All for/against/abstain counts for electorates up to 8 (ties, all-abstain, quorum edges)."""
    for n in range(9):
        for f, a in itertools.product(range(n + 1), repeat=2):
            for ab in range(n + 1 - f - a if f + a <= n else 0):
                assert decide(f, a, ab, electorate=n, rules=rules) == expected(
                    f, a, ab, n, rules
                ), (
                    f,
                    a,
                    ab,
                    n,
                    rules,
                )


def test_a_tie_is_rejected_under_a_simple_majority():
    assert decide(4, 4, 0, electorate=10, rules=Rules()) == Outcome.REJECTED


def test_abstentions_not_counted_leave_a_majority_of_the_votes_cast():
    assert decide(3, 2, 5, electorate=10, rules=Rules()) == Outcome.ADOPTED


def test_abstentions_counted_can_defeat_the_motion():
    assert decide(3, 2, 5, electorate=10, rules=Rules(count_abstentions=True)) == Outcome.REJECTED


def test_quorum_exactly_reached_is_reached():
    rules = Rules(quorum_mode=QuorumMode.NUMBER, quorum_value=5)
    assert decide(3, 1, 1, electorate=20, rules=rules) == Outcome.ADOPTED
    assert decide(3, 1, 0, electorate=20, rules=rules) == Outcome.NO_QUORUM


def test_percent_quorum_rounds_up_and_respects_its_minimum():
    assert quorum_required(Rules(quorum_mode=QuorumMode.PERCENT, quorum_value=10), 48) == 5
    assert quorum_required(Rules(quorum_mode=QuorumMode.PERCENT, quorum_value=10), 50) == 5
    assert quorum_required(Rules(quorum_mode=QuorumMode.PERCENT, quorum_value=10), 51) == 6
    rules = Rules(quorum_mode=QuorumMode.PERCENT, quorum_value=10, quorum_minimum=5)
    assert quorum_required(rules, 12) == 5


def test_two_thirds_exactly_is_enough_and_needs_a_vote_for():
    two_thirds = Rules(majority=Majority.TWO_THIRDS)
    assert decide(6, 3, 0, electorate=9, rules=two_thirds) == Outcome.ADOPTED
    assert decide(5, 3, 0, electorate=9, rules=two_thirds) == Outcome.REJECTED
    assert decide(0, 0, 4, electorate=9, rules=two_thirds) == Outcome.REJECTED


def test_absolute_majority_counts_the_electorate_not_the_turnout():
    absolute = Rules(majority=Majority.ABSOLUTE)
    assert decide(5, 0, 0, electorate=10, rules=absolute) == Outcome.REJECTED
    assert decide(6, 4, 0, electorate=10, rules=absolute) == Outcome.ADOPTED


def test_turnout_can_include_paper_voters_whose_ballot_was_spoiled():
    rules = Rules(quorum_mode=QuorumMode.NUMBER, quorum_value=5)
    assert decide(3, 1, 0, electorate=9, rules=rules, turnout=5) == Outcome.ADOPTED


counts = st.integers(min_value=0, max_value=500)
rules_st = st.builds(
    Rules,
    quorum_mode=st.sampled_from(QuorumMode),
    quorum_value=st.integers(min_value=0, max_value=100),
    quorum_minimum=st.integers(min_value=0, max_value=20),
    majority=st.sampled_from(Majority),
    count_abstentions=st.booleans(),
)


@given(f=counts, a=counts, ab=counts, extra=counts, rules=rules_st)
def test_one_more_vote_for_never_turns_adopted_into_rejected(f, a, ab, extra, rules):
    n = f + a + ab + extra + 1
    before = decide(f, a, ab, electorate=n, rules=rules)
    after = decide(f + 1, a, ab, electorate=n, rules=rules, turnout=f + a + ab + 1)
    if before == Outcome.ADOPTED:
        assert after == Outcome.ADOPTED


@given(f=counts, a=counts, ab=counts, extra=counts, rules=rules_st)
def test_more_votes_against_never_adopt(f, a, ab, extra, rules):
    n = f + a + ab + extra + 1
    if decide(f, a + 1, ab, electorate=n, rules=rules) == Outcome.ADOPTED:
        assert decide(f, a, ab, electorate=n, rules=rules, turnout=f + a + ab + 1) == (
            Outcome.ADOPTED
        )


@given(f=counts, a=counts, ab=counts, extra=counts, rules=rules_st)
def test_adoption_needs_a_strict_majority_and_quorum(f, a, ab, extra, rules):
    n = f + a + ab + extra
    outcome = decide(f, a, ab, electorate=n, rules=rules)
    if outcome == Outcome.ADOPTED:
        assert f > a
        assert f + a + ab >= quorum_required(rules, n)
    if f + a + ab < quorum_required(rules, n):
        assert outcome == Outcome.NO_QUORUM


@given(f=counts, ab=counts, extra=counts, rules=rules_st)
def test_a_tie_never_adopts(f, ab, extra, rules):
    assert decide(f, f, ab, electorate=2 * f + ab + extra, rules=rules) != Outcome.ADOPTED


@given(f=counts, a=counts, ab=counts, extra=counts)
def test_two_thirds_is_stricter_than_simple_majority(f, a, ab, extra):
    n = f + a + ab + extra
    if decide(f, a, ab, electorate=n, rules=Rules(majority=Majority.TWO_THIRDS)) == Outcome.ADOPTED:
        assert decide(f, a, ab, electorate=n, rules=Rules()) == Outcome.ADOPTED


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        decide(-1, 0, 0, electorate=3, rules=Rules())
