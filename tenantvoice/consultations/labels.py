"""Labels of the consultation enums, translated (one `_l()` per value)."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from tenantvoice.consultations.models import ConsultationKind, Timeliness

KIND = {
    ConsultationKind.POLICY: _l("Draft policy"),
    ConsultationKind.RULE: _l("Draft building rules"),
    ConsultationKind.LEASE_CLAUSE: _l("Draft lease clause"),
    ConsultationKind.BUDGET: _l("Yearly consultation on the budget and the capital plan"),
    ConsultationKind.OTHER: _l("Other draft affecting tenants"),
}

TIMELINESS = {
    Timeliness.IN_TIME: _l("Answered in time"),
    Timeliness.LATE: _l("Answered after the decision"),
    Timeliness.NONE: _l("No answer"),
}


def choices(labels: dict) -> list[SelectChoice]:
    """Select options for an enum, in the order of the dict."""
    return [SelectChoice(value.value, label) for value, label in labels.items()]
