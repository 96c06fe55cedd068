"""Helpers for notification tests: who was told, and what waits in the outbox."""

import json

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.meetings import services as meeting_services
from tenantvoice.meetings.models import MeetingStatus
from tenantvoice.notifications.models import DigestItem, Notification, NotificationEvent
from tenantvoice.outbox.models import Channel, Delivery
from tests import factories as f
from tests.minutes.helpers import in_request


def draft_meeting(body, **fields):
    return f.make_meeting(body=body, status=MeetingStatus.DRAFT, **fields)


def publish(meeting, actor):
    """Publish through the service, as the officer's request does."""

    with in_request():
        meeting_services.publish(actor, meeting, confirm_late=True)
    db.session.commit()


def told(kind: str) -> set[int]:
    """Ids of the people who got a notification of this kind."""
    return set(
        db.session.scalars(
            sa.select(Notification.user_id)
            .join(NotificationEvent, NotificationEvent.id == Notification.event_id)
            .where(NotificationEvent.kind == kind)
        )
    )


def deliveries(channel: Channel | None = None, user=None) -> list[Delivery]:
    stmt = sa.select(Delivery).order_by(Delivery.id)
    if channel is not None:
        stmt = stmt.where(Delivery.channel == channel)
    if user is not None:
        stmt = stmt.where(Delivery.user_id == user.id)
    db.session.expire_all()
    return list(db.session.scalars(stmt))


def payload(delivery: Delivery) -> dict:
    return json.loads(delivery.payload)


def digest_items(user=None) -> list[DigestItem]:
    stmt = sa.select(DigestItem).order_by(DigestItem.id)
    if user is not None:
        stmt = stmt.where(DigestItem.user_id == user.id)
    return list(db.session.scalars(stmt))
