"""What waits to leave the app: deliveries (one email, or one push to one device) and the
devices' push subscriptions. Plain data: the outbox knows addresses and payloads, never the
domain objects they announce."""

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.extensions import db


class Channel(enum.StrEnum):
    EMAIL = "email"
    PUSH = "push"


def new_identity() -> str:
    """32 characters from [0-9a-f]: a Message-ID's left part, and a valid push Topic (RFC 8030
    allows at most 32 characters of the base64url alphabet)."""
    return uuid.uuid4().hex


class PushSubscription(db.Model):
    """One browser on one device that agreed to receive web push for one person."""

    __tablename__ = "push_subscriptions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: The push service's URL for this device (checked against PUSH_SERVICE_HOSTS).
    endpoint: so.Mapped[str] = so.mapped_column(sa.String(1000), unique=True)
    #: The browser's P-256 public key and auth secret (RFC 8291), base64url.
    p256dh: so.Mapped[str] = so.mapped_column(sa.String(120))
    auth: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: "Chrome on Android": shown in the person's settings so they can remove a device.
    device: so.Mapped[str] = so.mapped_column(sa.String(80), default="")
    #: The login session this device subscribed (or renewed) in: logging out of it forgets the
    #: subscription, with or without JavaScript, so the next person on a shared phone never
    #: gets the previous one's notifications. Empty for subscriptions older than this column.
    session_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user_sessions.id", ondelete="SET NULL"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: Renewed by the phone, or by a delivery the push service accepted (retention counts from it).
    last_used_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    def __repr__(self) -> str:
        return f"<PushSubscription {self.id} user={self.user_id}>"

    def as_webpush(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Delivery(db.Model):
    """One message to send, written in the transaction of what it announces (transactional
    outbox). A worker claims it (a conditional UPDATE) before sending, so two workers never send
    it at once; a worker that dies after the claim leaves it to be retried when the lease ends.
    The identity is fixed when it is queued, so a repeat is recognisable (same Message-ID, same
    push Topic)."""

    __tablename__ = "outbox_deliveries"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    channel: so.Mapped[Channel] = so.mapped_column(sa.Enum(Channel, native_enum=False, length=10))
    identity: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True, default=new_identity)
    #: What it is, for the trace: "password_reset", "meeting.notice", "digest.daily"...
    kind: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    #: The person it is for (their language, unsubscribing; gone with the account).
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: Email address (email); empty for push.
    to: so.Mapped[str] = so.mapped_column(sa.String(254), default="")
    subscription_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    #: Email subject or push text, kept for the trace (never more than kind and body).
    subject: so.Mapped[str] = so.mapped_column(sa.String(255), default="")
    #: JSON: email {"text", "html", "headers"}; push {"title", "body", "url", "tag"}. Blanked
    #: once delivered or abandoned (a reset link must not stay in the database).
    payload: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: The recipient itself is sensitive (a reminder to someone who has not voted yet): the
    #: address is erased from the trace once the delivery is done.
    private: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    #: When a worker may try next: now, after a backoff, at the end of quiet hours, or when a
    #: dead worker's claim runs out. Pending deliveries are found by it.
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now(), index=True)
    #: Short reason of the last failure (exception type, SMTP or HTTP code): never the payload.
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    sent_at: so.Mapped[datetime | None]
    #: Set when the worker gave up (too many tries, device gone, permanent refusal).
    gave_up_at: so.Mapped[datetime | None]

    subscription: so.Mapped[PushSubscription | None] = so.relationship()

    def __repr__(self) -> str:
        state = "sent" if self.sent_at else "gave up" if self.gave_up_at else "pending"
        return f"<Delivery {self.id} {self.channel} {self.kind!r} {state} tries={self.attempts}>"
