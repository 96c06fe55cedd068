"""Permissions on office consultations (domain-rules §5.2 "Office consultation (7-day)": tenants
read a summary, the CCR reads and responds, the organizer reads, the ISC never, the office
creates; §5.3 item 3: the office never sees the CCR's internal discussion).

Readers of a consultation: the direction of its office, the CCR's current members, the tenants
of the CCR's buildings and the organizer (OC) whose scope covers the office. Only the CCR's
members read and join the discussion; only its officers record the CCR's answer."""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.orgs.models import BodyKind
from tenantvoice.policy.core import is_member, is_officer, is_site_tenant, staff_covers

__all__ = [
    "can_answer_consultation",
    "can_discuss_consultation",
    "can_list_office_consultations",
    "can_see_consultation",
    "can_submit_consultation",
]

_DIRECTION = (StaffRole.DIRECTION,)


def can_list_office_consultations(user, provider) -> bool:
    """The office's own list of its consultations: its direction."""
    return provider is not None and staff_covers(user, provider, _DIRECTION)


def can_submit_consultation(user, ccr) -> bool:
    """Submit a draft to a CCR: the direction of the CCR's office."""
    return (
        ccr is not None
        and BodyKind(ccr.kind) == BodyKind.CCR
        and staff_covers(user, ccr.provider, _DIRECTION)
    )


def can_see_consultation(user, consultation) -> bool:
    """The consultation, its dates and the CCR's answer (never the discussion)."""
    if consultation is None:
        return False
    ccr = consultation.ccr
    return (
        staff_covers(user, consultation.provider, _DIRECTION)
        or is_member(user, ccr)
        or is_site_tenant(user, ccr)
        or staff_covers(user, consultation.provider, (StaffRole.OC,))
    )


def can_discuss_consultation(user, consultation) -> bool:
    """Read and add to the CCR's discussion: the CCR's current members only."""
    return consultation is not None and is_member(user, consultation.ccr)


def can_answer_consultation(user, consultation) -> bool:
    """Record the answer the CCR adopted: its officers."""
    return consultation is not None and is_officer(user, consultation.ccr)
