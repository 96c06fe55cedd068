"""Permissions of the assembly domain kept apart from the meeting's (policy/meetings.py): linking
the CCR seats an association designated to the resolution that designated them."""

from tenantvoice.orgs.models import BodyKind
from tenantvoice.policy.core import is_officer

__all__ = ["can_link_designations"]


def can_link_designations(user, body) -> bool:
    """An association's officers say which of its resolutions designated its CCR delegates
    (they see their own delegates' names and resolutions, never the CCR's register)."""
    return body is not None and BodyKind(body.kind) == BodyKind.ADL and is_officer(user, body)
