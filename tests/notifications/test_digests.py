"""Digests: one message per person and channel, grouped by body, sent after the day's (or the
week's) cutoff, never empty, never twice; what was read or turned off in the meantime drops."""

from datetime import UTC, datetime, time, timedelta

import pytest

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.notifications import services
from tenantvoice.notifications.digests import cutoffs, send_digests
from tenantvoice.notifications.models import Channel, Frequency
from tenantvoice.outbox.delivery import deliver_due
from tenantvoice.outbox.mail import outbox
from tenantvoice.outbox.models import Channel as OutboxChannel
from tenantvoice.outbox.models import PushSubscription
from tests import factories as f
from tests.minutes.helpers import in_request
from tests.notifications.helpers import deliveries, digest_items, draft_meeting, publish

#: Monday 2026-03-02, 15:00 in Montréal.
MONDAY_AFTERNOON = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
#: Tuesday 2026-03-03, 07:05 in Montréal: just after the daily cutoff (07:00).
TUESDAY_MORNING = datetime(2026, 3, 3, 12, 5, tzinfo=UTC)


@pytest.fixture
def two_bodies(world):
    """tenant_a is a member of ADL A and of the CCR too."""
    w = world
    f.make_member(body=w.ccr, user=w.tenant_a)
    ccr_officer = f.make_tenant(body=w.ccr, role=f.MemberRole.SECRETARY, name="Secrétariat CCR")
    db.session.commit()
    return w, ccr_officer


def _digest_for(run_at):
    clock.set(run_at, frozen=True)
    with in_request():
        counts = send_digests()
    db.session.commit()
    return counts


def test_cutoffs_are_the_last_local_7am_and_the_last_monday_7am(app):
    daily = cutoffs(TUESDAY_MORNING)
    assert daily[Frequency.DAILY] == datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert daily[Frequency.WEEKLY] == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    early = cutoffs(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))  # Monday 06:00: last week's
    assert early[Frequency.WEEKLY] == datetime(2026, 2, 23, 12, 0, tzinfo=UTC)


def test_one_daily_email_groups_the_days_items_by_body(two_bodies):
    w, ccr_officer = two_bodies
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(w.adl_a, title="AGA"), w.officer_a)
    publish(draft_meeting(w.ccr, title="CCR de mars"), ccr_officer)
    assert _digest_for(MONDAY_AFTERNOON + timedelta(hours=1))["messages"] == 0  # before cutoff
    counts = _digest_for(TUESDAY_MORNING)
    emails = [d for d in deliveries(OutboxChannel.EMAIL) if d.user_id == w.tenant_a.id]
    assert len(emails) == 1
    assert counts["messages"] >= 1
    deliver_due()
    [message] = [m for m in outbox() if m["To"] == w.tenant_a.email]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert message["Subject"] == "Votre journée TenantVoice\u00a0: 2 nouveautés"
    assert text.index("Association des locataires du Parc") < text.index("CCR de la Rivière")
    assert text.count("Nouvel avis de convocation") == 2
    assert "AGA" not in text  # details only when the person opts in
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<h2>CCR de la Rivière</h2>" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_details_in_the_digest_only_for_people_who_opted_in(world):
    w = world
    with in_request():
        services.save_settings(
            w.tenant_a, quiet_start=time(21), quiet_end=time(8), email_details=True
        )
    db.session.commit()
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(w.adl_a, title="AGA du printemps"), w.officer_a)
    _digest_for(TUESDAY_MORNING)
    deliver_due()
    [message] = [m for m in outbox() if m["To"] == w.tenant_a.email]
    assert "AGA du printemps" in message.get_body(preferencelist=("plain",)).get_content()


def test_no_digest_when_nothing_happened(world):
    assert _digest_for(TUESDAY_MORNING) == {"messages": 0, "items": 0, "dropped": 0}
    assert deliveries() == []


def test_a_digest_goes_out_once(world):
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    first = _digest_for(TUESDAY_MORNING)
    again = _digest_for(TUESDAY_MORNING + timedelta(hours=1))
    assert first["messages"] == 2  # tenant_a and president_a
    assert again["messages"] == 0
    assert len(deliveries(OutboxChannel.EMAIL)) == 2


def test_a_worker_down_for_days_catches_up_in_one_digest(world):
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(world.adl_a, title="Un"), world.officer_a)
    clock.set(MONDAY_AFTERNOON + timedelta(days=1), frozen=True)
    publish(draft_meeting(world.adl_a, title="Deux"), world.officer_a)
    _digest_for(MONDAY_AFTERNOON + timedelta(days=2, hours=1))  # Wednesday 16:00
    mine = deliveries(OutboxChannel.EMAIL, user=world.tenant_a)
    assert len(mine) == 1
    assert "2" in mine[0].subject


def test_items_read_in_the_app_are_not_mailed_again(world):
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    with in_request():
        services.mark_all_read(world.tenant_a)
    db.session.commit()
    counts = _digest_for(TUESDAY_MORNING)
    assert deliveries(OutboxChannel.EMAIL, user=world.tenant_a) == []
    assert counts["dropped"] >= 1
    assert all(i.done_at for i in digest_items(world.tenant_a))


def test_a_kind_turned_off_since_drops_from_the_digest(world):
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    with in_request():
        services.unsubscribe_email(world.tenant_a.id, ["meeting.notice"])
    db.session.commit()
    _digest_for(TUESDAY_MORNING)
    assert deliveries(OutboxChannel.EMAIL, user=world.tenant_a) == []


def test_weekly_digests_wait_for_monday(world):
    with in_request():
        services.set_preferences(
            world.tenant_a, {("meeting.notice", Channel.EMAIL): Frequency.WEEKLY}
        )
    db.session.commit()
    clock.set(TUESDAY_MORNING, frozen=True)
    publish(draft_meeting(world.adl_a), world.officer_a)
    _digest_for(TUESDAY_MORNING + timedelta(days=3))  # Friday
    assert deliveries(OutboxChannel.EMAIL, user=world.tenant_a) == []
    _digest_for(datetime(2026, 3, 9, 11, 5, tzinfo=UTC))  # next Monday 07:05 (EDT)
    [weekly] = deliveries(OutboxChannel.EMAIL, user=world.tenant_a)
    assert weekly.kind == "digest.weekly"
    assert "semaine" in weekly.subject


def test_a_daily_push_digest_is_one_push(world):
    db.session.add(
        PushSubscription(
            user_id=world.tenant_a.id,
            endpoint="https://fcm.googleapis.com/fcm/send/x",
            p256dh="p",
            auth="a",
        )
    )
    with in_request():
        services.set_preferences(
            world.tenant_a,
            {
                ("minutes.published", Channel.PUSH): Frequency.DAILY,
                ("meeting.notice", Channel.PUSH): Frequency.DAILY,
            },  # fmt: skip
        )
    db.session.commit()
    clock.set(MONDAY_AFTERNOON, frozen=True)
    publish(draft_meeting(world.adl_a, title="Un"), world.officer_a)
    publish(draft_meeting(world.adl_a, title="Deux"), world.officer_a)
    assert deliveries(OutboxChannel.PUSH) == []
    _digest_for(TUESDAY_MORNING)
    [push] = deliveries(OutboxChannel.PUSH)
    assert push.subject == "2 nouveautés dans TenantVoice"
    assert push.next_attempt_at == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)  # 08:00: after quiet
