"""What home shows on every page (connected to hooks in the factory)."""

from flask import request

from tenantvoice.home import queries
from tenantvoice.web.hooks import Panel


def main_nav(_sender, *, user, **_facts) -> Panel | None:
    """The main menu of a signed-in person."""
    if user is None or not user.is_authenticated:
        return None
    return Panel("home/_nav.html", queries.nav_links(user, request.endpoint or ""))
