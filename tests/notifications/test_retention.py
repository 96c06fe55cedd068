"""Retention of the new tables in the nightly purge (Q-09): read notifications after 90 days,
any after a year (the badge's counter follows), events left empty, unused push subscriptions
after 180 days, delivered or abandoned deliveries after 30 days; pending deliveries never."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.notifications.models import DigestItem, Notification, NotificationEvent
from tenantvoice.outbox.delivery import deliver_due, queue_email
from tenantvoice.outbox.models import Channel, Delivery, PushSubscription
from tenantvoice.outbox.queue import run_in_app
from tenantvoice.retention import purge
from tests.notifications.helpers import draft_meeting, publish

T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _purge(app, at):
    clock.set(at, frozen=True)
    return run_in_app(app, purge)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_read_notifications_go_after_90_days_unread_after_a_year(app, world):
    w = world
    clock.set(T0, frozen=True)
    publish(draft_meeting(w.adl_a), w.officer_a)  # tenant_a and president_a
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == w.tenant_a.id))
    note.read_at = T0
    db.session.commit()
    _purge(app, T0 + 90 * DAY - timedelta(minutes=1))
    assert _count(Notification) == 2
    counts = _purge(app, T0 + 90 * DAY + timedelta(minutes=1))
    assert counts["notifications"] == 1
    assert _count(Notification) == 1
    db.session.refresh(w.president_a)
    assert w.president_a.unread_notifications == 1
    _purge(app, T0 + 365 * DAY + timedelta(minutes=1))
    assert _count(Notification) == 0
    assert _count(DigestItem) == 0
    assert _count(NotificationEvent) == 0
    db.session.refresh(w.president_a)
    assert w.president_a.unread_notifications == 0  # the badge follows


def test_unused_push_subscriptions_go_after_180_days(app, world):
    clock.set(T0, frozen=True)
    db.session.add(
        PushSubscription(
            user_id=world.tenant_a.id,
            endpoint="https://fcm.googleapis.com/x",
            p256dh="p",
            auth="a",
            last_used_at=T0,
        )
    )
    db.session.commit()
    _purge(app, T0 + 179 * DAY)
    assert _count(PushSubscription) == 1
    _purge(app, T0 + 181 * DAY)
    assert _count(PushSubscription) == 0


def test_pending_deliveries_are_never_purged_done_ones_after_30_days(app, world):
    clock.set(T0, frozen=True)
    for sent in (None, T0):
        db.session.add(
            Delivery(channel=Channel.PUSH, kind="meeting.notice", payload="{}", sent_at=sent)
        )
    db.session.commit()
    _purge(app, T0 + 400 * DAY)
    [left] = db.session.scalars(sa.select(Delivery)).all()
    assert left.sent_at is None


def test_private_deliveries_forget_their_recipient_once_sent(app, world):
    queue_email("lucie@example.org", "Rappel", "Corps", user_id=world.tenant_a.id, private=True)
    db.session.commit()
    deliver_due()
    [row] = db.session.scalars(sa.select(Delivery)).all()
    assert row.sent_at is not None
    assert (row.to, row.user_id, row.payload) == ("", None, "")
