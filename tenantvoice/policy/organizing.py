"""Permissions of the organizer's dashboard and of what the direction receives (issue 13;
domain-rules §5.2 "Collective needs dashboard", §5.3).

- The organizer (OC) acts on needs of providers in their scope (staff_scope), and only on needs
  that reached them: forwarded to the organizer, recorded by an ISC, or of a site with no
  reviewing body. Sensitive needs reach them only as aggregate cards.
- The direction of a provider reads only what a body forwarded to it, de-identified.
- The partner directory of a region: organizers and ISCs whose scope covers the region.
"""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.needs.models import Origin, Status
from tenantvoice.policy.core import staff_scope

__all__ = [
    "can_act_on_need",
    "can_manage_partners",
    "can_see_direction_needs",
    "can_see_needs_dashboard",
    "can_see_partners",
    "in_organizer_scope",
    "organizer_scope",
]

OC = frozenset({StaffRole.OC})


def organizer_scope(user):
    return staff_scope(user, OC)


def in_organizer_scope(user, need) -> bool:
    scope = organizer_scope(user)
    return need.provider_id in scope.provider_ids or need.region_id in scope.region_ids


def can_see_needs_dashboard(user) -> bool:
    return bool(organizer_scope(user))


def can_act_on_need(user, need) -> bool:
    """Open the organizer's page of a need and act on it."""
    if not in_organizer_scope(user, need):
        return False
    if need.origin == Origin.ISC:
        return True
    reached = need.to_organizer or need.reviewing_body_id is None
    return reached and not need.sensitive and need.status != Status.MERGED


def can_see_partners(user) -> bool:
    return bool(staff_scope(user, {StaffRole.OC, StaffRole.ISC}))


def can_manage_partners(user, region_id: int) -> bool:
    return region_id in organizer_scope(user).region_ids


def can_see_direction_needs(user) -> bool:
    return bool(staff_scope(user, {StaffRole.DIRECTION}).provider_ids)
