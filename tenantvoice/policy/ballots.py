"""Permissions on questions put to a vote (domain-rules §5.2 "Individual ballots / who voted
how", "Poll responses", "Poll results"; §5.3: the housing office never sees who voted, nor any
list of who did or did not vote).

The recommendations and polls domains decide who may *see* their own objects; these predicates
decide what a question's electorate and the body's officers may do with the vote itself. An
`elector` argument is the user's line in the electorate (`ballots.services.elector_of`), or None.
"""

from tenantvoice.ballots.models import Status
from tenantvoice.policy.core import is_member, is_officer

__all__ = [
    "can_check_in_paper",
    "can_close_question",
    "can_enter_paper_count",
    "can_manage_questions",
    "can_see_question",
    "can_see_roll",
    "can_vote",
]


def can_manage_questions(user, body) -> bool:
    """Create and open votes and polls: the body's officers."""
    return is_officer(user, body)


def can_see_question(user, question, elector=None) -> bool:
    """The question, its participation (n of N) and, once closed, its result: the people who
    can vote on it, the body's members and officers. Nobody else learns it exists (404)."""
    return elector is not None or is_member(user, question.body)


def can_vote(user, question, elector) -> bool:
    """Only the user's own line in the electorate, while the question takes ballots."""
    return (
        elector is not None
        and getattr(user, "id", None) == elector.user_id
        and question.accepts_ballots
    )


def can_see_roll(user, question) -> bool:
    """Who voted (never what): the body's officers, who keep the roll and check in paper
    voters. Never the direction, the OC, the ISC or the platform admin (§5.3)."""
    return is_officer(user, question.body)


def can_check_in_paper(user, question) -> bool:
    """Check in a person handing in a paper ballot: the officers, while ballots are taken."""
    return is_officer(user, question.body) and question.accepts_ballots


def can_enter_paper_count(user, question) -> bool:
    """Enter the paper ballots' counts after closing (secret questions awaiting them)."""
    return is_officer(user, question.body) and question.awaits_paper


def can_close_question(user, question) -> bool:
    """Close early (with confirmation): the officers, while the question is open."""
    return is_officer(user, question.body) and question.status == Status.OPEN
