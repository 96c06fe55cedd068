"""The notifications votes and polls send (registered by the factory): a vote opened, to the
people who may vote; the day before it closes, to those of them who have not voted yet; and its
result, to everyone who may see the question.

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


def _may_open(user, question: Question) -> bool:
    is_elector = getattr(user, "id", None) in elector_user_ids(question)
    return policy.can_see_question(user, question, elector=True if is_elector else None)


def _url(question: Question) -> str:
    return url_for("ballots.question", question_id=question.id)


def _body(question: Question):
    return question.body


def _title(question: Question) -> str:
    return question.title


def _electors(question: Question) -> set[int]:
    return elector_user_ids(question)


KINDS = [
    Kind(
        key="ballot.open",
        label=_l("Votes and polls that open"),
        summary=_l("A vote is open"),
        headline=_l("A vote is open in %(of_body)s"),
        may_open=_may_open,
        url=_url,
        body=_body,
        title=_title,
        defaults=URGENT,
        extra_candidates=_electors,
    ),
    Kind(
        key="ballot.closing",
        label=_l("Votes and polls closing in 24 hours that you have not answered"),
        summary=_l("A vote closes in 24 hours"),
        headline=_l("A vote in %(of_body)s closes in 24 hours"),
        may_open=_may_open,
        url=_url,
        body=_body,
        title=_title,
        defaults=URGENT,
        private=True,
        extra_candidates=_electors,
    ),
    Kind(
        key="ballot.result",
        label=_l("Results of votes and polls"),
        summary=_l("A vote's result is out"),
        headline=_l("The result of a vote in %(of_body)s is out"),
        may_open=_may_open,
        url=_url,
        body=_body,
        title=_title,
        extra_candidates=_electors,
    ),
]
