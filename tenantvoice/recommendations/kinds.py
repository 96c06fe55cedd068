"""The notifications recommendations send (registered by the factory): transmitted to the
office, answered by the office, and an answer overdue (to the direction, the body's officers and
its organizer). Headlines name the kind and the body only (trust-and-safety Q-03)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.notifications.kinds import OFFICERS, STAFF, Kind
from tenantvoice.recommendations.models import Recommendation


def _url(rec: Recommendation) -> str:
    return url_for("recommendations.show", rec_id=rec.id)


def _body(rec: Recommendation):
    return rec.body


def _title(rec: Recommendation) -> str:
    return rec.title


def _may_open_overdue(user, rec: Recommendation) -> bool:
    """The direction it waits on, the body's officers and the organizer covering it."""
    return policy.can_see_recommendation(user, rec) and (
        policy.is_officer(user, rec.body)
        or policy.is_provider_direction(user, rec.body.provider)
        or policy.staff_covers(user, rec.body.provider, (StaffRole.OC,))
    )


#: The settings page's heading for these kinds.
GROUP = _l("Recommendations")

KINDS = [
    Kind(
        key="recommendation.transmitted",
        label=_l("Recommendations transmitted to the housing office"),
        summary=_l("A recommendation was transmitted"),
        headline=_l("A recommendation of %(of_body)s was transmitted"),
        may_open=policy.can_see_recommendation,
        url=_url,
        body=_body,
        title=_title,
    ),
    Kind(
        key="recommendation.answered",
        label=_l("The housing office's answers to recommendations"),
        summary=_l("The office answered a recommendation"),
        headline=_l("The office answered a recommendation of %(of_body)s"),
        may_open=policy.can_see_recommendation,
        url=_url,
        body=_body,
        title=_title,
    ),
    Kind(
        key="recommendation.overdue",
        label=_l("Recommendations whose answer is overdue"),
        summary=_l("A recommendation's answer is overdue"),
        headline=_l("The answer to a recommendation of %(of_body)s is overdue"),
        may_open=_may_open_overdue,
        url=_url,
        body=_body,
        title=_title,
        audiences=(OFFICERS, STAFF),
    ),
]
