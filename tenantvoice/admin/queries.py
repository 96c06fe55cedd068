"""What the platform admin's user list reads: accounts, their staff roles and live sessions.

Contact details only (name, email, phone): never register data (units, buildings, bodies).
Filtered, counted and cut into pages by the database: an installation holds tens of thousands
of accounts.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock, policy
from tenantvoice.accounts.models import StaffRole, User, UserSession
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import OFFICER_ROLES, Body, Member, StaffAssignment
from tenantvoice.outbox.models import Delivery
from tenantvoice.search import fold
from tenantvoice.web.pagination import Page, paginate

#: Accounts on one page of the list.
PAGE_SIZE = 25

#: The role filter's values: an account with no staff role ("tenant"), or one staff role.
NO_STAFF_ROLE = "tenant"
ROLE_FILTERS = (NO_STAFF_ROLE, *(r.value for r in StaffRole))


@dataclass
class UserRow:
    user: User
    roles: list[StaffRole] = field(default_factory=list)
    open_sessions: int = 0


def _needle(q: str) -> str:
    needle = fold((q or "").strip()[:80])
    digits = "".join(ch for ch in needle if ch.isdigit())
    # "418 555-0123" finds the phone stored as digits only.
    if digits and len(digits) >= 3 and not any(ch.isalpha() for ch in needle):
        return digits
    return needle


def users_filter(q: str = "", role: str = "") -> list[sa.ColumnElement[bool]]:
    """WHERE clauses: the name (folded copy), email or phone contains `q`, accents and case
    ignored; and the staff role (or none) asked for."""
    clauses: list[sa.ColumnElement[bool]] = []
    needle = _needle(q)
    if needle:
        # One LIKE per account on the folded copy of name, email and phone (digits only).
        clauses.append(User.search_key.contains(needle, autoescape=True))
    if role == NO_STAFF_ROLE:
        clauses.append(
            ~sa.select(StaffAssignment.id).where(StaffAssignment.user_id == User.id).exists()
        )
    elif role in ROLE_FILTERS:
        # The few holders of a staff role, looked up first (not a test on every account).
        clauses.append(
            User.id.in_(
                sa.select(StaffAssignment.user_id).where(StaffAssignment.role == StaffRole(role))
            )
        )
    return clauses


def users(q: str = "", role: str = "", page: int = 1) -> Page:
    """A page of the accounts whose name, email or phone contains `q`, with the staff role
    asked for, by name, as UserRow (their staff roles and live sessions), and how many matched
    in all: filtered, counted and cut by the database (4 queries, whatever the number of
    accounts; never every account loaded into Python)."""
    where = users_filter(q, role)
    listing = paginate(
        sa.select(User).where(*where).order_by(User.name, User.id),
        sa.select(sa.func.count(User.id)).where(*where),
        page,
        PAGE_SIZE,
    )
    shown: list[User] = list(listing.items)
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
    rows = [UserRow(u, roles.get(u.id, []), counts.get(u.id, 0)) for u in shown]
    return Page(items=rows, total=listing.total, number=listing.number, size=listing.size)


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


# --- the audit screen ---------------------------------------------------------------------

#: Events on one page of the audit screen.
AUDIT_PAGE_SIZE = 30

#: The actor's role as the audit screen names it (never the actor's name): a staff role, an
#: officer of the event's body, any other account, or the system (no actor).
ACTOR_OFFICER = "officer"
ACTOR_ACCOUNT = "account"
ACTOR_SYSTEM = "system"


@dataclass(frozen=True)
class AuditRow:
    at: object
    action: str
    actor_role: str  #: a StaffRole value or one of the ACTOR_* above
    object_type: str
    object_id: int | None
    body_id: int | None


def audit_events(page: int = 1) -> Page:
    """A page of audit events, newest first: when, kind, the actor's role, the object. Neither
    the actor's name nor the event's detail (which names register entries, e.g. who was marked
    present) ever leaves this function. Three statements per page."""
    listing = paginate(
        sa.select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.actor_id,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.body_id,
        ).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
        sa.select(sa.func.count(AuditEvent.id)),
        page,
        AUDIT_PAGE_SIZE,
        scalars=False,
    )
    actor_ids = sorted({r[3] for r in listing.items if r[3] is not None})
    staff: dict[int, str] = {}
    officers: set[tuple[int, int]] = set()
    if actor_ids:
        # The highest staff role of each actor (admin first), then officers by body.
        order = [StaffRole.ADMIN, StaffRole.DIRECTION, StaffRole.OC, StaffRole.ISC]
        for user_id, role in db.session.execute(
            sa.select(StaffAssignment.user_id, StaffAssignment.role).where(
                StaffAssignment.user_id.in_(actor_ids)
            )
        ):
            known = staff.get(user_id)
            if known is None or order.index(StaffRole(role)) < order.index(StaffRole(known)):
                staff[user_id] = StaffRole(role).value
        others = [a for a in actor_ids if a not in staff]
        if others:
            officers = {
                (uid, bid)
                for uid, bid in db.session.execute(
                    sa.select(Member.user_id, Member.body_id).where(
                        Member.user_id.in_(others), Member.role.in_(OFFICER_ROLES)
                    )
                )
                if uid is not None
            }

    def role_of(actor_id, body_id) -> str:
        if actor_id is None:
            return ACTOR_SYSTEM
        if actor_id in staff:
            return staff[actor_id]
        if body_id is not None and (actor_id, body_id) in officers:
            return ACTOR_OFFICER
        return ACTOR_ACCOUNT

    rows = [
        AuditRow(at, action, role_of(actor_id, body_id), object_type, object_id, body_id)
        for _id, at, action, actor_id, object_type, object_id, body_id in listing.items
    ]
    return Page(items=rows, total=listing.total, number=listing.number, size=listing.size)


# --- outbox health -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxHealth:
    #: (channel, state) -> count; states: pending, retrying, sent, gave_up
    counts: dict
    oldest_pending: object  #: created_at of the oldest message still waiting, or None


def outbox_health() -> OutboxHealth:
    """How the outbox is doing, in counts by channel and state, and the age of the oldest
    message still waiting: never a recipient, a subject, a message's kind or its error text.
    Two statements."""
    state = sa.case(
        (Delivery.sent_at.is_not(None), "sent"),
        (Delivery.gave_up_at.is_not(None), "gave_up"),
        (Delivery.attempts > 0, "retrying"),
        else_="pending",
    )
    counts = {
        (str(channel), st): n
        for channel, st, n in db.session.execute(
            sa.select(Delivery.channel, state, sa.func.count(Delivery.id)).group_by(
                Delivery.channel, state
            )
        )
    }
    oldest = db.session.scalar(
        sa.select(sa.func.min(Delivery.created_at)).where(
            Delivery.sent_at.is_(None), Delivery.gave_up_at.is_(None)
        )
    )
    return OutboxHealth(counts, oldest)


def seated_office_staff() -> set[int]:
    """The staff assignments that make someone an office's staff (its direction, an ISC or OC
    assigned to it: policy.OFFICE_STAFF_ROLES) while they hold a current seat in one of that
    office's tenants' bodies: seats taken before the rule (policy.can_sit_in), which nothing
    ends for them. Which assignments only, never which body nor what seat: the admin's way out
    is to withdraw the role (the register is the body's), and nothing more is needed for it."""
    seated = (
        sa.select(Member.id)
        .join(Body, Body.id == Member.body_id)
        .where(
            Member.user_id == StaffAssignment.user_id,
            Body.provider_id == StaffAssignment.provider_id,
            Member.is_current,
        )
        .exists()
    )
    return set(
        db.session.scalars(
            sa.select(StaffAssignment.id).where(
                StaffAssignment.role.in_(list(policy.OFFICE_STAFF_ROLES)),
                StaffAssignment.provider_id.is_not(None),
                seated,
            )
        )
    )
