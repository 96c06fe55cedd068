"""Queue deliveries in the caller's transaction; the worker claims, sends and records them.

- `queue_email` / `queue_push` add a Delivery row to the current transaction (the caller commits):
  the message exists if and only if what it announces was committed (ASVS 16.5.2, R-11).
- After that commit the worker is woken (tenantvoice.outbox.queue); nothing is sent inside a web
  request. A periodic sweep also picks up whatever is due (retries, push held through quiet hours,
  deliveries of a worker that died).
- `deliver_one` claims a delivery with a conditional UPDATE that is committed before anything is
  sent: a worker killed between the claim and the send leaves it to be retried when the lease
  ends (sent once); a worker killed between the send and recording it leaves it to be sent again
  with the same identity (email Message-ID, push Topic), so the repeat is recognisable.
"""

import json
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.models import rowcount
from tenantvoice.outbox import mail, push
from tenantvoice.outbox.models import Channel, Delivery, PushSubscription, new_identity

logger = logging.getLogger(__name__)

#: Set on the session when a delivery was queued: the commit wakes the worker.
KICK_FLAG = "outbox_kick"


def email_values(
    to: str,
    subject: str,
    text: str,
    *,
    html: str = "",
    headers: dict[str, str] | None = None,
    kind: str = "",
    user_id: int | None = None,
    private: bool = False,
) -> dict:
    """The row of one email (plain text, optional HTML), for `queue_many`."""
    now = clock.now()
    payload = {"text": text, "html": html, "headers": headers or {}}
    return {
        "channel": Channel.EMAIL,
        "identity": new_identity(),
        "to": to,
        "subscription_id": None,
        "subject": subject[:255],
        "payload": json.dumps(payload, ensure_ascii=False),
        "kind": kind[:40],
        "user_id": user_id,
        "private": private,
        "created_at": now,
        "next_attempt_at": now,
    }


def push_values(
    subscription: PushSubscription,
    payload: dict,
    *,
    kind: str = "",
    not_before: datetime | None = None,
    private: bool = False,
) -> dict:
    """The row of one push to one device; `not_before` holds it (quiet hours)."""
    now = clock.now()
    return {
        "channel": Channel.PUSH,
        "identity": new_identity(),
        "to": "",
        "subscription_id": subscription.id,
        "user_id": subscription.user_id,
        "subject": str(payload.get("body", ""))[:255],
        "payload": json.dumps(payload, ensure_ascii=False),
        "kind": kind[:40],
        "private": private,
        "created_at": now,
        "next_attempt_at": max(not_before or now, now),
    }


def queue_many(rows: list[dict]) -> None:
    """Queue deliveries in the caller's transaction, in one batched INSERT (a notice to 300
    people is a handful of statements, not 300 round trips). The commit wakes the worker."""
    if not rows:
        return
    db.session.execute(sa.insert(Delivery.__table__), rows)
    db.session.info[KICK_FLAG] = True


def _queued(values: dict) -> Delivery:
    row = Delivery(**values)
    db.session.add(row)
    db.session.info[KICK_FLAG] = True
    return row


def queue_email(to: str, subject: str, text: str, **options) -> Delivery:
    """Queue one email in the caller's transaction (options: see `email_values`)."""
    return _queued(email_values(to, subject, text, **options))


def queue_mail(to: str, subject: str, body: str) -> Delivery:
    """Queue a plain-text transactional email (a reset link) in the caller's transaction."""
    return queue_email(to, subject, body, kind="transactional")


def queue_push(subscription: PushSubscription, payload: dict, **options) -> Delivery:
    """Queue one push to one device (options: see `push_values`)."""
    return _queued(push_values(subscription, payload, **options))


def retry_delay(attempts: int) -> timedelta:
    """Wait after `attempts` failed tries: OUTBOX_RETRY_BASE doubled each time, at most 6 hours."""
    base = current_app.config.get("OUTBOX_RETRY_BASE", timedelta(minutes=1))
    return min(base * (2 ** max(attempts - 1, 0)), timedelta(hours=6))


def _pending():
    return sa.and_(Delivery.sent_at.is_(None), Delivery.gave_up_at.is_(None))


def withdraw_held_push(user_id: int, *, kind: str | None = None, url: str | None = None) -> int:
    """Drop the pushes still held (quiet hours) for a person, all of them or those of one
    notification (its kind and the page it opens): read in the app already, they would only wake
    the phone in the morning for nothing. Never touches a push already tried or sent."""
    now = clock.now()
    held = [
        Delivery.channel == Channel.PUSH,
        Delivery.user_id == user_id,
        _pending(),
        Delivery.attempts == 0,
        Delivery.next_attempt_at > now,
    ]
    if kind is not None:
        held.append(Delivery.kind == kind[:40])
    rows = db.session.scalars(sa.select(Delivery).where(*held)).all()
    withdrawn = 0
    for row in rows:
        if url is not None and json.loads(row.payload or "{}").get("url") != url:
            continue
        row.last_error = "read in the app before quiet hours ended"
        _finish(row, sent=False)
        withdrawn += 1
    return withdrawn


def claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one try (a conditional UPDATE, committed before anything is sent),
    so two workers never send it at once; the lease lets another retry if this one dies."""
    lease = current_app.config.get("OUTBOX_CLAIM_LEASE", timedelta(minutes=10))
    result = db.session.execute(
        sa.update(Delivery)
        .where(Delivery.id == delivery_id, _pending(), Delivery.next_attempt_at <= now)
        .values(attempts=Delivery.attempts + 1, next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def _finish(row: Delivery, *, sent: bool) -> None:
    """Delivered or abandoned: blank the payload (reset links), forget a private recipient."""
    if sent:
        row.sent_at = clock.now()
        row.last_error = None
    else:
        row.gave_up_at = clock.now()
    row.payload = ""
    if row.private:
        row.to = ""
        row.user_id = None
        row.subscription_id = None


class DeliveryError(Exception):
    """One try failed: retry later (`permanent` False) or give up now."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


def _send_email(row: Delivery, payload: dict) -> None:
    headers = dict(payload.get("headers") or {})
    if row.private:
        headers[mail.PRIVATE_HEADER] = "yes"
    message = mail.build_message(
        row.to,
        row.subject,
        payload.get("text", ""),
        html=payload.get("html", ""),
        identity=row.identity,
        headers=headers,
    )
    try:
        mail.send_message(message)
    except mail.MailError as exc:
        raise DeliveryError(str(exc) or "MailError") from exc


def _send_push(row: Delivery, payload: dict) -> None:
    subscription = row.subscription
    if subscription is None:
        raise DeliveryError("device unsubscribed", permanent=True)
    result = push.send_push(
        subscription.as_webpush(),
        payload,
        topic=row.identity,
        ttl=current_app.config.get("PUSH_TTL", 86400),
    )
    if result.outcome == "sent":
        subscription.last_used_at = clock.now()
        return
    if result.outcome == "gone":
        # The browser dropped this subscription (uninstalled, logged out, permission revoked).
        db.session.delete(subscription)
        row.subscription_id = None
        raise DeliveryError(result.reason, permanent=True)
    raise DeliveryError(
        result.reason, permanent=result.outcome == "refused", retry_after=result.retry_after
    )


_TRANSPORTS = {Channel.EMAIL: _send_email, Channel.PUSH: _send_push}


def deliver_one(delivery_id: int) -> str:
    """Try one delivery: "sent", "failed" (retried later), "gave_up" or "skipped" (not due, or
    another worker has it). Commits its own changes."""
    if not claim(delivery_id, clock.now()):
        return "skipped"
    row = db.session.get_one(Delivery, delivery_id, populate_existing=True)
    payload = json.loads(row.payload or "{}")
    try:
        _TRANSPORTS[row.channel](row, payload)
    except DeliveryError as exc:
        row.last_error = exc.reason[:200]
        limit = current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8)
        if exc.permanent or row.attempts >= limit:
            _finish(row, sent=False)
            db.session.commit()
            logger.error(
                "delivery %s abandoned after %s attempts: %s", row.id, row.attempts, exc.reason
            )
            return "gave_up"
        wait = retry_delay(row.attempts)
        if exc.retry_after:
            wait = max(wait, timedelta(seconds=min(exc.retry_after, 6 * 3600)))
        row.next_attempt_at = clock.now() + wait
        db.session.commit()
        logger.warning(
            "delivery %s not sent (attempt %s), will retry: %s", row.id, row.attempts, exc.reason
        )
        return "failed"
    _finish(row, sent=True)
    db.session.commit()
    return "sent"


def due_ids(limit: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Delivery.id)
            .where(_pending(), Delivery.next_attempt_at <= clock.now())
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
    )


def deliver_due(limit: int = 200) -> dict[str, int]:
    """Deliver everything that is due, oldest first (the worker's sweep and its wake-up call)."""
    counts = {"sent": 0, "failed": 0, "gave_up": 0, "skipped": 0}
    for delivery_id in due_ids(limit):
        try:
            counts[deliver_one(delivery_id)] += 1
        except Exception:  # noqa: BLE001 - one bad delivery must not stop the others
            db.session.rollback()
            logger.exception("delivery %s: worker error, left in the queue", delivery_id)
            counts["failed"] += 1
    return counts
