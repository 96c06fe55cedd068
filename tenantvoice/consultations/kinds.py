"""The notifications consultations send (registered by the factory): a consultation submitted,
to the CCR's members; the CCR's answer, to the office's direction."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.consultations.models import Consultation
from tenantvoice.notifications.kinds import CCR, Kind


def _url(consultation: Consultation) -> str:
    return url_for("consultations.show", consultation_id=consultation.id)


def _body(consultation: Consultation):
    return consultation.ccr


def _title(consultation: Consultation) -> str:
    return consultation.title


#: The settings page's heading for these kinds.
GROUP = _l("The housing office's consultations")

KINDS = [
    Kind(
        key="consultation.submitted",
        label=_l("Consultations from the housing office"),
        summary=_l("The housing office submitted a draft for consultation"),
        headline=_l("New consultation of the housing office for the members of %(of_body)s"),
        may_open=policy.can_discuss_consultation,
        url=_url,
        body=_body,
        title=_title,
        audiences=(CCR,),
    ),
    Kind(
        key="consultation.answered",
        label=_l("Answers of the CCR to the office's consultations"),
        summary=_l("The CCR answered a consultation"),
        headline=_l("Answer of %(of_body)s to a consultation"),
        may_open=policy.can_see_consultation,
        url=_url,
        body=_body,
        title=_title,
    ),
]
