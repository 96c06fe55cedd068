"""The ballots services: opening and the electorate, casting, replays, named votes, closing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots import queries, services
from tenantvoice.ballots.errors import (
    AlreadyVotedError,
    BallotInvalidError,
    NotEligibleError,
    VotingClosedError,
)
from tenantvoice.ballots.models import (
    Ballot,
    Channel,
    Elector,
    Kind,
    Mode,
    NamedVote,
    Outcome,
    RollEntry,
    Status,
)
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Franchise
from tenantvoice.orgs.models import QuorumMode as BodyQuorumMode
from tests import factories as f
from tests.ballots.helpers import choice_id, make_body_with_voters, make_question

pytestmark = pytest.mark.usefixtures("request_ctx")


def _count(model, **where):
    stmt = sa.select(sa.func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


def test_opening_snapshots_the_register(app):
    body, officer, voters, paper = make_body_with_voters(6, paper=2)
    question = make_question(body, officer)
    assert question.status == Status.OPEN
    assert question.electorate_size == 8
    assert _count(Elector, question_id=question.id) == 8
    assert _count(Ballot, question_id=question.id) == 0
    assert _count(RollEntry, question_id=question.id) == 0


def test_mode_defaults_to_the_body_secret_ballot_default(app):
    body, officer, _voters, _ = make_body_with_voters(6, secret_ballot_default=False)
    question = services.create_question(
        officer,
        body,
        purpose="motion",
        title="Adopter l'ordre du jour",
        kind=Kind.MOTION,
        closes_at=clock.now() + timedelta(hours=1),
    )
    assert question.mode == Mode.OPEN


def test_a_member_added_after_opening_cannot_vote(app):
    body, officer, _voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    late = f.make_tenant(body=body)
    with pytest.raises(NotEligibleError):
        services.cast(late, question, choice_id(question, "for"))
    assert _count(RollEntry, question_id=question.id) == 0


def test_a_cast_ballot_is_on_the_roll_and_in_the_box_and_a_replay_is_refused(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    assert services.cast(voters[1], question, choice_id(question, "for")) == "cast"
    with pytest.raises(AlreadyVotedError, match="already voted"):
        services.cast(voters[1], question, choice_id(question, "against"))
    assert _count(RollEntry, question_id=question.id) == 1
    contents = [c for c in db.session.scalars(sa.select(Ballot.content)) if c]
    assert contents == [str(choice_id(question, "for"))]


def test_a_forged_choice_from_another_question_is_refused_and_nothing_recorded(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    other = make_question(body, officer, title="Une autre question")
    with pytest.raises(BallotInvalidError):
        services.cast(voters[1], question, choice_id(other, "for"))
    with pytest.raises(BallotInvalidError):
        services.cast(voters[1], question, "1 OR 1=1")
    assert _count(RollEntry, question_id=question.id) == 0


def test_voting_after_the_closing_time_is_refused_even_before_the_worker_closes(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer, closes_in=timedelta(hours=1))
    clock.set(clock.now() + timedelta(hours=2))
    assert question.status == Status.OPEN
    assert question.is_over
    with pytest.raises(VotingClosedError):
        services.cast(voters[1], question, choice_id(question, "for"))


def test_unit_franchise_first_ballot_of_a_unit_counts_and_the_unit_is_told(app):
    body, officer, voters, _ = make_body_with_voters(4, franchise=Franchise.UNIT)
    # Two adults of unit 104 (written two ways), plus the others each in their own unit.
    a = f.make_tenant(body=body, unit="104")
    b = f.make_tenant(body=body, unit="App. 0104")
    question = make_question(body, officer)
    assert question.electorate_size == 5
    services.cast(a, question, choice_id(question, "for"))
    with pytest.raises(AlreadyVotedError, match="Your unit has voted"):
        services.cast(b, question, choice_id(question, "against"))
    assert queries.voter_state(question, b).by_unit


def test_a_named_vote_can_change_until_closing_and_leaves_one_row(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer, mode=Mode.OPEN)
    services.cast(voters[2], question, choice_id(question, "for"))
    assert services.cast(voters[2], question, choice_id(question, "against")) == "changed"
    rows = db.session.scalars(sa.select(NamedVote)).all()
    assert [r.content for r in rows] == [str(choice_id(question, "against"))]
    assert _count(Ballot) == 0  # named questions never use the box


def test_closing_a_secret_question_tallies_clears_the_box_and_keeps_the_roll(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    for voter, code in zip(voters, ["for", "for", "for", "against", "abstain"], strict=False):
        services.cast(voter, question, choice_id(question, code))
    db.session.commit()
    assert services.close_question(question, actor=officer)
    db.session.commit()
    assert _count(Ballot) == 0
    assert _count(RollEntry, question_id=question.id) == 5
    view = queries.result_view(question)
    assert view.result.outcome == Outcome.ADOPTED
    assert view.result.counts[choice_id(question, "for")] == 3
    assert view.show_counts
    assert question.closed_early_by_id == officer.id


def test_a_secret_vote_under_five_ballots_publishes_its_outcome_without_counts(app):
    body, officer, voters, _ = make_body_with_voters(
        6, quorum_mode=BodyQuorumMode.NUMBER, quorum_number=3
    )
    question = make_question(body, officer)
    for voter in voters[:4]:
        services.cast(voter, question, choice_id(question, "for"))
    services.close_question(question)
    view = queries.result_view(question)
    assert view.show_outcome
    assert not view.show_counts
    assert view.result.outcome == Outcome.ADOPTED


def test_close_due_questions_closes_at_the_closing_time_and_only_once(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer, closes_in=timedelta(hours=1))
    services.cast(voters[0], question, choice_id(question, "for"))
    db.session.commit()
    assert services.close_due_questions(clock.now())["closed"] == 0
    clock.set(clock.now() + timedelta(hours=1, seconds=1))
    assert services.close_due_questions()["closed"] == 1
    db.session.refresh(question)
    assert question.status == Status.CLOSED
    assert services.close_due_questions()["closed"] == 0


def test_a_scheduled_question_takes_its_electorate_when_it_opens(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(
        body, officer, opens_at=clock.now() + timedelta(hours=1), closes_in=timedelta(hours=3)
    )
    assert question.status == Status.SCHEDULED
    assert question.electorate_size == 0
    late = f.make_tenant(body=body)
    db.session.commit()
    clock.set(clock.now() + timedelta(hours=1, seconds=1))
    assert services.close_due_questions()["opened"] == 1
    db.session.refresh(question)
    assert question.electorate_size == 7
    services.cast(late, question, choice_id(question, "for"))


def test_paper_check_in_then_app_is_refused_and_app_then_paper_is_set_aside(app):
    body, officer, voters, paper = make_body_with_voters(6, paper=1)
    question = make_question(body, officer)
    paper_key = db.session.scalar(
        sa.select(Elector.person_key).where(Elector.member_id == paper[0].id)
    )
    assert services.check_in_paper(officer, question, paper_key) == services.CHECKED_IN
    assert services.check_in_paper(officer, question, paper_key) == services.ALREADY_ON_PAPER
    services.cast(voters[1], question, choice_id(question, "for"))
    app_key = f"u:{voters[1].id}"
    assert services.check_in_paper(officer, question, app_key) == services.VOTED_IN_APP
    voter2_key = f"u:{voters[2].id}"
    services.check_in_paper(officer, question, voter2_key)
    with pytest.raises(AlreadyVotedError):
        services.cast(voters[2], question, choice_id(question, "for"))
    roll = dict(db.session.execute(sa.select(RollEntry.vote_key, RollEntry.channel)).all())
    assert roll == {paper_key: Channel.PAPER, app_key: Channel.APP, voter2_key: Channel.PAPER}


def test_paper_counts_are_bounded_by_paper_voters_and_finalize_the_result(app):
    body, officer, voters, paper = make_body_with_voters(6, paper=2)
    question = make_question(body, officer)
    for voter in voters[:4]:
        services.cast(voter, question, choice_id(question, "against"))
    for member in paper:
        key = db.session.scalar(sa.select(Elector.person_key).where(Elector.member_id == member.id))
        services.check_in_paper(officer, question, key)
    services.close_question(question)
    assert question.awaits_paper
    assert queries.result_view(question) is None
    with pytest.raises(BallotInvalidError, match="More paper ballots"):
        services.enter_paper_count(officer, question, {choice_id(question, "for"): 3})
    services.enter_paper_count(officer, question, {choice_id(question, "for"): 2})
    view = queries.result_view(question)
    assert (view.app_ballots, view.paper_ballots) == (4, 2)
    assert view.result.counts[choice_id(question, "for")] == 2
    assert view.result.outcome == Outcome.REJECTED
    assert view.result.turnout == 6
