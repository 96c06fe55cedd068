"""Outgoing mail, by MAIL_BACKEND: "smtp" sends, "file" writes .eml files under instance/mail/
(demo), "memory" appends to ``current_app.extensions["mail_outbox"]`` (tests).

Bodies carry reset links: they are never logged. A failure raises MailError so the view can
tell the person to try again later instead of answering 500.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from tenantvoice import clock

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
        logger.warning("mail not sent: %s", type(exc).__name__)
        raise MailError(str(type(exc).__name__)) from exc


def _send_file(message: EmailMessage) -> None:
    folder = Path(current_app.instance_path) / "mail"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)
    except OSError as exc:
        logger.warning("mail not written: %s", type(exc).__name__)
        raise MailError(str(type(exc).__name__)) from exc


def _send_memory(message: EmailMessage) -> None:
    current_app.extensions.setdefault("mail_outbox", []).append(message)


_BACKENDS = {"smtp": _send_smtp, "file": _send_file, "memory": _send_memory}


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message. Raises MailError when it could not be sent."""
    backend = current_app.config.get("MAIL_BACKEND", "file")
    if backend not in _BACKENDS:
        raise MailError(f"unknown MAIL_BACKEND {backend!r}")
    _BACKENDS[backend](build_message(to, subject, body))
    logger.info("mail sent (%s backend), subject %r", backend, subject)


def outbox() -> list[EmailMessage]:
    """The messages kept by the memory backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])
