"""What consultations show on other domains' pages (connected to hooks in the factory)."""

from tenantvoice import policy
from tenantvoice.consultations import queries
from tenantvoice.orgs.models import Body, BodyKind
from tenantvoice.web.hooks import Panel


def body_consultations(_sender, *, body: Body, user, **_facts) -> Panel | None:
    """A CCR's page: the office's consultations, for its members (who discuss and answer them)."""
    if BodyKind(body.kind) != BodyKind.CCR or not policy.is_member(user, body):
        return None
    return Panel("consultations/_body_section.html", queries.ccr_consultations(body))
