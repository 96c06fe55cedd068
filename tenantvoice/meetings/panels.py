"""What meetings show on other domains' pages (connected to hooks in the factory)."""

from tenantvoice.meetings import queries
from tenantvoice.orgs.models import Body
from tenantvoice.web.hooks import Panel

#: Meetings listed on the home page.
HOME_UPCOMING = 5


def body_meetings(_sender, *, body: Body, user, **_facts) -> Panel:
    """The body page's link to its meetings."""
    return Panel("meetings/_body_section.html")


def home_upcoming(_sender, *, user, **_facts) -> Panel | None:
    """The home page's next meetings of `user`, with their answer."""
    rows = queries.upcoming_for(user, HOME_UPCOMING)
    return Panel("meetings/_upcoming.html", rows) if rows else None
