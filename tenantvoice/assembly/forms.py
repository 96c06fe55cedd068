"""Forms of the attendance sheet and the resolutions page (shapes only; procedure rules are in
attendance.py and resolutions.py)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tenantvoice.assembly.attendance import MAX_GUESTS
from tenantvoice.assembly.models import ResolutionOutcome
from tenantvoice.assembly.resolutions import MAX_REASON, MAX_TEXT, MAX_VOTES, OUTCOME
from tenantvoice.web.forms import AppForm, WholeNumberField, form_key_field
from tenantvoice.web.forms import int_or_none as _int_or_none


def _outcome_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return ResolutionOutcome(value)
    except ValueError:
        return value


class MarkForm(AppForm):
    """One tap on a row of the attendance sheet."""

    member_id = HiddenField(validators=[DataRequired()])
    present = HiddenField(default="1")
    on_paper = BooleanField(_l("Signed the paper sheet"), default=False)
    q = HiddenField(default="")


class GuestsForm(AppForm):
    guests_count = WholeNumberField(
        _l("Guests (not members)"),
        validators=[
            InputRequired(_l("Enter a number (0 if nobody).")),
            NumberRange(
                min=0,
                max=MAX_GUESTS,
                message=_l("Enter a number between 0 and %(max)d.", max=MAX_GUESTS),
            ),
        ],
    )


def _votes_field(label):
    return WholeNumberField(
        label,
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_VOTES,
                message=_l("Enter a number between 0 and %(max)d.", max=MAX_VOTES),
            ),
        ],
    )


class OutcomeFields:
    """Fields shared by recording a motion and deciding one later."""

    votes_for = _votes_field(_l("Votes for"))
    votes_against = _votes_field(_l("Votes against"))
    abstentions = _votes_field(_l("Abstentions"))
    casting_vote = BooleanField(_l("The chair broke a tie with a casting vote"), default=False)


class ResolutionForm(OutcomeFields, AppForm):
    form_key = form_key_field()
    agenda_item_id = SelectField(_l("Agenda item"), coerce=_int_or_none, validate_choice=True)
    amends_id = SelectField(_l("Amends the motion"), coerce=_int_or_none, validate_choice=True)
    text = TextAreaField(
        _l("Text of the motion"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Write the text of the motion.")),
            Length(max=MAX_TEXT, message=_l("At most %(max)d characters.", max=MAX_TEXT)),
        ],
    )
    moved_by_id = SelectField(_l("Moved by"), coerce=_int_or_none, validate_choice=True)
    seconded_by_id = SelectField(_l("Seconded by"), coerce=_int_or_none, validate_choice=True)
    outcome = SelectField(_l("Outcome"), coerce=_outcome_or_none, validate_choice=True)

    def __init__(self, *args, agenda_items=(), present=(), pending=(), **kwargs):
        super().__init__(*args, **kwargs)
        if agenda_items:
            self.agenda_item_id.choices = [(i.id, i.title) for i in agenda_items]
            self.agenda_item_id.validators = [InputRequired(_l("Choose an agenda item."))]
        else:
            self.agenda_item_id.choices = [(None, _l("No agenda item"))]
        self.amends_id.choices = [(None, _l("Nothing: this is a main motion"))] + [
            (r.id, r.number) for r in pending
        ]
        people = [(m.id, m.name) for m in present]
        self.moved_by_id.choices = [(None, _l("Choose a person present"))] + people
        self.seconded_by_id.choices = [(None, _l("Choose a person present"))] + people
        self.outcome.choices = [(None, _l("Not voted yet (under debate)"))] + [
            (k, v) for k, v in OUTCOME.items()
        ]


class DecideForm(OutcomeFields, AppForm):
    outcome = SelectField(
        _l("Outcome"),
        coerce=_outcome_or_none,
        validate_choice=True,
        validators=[InputRequired(_l("Choose the outcome."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [(k, v) for k, v in OUTCOME.items()]


class CorrectForm(OutcomeFields, AppForm):
    """Correct a recorded resolution: the new wording, and why (kept with the old one)."""

    form_key = form_key_field()
    text = TextAreaField(
        _l("Text of the motion"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Write the text of the motion.")),
            Length(max=MAX_TEXT, message=_l("At most %(max)d characters.", max=MAX_TEXT)),
        ],
    )
    moved_by_id = SelectField(_l("Moved by"), coerce=_int_or_none, validate_choice=True)
    seconded_by_id = SelectField(_l("Seconded by"), coerce=_int_or_none, validate_choice=True)
    outcome = SelectField(
        _l("Outcome"),
        coerce=_outcome_or_none,
        validate_choice=True,
        validators=[InputRequired(_l("Choose the outcome."))],
    )
    reason = TextAreaField(
        _l("Why is it corrected?"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Say why the resolution is corrected.")),
            Length(max=MAX_REASON, message=_l("At most %(max)d characters.", max=MAX_REASON)),
        ],
    )

    def __init__(self, *args, present=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = [(m.id, m.name) for m in present]
        self.moved_by_id.choices = [(None, _l("Choose a person present"))] + people
        self.seconded_by_id.choices = [(None, _l("Choose a person present"))] + people
        self.outcome.choices = [(k, v) for k, v in OUTCOME.items()]


class DesignationForm(AppForm):
    """The resolution that designated a CCR seat (among the association's adopted ones)."""

    resolution_id = SelectField(
        _l("Designating resolution"),
        coerce=_int_or_none,
        validate_choice=True,
        validators=[InputRequired(_l("Choose the resolution."))],
    )
