"""Read helpers for the home pages and the main menu."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import url_for
from flask_babel import gettext as _

from tenantvoice import clock, policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingKind, MeetingStatus
from tenantvoice.meetings.queries import OFFICE_CONVENED
from tenantvoice.orgs import queries as org_queries
from tenantvoice.orgs.models import (
    Body,
    BodyKind,
    Member,
    MemberRole,
    Provider,
    Region,
    Site,
    body_sites,
)
from tenantvoice.search import fold, matches_folded
from tenantvoice.web.pagination import Page, paginate


@dataclass
class NavLink:
    url: str
    label: str
    current: bool


def nav_links(user, endpoint: str) -> list[NavLink]:
    links = [NavLink(url_for("home.index"), _("Home"), endpoint == "home.index")]
    if policy.can_admin_platform(user):
        links.append(
            NavLink(url_for("admin.index"), _("Administration"), endpoint.startswith("admin."))
        )
    if policy.can_use_logbook(user):
        links.append(
            NavLink(url_for("logbook.index"), _("Logbook"), endpoint.startswith("logbook."))
        )
    links.append(
        NavLink(url_for("accounts.settings"), _("My account"), endpoint.startswith("accounts."))
    )
    return links


#: Built once, like the meeting page's statements: building it with the ids as literals cost
#: ~3% of a tenant's home (benchmarks/throughput.py).
_MEMBER_BODIES = (
    sa.select(Body).where(Body.id.in_(sa.bindparam("body_ids", expanding=True))).order_by(Body.name)
)


def home_context(user) -> dict:
    """What the home page shows: the user's bodies (as member and as officer), staff scope."""
    member_body_ids = policy.body_ids_as_member(user)
    officer_body_ids = policy.body_ids_as_officer(user)
    bodies = []
    if member_body_ids:
        bodies = list(db.session.scalars(_MEMBER_BODIES, {"body_ids": sorted(member_body_ids)}))
    scope = policy.staff_scope(user)
    scope_providers = []
    if scope:
        scope_providers = list(
            db.session.scalars(
                sa.select(Provider).where(scope.providers_clause()).order_by(Provider.name)
            )
        )
    # A tenant has no staff scope: none of these queries run for them. The regions named are
    # those assigned, and those of the providers assigned (an OC scoped to one office).
    region_ids = set(scope.region_ids) | {p.region_id for p in scope_providers}
    regions = (
        list(
            db.session.scalars(
                sa.select(Region).where(Region.id.in_(sorted(region_ids))).order_by(Region.name)
            )
        )
        if region_ids
        else []
    )
    roles = policy.staff_roles(user)
    support_ids = _provider_ids_for(policy.staff_scope(user, (StaffRole.OC, StaffRole.ISC)))
    direction_ids = _provider_ids_for(policy.staff_scope(user, (StaffRole.DIRECTION,)))
    return {
        "bodies": bodies,
        "officer_body_ids": officer_body_ids,
        "officer_todo": org_queries.officer_todo(officer_body_ids),
        "staff_roles": roles,
        "scope_providers": scope_providers,
        "regions": regions,
        # OC/ISC: the providers they follow; their bodies come a page at a time (support_bodies).
        "support_providers": [p for p in scope_providers if p.id in support_ids],
        "staff_meetings": staff_meetings(user) if (support_ids or direction_ids) else None,
        "direction_overview": direction_overview(
            [p for p in scope_providers if p.id in direction_ids]
        ),
        "can_setup_body": policy.can_setup_bodies(user),
        "is_admin": policy.is_admin(user),
    }


def _provider_ids_for(scope: policy.core.StaffScope) -> set[int]:
    """Providers a staff scope covers (its own, and those of its regions)."""
    provider_ids = set(scope.provider_ids)
    if scope.region_ids:
        provider_ids |= set(
            db.session.scalars(
                sa.select(Provider.id).where(Provider.region_id.in_(scope.region_ids))
            )
        )
    return provider_ids


#: Bodies on one page of an organizer's home.
SUPPORT_PAGE_SIZE = 25


@dataclass(frozen=True)
class SupportBody:
    body: Body
    provider: Provider
    members: int
    sites: int


def support_bodies(
    providers: list[Provider], q: str = "", provider_id: int | None = None, page: int = 1
) -> Page:
    """OC/ISC: a page of the bodies of the providers they follow (or of one of them), whose
    name contains `q` (accents and case ignored), by name, with counts of current members and
    buildings (never names), and how many matched: filtered, counted and cut by the database
    (4 queries, whatever the number of bodies)."""
    ids = [p.id for p in providers]
    if provider_id in ids:
        ids = [provider_id]
    where: list[sa.ColumnElement[bool]] = [Body.provider_id.in_(ids)]
    if fold((q or "").strip()):
        where.append(matches_folded(Body.search_key, q, 80))
    listing = paginate(
        sa.select(Body).where(*where).order_by(Body.name, Body.id),
        sa.select(sa.func.count(Body.id)).where(*where),
        page,
        SUPPORT_PAGE_SIZE,
    )
    bodies: list[Body] = list(listing.items)
    page_ids = [b.id for b in bodies]
    member_counts: dict[int, int] = {}
    site_counts: dict[int, int] = {}
    if page_ids:
        member_counts = dict(
            db.session.execute(
                sa.select(Member.body_id, sa.func.count(Member.id))
                .where(Member.body_id.in_(page_ids), Member.is_current)
                .group_by(Member.body_id)
            ).all()
        )
        site_counts = dict(
            db.session.execute(
                sa.select(body_sites.c.body_id, sa.func.count())
                .where(body_sites.c.body_id.in_(page_ids))
                .group_by(body_sites.c.body_id)
            ).all()
        )
    by_id = {p.id: p for p in providers}
    rows = [
        SupportBody(b, by_id[b.provider_id], member_counts.get(b.id, 0), site_counts.get(b.id, 0))
        for b in bodies
    ]
    return Page(items=rows, total=listing.total, number=listing.number, size=listing.size)


def direction_overview(providers: list[Provider]) -> list[dict]:
    """Direction: its sites and the register of recognized bodies (never member data)."""
    if not providers:
        return []
    ids = [p.id for p in providers]
    sites = list(
        db.session.scalars(sa.select(Site).where(Site.provider_id.in_(ids)).order_by(Site.name))
    )
    bodies = list(
        db.session.scalars(
            sa.select(Body)
            .where(Body.provider_id.in_(ids))
            .options(so.selectinload(Body.sites))
            .order_by(Body.name)
        )
    )
    return [
        {
            "provider": p,
            "sites": [s for s in sites if s.provider_id == p.id],
            "bodies": [b for b in bodies if b.provider_id == p.id],
        }
        for p in providers
    ]


#: Meetings listed on a staff member's home (the calendar feed has them all).
STAFF_MEETINGS = 10


@dataclass(frozen=True)
class Bounded:
    """The first rows of a list, and how many there are in all."""

    items: list
    total: int


def staff_meetings(user, limit: int = STAFF_MEETINGS) -> Bounded:
    """The next published meetings a staff member is invited to: as OC, the meetings of their
    scope that invite the organizer as a resource person; as the office's direction, the joint
    CCR meetings of its provider and the assemblies that invite it. The SQL asks
    what `policy.can_see_meeting` grants, the policy then decides each one; the first `limit`
    and the total come in one statement (a window count), each with its body and provider."""
    oc = policy.staff_scope(user, (StaffRole.OC,))
    direction = policy.staff_scope(user, (StaffRole.DIRECTION,))
    granted = []
    if oc:
        granted.append(sa.and_(Meeting.oc_invited.is_(True), oc.providers_clause()))
    if direction:
        granted.append(sa.and_(OFFICE_CONVENED, direction.providers_clause()))
    if not granted:
        return Bounded([], 0)
    rows = db.session.execute(
        sa.select(Meeting, sa.func.count().over())
        .join(Body, Body.id == Meeting.body_id)
        .join(Provider, Provider.id == Body.provider_id)
        .where(
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.ends_at > clock.now(),
            sa.or_(*granted),
        )
        .options(so.contains_eager(Meeting.body).contains_eager(Body.provider))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    ).all()
    total = rows[0][1] if rows else 0
    return Bounded([m for m, _total in rows if policy.can_see_meeting(user, m)], total)


#: Alerts listed on an organizer's home.
SUPPORT_ALERTS = 20
#: The elected board of an association (its officers, not a body administrator).
ELECTED_BOARD = (
    MemberRole.PRESIDENT,
    MemberRole.VICE_PRESIDENT,
    MemberRole.SECRETARY,
    MemberRole.TREASURER,
)
#: Smallest board an association may have (domain-rules A5).
MIN_BOARD = 3
#: An annual general meeting is due within this many days of the last one (A6).
AGM_WITHIN = timedelta(days=365)


@dataclass(frozen=True)
class SupportAlert:
    body: Body
    no_agm: bool
    board: int
    not_recognized: bool
    recognition_ended: bool

    @property
    def board_too_small(self) -> bool:
        return self.board < MIN_BOARD


def support_alerts(providers: list[Provider], limit: int = SUPPORT_ALERTS) -> Bounded:
    """OC/ISC: the associations of the providers they follow that call for support: no annual
    general meeting held or called in the last 12 months, an elected board of fewer than 3, no
    recognition recorded by the office, or a recognition that ended (withdrawn or lapsed).
    Counts only (never a name of the register); the first `limit` by name and the total in one
    statement."""
    if not providers:
        return Bounded([], 0)
    now = clock.now()
    recent_agm = (
        sa.select(Meeting.id)
        .where(
            Meeting.body_id == Body.id,
            Meeting.kind == MeetingKind.AGM,
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at >= now - AGM_WITHIN,
        )
        .exists()
    )
    board = (
        sa.select(sa.func.count(Member.id))
        .where(Member.body_id == Body.id, Member.is_current, Member.role.in_(ELECTED_BOARD))
        .scalar_subquery()
    )
    no_agm = sa.not_(recent_agm)
    rows = db.session.execute(
        sa.select(Body, no_agm, board, sa.func.count().over())
        .where(
            Body.provider_id.in_([p.id for p in providers]),
            Body.kind == BodyKind.ADL,
            sa.or_(
                no_agm,
                board < MIN_BOARD,
                Body.recognized_on.is_(None),
                Body.recognition_ended_on.is_not(None),
            ),
        )
        .order_by(Body.name, Body.id)
        .limit(limit)
    ).all()
    total = rows[0][3] if rows else 0
    return Bounded(
        [
            SupportAlert(b, bool(late), n, b.recognized_on is None, b.recognition_ended)
            for b, late, n, _t in rows
        ],
        total,
    )
