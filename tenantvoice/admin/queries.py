"""What the platform admin's user list reads: accounts, their staff roles and live sessions.

Contact details only (name, email, phone): never register data (units, buildings, bodies).
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User, UserSession
from tenantvoice.extensions import db
from tenantvoice.orgs.models import StaffAssignment
from tenantvoice.search import fold

#: At most this many accounts on one page; the admin narrows the search for the others.
PAGE_SIZE = 100


@dataclass
class UserRow:
    user: User
    roles: list[StaffRole] = field(default_factory=list)
    open_sessions: int = 0


def _matches(user: User, needle: str) -> bool:
    return needle in fold(user.name) or needle in (user.email or "") or needle in (user.phone or "")


def _needle(q: str) -> str:
    needle = fold((q or "").strip()[:80])
    digits = "".join(ch for ch in needle if ch.isdigit())
    # "418 555-0123" finds the phone stored as digits only.
    if digits and len(digits) >= 3 and not any(ch.isalpha() for ch in needle):
        return digits
    return needle


def users(q: str = "") -> tuple[list[UserRow], int]:
    """Accounts whose name, email or phone contains `q` (accents and case ignored), by name,
    with their staff roles and number of live sessions; and how many matched in all (3 queries).

    Folded in Python like the register: neither SQLite's lower() nor LIKE fold accents, and an
    installation holds a few thousand accounts.
    """
    accounts = list(db.session.scalars(sa.select(User).order_by(User.name, User.id)))
    needle = _needle(q)
    if needle:
        accounts = [u for u in accounts if _matches(u, needle)]
    total = len(accounts)
    shown = accounts[:PAGE_SIZE]
    ids = [u.id for u in shown]
    roles: dict[int, list[StaffRole]] = defaultdict(list)
    if ids:
        for a in db.session.scalars(
            sa.select(StaffAssignment)
            .where(StaffAssignment.user_id.in_(ids))
            .order_by(StaffAssignment.id)
        ):
            if a.role not in roles[a.user_id]:
                roles[a.user_id].append(a.role)
    counts = _live_session_counts(ids, roles)
    return [UserRow(u, roles.get(u.id, []), counts.get(u.id, 0)) for u in shown], total


def _live_session_counts(ids: list[int], roles: dict[int, list]) -> dict[int, int]:
    """Sessions that still work: not past the absolute lifetime nor the idle timeout (the
    staff one for staff), as the session loader decides."""
    if not ids:
        return {}
    cfg = current_app.config
    now = clock.now()
    rows = db.session.execute(
        sa.select(UserSession.user_id, UserSession.last_seen_at).where(
            UserSession.user_id.in_(ids),
            UserSession.created_at >= now - cfg["SESSION_ABSOLUTE_LIFETIME"],
            UserSession.last_seen_at
            >= now - max(cfg["SESSION_IDLE_TIMEOUT"], cfg["STAFF_SESSION_IDLE_TIMEOUT"]),
        )
    )
    counts: dict[int, int] = defaultdict(int)
    for user_id, last_seen in rows:
        idle = (
            cfg["STAFF_SESSION_IDLE_TIMEOUT"] if roles.get(user_id) else cfg["SESSION_IDLE_TIMEOUT"]
        )
        if now - last_seen <= idle:
            counts[user_id] += 1
    return counts
