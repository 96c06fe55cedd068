"""Forms of collective needs: every text field is limited server-side, messages are lazy."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from tenantvoice.needs import taxonomy
from tenantvoice.needs.models import (
    COMMENT_MAX,
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    WORDING_MAX,
)
from tenantvoice.web.forms import AppForm, CheckboxesField, form_key_field


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _choices(mapping):
    return [SelectChoice(key.value, label) for key, label in mapping.items()]


def _known_populations(form, field) -> None:
    """Every ticked value is a group of the list (the field's own "not a valid choice" message
    is not ours: it is refused here, in our words, next to the field)."""
    if any(value not in taxonomy.POPULATION for value in field.data or ()):
        raise ValidationError(_l("Please choose who is affected from the list."))


def populations_field():
    """Who is affected: one or more groups ("everyone" ticked by default; ticked with groups,
    the groups are kept)."""
    return CheckboxesField(
        _l("Who is affected"),
        choices=_choices(taxonomy.POPULATION),
        default=["everyone"],
        validate_choice=False,
        validators=[
            DataRequired(_l("Please choose who is affected: everyone, or one or more groups.")),
            _known_populations,
        ],
    )


class NeedForm(AppForm):
    form_key = form_key_field()
    site_id = SelectField(_l("Building"), coerce=int)
    title = StringField(
        _l("Short title"),
        filters=[_strip],
        validators=[DataRequired(_l("Write a short title.")), Length(max=TITLE_MAX)],
    )
    description = TextAreaField(
        _l("Describe the need"), filters=[_strip], validators=[Length(max=TEXT_MAX)]
    )
    categories = CheckboxesField(
        _l("Categories"),
        choices=[SelectChoice(c.code, c.label) for c in taxonomy.CATEGORIES],
        validators=[DataRequired(_l("Choose at least one category."))],
    )
    populations = populations_field()
    urgency = RadioField(
        _l("How pressing is it"), choices=_choices(taxonomy.URGENCY), default="medium"
    )
    signed = BooleanField(_l("Sign with my name (otherwise nobody but me sees who raised it)"))
    share_text = BooleanField(_l("Share my text with the community organizer"))


class RecordForm(AppForm):
    """The ISC's de-identified record: no name, no unit."""

    form_key = form_key_field()
    site_id = SelectField(_l("Building"), coerce=int)
    title = StringField(
        _l("Short title"),
        filters=[_strip],
        validators=[DataRequired(_l("Write a short title.")), Length(max=TITLE_MAX)],
    )
    description = TextAreaField(
        _l("The problem, without any name or unit"),
        filters=[_strip],
        validators=[Length(max=TEXT_MAX)],
    )
    categories = CheckboxesField(
        _l("Categories"),
        choices=[SelectChoice(c.code, c.label) for c in taxonomy.CATEGORIES],
        validators=[DataRequired(_l("Choose at least one category."))],
    )
    populations = populations_field()


class CommentForm(AppForm):
    text = TextAreaField(
        _l("Your comment"),
        filters=[_strip],
        validators=[DataRequired(_l("Write your comment.")), Length(max=COMMENT_MAX)],
    )


class ConfirmForm(AppForm):
    resolution_id = SelectField(_l("Resolution (optional)"), coerce=int, default=0)


class ForwardForm(AppForm):
    wording = TextAreaField(
        _l("The association's wording"),
        filters=[_strip],
        validators=[DataRequired(_l("Write the association's wording.")), Length(max=WORDING_MAX)],
    )
    to_organizer = BooleanField(_l("To the community organizer of the territory"), default=True)
    to_direction = BooleanField(_l("To the housing office's direction"))
    priority = RadioField(_l("Priority"), choices=_choices(taxonomy.PRIORITY), default="normal")
    note = TextAreaField(
        _l("Note for the recipients (optional)"),
        filters=[_strip],
        validators=[Length(max=NOTE_MAX)],
    )


class MergeForm(AppForm):
    target_id = IntegerField(
        _l("Merge into need number"), validators=[DataRequired(_l("Choose the need to keep."))]
    )
