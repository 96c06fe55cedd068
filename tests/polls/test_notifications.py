"""A poll announces itself in poll words, not vote words: a tenant told "a vote is open" for a
survey about the laundry room is misled. Polls have their own kinds (poll.open, poll.closing,
poll.result), chosen by the question's purpose; the reminder stays private; a vote still speaks
of a vote; an unsubscribe link written before the split stops the poll emails too."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from itsdangerous import URLSafeSerializer

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.extensions import db
from tenantvoice.notifications import services as notifications
from tenantvoice.notifications.kinds import get_kind
from tenantvoice.notifications.models import Channel as NotificationChannel
from tenantvoice.notifications.models import Frequency, Preference
from tenantvoice.notifications.services import headline
from tenantvoice.outbox.models import Channel, Delivery, PushSubscription
from tests.ballots.helpers import make_question
from tests.minutes.helpers import in_request
from tests.notifications.helpers import told
from tests.polls.helpers import choice_id, make_body_with_voters, make_poll


@pytest.fixture
def request_ctx(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


#: A Tuesday afternoon in Montréal (outside quiet hours).
NOON = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)


def test_a_poll_that_opens_tells_of_a_poll_and_a_vote_of_a_vote(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(5)
    make_poll(body, officer)
    db.session.commit()
    assert told("poll.open") == {v.id for v in voters}
    assert told("ballot.open") == set()
    make_question(body, officer)
    db.session.commit()
    assert told("ballot.open") == {v.id for v in voters}


def test_the_centre_reads_poll_words(app, client, auth):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(5)
    voters[1].locale = "en"
    make_poll(body, officer)
    db.session.commit()
    auth.login(voters[1])
    page = client.get("/notifications").text
    assert "A poll is open" in page
    assert "A vote is open" not in page


def test_the_poll_reminder_speaks_of_a_poll_and_forgets_its_recipients(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(6)
    poll = make_poll(body, officer, closes_in=timedelta(days=3))
    db.session.commit()
    ballots.cast(voters[1], poll, choice_id(poll, "Jardin"))
    db.session.add(
        PushSubscription(
            user_id=voters[2].id,
            endpoint="https://fcm.googleapis.com/fcm/send/abc",
            p256dh="p" * 87,
            auth="a" * 22,
        )
    )
    db.session.commit()
    clock.set(NOON + timedelta(days=2, hours=1), frozen=True)
    assert ballots.remind_before_closing() == 1
    assert told("poll.closing") == {v.id for v in voters} - {voters[1].id}
    assert told("ballot.closing") == set()
    assert ballots.remind_before_closing() == 0  # once per poll and closing time
    [push] = db.session.scalars(
        sa.select(Delivery).where(Delivery.channel == Channel.PUSH, Delivery.kind == "poll.closing")
    ).all()
    assert push.private
    assert get_kind("poll.closing").private


def test_a_poll_s_result_is_announced_as_a_poll_s(app, request_ctx):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(5)
    poll = make_poll(body, officer)
    db.session.commit()
    for voter in voters:
        ballots.cast(voter, poll, choice_id(poll, "Jardin"))
        db.session.commit()
    ballots.close_question(poll, actor=officer)
    db.session.commit()
    assert told("poll.result") == {v.id for v in voters}
    assert told("ballot.result") == set()


def test_poll_and_vote_words_in_both_languages(app):
    with in_request():
        with force_locale("en"):
            assert headline(get_kind("poll.open"), "CCR de la Rivière") == (
                "A poll is open in CCR de la Rivière"
            )
            assert str(get_kind("poll.result").summary) == "A poll's result is out"
            assert str(get_kind("ballot.open").label) == "Votes that open"
            for key in ("ballot.open", "ballot.closing", "ballot.result"):
                assert "poll" not in str(get_kind(key).label).lower()
        with force_locale("fr_CA"):
            assert headline(get_kind("poll.open"), "CCR de la Rivière") == (
                "Nouveau sondage du CCR de la Rivière"
            )
            assert headline(get_kind("poll.closing"), "Association du Quai").startswith(
                "Un sondage de l'Association du Quai ferme"
            )
            assert str(get_kind("poll.open").label) == "Sondages qui s'ouvrent"
            for key in ("ballot.open", "ballot.closing", "ballot.result"):
                assert "sondage" not in str(get_kind(key).label).lower()


def test_an_unsubscribe_link_written_before_polls_had_their_kinds_stops_poll_emails_too(
    app, client
):
    clock.set(NOON, frozen=True)
    body, officer, voters, _ = make_body_with_voters(2)
    db.session.commit()
    tenant = voters[1]
    # The token as emails carried it before the split: [user id, kinds], no generation.
    old = URLSafeSerializer(app.config["SECRET_KEY"], salt="tv-unsubscribe-email").dumps(
        [tenant.id, ["ballot.open"]]
    )
    assert client.post(f"/unsubscribe/{old}").status_code == 200
    chosen = dict(
        db.session.execute(
            sa.select(Preference.kind, Preference.frequency).where(
                Preference.user_id == tenant.id, Preference.channel == NotificationChannel.EMAIL
            )
        ).all()
    )
    assert chosen == {"ballot.open": Frequency.NEVER, "poll.open": Frequency.NEVER}

    # A token written now names only its own kinds.
    with in_request():
        new = notifications.unsubscribe_token(officer.id, ["ballot.open"])
    assert client.post(f"/unsubscribe/{new}").status_code == 200
    kinds = set(
        db.session.scalars(sa.select(Preference.kind).where(Preference.user_id == officer.id))
    )
    assert kinds == {"ballot.open"}
