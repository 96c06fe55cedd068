"""What recommendations show on other domains' pages (connected to hooks in the factory)."""

from tenantvoice import policy
from tenantvoice.orgs.models import Body
from tenantvoice.recommendations import queries
from tenantvoice.web.hooks import Panel


def body_recommendations(_sender, *, body: Body, user, **_facts) -> Panel | None:
    """The body page's link to its recommendations and how many wait for an answer."""
    if not policy.can_list_body_recommendations(user, body):
        return None
    return Panel(
        "recommendations/_body_section.html",
        {"waiting": queries.waiting(where_body=body), "provider_id": body.provider_id},
    )


def home_recommendations(_sender, *, user, **_facts) -> Panel | None:
    """The home page's link to the recommendations of the tenant's housing provider(s)."""
    providers = queries.providers_of(user)
    if not providers:
        return None
    return Panel("recommendations/_home_card.html", {"providers": providers})
