"""One answer per person under concurrency, through the poll's own answer route on a live
threaded server (file SQLite, or PostgreSQL when TEST_DATABASE_URL is set): 30 simultaneous
taps of one tenant leave one answer; 30 tenants at once leave 30 and the right counts."""

from collections import Counter

import sqlalchemy as sa

from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Ballot, RollEntry
from tenantvoice.extensions import db
from tests.ballots.test_concurrency import (  # noqa: F401 - the fixtures are used by name
    all_at_once,
    live_app,
    server,
    session_cookie,
)
from tests.polls.helpers import choice_id, make_body_with_voters, make_poll


def _count(model, poll):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(model.question_id == poll.id)
    )


def test_thirty_simultaneous_taps_of_one_tenant_leave_one_answer(live_app, server):  # noqa: F811
    body, officer, voters, _ = make_body_with_voters(6)
    poll = make_poll(body, officer)
    cookie = session_cookie(live_app, voters[1])
    db.session.commit()
    data = {"choice": choice_id(poll, "Jardin"), "confirm": "yes"}
    statuses = all_at_once(30, lambda i: server.post(f"/polls/{poll.id}/answer", data, cookie))
    assert Counter(statuses) == {302: 1, 409: 29}
    db.session.expire_all()
    assert _count(RollEntry, poll) == 1
    assert _count(Ballot, poll) == 1


def test_thirty_tenants_at_once_leave_thirty_answers_and_the_right_counts(  # noqa: F811
    live_app,  # noqa: F811
    server,  # noqa: F811
):
    body, officer, voters, _ = make_body_with_voters(30)
    poll = make_poll(body, officer)
    cookies = [session_cookie(live_app, v) for v in voters]
    db.session.commit()
    labels = ["Jardin", "Cuisine collective", "Salle d'ordinateurs"]
    ids = [choice_id(poll, label) for label in labels]
    statuses = all_at_once(
        30,
        lambda i: server.post(
            f"/polls/{poll.id}/answer", {"choice": ids[i % 3], "confirm": "yes"}, cookies[i]
        ),
    )
    assert Counter(statuses) == {302: 30}
    db.session.expire_all()
    assert _count(RollEntry, poll) == 30
    ballots.close_question(poll)
    db.session.commit()
    result = ballots.result_of(poll)
    assert [result.counts[i] for i in ids] == [10, 10, 10]
