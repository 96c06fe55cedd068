"""Votes announce themselves through the one notification mechanism: the electors are told when
a vote opens, those who have not voted are reminded the day before it closes (computed by the
system from the roll, once, and kept out of every trace), and the result is announced."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots import services
from tenantvoice.extensions import db
from tenantvoice.notifications.models import Notification, NotificationEvent
from tenantvoice.outbox.models import Channel, Delivery, PushSubscription
from tenantvoice.outbox.queue import run_in_app
from tests import factories as f
from tests.ballots.helpers import choice_id, make_body_with_voters, make_question

#: A Tuesday afternoon in Montréal (outside quiet hours).
NOON = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)


def told(kind: str) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Notification.user_id)
            .join(NotificationEvent, Notification.event_id == NotificationEvent.id)
            .where(NotificationEvent.kind == kind)
        )
    )


def test_the_electors_are_told_when_a_vote_opens_and_nobody_else(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(6)
    outsider = f.make_tenant(body=f.make_body())
    make_question(body, officer)
    db.session.commit()
    # The officer who opened it is an elector too: everyone in the electorate is told.
    assert told("ballot.open") == {v.id for v in voters}
    assert outsider.id not in told("ballot.open")


def test_those_who_have_not_voted_are_reminded_once_the_day_before_it_closes(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer, closes_in=timedelta(days=3))
    db.session.commit()
    services.cast(voters[1], question, choice_id(question, "for"))
    db.session.commit()
    phone = PushSubscription(
        user_id=voters[2].id,
        endpoint="https://fcm.googleapis.com/fcm/send/abc",
        p256dh="p" * 87,
        auth="a" * 22,
    )
    db.session.add(phone)
    db.session.commit()

    assert services.remind_before_closing() == 0  # three days left: too early
    clock.set(NOON + timedelta(days=2, hours=1), frozen=True)
    assert services.remind_before_closing() == 1
    assert told("ballot.closing") == {v.id for v in voters} - {voters[1].id}
    assert services.remind_before_closing() == 0  # once per question and closing time
    [push] = db.session.scalars(
        sa.select(Delivery).where(
            Delivery.channel == Channel.PUSH, Delivery.kind == "ballot.closing"
        )
    ).all()
    assert push.private  # the trace forgets who was reminded once it is sent


def test_the_worker_job_reminds_too(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, _voters, _ = make_body_with_voters(5)
    make_question(body, officer, closes_in=timedelta(days=2))
    db.session.commit()
    clock.set(NOON + timedelta(days=1, hours=2), frozen=True)
    job = app.extensions["periodic_jobs"]["ballots.remind_before_closing"]
    assert run_in_app(app, job.func) == 1
    assert len(told("ballot.closing")) == 5


def test_the_result_is_announced_when_it_is_final(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(5)
    question = make_question(body, officer)
    db.session.commit()
    for voter in voters:
        services.cast(voter, question, choice_id(question, "for"))
        db.session.commit()
    assert told("ballot.result") == set()
    services.close_question(question, actor=officer)
    db.session.commit()
    assert told("ballot.result") == {v.id for v in voters}
