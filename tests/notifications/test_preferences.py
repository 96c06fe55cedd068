"""Preferences per person, kind and channel, and quiet hours: defaults first (notices in the app
and on the phone at once, everything in the daily email digest), then each choice."""

from datetime import UTC, datetime, time

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tenantvoice.notifications import services
from tenantvoice.notifications.models import Channel, Frequency, Preference
from tenantvoice.outbox.models import Channel as OutboxChannel
from tenantvoice.outbox.models import PushSubscription
from tests.minutes.helpers import in_request, minutes_in_state
from tests.notifications.helpers import deliveries, digest_items, draft_meeting, payload, publish

#: Tuesday 2026-03-03, 14:00 in Montréal (19:00 UTC): outside quiet hours.
AFTERNOON = datetime(2026, 3, 3, 19, 0, tzinfo=UTC)
#: The same day at 22:30 in Montréal (03:30 UTC the next day): inside quiet hours.
NIGHT = datetime(2026, 3, 4, 3, 30, tzinfo=UTC)


@pytest.fixture
def phone_of_tenant_a(world):
    row = PushSubscription(
        user_id=world.tenant_a.id,
        endpoint="https://fcm.googleapis.com/fcm/send/abc",
        p256dh="p" * 87,
        auth="a" * 22,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _choose(user, **choices):
    with in_request():
        services.set_preferences(
            user,
            {
                (kind.replace("__", "."), Channel(channel)): Frequency(value)
                for key, value in choices.items()
                for kind, channel in [key.rsplit("_", 1)]
            },
        )
    db.session.commit()


def test_defaults_notice_in_app_and_push_now_email_in_the_daily_digest(world, phone_of_tenant_a):
    w = world
    clock.set(AFTERNOON, frozen=True)
    publish(draft_meeting(w.adl_a), w.officer_a)
    db.session.refresh(w.tenant_a)
    assert w.tenant_a.unread_notifications == 1
    [push] = deliveries(OutboxChannel.PUSH)
    assert push.user_id == w.tenant_a.id
    assert push.next_attempt_at == AFTERNOON  # not held: outside quiet hours
    assert deliveries(OutboxChannel.EMAIL) == []  # no email right away
    assert {(i.channel, i.frequency) for i in digest_items(w.tenant_a)} == {
        (Channel.EMAIL, Frequency.DAILY)
    }


def test_defaults_minutes_are_not_pushed(world, phone_of_tenant_a):

    minutes_in_state(world, MinutesState.PROPOSED)
    assert deliveries(OutboxChannel.PUSH) == []
    assert [i.channel for i in digest_items(world.tenant_a)] == [Channel.EMAIL]


def test_push_is_held_until_the_end_of_quiet_hours(world, phone_of_tenant_a):
    clock.set(NIGHT, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    [push] = deliveries(OutboxChannel.PUSH)
    assert push.next_attempt_at == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)  # 08:00 Montréal


def _notifications_of(user):
    from tenantvoice.notifications.models import Notification

    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_a_held_push_is_withdrawn_once_read_in_the_app(world, phone_of_tenant_a):
    clock.set(NIGHT, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    publish(draft_meeting(world.adl_a), world.officer_a)
    first, second = _notifications_of(world.tenant_a)
    with in_request():
        assert services.mark_read(world.tenant_a, first)
    db.session.commit()
    pushes = deliveries(OutboxChannel.PUSH)
    withdrawn = [p for p in pushes if p.gave_up_at is not None]
    assert len(pushes) == 2
    assert len(withdrawn) == 1
    assert withdrawn[0].payload == ""  # nothing left to send
    still_held = next(p for p in pushes if p.gave_up_at is None)
    assert payload(still_held)["url"] == second.event.url

    with in_request():
        services.mark_all_read(world.tenant_a)
    db.session.commit()
    assert all(p.gave_up_at is not None for p in deliveries(OutboxChannel.PUSH))


def test_a_push_already_due_is_not_withdrawn_by_reading(world, phone_of_tenant_a):
    clock.set(AFTERNOON, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    [notification] = _notifications_of(world.tenant_a)
    with in_request():
        services.mark_read(world.tenant_a, notification)
    db.session.commit()
    [push] = deliveries(OutboxChannel.PUSH)
    assert push.gave_up_at is None  # not held: the worker sends it (or already has)


def test_quiet_hours_are_each_persons_own(world, phone_of_tenant_a):
    with in_request():
        services.save_settings(
            world.tenant_a, quiet_start=time(23, 0), quiet_end=time(6, 30), email_details=False
        )
    db.session.commit()
    clock.set(NIGHT, frozen=True)  # 22:30: before this person's quiet hours
    publish(draft_meeting(world.adl_a), world.officer_a)
    [push] = deliveries(OutboxChannel.PUSH)
    assert push.next_attempt_at == NIGHT


def test_no_quiet_hours_when_start_equals_end():
    settings = services.PersonSettings(time(8, 0), time(8, 0), False)
    assert services.quiet_until(settings, NIGHT) is None


def test_quiet_hours_across_a_dst_change_end_at_local_morning():
    settings = services.PersonSettings(time(21, 0), time(8, 0), False)
    # Saturday 2026-03-07 23:00 Montréal (EST); clocks go forward that night.
    saturday_night = datetime(2026, 3, 8, 4, 0, tzinfo=UTC)
    assert services.quiet_until(settings, saturday_night) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_email_right_away_carries_one_click_unsubscribe(world):
    _choose(world.tenant_a, meeting__notice_email="immediately")
    publish(draft_meeting(world.adl_a), world.officer_a)
    [email] = deliveries(OutboxChannel.EMAIL)
    assert email.to == world.tenant_a.email
    headers = payload(email)["headers"]
    assert headers["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [i.channel for i in digest_items(world.tenant_a)] == []


def test_never_everywhere_means_no_notification_at_all(world):
    _choose(
        world.tenant_a,
        meeting__notice_app="never",
        meeting__notice_push="never",
        meeting__notice_email="never",
    )
    publish(draft_meeting(world.adl_a), world.officer_a)
    db.session.refresh(world.tenant_a)
    assert world.tenant_a.unread_notifications == 0
    assert digest_items(world.tenant_a) == []


def test_not_in_the_app_leaves_the_badge_alone_but_keeps_the_digest(world):
    _choose(world.tenant_a, meeting__notice_app="never")
    publish(draft_meeting(world.adl_a), world.officer_a)
    db.session.refresh(world.tenant_a)
    assert world.tenant_a.unread_notifications == 0
    assert [i.channel for i in digest_items(world.tenant_a)] == [Channel.EMAIL]


def test_a_choice_equal_to_the_default_keeps_no_row(world):
    _choose(world.tenant_a, meeting__notice_email="weekly")
    _choose(world.tenant_a, meeting__notice_email="daily")
    assert db.session.scalars(sa.select(Preference)).all() == []


def test_a_choice_a_channel_does_not_offer_is_refused(world):
    with in_request(), pytest.raises(ValueError, match="no such choice"):
        services.set_preferences(world.tenant_a, {("meeting.notice", Channel.APP): Frequency.DAILY})


def test_settings_page_saves_choices_and_quiet_hours(world, client, auth):
    auth.login(world.tenant_a)
    page = client.get("/notifications/settings")
    assert page.status_code == 200
    assert "Meeting notices" in page.text
    form = {"quiet_start": "22:00", "quiet_end": "07:00", "email_details": "y"}
    with in_request():
        for (key, channel), choice in services.preferences_of(world.tenant_a).items():
            form[f"pref__{key.replace('.', '__')}__{channel}"] = choice.value
    form["pref__minutes__published__push"] = "immediately"
    response = client.post("/notifications/settings", data=form)
    assert response.status_code == 303
    with in_request():
        mine = services.settings_for(world.tenant_a)
        prefs = services.preferences_of(world.tenant_a)
    assert (mine.quiet_start, mine.quiet_end, mine.email_details) == (time(22), time(7), True)
    assert prefs[("minutes.published", Channel.PUSH)] == Frequency.IMMEDIATELY


def test_settings_page_refuses_a_bad_time_next_to_the_field(world, client, auth):
    auth.login(world.tenant_a)
    response = client.post("/notifications/settings", data={"quiet_start": "25:99"})
    assert response.status_code == 422
    assert 'id="quiet_start-errors"' in response.text


def test_a_forged_choice_is_refused_next_to_its_field_and_its_line_opens(world, client, auth):
    auth.login(world.tenant_a)
    form = {"quiet_start": "21:00", "quiet_end": "08:00", "pref__meeting__notice__app": "daily"}
    response = client.post("/notifications/settings", data=form)
    assert response.status_code == 422
    assert 'id="pref__meeting__notice__app-errors"' in response.text
    assert '<details class="kind-choices" open>' in response.text
