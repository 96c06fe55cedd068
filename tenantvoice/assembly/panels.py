"""What the assembly shows on other domains' pages (connected to hooks in the factory)."""

from tenantvoice import policy
from tenantvoice.assembly import attendance, seats
from tenantvoice.meetings.models import Meeting, MeetingStatus
from tenantvoice.web.hooks import Panel


def attendance_summary(meeting: Meeting, user, quorum: int | None = None) -> dict | None:
    """What the meeting page may show about attendance to `user`: counts for members, links
    for officers, nothing for anyone else (never names). `quorum`: the required count when the
    page has already computed it (counted once per page)."""
    if not policy.can_see_attendance_counts(user, meeting):
        return None
    if meeting.status != MeetingStatus.PUBLISHED:
        return None
    officer = policy.can_take_attendance(user, meeting)
    state = attendance.quorum_state(meeting, required=quorum)
    if not officer and state.people == 0:
        return None
    return {
        "state": state,
        "is_officer": officer,
        # The sheet's link: officers, and the body's tenant directors (read only).
        "can_see_sheet": policy.can_see_attendance_sheet(user, meeting),
    }


def meeting_attendance(
    _sender, *, meeting: Meeting, user, quorum: int | None = None, **_facts
) -> Panel | None:
    """The meeting page's attendance and quorum box (`quorum`: the page's required count)."""
    summary = attendance_summary(meeting, user, quorum)
    return Panel("assembly/_attendance_link.html", summary) if summary else None


def body_designations(_sender, *, body, user, **_facts) -> Panel | None:
    """An association's page, for its officers: the link to its delegates' designations, when
    the CCR records seats the association designated."""
    if not policy.can_link_designations(user, body) or not seats.designated_seats(body):
        return None
    return Panel("assembly/_body_designations.html")
