"""What the minutes show on other domains' pages (connected to hooks in the factory)."""

from tenantvoice import policy
from tenantvoice.meetings.models import Meeting
from tenantvoice.minutes import services
from tenantvoice.orgs.models import Body
from tenantvoice.web.hooks import Panel


def meeting_minutes(_sender, *, meeting: Meeting, user, **_facts) -> Panel | None:
    """The meeting page's minutes box: read, edit or draft them, by what `user` may do."""
    minutes = services.minutes_of(meeting)
    readable = minutes is not None and policy.can_read_minutes(user, minutes)
    can_write = policy.can_write_minutes(user, meeting)
    mf = {
        "minutes": minutes if (readable or can_write) else None,
        "can_read": readable,
        "can_write": can_write,
        "can_create": can_write and minutes is None and services.has_begun(meeting),
    }
    if not (mf["minutes"] or mf["can_create"]):
        return None
    return Panel("minutes/_meeting_minutes_link.html", mf)


def body_minutes(_sender, *, body: Body, user, **_facts) -> Panel | None:
    """The body page's link to its minutes, for who may open the list (as body_index)."""
    if policy.is_officer(user, body) or policy.can_list_minutes(user, body):
        return Panel("minutes/_body_section.html")
    return None
