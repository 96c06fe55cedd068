"""The notifications meetings send (registered by the factory): a notice published, a meeting's
time or place changed, a meeting cancelled, and the reminder the day before. Who is told is
who may open the meeting (policy.can_see_meeting)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.meetings.services import _when_text, _where_text
from tenantvoice.notifications.kinds import URGENT, Kind


def _url(meeting) -> str:
    return url_for("meetings.show", meeting_id=meeting.id)


def _body(meeting):
    return meeting.body


def _title(meeting) -> str:
    return meeting.title


def _details(meeting) -> list[str]:
    lines = [_when_text(meeting)]
    where = _where_text(meeting)
    if where:
        lines.append(where)
    if meeting.is_cancelled and meeting.cancel_reason:
        lines.append(meeting.cancel_reason)
    return lines


def _meeting_kind(key, label, summary, headline) -> Kind:
    return Kind(
        key=key,
        label=label,
        summary=summary,
        headline=headline,
        may_open=policy.can_see_meeting,
        url=_url,
        body=_body,
        title=_title,
        details=_details,
        defaults=URGENT,
    )


#: The settings page's heading for these kinds.
GROUP = _l("Meetings")

KINDS = [
    _meeting_kind(
        "meeting.notice",
        _l("Meeting notices"),
        _l("New meeting notice"),
        _l("New meeting notice from %(of_body)s"),
    ),
    _meeting_kind(
        "meeting.changed",
        _l("A meeting's time or place changed"),
        _l("Meeting changed"),
        _l("A meeting of %(of_body)s changed"),
    ),
    _meeting_kind(
        "meeting.cancelled",
        _l("Cancelled meetings"),
        _l("Meeting cancelled"),
        _l("A meeting of %(of_body)s is cancelled"),
    ),
    _meeting_kind(
        "meeting.reminder",
        _l("Meeting reminders, the day before"),
        _l("Meeting reminder"),
        _l("Reminder: a meeting of %(of_body)s is coming up"),
    ),
]
