"""Translated labels of the ballots enums and fixed answers (one lazy string per value)."""

from flask_babel import lazy_gettext as _l

from tenantvoice.ballots.models import Kind, Majority, Mode, Outcome, QuorumMode

CODE = {
    "for": _l("For"),
    "against": _l("Against"),
    "abstain": _l("Abstain"),
    "yes": _l("Yes"),
    "no": _l("No"),
}

DATE_ANSWER = {"y": _l("Yes"), "m": _l("If needed"), "n": _l("No")}

KIND = {
    Kind.MOTION: _l("For, against or abstain"),
    Kind.YES_NO: _l("Yes or no"),
    Kind.SINGLE: _l("One choice"),
    Kind.MULTIPLE: _l("Several choices"),
    Kind.RANKING: _l("Ranking"),
    Kind.DATES: _l("Which dates suit you"),
}

MODE = {
    Mode.SECRET: _l("Secret ballot"),
    Mode.OPEN: _l("Named vote (roll call)"),
}

OUTCOME = {
    Outcome.ADOPTED: _l("Adopted"),
    Outcome.REJECTED: _l("Rejected"),
    Outcome.NO_QUORUM: _l("Quorum not reached: no decision"),
    Outcome.COUNTED: _l("Counted"),
}

MAJORITY = {
    Majority.SIMPLE: _l("Simple majority of the votes cast"),
    Majority.TWO_THIRDS: _l("Two thirds of the votes cast"),
    Majority.ABSOLUTE: _l("Absolute majority of the people who can vote"),
}

QUORUM_MODE = {
    QuorumMode.NONE: _l("No quorum"),
    QuorumMode.NUMBER: _l("A number of voters"),
    QuorumMode.PERCENT: _l("A percentage of the people who can vote"),
}


def choice_label(choice) -> str:
    """The text of a choice in the reader's language (dates are formatted by the template)."""
    if choice.code:
        return str(CODE[choice.code])
    return choice.label
