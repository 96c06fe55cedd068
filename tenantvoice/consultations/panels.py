"""What consultations show on other domains' pages (connected to hooks in the factory)."""

from tenantvoice import policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.consultations import queries
from tenantvoice.orgs.models import Body, BodyKind
from tenantvoice.web.hooks import Panel


def body_consultations(_sender, *, body: Body, user, **_facts) -> Panel | None:
    """A CCR's page: the office's consultations, for its members (who discuss and answer them)."""
    if BodyKind(body.kind) != BodyKind.CCR or not policy.is_member(user, body):
        return None
    return Panel("consultations/_body_section.html", queries.ccr_consultations(body))


def home_consultations(_sender, *, user, **_facts) -> Panel | None:
    """The direction's home page: its consultations of the CCR, with the count still awaiting
    the CCR's answer."""
    if StaffRole.DIRECTION not in policy.staff_roles(user):
        return None
    providers = queries.directed_providers(user)
    if not providers:
        return None
    consultations = queries.office_consultations(providers)
    waiting = sum(1 for c in consultations if c.first_answer_at is None)
    return Panel(
        "consultations/_home_section.html", {"count": len(consultations), "waiting": waiting}
    )
