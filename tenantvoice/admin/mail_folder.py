"""Read the .eml files the "file" mail backend writes under instance/mail (development, demo).

A message whose recipients are themselves sensitive (the outbox marks it X-TenantVoice-Private:
a reminder to people who have not voted yet) is listed without its recipient.
"""

import re
from dataclasses import dataclass, field
from email import policy as email_policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from tenantvoice.outbox.mail import PRIVATE_HEADER, mail_folder

#: The names the backend writes: a UTC stamp and the start of the message's identity.
NAME = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{8}\.eml$")
SHOWN = 200


@dataclass
class KeptMessage:
    name: str
    to: str
    subject: str
    date: object
    private: bool
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    has_html: bool = False


def _parse(path, *, full: bool) -> KeptMessage:
    with path.open("rb") as handle:
        message = BytesParser(policy=email_policy.default).parse(handle, headersonly=not full)
    private = message.get(PRIVATE_HEADER, "") == "yes"
    try:
        date = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        date = None
    kept = KeptMessage(
        name=path.name,
        to="" if private else str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        date=date,
        private=private,
    )
    if full:
        kept.headers = [
            (k, "" if private and k.lower() == "to" else str(v))
            for k, v in message.items()
            if k.lower() != PRIVATE_HEADER.lower()
        ]
        body = message.get_body(preferencelist=("plain",))
        kept.text = body.get_content() if body is not None else ""
        kept.has_html = message.get_body(preferencelist=("html",)) is not None
    return kept


def list_messages() -> list[KeptMessage]:
    folder = mail_folder()
    if not folder.is_dir():
        return []
    names = sorted((p for p in folder.iterdir() if NAME.match(p.name)), reverse=True)
    return [_parse(path, full=False) for path in names[:SHOWN]]


def read_message(name: str) -> KeptMessage | None:
    if not NAME.match(name):
        return None
    path = mail_folder() / name
    if not path.is_file():
        return None
    return _parse(path, full=True)
