"""Reading the notification centre."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.extensions import db
from tenantvoice.notifications.models import Notification, NotificationEvent

PAGE_SIZE = 30


def page_for(user, before_id: int | None = None) -> tuple[list[Notification], int | None]:
    """The person's notifications in the centre, newest first, and the id to continue from."""
    stmt = (
        sa.select(Notification)
        .options(so.joinedload(Notification.event).joinedload(NotificationEvent.body))
        .where(Notification.user_id == user.id, Notification.in_app.is_(True))
        .order_by(Notification.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before_id is not None:
        stmt = stmt.where(Notification.id < before_id)
    rows = list(db.session.scalars(stmt))
    more = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], more


def notification_by_id(notification_id: int) -> Notification | None:
    return db.session.scalar(
        sa.select(Notification)
        .options(so.joinedload(Notification.event).joinedload(NotificationEvent.body))
        .where(Notification.id == notification_id)
    )
