"""Permissions on minutes (domain-rules §5.2 "Draft minutes", "Approved minutes", "In-camera";
§5.3: the housing office never sees draft minutes nor in-camera segments)."""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import BodyKind, MemberRole, MinutesAudience
from tenantvoice.policy.core import (
    is_member,
    is_officer,
    is_site_tenant,
    is_tenant_director,
    member_entry,
    staff_covers,
)

__all__ = [
    "can_list_minutes",
    "minutes_shared_with_staff",
    "can_read_minutes",
    "can_see_in_camera",
    "can_sign_minutes",
    "is_signing_officer",
    "can_write_minutes",
]


def can_write_minutes(user, meeting) -> bool:
    """Draft, edit, propose, record the approval, publish and correct: the body's officers."""
    return is_officer(user, meeting.body)


def can_list_minutes(user, body) -> bool:
    """Who reads (and searches) a body's published minutes: its members, every tenant of its
    sites when the body publishes minutes to them, and the staff the body shares them with."""
    if is_member(user, body):
        return True
    if body.minutes_audience == MinutesAudience.SITE_TENANTS and is_site_tenant(user, body):
        return True
    return minutes_shared_with_staff(user, body)


def minutes_shared_with_staff(user, body) -> bool:
    """Published minutes a body chose to share (§5.2 "Approved minutes"): the organizer (OC) of
    its region or provider when the body shares them with its organizer; the housing office's
    direction only for a CCR that shares them with the office (§5.3: never an association's
    minutes, whatever its setting says). The ISC and the platform admin: never (§5.2 ✖)."""
    if body.minutes_shared_with_organizer and staff_covers(user, body.provider, (StaffRole.OC,)):
        return True
    return (
        body.kind == BodyKind.CCR
        and body.minutes_shared_with_office
        and staff_covers(user, body.provider, (StaffRole.DIRECTION,))
    )


def can_read_minutes(user, minutes) -> bool:
    """Drafts: officers, and the body's tenant directors (read only). Proposed, approved, signed
    (still a projet for the members): officers and the members convened to the meeting that
    approves them. Published: the body's audience. Everyone else (staff, direction, other sites)
    must not learn that the minutes exist (404)."""
    body = minutes.body
    if is_officer(user, body):
        return True
    if minutes.state == MinutesState.DRAFT:
        # §5.2 "Draft minutes": the tenant directors of the body read its drafts (own body),
        # without the in-camera sections and without writing them.
        return is_tenant_director(user, body)
    if minutes.state == MinutesState.PUBLISHED:
        return can_list_minutes(user, body)
    return minutes.approving_meeting_id is not None and is_member(user, body)


def can_see_in_camera(user, minutes) -> bool:
    """In-camera sections: only the officers, in the editor."""
    return is_officer(user, minutes.body)


def can_sign_minutes(user, minutes) -> bool:
    """The president and the secretary each sign approved minutes from their own account."""
    if minutes.state != MinutesState.APPROVED:
        return False
    entry = member_entry(user, minutes.body)
    if entry is None:
        return False
    if entry.role == MemberRole.PRESIDENT:
        return minutes.president_signed_at is None
    if entry.role == MemberRole.SECRETARY:
        return minutes.secretary_signed_at is None
    return False


def is_signing_officer(user, body) -> bool:
    """The body's president or secretary: the two people whose signatures the minutes carry."""
    entry = member_entry(user, body)
    return entry is not None and entry.role in (MemberRole.PRESIDENT, MemberRole.SECRETARY)
