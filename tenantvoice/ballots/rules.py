"""The result rules, as pure functions: quorum, majority, abstentions (domain-rules M6).

`decide()` is the one function that says adopted / rejected / quorum not reached. It reads
counts and rules, nothing else, so it is tested exhaustively and with hypothesis
(tests/ballots/test_rules.py).
"""

import math
from dataclasses import dataclass

from tenantvoice.ballots.models import Majority, Outcome, QuorumMode


@dataclass(frozen=True)
class Rules:
    """How a question is decided. Defaults: no quorum, simple majority of the votes cast,
    abstentions not counted (Code Morin practice, M6)."""

    quorum_mode: QuorumMode = QuorumMode.NONE
    quorum_value: int = 0  #: a number of voters, or a percentage of the electorate
    quorum_minimum: int = 0  #: PERCENT only: never fewer than this many voters
    majority: Majority = Majority.SIMPLE
    count_abstentions: bool = False

    @classmethod
    def of(cls, question) -> "Rules":
        return cls(
            quorum_mode=question.quorum_mode,
            quorum_value=question.quorum_value,
            quorum_minimum=question.quorum_minimum,
            majority=question.majority,
            count_abstentions=question.count_abstentions,
        )


def quorum_required(rules: Rules, electorate: int) -> int:
    """How many must take part for the result to stand (0: no quorum)."""
    if rules.quorum_mode == QuorumMode.NUMBER:
        return max(rules.quorum_value, 0)
    if rules.quorum_mode == QuorumMode.PERCENT:
        return max(math.ceil(rules.quorum_value * electorate / 100), rules.quorum_minimum, 0)
    return 0


def quorum_reached(turnout: int, electorate: int, rules: Rules) -> bool:
    """Exactly reaching the quorum is reaching it."""
    return turnout >= quorum_required(rules, electorate)


def decide(
    for_: int,
    against: int,
    abstain: int,
    *,
    electorate: int,
    rules: Rules,
    turnout: int | None = None,
) -> Outcome:
    """Adopted, rejected or quorum not reached, from the counts and the rules.

    `turnout` is how many took part (people on the roll); it defaults to the ballots counted.
    A tie is never a majority: the motion is rejected (a chair's casting vote belongs to a
    show of hands in the room, not to a ballot).

    * SIMPLE: more than half of the votes cast (for + against, plus abstentions when counted).
    * TWO_THIRDS: at least two thirds of the votes cast, and at least one vote for.
    * ABSOLUTE: more than half of the electorate, whoever took part.
    """
    if min(for_, against, abstain, electorate) < 0:
        raise ValueError("counts cannot be negative")
    if turnout is None:
        turnout = for_ + against + abstain
    if not quorum_reached(turnout, electorate, rules):
        return Outcome.NO_QUORUM
    if rules.majority == Majority.ABSOLUTE:
        return Outcome.ADOPTED if 2 * for_ > electorate else Outcome.REJECTED
    cast = for_ + against + (abstain if rules.count_abstentions else 0)
    if rules.majority == Majority.TWO_THIRDS:
        adopted = for_ > 0 and 3 * for_ >= 2 * cast
    else:
        adopted = 2 * for_ > cast
    return Outcome.ADOPTED if adopted else Outcome.REJECTED
