"""Notifications: an event (what happened, in which body, where to open it), one notification per
person allowed to open it, digest items waiting for a person's daily or weekly summary, and each
person's choices (per kind and channel, quiet hours, fuller email content)."""

import enum
from datetime import datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.extensions import db


class Channel(enum.StrEnum):
    APP = "app"  #: the notification centre (badge on every page)
    PUSH = "push"  #: web push to the installed app
    EMAIL = "email"


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"  #: in the daily digest
    WEEKLY = "weekly"  #: in the weekly digest
    NEVER = "never"


#: What each channel offers: the centre shows things as they happen or not at all.
CHANNEL_FREQUENCIES = {
    Channel.APP: (Frequency.IMMEDIATELY, Frequency.NEVER),
    Channel.PUSH: (Frequency.IMMEDIATELY, Frequency.DAILY, Frequency.WEEKLY, Frequency.NEVER),
    Channel.EMAIL: (Frequency.IMMEDIATELY, Frequency.DAILY, Frequency.WEEKLY, Frequency.NEVER),
}


class NotificationEvent(db.Model):
    """Something that happened, once, whoever it concerns. Carries no free text a reader of the
    notification could not read on the object itself: kind, body, link, the object's title."""

    __tablename__ = "notification_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    body_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), index=True
    )
    #: Path of the object in the app ("/meetings/12"), opened from the centre, push and email.
    url: so.Mapped[str] = so.mapped_column(sa.String(300))
    #: The object's title as its readers see it (shown in the app and in opt-in fuller email).
    title: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now(), index=True)
    #: Set for events that must happen once (a reminder, a closing): a second try is refused.
    once_key: so.Mapped[str | None] = so.mapped_column(sa.String(120), unique=True)

    body = so.relationship("Body")

    def __repr__(self) -> str:
        return f"<NotificationEvent {self.id} {self.kind} body={self.body_id}>"


class Notification(db.Model):
    """One event for one person who may open its object."""

    __tablename__ = "notifications"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("notification_events.id", ondelete="CASCADE"), index=True
    )
    #: Shown in the person's centre (their "in the app" choice for this kind).
    in_app: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    read_at: so.Mapped[datetime | None]

    event: so.Mapped[NotificationEvent] = so.relationship()

    __table_args__ = (sa.Index("ix_notifications_user_id_id", "user_id", "id"),)

    def __repr__(self) -> str:
        return f"<Notification {self.id} user={self.user_id} read={self.read_at is not None}>"


class DigestItem(db.Model):
    """A notification waiting for one person's daily or weekly digest on one channel."""

    __tablename__ = "notification_digest_items"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    notification_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    channel: so.Mapped[Channel] = so.mapped_column(sa.Enum(Channel, native_enum=False, length=10))
    frequency: so.Mapped[Frequency] = so.mapped_column(
        sa.Enum(Frequency, native_enum=False, length=12)
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: Set when its digest was queued (or when it was dropped: read first, kind turned off).
    done_at: so.Mapped[datetime | None]

    notification: so.Mapped[Notification] = so.relationship()

    __table_args__ = (sa.Index("ix_notification_digest_items_pending", "done_at", "frequency"),)


class Preference(db.Model):
    """A person's choice for one kind on one channel; kinds' defaults apply where none is kept."""

    __tablename__ = "notification_preferences"

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    channel: so.Mapped[Channel] = so.mapped_column(
        sa.Enum(Channel, native_enum=False, length=10), primary_key=True
    )
    frequency: so.Mapped[Frequency] = so.mapped_column(
        sa.Enum(Frequency, native_enum=False, length=12)
    )


class Settings(db.Model):
    """A person's quiet hours and whether emails may carry details (off: most private, Q-03).
    No row means the defaults."""

    __tablename__ = "notification_settings"

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Push waits from quiet_start to quiet_end (Montréal time); equal times: no quiet hours.
    quiet_start: so.Mapped[time] = so.mapped_column(sa.Time)
    quiet_end: so.Mapped[time] = so.mapped_column(sa.Time)
    #: Emails say what the object is (a meeting's title, date and place), not only its kind.
    email_details: so.Mapped[bool] = so.mapped_column(default=False)
