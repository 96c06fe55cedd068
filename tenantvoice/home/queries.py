"""Read helpers for the home pages and the main menu."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from tenantvoice import policy
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Provider, Region


@dataclass
class NavLink:
    url: str
    label: str
    current: bool


def nav_links(user, endpoint: str) -> list[NavLink]:
    links = [NavLink(url_for("home.index"), _("Home"), endpoint == "home.index")]
    if policy.can_admin_platform(user):
        links.append(NavLink(url_for("admin.index"), _("Administration"),
                             endpoint.startswith("admin.")))
    links.append(NavLink(url_for("accounts.settings"), _("My account"),
                         endpoint.startswith("accounts.")))
    return links


def home_context(user) -> dict:
    """What the home page shows: the user's bodies (as member and as officer), staff scope."""
    member_body_ids = policy.body_ids_as_member(user)
    officer_body_ids = policy.body_ids_as_officer(user)
    bodies = []
    if member_body_ids:
        bodies = list(db.session.scalars(
            sa.select(Body).where(Body.id.in_(member_body_ids)).order_by(Body.name)
        ))
    facts = policy.core.facts_for(user)
    region_ids = {a.region_id for a in facts.staff if a.region_id}
    provider_ids = {a.provider_id for a in facts.staff if a.provider_id}
    scope_providers = []
    if region_ids or provider_ids:
        scope_providers = list(db.session.scalars(
            sa.select(Provider).where(sa.or_(Provider.region_id.in_(region_ids),
                                             Provider.id.in_(provider_ids)))
            .order_by(Provider.name)
        ))
    regions = list(db.session.scalars(sa.select(Region).where(Region.id.in_(region_ids))))
    return {
        "bodies": bodies,
        "officer_body_ids": officer_body_ids,
        "staff_roles": policy.staff_roles(user),
        "scope_providers": scope_providers,
        "regions": regions,
    }
