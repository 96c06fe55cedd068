"""Recommendation forms: every text field limited server-side, lazy messages. The services
check everything again and raise the translated refusals shown next to the fields (422)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from tenantvoice.recommendations import labels
from tenantvoice.recommendations.services import MAX_COMMENT, MAX_NOTE, MAX_TEXT, MAX_TITLE
from tenantvoice.web.forms import AppForm, CheckboxesField, form_key_field, int_or_none


def _choices(mapping):
    return [SelectChoice(key.value, label) for key, label in mapping.items()]


class RecommendationForm(AppForm):
    form_key = form_key_field()  # a double tap drafts once; editing ignores it
    #: The office consultation this draft answers (from the consultation's page).
    consultation_id = HiddenField(filters=[int_or_none])
    title = StringField(_l("Title"), validators=[Length(max=MAX_TITLE)])
    situation = TextAreaField(
        _l("The situation (context)"), validators=[Length(max=MAX_TEXT)], render_kw={"rows": 6}
    )
    recommended = TextAreaField(
        _l("What we recommend"), validators=[Length(max=MAX_TEXT)], render_kw={"rows": 6}
    )
    category = SelectField(_l("Category"), choices=_choices(labels.CATEGORY))
    site_ids = CheckboxesField(_l("Buildings concerned"), coerce=int, choices=[])


class CommentForm(AppForm):
    text = TextAreaField(
        _l("Your comment"), validators=[Length(max=MAX_COMMENT)], render_kw={"rows": 3}
    )


class AmendmentForm(AppForm):
    recommended = TextAreaField(
        _l("Proposed wording of what we recommend"),
        validators=[Length(max=MAX_TEXT)],
        render_kw={"rows": 6},
    )
    reason = TextAreaField(
        _l("Why (optional)"), validators=[Length(max=MAX_COMMENT)], render_kw={"rows": 2}
    )


class AttachmentForm(AppForm):
    file = FileField(_l("File (PDF, JPEG or PNG, at most 5 MB)"))


class VoteForm(AppForm):
    close_day = DateField(
        _l("Closing date"), validators=[InputRequired(message=_l("Enter the closing date."))]
    )
    close_time = TimeField(
        _l("Closing time"), validators=[InputRequired(message=_l("Enter the closing time."))]
    )
    mode = RadioField(
        _l("Kind of vote"),
        choices=[
            SelectChoice("secret", _l("Secret ballot")),
            SelectChoice("open", _l("Named vote (roll-call)")),
        ],
    )
    meeting_id = SelectField(
        _l("Meeting where it is voted (optional)"), coerce=int_or_none, choices=[]
    )
    confirm_small_electorate = BooleanField(
        _l("Fewer than 5 people can vote: publish the result without counts")
    )


class AnswerForm(AppForm):
    decision = RadioField(_l("The office's answer"), choices=_choices(labels.ANSWER))
    explanation = TextAreaField(
        _l("Explanation"), validators=[Length(max=MAX_TEXT)], render_kw={"rows": 5}
    )
    plan = TextAreaField(
        _l("What will be done"), validators=[Length(max=MAX_TEXT)], render_kw={"rows": 4}
    )
    by = DateField(_l("By when"), validators=[Optional()])


class FollowUpForm(AppForm):
    status = RadioField(
        _l("Where the work stands"),
        choices=[SelectChoice("in_progress", _l("In progress")), SelectChoice("done", _l("Done"))],
    )
    note = TextAreaField(
        _l("What was done"), validators=[Length(max=MAX_NOTE)], render_kw={"rows": 3}
    )


class ResolutionForm(AppForm):
    moved_by_id = SelectField(_l("Moved by"), coerce=int_or_none, choices=[])
    seconded_by_id = SelectField(_l("Seconded by"), coerce=int_or_none, choices=[])
