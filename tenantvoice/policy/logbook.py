"""Permissions of the organizers' logbook (issue 14).

- An ISC or an OC records interventions at the sites of providers in their scope, and sees,
  edits and deletes only their own records.
- A regional coordinator (the `coordinator` flag of a region-scoped ISC or OC assignment,
  granted by an admin) reads every record of the region and its statistics. A plain regional
  scope is not enough.
- The housing office's direction, tenants and officers never see the logbook.
"""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.policy.core import _authenticated, facts_for, is_admin, staff_scope
from tenantvoice.policy.needs import is_need_author
from tenantvoice.policy.organizing import can_act_on_need

__all__ = [
    "can_edit_intervention",
    "can_grant_coordinator",
    "can_link_need",
    "can_record_intervention",
    "can_see_intervention",
    "can_use_logbook",
    "coordinator_region_ids",
    "logbook_scope",
]

WORKERS = frozenset({StaffRole.OC, StaffRole.ISC})


def logbook_scope(user):
    """Where the user records interventions: their ISC and OC scopes."""
    return staff_scope(user, WORKERS)


def can_use_logbook(user) -> bool:
    return bool(logbook_scope(user))


def coordinator_region_ids(user) -> frozenset[int]:
    """The regions whose logbook the user coordinates."""
    if not _authenticated(user):
        return frozenset()
    return frozenset(
        a.region_id
        for a in facts_for(user).staff
        if a.role in WORKERS and a.coordinator and a.region_id
    )


def can_record_intervention(user, provider) -> bool:
    return logbook_scope(user).covers(provider)


def can_see_intervention(user, intervention) -> bool:
    if not can_use_logbook(user):
        return False
    if intervention.worker_id == user.id:
        return True
    return intervention.region_id in coordinator_region_ids(user)


def can_edit_intervention(user, intervention) -> bool:
    """Only its author edits or deletes a record (a coordinator reads)."""
    return can_use_logbook(user) and intervention.worker_id == user.id


def can_link_need(user, need) -> bool:
    """An intervention links to a collective need its worker may see: one the organizer acts
    on, or one the ISC recorded."""
    return can_act_on_need(user, need) or is_need_author(user, need)


def can_grant_coordinator(user, assignment) -> bool:
    """An admin makes a region-scoped ISC or OC the coordinator of the region's logbook."""
    return is_admin(user) and assignment.role in WORKERS and assignment.region_id is not None
