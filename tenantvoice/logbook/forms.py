"""The logbook's form: one screen, filled in under a minute on a phone. Never a name."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from tenantvoice.logbook import labels
from tenantvoice.logbook.models import DURATION_MAX, NOTE_MAX, PEOPLE_MAX
from tenantvoice.needs import taxonomy
from tenantvoice.web.forms import AppForm, CheckboxesField, WholeNumberField, form_key_field, strip


class InterventionForm(AppForm):
    form_key = form_key_field()
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    site_id = SelectField(_l("Site"), coerce=int)
    kinds = CheckboxesField(
        _l("Kind of intervention"),
        coerce=int,
        choices=[SelectChoice(k.value, label) for k, label in labels.KIND.items()],
        validators=[DataRequired(_l("Choose at least one kind."))],
    )
    populations = CheckboxesField(
        _l("Populations reached"),
        choices=[SelectChoice(p.value, label) for p, label in taxonomy.POPULATION.items()],
        validators=[DataRequired(_l("Choose at least one population."))],
    )
    themes = CheckboxesField(
        _l("Themes"), choices=[SelectChoice(c.code, c.label) for c in taxonomy.CATEGORIES]
    )
    people = WholeNumberField(
        _l("Number of people reached"),
        validators=[
            InputRequired(_l("Enter how many people were reached.")),
            NumberRange(
                min=0,
                max=PEOPLE_MAX,
                message=_l("Enter a number from 0 to %(max)s.", max=PEOPLE_MAX),
            ),
        ],
    )
    duration_minutes = WholeNumberField(
        _l("Duration in minutes"),
        validators=[
            InputRequired(_l("Enter the duration in minutes.")),
            NumberRange(
                min=0,
                max=DURATION_MAX,
                message=_l("Enter a number from 0 to %(max)s.", max=DURATION_MAX),
            ),
        ],
    )
    partners = CheckboxesField(_l("Referred to a partner of the directory"), coerce=int)
    unlisted = CheckboxesField(
        _l("Referred to a partner not listed"),
        choices=[SelectChoice(k.value, label) for k, label in taxonomy.PARTNER_KIND.items()],
    )
    need_id = SelectField(_l("Linked collective need (optional)"), coerce=int, default=0)
    body_id = SelectField(_l("Linked association or committee (optional)"), coerce=int, default=0)
    note = TextAreaField(
        _l("Note for staff only (optional)"),
        filters=[strip],
        validators=[Length(max=NOTE_MAX, message=_l("At most %(max)s characters.", max=NOTE_MAX))],
    )
