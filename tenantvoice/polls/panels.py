"""What polls show on other domains' pages (connected to hooks in the factory)."""

from tenantvoice import policy
from tenantvoice.orgs.models import Body
from tenantvoice.polls import queries
from tenantvoice.web.hooks import Panel


def home_open_polls(_sender, *, user, **_facts) -> Panel | None:
    """The home page's polls the person may answer now (answered or not: the card says)."""
    polls = queries.open_polls_for(user)
    return Panel("polls/_home_polls.html", polls) if polls else None


def body_polls(_sender, *, body: Body, user, **_facts) -> Panel | None:
    """The body page's link to its polls (members and officers)."""
    if not policy.can_list_polls(user, body):
        return None
    return Panel(
        "polls/_body_section.html", extra={"can_create": policy.can_create_poll(user, body)}
    )
