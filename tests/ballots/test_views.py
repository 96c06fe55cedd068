"""The ballot pages through HTTP: review then cast, replays, refusals, paper check-in and count,
early close, and a page read after the closing time that writes nothing."""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots.models import (
    Ballot,
    Elector,
    Kind,
    Mode,
    RollEntry,
    Status,
    TallyCell,
)
from tenantvoice.extensions import db
from tests.ballots.helpers import choice_id, make_body_with_voters, make_question


def _setup(**kwargs):
    body, officer, voters, paper = make_body_with_voters(6, paper=kwargs.pop("paper", 1))
    question = make_question(body, officer, **kwargs)
    db.session.commit()
    return question, officer, voters, paper


def _roll_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(RollEntry))


def test_a_secret_ballot_is_reviewed_then_cast_and_the_page_never_shows_the_choice(
    app, client, auth
):
    question, _officer, voters, _ = _setup()
    auth.login(voters[1])
    page = client.get(f"/ballots/{question.id}")
    assert page.status_code == 200
    assert b"Your vote is secret" in page.data
    assert b"Participation: 0 of 7" in page.data
    review = client.post(
        f"/ballots/{question.id}/vote", data={"choice": choice_id(question, "against")}
    )
    assert review.status_code == 200
    assert b"cannot be changed" in review.data
    assert _roll_count() == 0
    cast = client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "against"), "confirm": "yes"},
    )
    assert cast.status_code == 302
    after = client.get(f"/ballots/{question.id}")
    assert b"Your vote was recorded" in after.data
    assert (
        b"Against"
        not in after.data.split(b"<main")[1].split(b"</main>")[0].replace(b'value="', b"")
        or b'name="choice"' not in after.data
    )
    assert b'name="choice"' not in after.data
    assert _roll_count() == 1


def test_a_replayed_ballot_answers_already_voted_409_and_changes_nothing(app, client, auth):
    question, _officer, voters, _ = _setup()
    auth.login(voters[1])
    data = {"choice": choice_id(question, "for"), "confirm": "yes"}
    assert client.post(f"/ballots/{question.id}/vote", data=data).status_code == 302
    again = client.post(f"/ballots/{question.id}/vote", data=data)
    assert again.status_code == 409
    assert b"You have already voted." in again.data
    filled = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot))
    assert filled == 1


def test_a_forged_choice_answers_422_next_to_the_choices(app, client, auth):
    question, _officer, voters, _ = _setup()
    auth.login(voters[1])
    response = client.post(
        f"/ballots/{question.id}/vote", data={"choice": "999999", "confirm": "yes"}
    )
    assert response.status_code == 422
    assert b"This choice is not part of this question." in response.data
    assert b'aria-invalid="true"' in response.data
    assert _roll_count() == 0


def test_someone_outside_the_electorate_is_refused(app, client, auth):
    question, officer, voters, _ = _setup()
    from tests import factories as f

    late = f.make_tenant(body=question.body)
    db.session.commit()
    auth.login(late)
    response = client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "for"), "confirm": "yes"},
    )
    assert response.status_code == 403
    assert b"You are not on the list" in response.data


def test_voting_after_closing_time_is_refused_409(app, client, auth):
    question, _officer, voters, _ = _setup(closes_in=timedelta(hours=1))
    clock.set(clock.now() + timedelta(hours=2))
    auth.login(voters[1])
    response = client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "for"), "confirm": "yes"},
    )
    assert response.status_code == 409
    assert b"Voting is closed" in response.data


def test_a_page_read_after_the_closing_time_shows_it_closed_and_writes_nothing(app, client, auth):
    question, _officer, voters, _ = _setup(closes_in=timedelta(hours=1))
    auth.login(voters[1])
    client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "for"), "confirm": "yes"},
    )
    clock.set(clock.now() + timedelta(hours=2))
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get(f"/ballots/{question.id}")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert page.status_code == 200
    assert b"Voting is closed" in page.data
    writes = [
        s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert [w for w in writes if "user_sessions" not in w] == []
    db.session.refresh(question)
    assert question.status == Status.OPEN
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TallyCell)) == 0


def test_refusals_are_translated_in_french(app, client, auth):
    question, _officer, voters, _ = _setup()
    auth.login(voters[1])
    data = {"choice": choice_id(question, "for"), "confirm": "yes"}
    client.post(f"/ballots/{question.id}/vote", data=data)
    again = client.post(
        f"/ballots/{question.id}/vote", data=data, headers={"Accept-Language": "fr-CA"}
    )
    assert again.status_code == 409
    assert "Vous avez déjà voté." in again.get_data(as_text=True)


def test_paper_check_in_then_the_app_says_already_voted(app, client, auth):
    question, officer, voters, _paper = _setup()
    auth.login(officer)
    key = f"u:{voters[2].id}"
    response = client.post(f"/ballots/{question.id}/paper/check-in", data={"person": key})
    assert response.status_code == 302
    roll = client.get(f"/ballots/{question.id}/paper")
    assert b"is checked in: put the paper ballot in the box" in roll.data
    assert b"Paper ballot checked in" in roll.data
    auth.login(voters[2])
    page = client.get(f"/ballots/{question.id}")
    assert b"You voted on paper." in page.data
    response = client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "for"), "confirm": "yes"},
    )
    assert response.status_code == 409


def test_checking_in_someone_who_voted_in_the_app_says_to_set_the_paper_aside(app, client, auth):
    question, officer, voters, _paper = _setup()
    auth.login(voters[2])
    client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "for"), "confirm": "yes"},
    )
    auth.login(officer)
    client.post(f"/ballots/{question.id}/paper/check-in", data={"person": f"u:{voters[2].id}"})
    roll = client.get(f"/ballots/{question.id}/paper")
    assert b"already voted in the app: set this paper ballot aside" in roll.data


def test_paper_count_after_closing_is_bounded_and_finalizes(app, client, auth):
    question, officer, voters, paper = _setup(paper=2)
    keys = db.session.scalars(
        sa.select(Elector.person_key).where(Elector.member_id.in_([m.id for m in paper]))
    ).all()
    auth.login(officer)
    for key in keys:
        client.post(f"/ballots/{question.id}/paper/check-in", data={"person": key})
    for voter in voters[1:5]:
        auth.login(voter)
        client.post(
            f"/ballots/{question.id}/vote",
            data={"choice": choice_id(question, "for"), "confirm": "yes"},
        )
    auth.login(officer)
    refused = client.post(f"/ballots/{question.id}/close", data={})
    assert refused.status_code == 422
    assert client.post(f"/ballots/{question.id}/close", data={"confirm": "yes"}).status_code == 302
    page = client.get(f"/ballots/{question.id}")
    assert b"The paper ballots are being counted" in page.data
    too_many = client.post(
        f"/ballots/{question.id}/paper/count", data={f"count-{choice_id(question, 'for')}": "3"}
    )
    assert too_many.status_code == 422
    assert b"More paper ballots (3) than people checked in on paper (2)" in too_many.data
    done = client.post(
        f"/ballots/{question.id}/paper/count",
        data={
            f"count-{choice_id(question, 'for')}": "1",
            f"count-{choice_id(question, 'against')}": "1",
        },
    )
    assert done.status_code == 302
    page = client.get(f"/ballots/{question.id}")
    assert b"Adopted" in page.data
    assert b"4 in the app, 2 on paper" in page.data


def test_a_named_paper_ballot_is_entered_with_the_check_in(app, client, auth):
    question, officer, voters, _paper = _setup(mode=Mode.OPEN)
    auth.login(officer)
    key = f"u:{voters[3].id}"
    form = client.get(f"/ballots/{question.id}/paper/check-in", query_string={"person": key})
    assert form.status_code == 200
    response = client.post(
        f"/ballots/{question.id}/paper/check-in",
        data={"person": key, "choice": choice_id(question, "against")},
    )
    assert response.status_code == 302
    from tenantvoice.ballots.models import NamedVote

    assert db.session.scalar(sa.select(NamedVote.channel)) == "paper"


def test_a_ranking_ballot_works_without_javascript(app, client, auth):
    question, _officer, voters, _ = _setup(kind=Kind.RANKING)
    ids = [c.id for c in question.choices]
    auth.login(voters[1])
    page = client.get(f"/ballots/{question.id}")
    assert f'name="rank-{ids[0]}"'.encode() in page.data
    response = client.post(
        f"/ballots/{question.id}/vote",
        data={f"rank-{ids[2]}": "1", f"rank-{ids[0]}": "2", "confirm": "yes"},
    )
    assert response.status_code == 302
    content = db.session.scalar(sa.select(Ballot.content))
    assert content == f"{ids[2]}>{ids[0]}"


def test_the_review_step_already_refuses_a_second_ballot_and_writes_nothing(app, client, auth):
    question, _officer, voters, _ = _setup()
    auth.login(voters[1])
    client.post(
        f"/ballots/{question.id}/vote",
        data={"choice": choice_id(question, "for"), "confirm": "yes"},
    )
    review = client.post(
        f"/ballots/{question.id}/vote", data={"choice": choice_id(question, "for")}
    )
    assert review.status_code == 409
    assert b"You have already voted." in review.data
    assert _roll_count() == 1


def test_a_named_vote_s_answers_read_in_french_typography(app, client, auth):
    """« Marie : pour » in French (no-break space before the colon, lower case after it);
    "Marie: For" in English."""
    import html

    from tenantvoice.ballots import services

    question, officer, voters, _ = _setup(mode=Mode.OPEN, paper=0)
    for voter in voters:
        services.cast(voter, question, choice_id(question, "for"))
        db.session.commit()
    services.close_question(question, actor=officer)
    db.session.commit()
    auth.login(voters[1])
    name = voters[2].name
    french = html.unescape(
        client.get(f"/ballots/{question.id}", headers={"Accept-Language": "fr-CA"}).text
    )
    assert f"{name}\u00a0: pour" in french
    english = html.unescape(
        client.get(f"/ballots/{question.id}", headers={"Accept-Language": "en"}).text
    )
    assert f"{name}: For" in english
