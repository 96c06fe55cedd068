"""Login throttling keyed on the account and the address, with a per-account ceiling on failures
that slows guessing without ever locking the owner out (trust-and-safety A-01).

- Per account and address (decorator on /login): a few tries a minute from one place.
- Per address (decorator): a loose ceiling, so a meeting room's Wi-Fi (one address for everyone)
  still lets a whole assembly log in.
- Per account, failures only (here): past FAILURE_CEILING failures in the window, an address that
  already failed on this account is refused before its password is even checked; an address
  that did not (the owner at home or on their phone) is still answered normally, so a guesser
  spread over many addresses gets one guess per address while the owner is never refused.

Counters live in the limiter's storage (Redis when scaled out, memory otherwise). If that storage
fails, the check lets the request through with a warning: a login is never refused because the
counter is unreachable.
"""

import logging

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import parse

from tenantvoice.accounts.services import normalize_email, normalize_phone
from tenantvoice.extensions import limiter

logger = logging.getLogger(__name__)

#: Failed logins on one account, from anywhere, before failing addresses are held back.
FAILURE_CEILING = parse("20 per hour")
#: Marks an address that failed on an account within the hour.
_FAILED_HERE = parse("1 per hour")


def account_key(identifier: str | None = None) -> str:
    """The account a login form names, normalized (email or phone), whether or not it exists."""
    raw = (identifier if identifier is not None else request.form.get("identifier", ""))[:254]
    if "@" in raw:
        return normalize_email(raw)
    return normalize_phone(raw) or raw.strip().lower()


def account_and_address() -> str:
    """Flask-Limiter key: the account named in the form plus the client's address."""
    return f"login:{account_key()}@{get_remote_address()}"


def _ids(*parts: str) -> tuple[str, ...]:
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), *parts)


def held_back(identifier: str) -> bool:
    """This address already failed on this account while the account is past its ceiling."""
    if not limiter.enabled:
        return False
    account, address = account_key(identifier), get_remote_address()
    try:
        strategy = limiter.limiter
        over = not strategy.test(FAILURE_CEILING, *_ids("login-fail", account))
        return over and not strategy.test(_FAILED_HERE, *_ids("login-fail-at", account, address))
    except Exception:  # noqa: BLE001 - the counter's storage is down: never refuse for that
        logger.warning("login failure counter unreachable: letting the attempt through")
        return False


def record_failure(identifier: str) -> None:
    if not limiter.enabled:
        return
    account, address = account_key(identifier), get_remote_address()
    try:
        strategy = limiter.limiter
        strategy.hit(FAILURE_CEILING, *_ids("login-fail", account))
        strategy.hit(_FAILED_HERE, *_ids("login-fail-at", account, address))
    except Exception:  # noqa: BLE001 - see held_back
        logger.warning("login failure counter unreachable: failure not counted")
