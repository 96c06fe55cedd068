"""Outgoing mail, by MAIL_BACKEND: "smtp" sends, "file" writes .eml files under instance/mail/
(demo), "memory" appends to ``current_app.extensions["mail_outbox"]`` (tests).

Views never send directly: they `queue_mail()` in their transaction and call `send_queued()` after
the commit (see the outbox below). Bodies carry reset links: they are never logged, and they are
blanked in the database once the mail is delivered.
"""

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import click
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, g, has_app_context

from tenantvoice import clock
from tenantvoice.extensions import db

logger = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(clock.now().timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain="tenantvoice.local")
    message.set_content(body)
    return message


def _send_smtp(message: EmailMessage) -> None:
    cfg = current_app.config
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=15) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        code = getattr(exc, "smtp_code", None)
        reason = f"{type(exc).__name__} {code}" if code else type(exc).__name__
        raise MailError(reason) from exc


def _send_file(message: EmailMessage) -> None:
    folder = Path(current_app.instance_path) / "mail"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)
    except OSError as exc:
        raise MailError(str(type(exc).__name__)) from exc


def _send_memory(message: EmailMessage) -> None:
    current_app.extensions.setdefault("mail_outbox", []).append(message)


_BACKENDS = {"smtp": _send_smtp, "file": _send_file, "memory": _send_memory}


def send_mail(to: str, subject: str, body: str) -> None:
    """Hand one plain-text message to the backend now. Raises MailError when it could not.

    Low level: views queue mail with `queue_mail()` instead, so nothing is lost when this fails.
    """
    backend = current_app.config.get("MAIL_BACKEND", "file")
    if backend not in _BACKENDS:
        raise MailError(f"unknown MAIL_BACKEND {backend!r}")
    _BACKENDS[backend](build_message(to, subject, body))
    logger.info("mail sent (%s backend)", backend)


def outbox() -> list[EmailMessage]:
    """The messages kept by the memory backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])


# --- Transactional outbox (ASVS 16.5.2, R-11) ---------------------------------------------------
#
# Mail is never sent inside a request's transaction: `queue_mail` adds an OutboxMail row to it, so
# the mail exists if and only if what it announces was committed. After the commit the view calls
# `send_queued()` (failures are logged, never shown: the answer must not depend on the mail
# server, or it would tell who has an account). `flask mail send-pending` retries what is left,
# with a growing delay, and gives up after MAIL_MAX_ATTEMPTS. A delivered (or abandoned) mail
# keeps its recipient and subject for the trace; its body, which may hold a reset link, is blanked.

#: How long a sender owns a row it claimed; after that (crash mid-send) another sender may retry.
CLAIM_LEASE = timedelta(minutes=10)


class OutboxMail(db.Model):
    """One outgoing message, queued in the transaction of the change it announces."""

    __tablename__ = "outbox_mail"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    to: so.Mapped[str] = so.mapped_column(sa.String(254))
    subject: so.Mapped[str] = so.mapped_column(sa.String(255))
    #: Blanked once delivered or abandoned (reset links must not stay in the database).
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    #: When a sender may try next (backoff); pending rows are found by it.
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now(), index=True)
    #: Short reason of the last failure (exception type, SMTP code): never the body.
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    sent_at: so.Mapped[datetime | None]
    #: Set when the sender gave up after MAIL_MAX_ATTEMPTS.
    gave_up_at: so.Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} attempts={self.attempts} sent={self.sent_at is not None}>"


_QUEUED_KEY = "_outbox_queued_ids"


def queue_mail(to: str, subject: str, body: str) -> OutboxMail:
    """Queue one plain-text message in the caller's transaction (the view commits it)."""
    row = OutboxMail(
        to=to, subject=subject[:255], body=body, created_at=clock.now(), next_attempt_at=clock.now()
    )
    db.session.add(row)
    db.session.flush()
    if has_app_context():
        g.setdefault(_QUEUED_KEY, []).append(row.id)
    return row


def retry_delay(attempts: int) -> timedelta:
    """Wait after `attempts` failed tries: MAIL_RETRY_BASE doubled each time, at most 6 hours."""
    base = current_app.config.get("MAIL_RETRY_BASE", timedelta(minutes=1))
    return min(base * (2 ** max(attempts - 1, 0)), timedelta(hours=6))


def _pending():
    return sa.and_(OutboxMail.sent_at.is_(None), OutboxMail.gave_up_at.is_(None))


def _claim(row_id: int, now: datetime) -> bool:
    """Take the row for one try (a conditional UPDATE, committed), so two senders (the request
    and the cron job) never send the same mail twice."""
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == row_id, _pending(), OutboxMail.next_attempt_at <= now)
        .values(attempts=OutboxMail.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _try_one(row_id: int) -> str:
    """Try to deliver one queued mail: "sent", "failed", "gave_up" or "skipped" (not due, or
    another sender has it). Commits its own changes."""
    now = clock.now()
    if not _claim(row_id, now):
        return "skipped"
    row = db.session.get(OutboxMail, row_id, populate_existing=True)
    try:
        send_mail(row.to, row.subject, row.body)
    except MailError as exc:
        row.last_error = (str(exc) or type(exc).__name__)[:200]
        limit = current_app.config.get("MAIL_MAX_ATTEMPTS", 8)
        if row.attempts >= limit:
            row.gave_up_at = clock.now()
            row.body = ""
            db.session.commit()
            logger.error(
                "mail %s abandoned after %s attempts: %s", row.id, row.attempts, row.last_error
            )
            return "gave_up"
        row.next_attempt_at = clock.now() + retry_delay(row.attempts)
        db.session.commit()
        logger.warning(
            "mail %s not sent (attempt %s), will retry: %s", row.id, row.attempts, row.last_error
        )
        return "failed"
    row.sent_at = clock.now()
    row.last_error = None
    row.body = ""
    db.session.commit()
    return "sent"


def send_queued() -> None:
    """After the request committed: try once to deliver the mail this request queued.

    Never raises: a failure is logged and the mail stays queued for `flask mail send-pending`.
    """
    ids = g.pop(_QUEUED_KEY, []) if has_app_context() else []
    for row_id in ids:
        try:
            _try_one(row_id)
        except Exception:  # noqa: BLE001 - the person's answer must not depend on the mail
            db.session.rollback()
            logger.exception("mail %s: sender error, left in the queue", row_id)


def send_pending(limit: int = 200) -> dict[str, int]:
    """Retry every queued mail that is due (cron: `flask mail send-pending`)."""
    counts = {"sent": 0, "failed": 0, "gave_up": 0, "skipped": 0}
    ids = db.session.scalars(
        sa.select(OutboxMail.id)
        .where(_pending(), OutboxMail.next_attempt_at <= clock.now())
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    for row_id in ids:
        try:
            counts[_try_one(row_id)] += 1
        except Exception:  # noqa: BLE001 - one bad row must not stop the others
            db.session.rollback()
            logger.exception("mail %s: sender error, left in the queue", row_id)
            counts["failed"] += 1
    return counts


def register_cli(app) -> None:
    """`flask mail send-pending`: run it every minute or so (cron, systemd timer)."""

    @app.cli.group()
    def mail():
        """Outgoing mail queue."""

    @mail.command("send-pending")
    @click.option(
        "--limit",
        type=click.IntRange(1, 10000),
        default=200,
        help="At most this many mails in one run.",
    )
    def send_pending_command(limit):
        """Send the queued mail that is due; failures are retried later with a growing delay."""
        counts = send_pending(limit)
        click.echo(
            "sent {sent}, failed {failed}, abandoned {gave_up}, skipped {skipped}".format(**counts)
        )
