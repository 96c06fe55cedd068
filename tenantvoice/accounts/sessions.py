"""Server-side login sessions: the signed cookie names a row; ending the row ends the session.

A copied cookie stops working after logout or a password change because the row is gone.
"""

import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, request, session

from tenantvoice import clock
from tenantvoice.accounts.models import User, UserSession, token_digest
from tenantvoice.extensions import db
from tenantvoice.models import rowcount
from tenantvoice.outbox.models import PushSubscription
from tenantvoice.policy.core import is_staff, load_session
from tenantvoice.web.passive import is_passive_request

SESSION_KEY = "sid"
#: Write last_seen at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(minutes=5)


def start(user: User) -> UserSession:
    """Open a new session for `user` (a fresh id at every login: no fixation)."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=token_digest(token),
        user_agent=(request.user_agent.string or "")[:200],
    )
    db.session.add(row)
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[SESSION_KEY] = token
    session.permanent = True
    user.last_login_at = clock.now()
    return row


def current_row() -> UserSession | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    # The user and the policy's facts come in the same statement: every logged-in request
    # needs all three (the request's fixed cost is this one statement).
    return load_session(token_digest(token))


def stash(key: str, value) -> None:
    """Keep `value` server-side for this session (encrypted in its row), not in the cookie."""
    row = current_row()
    if row is None:
        raise RuntimeError("no server-side session to keep a value in")
    scratch = dict(row.scratch or {})
    scratch[key] = value
    row.scratch = scratch


def stashed(key: str, default=None):
    row = current_row()
    if row is None or not row.scratch:
        return default
    return row.scratch.get(key, default)


def unstash(key: str) -> None:
    row = current_row()
    if row is not None and row.scratch and key in row.scratch:
        scratch = dict(row.scratch)
        scratch.pop(key)
        row.scratch = scratch or None


def _idle_limit(user_is_staff: bool) -> timedelta:
    cfg = current_app.config
    return cfg["STAFF_SESSION_IDLE_TIMEOUT"] if user_is_staff else cfg["SESSION_IDLE_TIMEOUT"]


def load_user_from_session(user_id: str) -> User | None:
    """Flask-Login's user_loader: the cookie's session row must exist, be alive and match."""
    row = current_row()
    if row is None or str(row.user_id) != str(user_id):
        return None
    now = clock.now()
    user = row.user
    if not user.active:
        return None
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if now - row.created_at > lifetime or now - row.last_seen_at > _idle_limit(is_staff(user)):
        _write_apart(sa.delete(UserSession).where(UserSession.id == row.id))
        db.session.expunge(row)  # gone: a later current_row() must not find it in the session
        return None
    if now - row.last_seen_at > TOUCH_EVERY and not is_passive_request():
        _write_apart(
            sa.update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
        )
        so.attributes.set_committed_value(row, "last_seen_at", now)
    return user


def _write_apart(stmt: sa.Executable) -> None:
    """Write the session row's upkeep in its own short transaction.

    Flask-Login loads the user whenever a request first asks who is there, possibly after the
    view has flushed its own work: committing the request's session here would commit that
    work half done (or a refused action's writes). The upkeep goes through another connection
    and the request keeps its one commit.
    """
    with db.engine.begin() as conn:
        conn.execute(stmt)


def forget_push(row: UserSession, endpoint: str = "") -> int:
    """Forget the push subscriptions of the device this session runs on: those made (or renewed)
    in this session, and the browser's own `endpoint` when its script sent it (a subscription
    kept from before, whoever it was moved to). The next person on a shared phone must not get
    the previous one's notifications."""
    forgotten = rowcount(
        db.session.execute(
            sa.delete(PushSubscription)
            .where(PushSubscription.session_id == row.id, PushSubscription.user_id == row.user_id)
            .execution_options(synchronize_session=False)
        )
    )
    if endpoint and len(endpoint) <= 1000:
        forgotten += rowcount(
            db.session.execute(
                sa.delete(PushSubscription)
                .where(PushSubscription.endpoint == endpoint)
                .execution_options(synchronize_session=False)
            )
        )
    return forgotten or 0


def end_current(push_endpoint: str = "") -> None:
    """Log out: forget this device's push subscriptions, delete this session's row and empty
    the cookie."""
    row = current_row()
    if row is not None:
        forget_push(row, push_endpoint)
        db.session.delete(row)
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def end_all_others(user: User) -> int:
    """After a password change: every other device is logged out."""
    keep = current_row()
    stmt = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    return rowcount(db.session.execute(stmt)) or 0


def list_for(user: User) -> list[UserSession]:
    """The user's live sessions ("My devices"), the most recently used first."""
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end_one(user: User, session_id: int) -> UserSession | None:
    """End one of the user's own sessions; None when it is not theirs (or already gone)."""
    row = db.session.scalar(
        sa.select(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
    )
    if row is not None:
        forget_push(row)  # a lost phone stops getting notifications too
        db.session.delete(row)
        db.session.flush()
    return row


#: (pattern, name) in order: the first match wins (Edge and Opera also say "Chrome").
_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"CrOS", "ChromeOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
]


def device_parts(user_agent: str) -> tuple[str, str]:
    """A short (browser, system) from a user-agent string; either may be empty."""
    ua = user_agent or ""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, ua)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, ua)), "")
    return browser, system


def end_all(user: User) -> int:
    return (
        rowcount(db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id)))
        or 0
    )


def mark_second_factor() -> None:
    row = current_row()
    if row is not None:
        row.second_factor_at = clock.now()


def second_factor_passed() -> bool:
    row = current_row()
    return row is not None and row.second_factor_at is not None
