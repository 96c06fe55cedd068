"""iCalendar (RFC 5545) for one meeting or a feed: stable UID, SEQUENCE, STATUS, Montréal time."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

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


def event_for(meeting: Meeting, url: str, *, stamp: datetime | None = None) -> Event:
    """The meeting as a VEVENT. `stamp` (DTSTAMP) defaults to now; a feed passes the meeting's
    last change so an unchanged feed is the same bytes (its ETag holds)."""
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(clock.MONTREAL))
    event.add("dtend", meeting.ends_at.astimezone(clock.MONTREAL))
    event.add("dtstamp", stamp or clock.now())
    event.add("last-modified", _changed(meeting))
    location = ", ".join(p for p in (meeting.place, meeting.address) if p) or meeting.video_url
    if location:
        event.add("location", location)
    event.add("description", _description(meeting))
    event.add("url", url)
    if not meeting.is_cancelled:
        event.add_component(_reminder(meeting))
    return event


def fingerprint(meetings: Iterable[Meeting], *extra: object) -> str:
    """A digest of everything a feed's events are made of (keep in step with event_for and
    _description), so an unchanged feed is answered 304 without building it. `extra`: what
    else the bytes depend on (language, base URL)."""
    digest = hashlib.sha256(PRODID.encode())
    for part in extra:
        digest.update(repr(part).encode())
    for m in meetings:
        fields = (
            m.id, m.sequence, m.status, m.title, m.starts_at, m.ends_at, m.updated_at,
            m.created_at, m.place, m.address, m.video_url, m.cancel_reason,
            [(item.title, item.in_camera) for item in m.agenda_items],
        )  # fmt: skip
        digest.update(repr(fields).encode())
    return digest.hexdigest()[:32]


def _reminder(meeting: Meeting) -> Alarm:
    """The calendar app reminds the person the day before, like the app's own reminder."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    alarm.add("description", _("Reminder: %(title)s", title=meeting.title))
    return alarm


def _changed(meeting: Meeting) -> datetime:
    return meeting.updated_at or meeting.created_at or clock.now()


def calendar_for(
    meetings: Iterable[Meeting],
    url_for_meeting: Callable[[Meeting], str],
    *,
    name: str = "",
    stable: bool = False,
) -> bytes:
    """The calendar of `meetings`. `stable`: DTSTAMP is each meeting's last change rather than
    now (a subscribed feed, whose bytes then change only when a meeting does)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for meeting in meetings:
        stamp = _changed(meeting) if stable else None
        cal.add_component(event_for(meeting, url_for_meeting(meeting), stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


#: Feeds built lately, by ETag. A feed's bytes are a function of what its ETag digests (the
#: meetings' fields, the language, the site's address; nothing about the person), so the
#: calendar apps that poll without If-None-Match, and the tenants of one body, get the bytes
#: again without a rebuild. Per process; small (a region's feed is ~100 KB).
BUILT_FEEDS_KEPT = 64
_built: OrderedDict[str, bytes] = OrderedDict()
_built_lock = threading.Lock()


def built_once(etag: str, build: Callable[[], bytes]) -> bytes:
    """The feed whose ETag is `etag`: kept from an earlier request, or built now."""
    with _built_lock:
        payload = _built.get(etag)
        if payload is not None:
            _built.move_to_end(etag)
            return payload
    payload = build()
    with _built_lock:
        _built[etag] = payload
        while len(_built) > BUILT_FEEDS_KEPT:
            _built.popitem(last=False)
    return payload
