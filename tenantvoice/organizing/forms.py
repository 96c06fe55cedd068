"""Forms of the organizer's dashboard: actions on needs and the partner directory."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tenantvoice.needs import taxonomy
from tenantvoice.needs.models import NOTE_MAX
from tenantvoice.web.forms import AppForm

ACTION_LABELS = {
    "acknowledge": _l("Acknowledge"),
    "ask_info": _l("Ask the association for more information"),
    "refer": _l("Refer to a partner"),
    "plan": _l("Plan a collective action"),
    "close": _l("Close with an outcome"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(AppForm):
    action = RadioField(
        _l("Action"),
        choices=[SelectChoice(k, v) for k, v in ACTION_LABELS.items()],
        validators=[DataRequired(_l("Choose an action."))],
    )
    partner_id = SelectField(_l("Partner (to refer)"), coerce=int, default=0)
    public_text = TextAreaField(
        _l("What the tenants will read (plain words)"),
        filters=[_strip],
        validators=[Length(max=NOTE_MAX)],
    )
    staff_note = TextAreaField(
        _l("Staff-only note"), filters=[_strip], validators=[Length(max=NOTE_MAX)]
    )


class PartnerForm(AppForm):
    region_id = SelectField(_l("Region"), coerce=int)
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter a name.")), Length(max=160)],
    )
    kind = RadioField(
        _l("Kind"),
        choices=[SelectChoice(k.value, label) for k, label in taxonomy.PARTNER_KIND.items()],
        validators=[DataRequired(_l("Choose a kind."))],
    )
    service = StringField(_l("Service"), filters=[_strip], validators=[Optional(), Length(max=160)])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[Optional(), Length(max=30)])
    website = StringField(_l("Website"), filters=[_strip], validators=[Optional(), Length(max=255)])
