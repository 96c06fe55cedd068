"""Read helpers for the home pages and the main menu."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import url_for
from flask_babel import gettext as _

from tenantvoice import policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs import queries as org_queries
from tenantvoice.orgs.models import Body, Member, Provider, Region, Site, body_sites
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
    links.append(
        NavLink(url_for("accounts.settings"), _("My account"), endpoint.startswith("accounts."))
    )
    return links


def home_context(user) -> dict:
    """What the home page shows: the user's bodies (as member and as officer), staff scope."""
    member_body_ids = policy.body_ids_as_member(user)
    officer_body_ids = policy.body_ids_as_officer(user)
    bodies = []
    if member_body_ids:
        bodies = list(
            db.session.scalars(
                sa.select(Body).where(Body.id.in_(member_body_ids)).order_by(Body.name)
            )
        )
    scope = policy.staff_scope(user)
    scope_providers = []
    if scope:
        scope_providers = list(
            db.session.scalars(
                sa.select(Provider).where(scope.providers_clause()).order_by(Provider.name)
            )
        )
    # A tenant has no staff scope: none of these queries run for them.
    regions = (
        list(db.session.scalars(sa.select(Region).where(Region.id.in_(scope.region_ids))))
        if scope.region_ids
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
