"""What collective needs show on other pages (connected to hooks in the factory)."""

from flask import url_for
from flask_babel import gettext as _

from tenantvoice import policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.web.hooks import Panel


def home_needs(_sender, *, user, **_facts) -> Panel | None:
    """The home page's links to collective needs: the tenant's building, the officers' review
    queue, the organizer's dashboard, the direction's page (no query: the request's facts)."""
    if user is None or not user.is_authenticated:
        return None
    links = []
    if policy.can_see_site_needs(user) or policy.body_ids_as_officer(user):
        links.append((url_for("needs.index"), _("Collective needs of my building")))
    if policy.staff_scope(user, {StaffRole.ISC}):
        links.append((url_for("needs.index"), _("Collective needs")))
    if policy.can_see_needs_dashboard(user):
        links.append((url_for("organizing.dashboard"), _("Dashboard of collective needs")))
    if policy.can_see_direction_needs(user):
        links.append((url_for("organizing.direction"), _("Needs forwarded to the direction")))
    return Panel("needs/_home.html", links) if links else None
