"""Who the acting user is to a body: member, officer, site tenant, staff in scope.

Facts are loaded once per request and kept on `flask.g`, so a page that asks twenty questions
does not run twenty queries. For the logged-in person they come in the very statement that reads
the login session and the user (`load_session`): a logged-in request's fixed cost is ONE
statement. Nothing is kept between requests (no version to bump, never stale after a change of
membership, role, tenancy or staff scope). The sites a body covers are kept there too (a list of
meetings asks "does this tenant live at a site of the body?" once per meeting).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import NoReturn, cast

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, g, has_request_context
from werkzeug.local import LocalProxy

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User, UserSession
from tenantvoice.extensions import db
from tenantvoice.orgs.models import (
    OFFICER_ROLES,
    Member,
    MemberRole,
    Provider,
    StaffAssignment,
    Tenancy,
    body_sites,
)


@dataclass
class Facts:
    """What the policy needs to know about one user, loaded in one go."""

    members: dict[int, Member] = field(default_factory=dict)  # body_id -> current entry
    site_ids: set[int] = field(default_factory=set)  # sites the user lives at
    staff: list[StaffAssignment] = field(default_factory=list)


def _with_facts(stmt: sa.Select) -> sa.Select:
    """`stmt` (rows of one user, `User` in its FROM) with the user's facts joined on: current
    register entries, tenancies not ended, staff assignments. One row per combination (a
    tenant with two entries and a tenancy: two rows), at least one row even with no facts."""
    return (
        stmt.add_columns(Member, Tenancy.site_id, StaffAssignment)
        .outerjoin(
            Member,
            sa.and_(Member.user_id == User.id, Member.current_on(sa.bindparam("today"))),
        )
        .outerjoin(Tenancy, sa.and_(Tenancy.user_id == User.id, Tenancy.ended_on.is_(None)))
        .outerjoin(StaffAssignment, StaffAssignment.user_id == User.id)
    )


#: The statements every logged-in request runs, built once (bound parameters), so SQLAlchemy
#: neither rebuilds them nor recomputes their cache keys each time. The session row, its user
#: and the user's facts come in one statement (`load_session`); `_FACTS` reloads the facts alone
#: (someone else's, or after `forget_facts()`).
_SESSION = _with_facts(
    sa.select(UserSession)
    .join(User, User.id == UserSession.user_id)
    .options(so.contains_eager(UserSession.user))
    .where(UserSession.token_hash == sa.bindparam("token_hash"))
)
_FACTS = _with_facts(sa.select(User.id).where(User.id == sa.bindparam("user_id")))
_BODY_SITE_IDS = sa.select(body_sites.c.site_id).where(
    body_sites.c.body_id == sa.bindparam("body_id")
)


def _facts_of_rows(rows) -> Facts:
    """Facts from the rows of `_with_facts` (the joined columns are the last three)."""
    facts = Facts()
    staff: dict[int, StaffAssignment] = {}
    for *_first, member, site_id, assignment in rows:
        if member is not None:
            facts.members[member.body_id] = member
        if site_id is not None:
            facts.site_ids.add(site_id)
        if assignment is not None:
            staff[assignment.id] = assignment
    facts.staff = sorted(staff.values(), key=lambda a: a.id)
    return facts


def _load_facts(user) -> Facts:
    rows = db.session.execute(_FACTS, {"user_id": user.id, "today": clock.today()}).all()
    return _facts_of_rows(rows)


def load_session(token_hash: str) -> UserSession | None:
    """The login session row named by `token_hash`, its user, and the user's facts, in one
    statement; the facts are kept for the request (what `facts_for` answers from)."""
    rows = db.session.execute(_SESSION, {"token_hash": token_hash, "today": clock.today()}).all()
    if not rows:
        return None
    row: UserSession = rows[0][0]
    if has_request_context():
        g.setdefault("_policy_facts", {})[row.user_id] = _facts_of_rows(rows)
    return row


#: Facts loaded in bulk for many people at once (computing who may open an object, for
#: notifications), keyed by user id, plus the body-sites cache; None outside `facts_preloaded`.
_preloaded: ContextVar[dict | None] = ContextVar("tv_preloaded_facts", default=None)


def _load_facts_many(user_ids: list[int]) -> dict[int, Facts]:
    """The same facts as `_load_facts`, for many people in three statements."""
    facts = {uid: Facts() for uid in user_ids}
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        for member in db.session.scalars(
            sa.select(Member).where(Member.user_id.in_(chunk), Member.is_current)
        ):
            # user_id is one of `chunk` (never None): the query asked for those ids
            facts[cast(int, member.user_id)].members[member.body_id] = member
        for user_id, site_id in db.session.execute(
            sa.select(Tenancy.user_id, Tenancy.site_id).where(
                Tenancy.user_id.in_(chunk), Tenancy.ended_on.is_(None)
            )
        ):
            facts[user_id].site_ids.add(site_id)
        for assignment in db.session.scalars(
            sa.select(StaffAssignment).where(StaffAssignment.user_id.in_(chunk))
        ):
            facts[assignment.user_id].staff.append(assignment)
    return facts


@contextmanager
def facts_preloaded(users: Iterable) -> Iterator[None]:
    """Within the block, the predicates answer for these people from facts loaded in bulk, so
    asking "may each of 300 tenants open this?" costs three statements, not 900."""
    ids = [u.id for u in users]
    loaded: dict = dict(_preloaded.get() or {})
    loaded.update(_load_facts_many(ids))
    token = _preloaded.set(loaded)
    try:
        yield
    finally:
        _preloaded.reset(token)


def candidate_user_ids(body) -> set[int]:
    """Everyone a body's objects could concern: its current members with an account, the
    tenants of its sites, and the staff whose scope covers its provider. A superset: the
    object's own predicate then decides who may open it."""
    members = sa.select(Member.user_id).where(
        Member.body_id == body.id,
        Member.user_id.is_not(None),
        Member.is_current,
    )
    tenants = sa.select(Tenancy.user_id).where(
        Tenancy.site_id.in_(sa.select(body_sites.c.site_id).where(body_sites.c.body_id == body.id)),
        Tenancy.ended_on.is_(None),
    )
    provider = db.session.get(Provider, body.provider_id)
    staff = sa.select(StaffAssignment.user_id).where(
        sa.or_(
            StaffAssignment.provider_id == body.provider_id,
            sa.and_(
                StaffAssignment.region_id.is_not(None),
                StaffAssignment.region_id == (provider.region_id if provider else None),
            ),
        )
    )
    return set(db.session.scalars(sa.union(members, tenants, staff)))


def unproxied(user):
    """The user behind `current_user` rather than the proxy: a predicate asked for each row of a
    page reads the user's attributes several times, and each read through the proxy looks the
    user up in the request context again (~7% of a body's meetings list)."""
    if isinstance(user, LocalProxy):
        return user._get_current_object()
    return user


def facts_for(user) -> Facts:
    user = unproxied(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return Facts()
    preloaded = _preloaded.get()
    if preloaded is not None and user.id in preloaded:
        return preloaded[user.id]
    if has_request_context():
        cache = g.setdefault("_policy_facts", {})
        if user.id not in cache:
            cache[user.id] = _load_facts(user)
        return cache[user.id]
    return _load_facts(user)


def forget_facts() -> None:
    """Drop the per-request cache after a change of membership within the same request."""
    if has_request_context():
        g.pop("_policy_facts", None)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def member_entry(user, body) -> Member | None:
    """The user's current register entry in this body, if any."""
    if not _authenticated(user):
        return None
    return facts_for(user).members.get(body.id)


def is_member(user, body) -> bool:
    return member_entry(user, body) is not None


def is_officer(user, body) -> bool:
    entry = member_entry(user, body)
    return entry is not None and entry.role in OFFICER_ROLES


def is_tenant_director(user, body) -> bool:
    """The user holds a tenant director's seat in this body (the CCR, the office's board)."""
    entry = member_entry(user, body)
    return entry is not None and entry.role == MemberRole.TENANT_DIRECTOR


def body_ids_as_member(user) -> set[int]:
    return set(facts_for(user).members) if _authenticated(user) else set()


def body_ids_as_officer(user) -> set[int]:
    if not _authenticated(user):
        return set()
    return {bid for bid, m in facts_for(user).members.items() if m.role in OFFICER_ROLES}


def body_site_ids(body) -> set[int]:
    """The sites the body covers; within a request, read once per body (kept with the facts,
    so `forget_facts()` and everything that drops the facts drops these too)."""
    preloaded = _preloaded.get()
    if preloaded is not None:
        cache = preloaded
    elif not has_request_context():
        return set(db.session.scalars(_BODY_SITE_IDS, {"body_id": body.id}))
    else:
        cache = g.setdefault("_policy_facts", {})
    key = ("body_sites", body.id)
    if key not in cache:
        cache[key] = frozenset(db.session.scalars(_BODY_SITE_IDS, {"body_id": body.id}))
    return set(cache[key])


def is_site_tenant(user, body) -> bool:
    """The user lives at one of the sites the body covers."""
    if not _authenticated(user):
        return False
    sites = facts_for(user).site_ids
    return bool(sites) and bool(sites & body_site_ids(body))


def staff_roles(user) -> set[StaffRole]:
    if not _authenticated(user):
        return set()
    return {a.role for a in facts_for(user).staff}


def is_staff(user) -> bool:
    return bool(staff_roles(user))


def is_admin(user) -> bool:
    return StaffRole.ADMIN in staff_roles(user)


@dataclass(frozen=True)
class StaffScope:
    """The regions and providers some of a user's staff assignments cover."""

    region_ids: frozenset[int] = frozenset()
    provider_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.region_ids or self.provider_ids)

    def covers(self, provider: Provider) -> bool:
        return provider.id in self.provider_ids or provider.region_id in self.region_ids

    def providers_clause(self):
        """SQL: the providers this scope covers (its own, and those of its regions)."""
        return sa.or_(Provider.region_id.in_(self.region_ids), Provider.id.in_(self.provider_ids))


def staff_scope(user, roles: Iterable[StaffRole] | None = None) -> StaffScope:
    """The scope of the user's staff assignments of `roles` (every role when None): the one
    place that reads assignments as regions and providers."""
    if not _authenticated(user):
        return StaffScope()
    wanted = [a for a in facts_for(user).staff if roles is None or a.role in roles]
    return StaffScope(
        frozenset(a.region_id for a in wanted if a.region_id),
        frozenset(a.provider_id for a in wanted if a.provider_id),
    )


def staff_covers(user, provider: Provider, roles) -> bool:
    """The user holds one of `roles` with a scope (region or provider) that includes `provider`."""
    return staff_scope(user, roles).covers(provider)


def deny(*, hide: bool = False) -> NoReturn:
    """Refuse: 404 where the thing's very existence is private, else 403."""
    abort(404 if hide else 403)


def require(allowed: bool, *, hide: bool = False) -> None:
    """Abort unless `allowed`; `hide=True` answers 404 so existence is not revealed."""
    if not allowed:
        deny(hide=hide)
