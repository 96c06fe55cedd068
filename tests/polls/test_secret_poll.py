"""The secret-ballot database tests of the ballots domain (docs/security/secret-ballot.md),
run again on a secret poll: a poll is a question of the same mechanism, so the same dump taken
mid-poll cannot line answers up with the people who gave them, and closing leaves no system
column or storage order that links them (B-01, B-02, B-11, B-15)."""

import pytest

from tenantvoice.ballots.models import Purpose
from tests.ballots import test_secret_ballot as secret
from tests.ballots.helpers import make_question


@pytest.fixture(autouse=True)
def _questions_are_polls(monkeypatch):
    def make_poll_question(body, officer, **kwargs):
        kwargs["purpose"] = Purpose.POLL
        return make_question(body, officer, **kwargs)

    monkeypatch.setattr(secret, "make_question", make_poll_question)


def test_the_questions_here_are_polls(app):
    question, *_rest = secret._many_choice_question(6)
    assert question.purpose == Purpose.POLL


test_b01_poll = secret.test_b01_the_ballot_box_has_no_column_linking_to_a_person
test_b02_poll = secret.test_b02_the_box_holds_no_time_and_no_insertion_order
test_b11_poll = secret.test_b11_a_dump_taken_mid_vote_cannot_line_voters_up_with_choices
test_b15_poll = secret.test_b15_after_close_no_system_column_or_storage_order_links_roll_and_box
