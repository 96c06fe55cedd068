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
from tenantvoice.orgs.models import Body, Member, Provider, Region, Site


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
        "support_overview": provider_overview([p for p in scope_providers if p.id in support_ids]),
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


def provider_overview(providers: list[Provider]) -> list[dict]:
    """OC/ISC: per provider, its bodies with counts of current members and sites (no names)."""
    if not providers:
        return []
    ids = [p.id for p in providers]
    bodies = list(
        db.session.scalars(
            sa.select(Body)
            .where(Body.provider_id.in_(ids))
            .options(so.selectinload(Body.sites))
            .order_by(Body.name)
        )
    )
    member_counts = dict(
        db.session.execute(
            sa.select(Member.body_id, sa.func.count(Member.id))
            .join(Body, Body.id == Member.body_id)
            .where(Body.provider_id.in_(ids), Member.is_current)
            .group_by(Member.body_id)
        ).all()
    )
    site_counts = dict(
        db.session.execute(
            sa.select(Site.provider_id, sa.func.count(Site.id))
            .where(Site.provider_id.in_(ids))
            .group_by(Site.provider_id)
        ).all()
    )
    rows = []
    for provider in providers:
        rows.append(
            {
                "provider": provider,
                "sites": site_counts.get(provider.id, 0),
                "bodies": [
                    {"body": b, "members": member_counts.get(b.id, 0), "sites": len(b.sites)}
                    for b in bodies
                    if b.provider_id == provider.id
                ],
            }
        )
    return rows


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
