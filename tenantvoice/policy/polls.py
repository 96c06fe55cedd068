"""Permissions on polls (domain-rules §5.2 "Poll responses (individual)": own only, the officers
see results only; "Poll results": the tenants and members read them; §5.3: the housing office
never learns who answered what, nor who did or did not answer).

A poll is a question of the ballots mechanism (`Purpose.POLL`): answering, the roll and the
paper ballots follow `policy.ballots`; these predicates decide the poll's own pages.
"""

from tenantvoice.policy.ballots import can_see_question
from tenantvoice.policy.core import is_member, is_officer

__all__ = [
    "can_create_poll",
    "can_export_poll_results",
    "can_list_polls",
    "can_print_poll",
    "can_see_poll",
    "can_see_scheduled_polls",
]


def can_create_poll(user, body) -> bool:
    """Create a poll of a CCR or an ADL: its officers."""
    return is_officer(user, body)


def can_list_polls(user, body) -> bool:
    """The body's list of polls: its members (the officers among them)."""
    return is_member(user, body)


def can_see_scheduled_polls(user, body) -> bool:
    """Polls not open yet, in the body's list: the officers who prepare them."""
    return is_officer(user, body)


def can_see_poll(user, question, elector=None) -> bool:
    """The poll, its participation and, once closed, its published result: the people asked
    and the body's members (nobody else learns it exists)."""
    return can_see_question(user, question, elector)


def can_print_poll(user, question) -> bool:
    """Print blank paper ballots: the officers, who hand them out and check them in."""
    return is_officer(user, question.body)


def can_export_poll_results(user, question, elector=None) -> bool:
    """The CSV of a published result: whoever may read the result (the same protected cells)."""
    return can_see_question(user, question, elector) and question.is_over
