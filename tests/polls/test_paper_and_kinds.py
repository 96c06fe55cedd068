"""A secret poll's paper ballots (checked in while open, totals entered after closing, added to
the app's in one result that says how many came from each), and the published result of a
ranking and of a multiple-choice poll."""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Elector, Kind, Mode
from tenantvoice.extensions import db
from tenantvoice.polls import queries
from tests.polls.helpers import choice_id, make_body_with_voters, make_poll


def _keys(poll):
    return list(
        db.session.scalars(
            sa.select(Elector.person_key).where(
                Elector.question_id == poll.id, Elector.user_id.is_(None)
            )
        )
    )


def test_secret_poll_paper_totals_after_closing_add_up_with_the_app(app, client, auth):
    body, officer, voters, _paper = make_body_with_voters(6, paper=2)
    poll = make_poll(body, officer, kind=Kind.YES_NO)
    db.session.commit()
    yes = choice_id(poll, "yes")
    for voter in voters[:5]:
        ballots.cast(voter, poll, yes)
    for key in _keys(poll):
        ballots.check_in_paper(officer, poll, key)
    db.session.commit()
    clock.advance(timedelta(days=3))
    ballots.close_due_questions()
    db.session.commit()
    auth.login(officer)
    waiting = client.get(f"/polls/{poll.id}")
    assert "paper ballots are being counted" in waiting.text
    assert f"/ballots/{poll.id}/paper/count" in waiting.text
    too_many = client.post(
        f"/ballots/{poll.id}/paper/count", data={f"count-{yes}": "3", "ballots": "3"}
    )
    assert too_many.status_code == 422
    done = client.post(
        f"/ballots/{poll.id}/paper/count",
        data={f"count-{yes}": "2", f"count-{choice_id(poll, 'no')}": "0", "ballots": "2"},
    )
    assert done.status_code == 302
    page = client.get(client.get(done.location).location)
    assert "5 in the app, 2 on paper" in page.text
    assert "Participation: 7 answers of 8 people asked" in page.text
    result = queries.result_of(poll)
    assert [r.count.value for r in result.rows] == [7, 0]


def test_a_ranking_result_shows_rounds_only_without_small_counts(app):
    body, officer, voters, _ = make_body_with_voters(15, paper=0)
    poll = make_poll(body, officer, kind=Kind.RANKING)
    db.session.commit()
    a, b, c = (ch.id for ch in poll.choices)
    for i, voter in enumerate(voters):
        ranking = {a: 1, b: 2} if i < 8 else ({b: 1, c: 2} if i < 13 else {c: 1, a: 2})
        ballots.cast(voter, poll, ranking)
    ballots.close_question(poll)
    db.session.commit()
    result = queries.result_of(poll)
    assert result.best.choice.id == a
    assert result.rows[2].count.hidden  # 2 first choices: under 5
    assert result.rounds is None
    assert result.rounds_withheld
    assert all(row.mean_rank is None for row in result.rows)


def test_a_named_ranking_shows_its_rounds_and_average_ranks(app):
    body, officer, voters, _ = make_body_with_voters(6, paper=0)
    poll = make_poll(body, officer, kind=Kind.RANKING, mode=Mode.OPEN)
    db.session.commit()
    a, b, c = (ch.id for ch in poll.choices)
    for i, voter in enumerate(voters):
        ballots.cast(voter, poll, {a: 1, b: 2, c: 3} if i < 4 else {c: 1, b: 2})
    ballots.close_question(poll)
    db.session.commit()
    result = queries.result_of(poll)
    assert result.rounds is not None
    assert result.rows[0].mean_rank is not None


def test_multiple_choice_percentages_are_of_the_people_who_answered(app):
    body, officer, voters, _ = make_body_with_voters(10, paper=0)
    poll = make_poll(body, officer, kind=Kind.MULTIPLE, mode=Mode.OPEN)
    db.session.commit()
    a, b, _c = (ch.id for ch in poll.choices)
    for voter in voters:
        ballots.cast(voter, poll, [a, b])
    ballots.close_question(poll)
    db.session.commit()
    result = queries.result_of(poll)
    assert [r.percent for r in result.rows] == [100, 100, 0]


def test_the_body_page_links_to_its_polls_for_members_only(app, client, auth):
    body, officer, voters, _ = make_body_with_voters(6)
    db.session.commit()
    auth.login(voters[1])
    page = client.get(f"/bodies/{body.id}")
    assert f"/bodies/{body.id}/polls" in page.text
    assert f"/bodies/{body.id}/polls/new" not in page.text
    auth.login(officer)
    assert f"/bodies/{body.id}/polls/new" in client.get(f"/bodies/{body.id}").text


def test_officers_see_scheduled_polls_and_members_do_not(app, client, auth):
    body, officer, voters, _ = make_body_with_voters(6)
    later = make_poll(body, officer, title="Plus tard", opens_at=clock.now() + timedelta(days=1))
    db.session.commit()
    auth.login(officer)
    assert later.title in client.get(f"/bodies/{body.id}/polls").text
    auth.login(voters[1])
    assert later.title not in client.get(f"/bodies/{body.id}/polls").text
