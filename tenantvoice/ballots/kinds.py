"""The notifications votes send (registered by the factory): a vote opened, to the people who
may vote; the day before it closes, to those of them who have not voted yet; and its result, to
everyone who may see the question. Polls are questions of the same mechanism but speak of polls,
not votes (a tenant told "a vote is open" for a survey is misled): their kinds are the polls
domain's (polls/kinds.py), built from the helpers here; services.kind_key picks by purpose.

Who has not voted is worked out by the system alone from the voter roll (trust-and-safety 3.2):
the reminder is a private kind, so the delivery trace forgets its recipients once sent and the
admin's mail folder hides them; nothing else shows who was reminded."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.ballots.models import Elector, Question
from tenantvoice.extensions import db
from tenantvoice.notifications.kinds import URGENT, Kind


def elector_user_ids(question: Question) -> set[int]:
    """The accounts in the question's electorate (people without an account vote on paper).
    Kept on the instance for the one notification being written: the predicate below runs once
    per candidate and must not query each time."""
    cached = question.__dict__.get("_elector_user_ids")
    if cached is None:
        cached = set(
            db.session.scalars(
                sa.select(Elector.user_id).where(
                    Elector.question_id == question.id, Elector.user_id.is_not(None)
                )
            )
        )
        question.__dict__["_elector_user_ids"] = cached
    return cached


def may_open(user, question: Question) -> bool:
    is_elector = getattr(user, "id", None) in elector_user_ids(question)
    return policy.can_see_question(user, question, elector=True if is_elector else None)


def url(question: Question) -> str:
    return url_for("ballots.question", question_id=question.id)


def body(question: Question):
    return question.body


def title(question: Question) -> str:
    return question.title


def electors(question: Question) -> set[int]:
    return elector_user_ids(question)


#: The settings page's heading for these kinds.
GROUP = _l("Votes")

KINDS = [
    Kind(
        key="ballot.open",
        label=_l("Votes that open"),
        summary=_l("A vote is open"),
        headline=_l("A vote is open in %(of_body)s"),
        may_open=may_open,
        url=url,
        body=body,
        title=title,
        defaults=URGENT,
        extra_candidates=electors,
    ),
    Kind(
        key="ballot.closing",
        label=_l("Votes closing in 24 hours that you have not answered"),
        summary=_l("A vote closes in 24 hours"),
        headline=_l("A vote in %(of_body)s closes in 24 hours"),
        may_open=may_open,
        url=url,
        body=body,
        title=title,
        defaults=URGENT,
        private=True,
        extra_candidates=electors,
    ),
    Kind(
        key="ballot.result",
        label=_l("Results of votes"),
        summary=_l("A vote's result is out"),
        headline=_l("The result of a vote in %(of_body)s is out"),
        may_open=may_open,
        url=url,
        body=body,
        title=title,
        extra_candidates=electors,
    ),
]
