"""The email transport, by MAIL_BACKEND: "smtp" sends through the configured server
(STARTTLS or implicit TLS, optional login), "file" writes .eml files under instance/mail/
(development and demo: nothing leaves the machine), "memory" appends to
``current_app.extensions["mail_outbox"]`` (tests).

Nothing here is called from a web request: requests queue deliveries (tenantvoice.outbox.delivery)
and the worker sends them. Bodies carry reset links: they are never logged.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path

from flask import current_app

from tenantvoice import clock

logger = logging.getLogger(__name__)


#: Marks a message whose recipient is itself sensitive (see Delivery.private): the admin's view
#: of the development mail folder hides its recipient.
PRIVATE_HEADER = "X-TenantVoice-Private"


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def message_id_domain() -> str:
    """The right part of our Message-IDs: the sender address's domain."""
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "tenantvoice.local"


def build_message(
    to: str,
    subject: str,
    text: str,
    *,
    html: str = "",
    identity: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """Plain text, plus a simple HTML alternative when given; the Message-ID comes from the
    delivery's identity, so a repeat after a crash carries the same one."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(clock.now().timestamp(), localtime=False)
    message["Message-ID"] = f"<{identity}@{message_id_domain()}>"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    # After the content: set_content() drops Content-* headers such as Content-Language.
    for name, value in (headers or {}).items():
        message[name] = value
    return message


def _send_smtp(message: EmailMessage) -> None:
    cfg = current_app.config
    timeout = cfg.get("MAIL_TIMEOUT", 15)
    try:
        if cfg.get("MAIL_USE_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                cfg["MAIL_SERVER"],
                cfg["MAIL_PORT"],
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout)
        with smtp:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        code = getattr(exc, "smtp_code", None)
        reason = f"{type(exc).__name__} {code}" if code else type(exc).__name__
        raise MailError(reason) from exc


def mail_folder() -> Path:
    return Path(current_app.instance_path) / "mail"


def _send_file(message: EmailMessage) -> None:
    folder = mail_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
        identity = message["Message-ID"].strip("<>").partition("@")[0]
        path = folder / f"{stamp}-{identity[:8]}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)
    except OSError as exc:
        raise MailError(str(type(exc).__name__)) from exc


def _send_memory(message: EmailMessage) -> None:
    current_app.extensions.setdefault("mail_outbox", []).append(message)


_BACKENDS = {"smtp": _send_smtp, "file": _send_file, "memory": _send_memory}


def send_message(message: EmailMessage) -> None:
    """Hand one message to the backend now. Raises MailError when it could not."""
    backend = current_app.config.get("MAIL_BACKEND", "file")
    if backend not in _BACKENDS:
        raise MailError(f"unknown MAIL_BACKEND {backend!r}")
    _BACKENDS[backend](message)
    logger.info("mail sent (%s backend)", backend)


def outbox() -> list[EmailMessage]:
    """The messages kept by the memory backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])
