"""Permissions on meetings: scheduling, reading the notice, RSVP, agenda proposals, attendance,
resolutions (domain-rules §5.2 "Notice of meeting, agenda", "Attendance / quorum sheets")."""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.meetings.models import Audience, MeetingKind, MeetingStatus
from tenantvoice.orgs.models import BOARD_ROLES
from tenantvoice.policy.core import (
    is_member,
    is_officer,
    is_site_tenant,
    is_tenant_director,
    member_entry,
    staff_covers,
    unproxied,
)

__all__ = [
    "can_manage_meeting",
    "can_propose_item",
    "can_rsvp",
    "can_schedule_meeting",
    "can_see_meeting",
    "can_take_attendance",
    "can_see_attendance_counts",
    "can_see_attendance_sheet",
    "can_see_in_camera_items",
    "is_on_board",
]


def can_schedule_meeting(user, body) -> bool:
    """Officers of the body schedule its meetings."""
    return is_officer(user, body)


def can_manage_meeting(user, meeting) -> bool:
    """Edit, publish, cancel, manage the agenda: the body's officers."""
    return is_officer(user, meeting.body)


def is_on_board(user, body) -> bool:
    """The user is a director of the body: a current member holding an elected officer role
    (president, vice-president, secretary, treasurer; a body administrator is not elected)."""
    entry = member_entry(user, body)
    return entry is not None and entry.role in BOARD_ROLES


def _convened(user, meeting) -> bool:
    """Who the notice is for: a board meeting convenes the board only (issue 9); others convene
    the body's members, and its sites' tenants when open to them."""
    if meeting.convenes_board:
        return is_on_board(user, meeting.body)
    if is_member(user, meeting.body):
        return True
    return meeting.audience == Audience.SITE_TENANTS and is_site_tenant(user, meeting.body)


def can_see_meeting(user, meeting) -> bool:
    """A draft: officers only (others get 404). Published or cancelled: the people convened (a
    board meeting: the board only), the region's OC when invited as a resource person, and the
    housing office's direction for joint CCR meetings and the meetings that invite it (never a
    board meeting: those convene the board alone)."""
    user = unproxied(user)  # asked for each meeting of a list
    if is_officer(user, meeting.body):
        return True
    if meeting.status == MeetingStatus.DRAFT:
        return False
    if _convened(user, meeting):
        return True
    if meeting.oc_invited and staff_covers(user, meeting.body.provider, (StaffRole.OC,)):
        return True
    invites_office = meeting.kind == MeetingKind.CCR_JOINT or (
        meeting.office_invited and meeting.kind != MeetingKind.BOARD
    )
    return invites_office and staff_covers(user, meeting.body.provider, (StaffRole.DIRECTION,))


def can_rsvp(user, meeting) -> bool:
    """The people convened answer "I'll come / I can't / maybe" to a coming published meeting."""
    return (
        meeting.status == MeetingStatus.PUBLISHED
        and not meeting.is_past
        and _convened(user, meeting)
    )


def can_propose_item(user, meeting) -> bool:
    """Members (and convened tenants) propose agenda items for a coming meeting."""
    return (
        meeting.status == MeetingStatus.PUBLISHED
        and not meeting.is_past
        and _convened(user, meeting)
    )


def can_take_attendance(user, meeting) -> bool:
    """Attendance sheets, quorum, resolutions: the body's officers (never the office, OC, ISC)."""
    return is_officer(user, meeting.body)


def can_see_attendance_sheet(user, meeting) -> bool:
    """Read the attendance sheet (names) and the live quorum: the officers who keep it, and the
    body's tenant directors (domain-rules 5.2 "Attendance / quorum sheets": own body), read only."""
    return is_officer(user, meeting.body) or is_tenant_director(user, meeting.body)


def can_see_attendance_counts(user, meeting) -> bool:
    """Members read the counts (not the names) of who attended (§5.2 'R (counts)'); at a board
    meeting, the people it convenes."""
    if is_officer(user, meeting.body):
        return True
    if meeting.convenes_board:
        return is_on_board(user, meeting.body)
    return is_member(user, meeting.body)


def can_see_in_camera_items(user, meeting) -> bool:
    """In-camera agenda items (titles, and every change that touches one): the body's officers,
    who prepare the agenda. Never the office's direction, the OC or the ISC, even where they
    read the meeting (a joint CCR meeting); the agenda page and its changes both ask this."""
    return is_officer(user, meeting.body)
