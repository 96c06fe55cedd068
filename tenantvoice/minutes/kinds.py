"""The notifications minutes send (registered by the factory): proposed for approval (to the
members convened to the approving meeting), ready to sign (to the president and the secretary who
have not signed), published (to the body's readers). Who is told is decided by the policy
predicate of each step."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.notifications.kinds import OFFICERS, Kind


def _url(minutes) -> str:
    return url_for("minutes.detail", minutes_id=minutes.id)


def _body(minutes):
    return minutes.body


def _title(minutes) -> str:
    return minutes.meeting.title


#: The settings page's heading for these kinds.
GROUP = _l("Minutes")

KINDS = [
    Kind(
        key="minutes.proposed",
        label=_l("Minutes proposed for approval"),
        summary=_l("Minutes to read before they are approved"),
        headline=_l("Minutes of %(of_body)s to read before approval"),
        may_open=policy.can_read_minutes,
        url=_url,
        body=_body,
        title=_title,
    ),
    Kind(
        key="minutes.to_sign",
        label=_l("Minutes to sign"),
        summary=_l("Minutes ready for your signature"),
        headline=_l("Minutes of %(of_body)s are ready for your signature"),
        may_open=policy.can_sign_minutes,
        url=_url,
        body=_body,
        title=_title,
        audiences=(OFFICERS,),
    ),
    Kind(
        key="minutes.published",
        label=_l("Published minutes"),
        summary=_l("Minutes published"),
        headline=_l("New minutes published by %(of_body)s"),
        may_open=policy.can_read_minutes,
        url=_url,
        body=_body,
        title=_title,
    ),
]
