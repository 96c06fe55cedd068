"""Forms of office consultations: submitting one, a member's comment, the CCR's answer."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Opt
from wtforms.validators import DataRequired, InputRequired, Length

from tenantvoice.consultations import labels
from tenantvoice.consultations.services import ANSWER_MAX, COMMENT_MAX, TEXT_MAX, TITLE_MAX
from tenantvoice.web.forms import AppForm, int_or_none, plausible_date, strip


class ConsultationForm(AppForm):
    ccr_id = SelectField(
        _l("Residents' advisory committee consulted"),
        coerce=int_or_none,
        validate_choice=True,
        validators=[InputRequired(_l("Choose the CCR."))],
    )
    kind = SelectField(
        _l("What is submitted"),
        choices=labels.choices(labels.KIND),
        validators=[InputRequired(_l("Choose an option."))],
    )
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter a title.")),
            Length(max=TITLE_MAX, message=_l("At most %(max)d characters.", max=TITLE_MAX)),
        ],
    )
    text = TextAreaField(
        _l("Text of the draft"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the text submitted to the CCR.")),
            Length(max=TEXT_MAX, message=_l("At most %(max)d characters.", max=TEXT_MAX)),
        ],
    )
    decision_date = DateField(
        _l("Date of the office's decision"),
        validators=[InputRequired(_l("Enter the date of the decision.")), plausible_date],
    )

    def __init__(self, *args, ccrs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ccr_id.choices = [Opt(b.id, b.name) for b in ccrs]
        self.kind.choices = labels.choices(labels.KIND)


class CommentForm(AppForm):
    text = TextAreaField(
        _l("Your comment"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write your comment.")),
            Length(max=COMMENT_MAX, message=_l("At most %(max)d characters.", max=COMMENT_MAX)),
        ],
    )


class AnswerForm(AppForm):
    text = TextAreaField(
        _l("The answer the CCR adopted"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write the CCR's answer.")),
            Length(max=ANSWER_MAX, message=_l("At most %(max)d characters.", max=ANSWER_MAX)),
        ],
    )
