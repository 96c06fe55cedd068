"""Keep secrets that travel in URLs out of the logs: the invitation code of a QR link
(/join?code=…), reset links (/reset/<token>), calendar feeds (/calendar/<token>.ics) and
unsubscribe links (/notifications/unsubscribe/<token>).

The access logs of the development server (logger "werkzeug") and of gunicorn
("gunicorn.access") get a filter that rewrites each record; the app's own messages that name a
path use `redact()` directly.
"""

import logging
import re

_PATTERNS = [
    (re.compile(r"([?&](?:code|token)=)[^&\s\"']+", re.IGNORECASE), r"\1[redacted]"),
    (re.compile(r"(/reset/)[^/?\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(/calendar/)(?!regenerate\b)[^/?\s\"']+?(\.ics)"), r"\1[redacted]\2"),
    (re.compile(r"(/unsubscribe/)[^/?\s\"']+"), r"\1[redacted]"),
]

#: Loggers that write one line per request with its URL.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrite the record's final message with the secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to logging to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactSecretsFilter()


def install() -> None:
    """Attach the filter to the access loggers (once per process)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
