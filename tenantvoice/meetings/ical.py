"""iCalendar (RFC 5545) for one meeting or a feed: stable UID, SEQUENCE, STATUS, Montréal time."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event

from tenantvoice import clock
from tenantvoice.meetings.models import Meeting

PRODID = "-//TenantVoice//Meetings//FR"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@tenantvoice"


def _description(meeting: Meeting) -> str:
    """The public agenda (in-camera items stay out of anything published)."""
    lines = [
        f"{i}. {item.title}"
        for i, item in enumerate((it for it in meeting.agenda_items if not it.in_camera), start=1)
    ]
    if meeting.video_url:
        lines.append(_("Video meeting link: %(url)s", url=meeting.video_url))
    if meeting.is_cancelled and meeting.cancel_reason:
        lines.insert(0, _("Cancelled: %(reason)s", reason=meeting.cancel_reason))
    return "\n".join(lines)


def event_for(meeting: Meeting, url: str) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(clock.MONTREAL))
    event.add("dtend", meeting.ends_at.astimezone(clock.MONTREAL))
    event.add("dtstamp", clock.now())
    event.add("last-modified", meeting.updated_at or meeting.created_at or clock.now())
    location = ", ".join(p for p in (meeting.place, meeting.address) if p) or meeting.video_url
    if location:
        event.add("location", location)
    event.add("description", _description(meeting))
    event.add("url", url)
    if not meeting.is_cancelled:
        event.add_component(_reminder(meeting))
    return event


def _reminder(meeting: Meeting) -> Alarm:
    """The calendar app reminds the person the day before, like the app's own reminder."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    alarm.add("description", _("Reminder: %(title)s", title=meeting.title))
    return alarm


def calendar_for(
    meetings: Iterable[Meeting], url_for_meeting: Callable[[Meeting], str], *, name: str = ""
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(event_for(meeting, url_for_meeting(meeting)))
    cal.add_missing_timezones()
    return cal.to_ical()
