"""Forms of the orgs domain: register entries, body rules, invitations, setting up a body."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    SelectField,
    StringField,
)
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice as Opt
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from tenantvoice import clock
from tenantvoice.accounts.services import normalize_phone
from tenantvoice.orgs import labels
from tenantvoice.web.forms import (
    EMAIL_RE,
    AppForm,
    CheckboxesField,
    WholeNumberField,
    form_key_field,
    plausible_date,
)
from tenantvoice.web.forms import int_or_none as _int_or_none
from tenantvoice.web.forms import strip as _strip


class MemberForm(AppForm):
    form_key = form_key_field()  # adding is claimed once; editing ignores it
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the person's name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
    )
    site_id = SelectField(_l("Building"), coerce=_int_or_none, validate_choice=True)
    unit = StringField(
        _l("Unit"),
        filters=[_strip],
        validators=[Length(max=20, message=_l("At most 20 characters."))],
    )
    phone = StringField(
        _l("Phone (optional)"),
        filters=[_strip],
        validators=[Length(max=30, message=_l("At most 30 characters."))],
    )
    is_adult = BooleanField(_l("Adult (18 or older)"), default=True)
    consent_contact = BooleanField(_l("Agrees to be contacted by the association"), default=False)
    role = SelectField(
        _l("Role"),
        choices=labels.choices(labels.MEMBER_ROLE),
        validators=[InputRequired(_l("Choose a role."))],
    )
    seat_source = SelectField(
        _l("How the seat was obtained"),
        choices=labels.choices(labels.SEAT_SOURCE),
        validators=[InputRequired(_l("Choose an option."))],
    )
    #: A CCR seat: the recognized association whose resolution designated the person.
    designated_by_id = SelectField(
        _l("Designated by (CCR)"), coerce=_int_or_none, validate_choice=True
    )
    since = DateField(_l("Member since"), validators=[Optional(), plausible_date])
    until = DateField(_l("Member until"), validators=[Optional(), plausible_date])

    def __init__(self, *args, sites=(), designators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.site_id.choices = [Opt(None, _l("No building"))] + [Opt(s.id, s.name) for s in sites]
        self.designated_by_id.choices = [Opt(None, _l("No association"))] + [
            Opt(b.id, b.name) for b in designators
        ]
        self.role.choices = labels.choices(labels.MEMBER_ROLE)
        self.seat_source.choices = labels.choices(labels.SEAT_SOURCE)

    def validate_phone(self, field):
        if field.data:
            digits = normalize_phone(field.data)
            if len(digits) != 10:
                raise ValidationError(_l("Enter a 10-digit phone number, e.g. 418 555-0123."))
            field.data = digits

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date cannot be before the start date."))


class RulesForm(AppForm):
    notice_days_general = WholeNumberField(
        _l("Days of notice for general meetings"),
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(min=1, max=90, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    notice_days_board = WholeNumberField(
        _l("Days of notice for board meetings"),
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(min=0, max=90, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    quorum_mode = SelectField(_l("Quorum is"), choices=labels.choices(labels.QUORUM_MODE))
    quorum_number = WholeNumberField(
        _l("Quorum: number of people"),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=1, max=1000, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    quorum_percent = WholeNumberField(
        _l("Quorum: percentage"),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=1, max=100, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    quorum_base = SelectField(_l("Percentage of"), choices=labels.choices(labels.QUORUM_BASE))
    quorum_minimum = WholeNumberField(
        _l("Never fewer than this many present"),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=1, max=1000, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    board_quorum = WholeNumberField(
        _l("Quorum of a board meeting: directors present"),
        validators=[
            Optional(),
            NumberRange(min=1, max=25, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    franchise = SelectField(_l("Right to vote"), choices=labels.choices(labels.FRANCHISE))
    minutes_audience = SelectField(
        _l("Approved minutes can be read by"), choices=labels.choices(labels.MINUTES_AUDIENCE)
    )
    secret_ballot_default = BooleanField(_l("Secret ballot by default"))
    answer_delay_days = WholeNumberField(
        _l("Days the housing office has to answer a recommendation"),
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(min=1, max=365, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    minutes_shared_with_organizer = BooleanField(
        _l("Share our published minutes with our community organizer")
    )
    #: Offered to a CCR only (the services ignore it on any other body).
    minutes_shared_with_office = BooleanField(
        _l("Share our published minutes with the housing office's direction")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quorum_mode.choices = labels.choices(labels.QUORUM_MODE)
        self.quorum_base.choices = labels.choices(labels.QUORUM_BASE)
        self.franchise.choices = labels.choices(labels.FRANCHISE)
        self.minutes_audience.choices = labels.choices(labels.MINUTES_AUDIENCE)


class InvitationBatchForm(AppForm):
    form_key = form_key_field()  # a double tap makes one batch of codes
    count = WholeNumberField(
        _l("Number of invitations"),
        default=1,
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=1, max=50, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    member_id = SelectField(
        _l("For a person already in the register (optional)"), coerce=_int_or_none
    )
    site_id = SelectField(_l("Building (optional)"), coerce=_int_or_none)
    unit = StringField(
        _l("Unit (optional)"),
        filters=[_strip],
        validators=[Length(max=20, message=_l("At most 20 characters."))],
    )
    label = StringField(
        _l("Note for yourself (optional)"),
        filters=[_strip],
        validators=[Length(max=120, message=_l("At most 120 characters."))],
    )

    def __init__(self, *args, members=(), sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.member_id.choices = [Opt(None, _l("Nobody in particular"))] + [
            Opt(m.id, f"{m.name} ({m.unit})" if m.unit else m.name) for m in members
        ]
        self.site_id.choices = [Opt(None, _l("Any building"))] + [Opt(s.id, s.name) for s in sites]

    def validate_member_id(self, field):
        if field.data and self.count.data and self.count.data != 1:
            raise ValidationError(_l("An invitation for one person is made one at a time."))


class OfficerEntryForm(PlainForm):
    """One first officer: a name for the register and, if known, their email.

    The name is asked whenever an email is given: the register shows it until the person
    accepts, and it never comes from an account (that would tell staff whether the email has
    one, and whose it is)."""

    role = SelectField(_l("Role"), choices=labels.choices(labels.MEMBER_ROLE))
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[Length(max=120, message=_l("At most 120 characters."))],
    )
    email = EmailField(
        _l("Email (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Regexp(EMAIL_RE, message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = labels.choices(labels.MEMBER_ROLE)

    def validate_name(self, field):
        if self.email.data and not field.data:
            raise ValidationError(_l("Enter the person's name too: the register shows it."))


class SetupBodyForm(AppForm):
    provider_id = SelectField(
        _l("Housing provider"),
        coerce=_int_or_none,
        validators=[DataRequired(_l("Choose a housing provider."))],
    )
    kind = SelectField(_l("Kind"), choices=labels.choices(labels.BODY_KIND))
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=160, message=_l("At most 160 characters.")),
        ],
    )
    site_ids = CheckboxesField(
        _l("Buildings covered"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one building."))],
    )
    recognized_on = DateField(
        _l("Recognized by the office on (optional)"), validators=[Optional(), plausible_date]
    )
    minutes_shared_with_organizer = BooleanField(
        _l("Share the body's published minutes with its community organizer"), default=False
    )
    officers = FieldList(FormField(OfficerEntryForm), min_entries=3, max_entries=3)

    def __init__(self, *args, providers=(), sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = labels.choices(labels.BODY_KIND)
        self.provider_id.choices = [Opt(p.id, p.name) for p in providers]
        self._sites = list(sites)
        self.site_ids.choices = [Opt(s.id, f"{s.name} — {s.provider.name}") for s in sites]

    def validate_site_ids(self, field):
        by_id = {s.id: s for s in self._sites}
        if any(
            by_id[sid].provider_id != self.provider_id.data for sid in field.data if sid in by_id
        ):
            raise ValidationError(_l("Choose buildings of the chosen housing provider."))


class RecognitionForm(AppForm):
    """The housing office records its recognition of an association, and when it ended."""

    recognized_on = DateField(_l("Recognized on"), validators=[Optional(), plausible_date])
    recognition_reference = StringField(
        _l("Reference of the decision (optional)"),
        filters=[_strip],
        validators=[Length(max=80, message=_l("At most 80 characters."))],
    )
    recognition_ended_on = DateField(
        _l("Recognition ended on (optional)"), validators=[Optional(), plausible_date]
    )

    def validate_recognition_ended_on(self, field):
        if field.data is None:
            return
        if self.recognized_on.data is None:
            raise ValidationError(_l("Give the date of the recognition first."))
        if field.data < self.recognized_on.data:
            raise ValidationError(_l("The end cannot come before the recognition."))
        if field.data > clock.now().astimezone(clock.MONTREAL).date():
            raise ValidationError(_l("Choose a date that has passed."))

    def validate_recognized_on(self, field):
        if field.data is not None and field.data > clock.now().astimezone(clock.MONTREAL).date():
            raise ValidationError(_l("Choose a date that has passed."))
