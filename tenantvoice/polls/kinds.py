"""The notifications polls send (registered by the factory): a poll opened, to the people asked;
the day before it closes, to those of them who have not answered yet; and its result, to everyone
who may see it. A poll is a question of the ballots mechanism, so who is told is decided exactly as
for a vote (ballots/kinds.py), but the words speak of a poll: a survey about the laundry room is
no vote. The ballots services pick these kinds by the question's purpose (ballots.kinds.kind_key).

The closing reminder is private, as a vote's is: the delivery trace forgets who was reminded."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice.ballots import kinds as ballot_kinds
from tenantvoice.ballots.models import Question
from tenantvoice.notifications.kinds import URGENT, Kind


def _url(question: Question) -> str:
    return url_for("polls.show", question_id=question.id)


#: The settings page's heading for these kinds.
GROUP = _l("Polls")

KINDS = [
    Kind(
        key="poll.open",
        label=_l("Polls that open"),
        summary=_l("A poll is open"),
        headline=_l("A poll is open in %(of_body)s"),
        may_open=ballot_kinds.may_open,
        url=_url,
        body=ballot_kinds.body,
        title=ballot_kinds.title,
        defaults=URGENT,
        extra_candidates=ballot_kinds.electors,
        split_from="ballot.open",
    ),
    Kind(
        key="poll.closing",
        label=_l("Polls closing in 24 hours that you have not answered"),
        summary=_l("A poll closes in 24 hours"),
        headline=_l("A poll in %(of_body)s closes in 24 hours"),
        may_open=ballot_kinds.may_open,
        url=_url,
        body=ballot_kinds.body,
        title=ballot_kinds.title,
        defaults=URGENT,
        private=True,
        extra_candidates=ballot_kinds.electors,
        split_from="ballot.closing",
    ),
    Kind(
        key="poll.result",
        label=_l("Results of polls"),
        summary=_l("A poll's result is out"),
        headline=_l("The result of a poll in %(of_body)s is out"),
        may_open=ballot_kinds.may_open,
        url=_url,
        body=ballot_kinds.body,
        title=ballot_kinds.title,
        extra_candidates=ballot_kinds.electors,
        split_from="ballot.result",
    ),
]
