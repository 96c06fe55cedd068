"""Meeting forms: every text field is limited server-side; messages are lazy translations."""

from contextlib import suppress
from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tenantvoice import clock
from tenantvoice.meetings import labels
from tenantvoice.meetings.models import AgendaItemKind, Audience, MeetingKind
from tenantvoice.web.forms import AppForm, DateBetween, WholeNumberField, form_key_field


def local_to_utc(day, at) -> datetime:
    """A date and a wall-clock time in Montréal, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=clock.MONTREAL).astimezone(ZoneInfo("UTC"))


def _choices(mapping):
    return [SelectChoice(key.value, label) for key, label in mapping.items()]


def _web_url(form, field):
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Enter a web address that starts with https:// or http://."))


#: Meetings are dated between five years back (records of past meetings) and three years ahead.
MEETING_DATES = DateBetween(5, 3, message=_l("Choose a date between %(first)s and %(last)s."))


class MeetingForm(AppForm):
    form_key = form_key_field()  # scheduling is claimed once; editing ignores it
    kind = SelectField(
        _l("Kind of meeting"), choices=_choices(labels.MEETING_KIND), validators=[InputRequired()]
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)]
    )
    day = DateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter the date.")), MEETING_DATES],
    )
    start_time = TimeField(
        _l("Start time"), validators=[InputRequired(message=_l("Enter the start time."))]
    )
    end_time = TimeField(
        _l("End time"), validators=[InputRequired(message=_l("Enter the end time."))]
    )
    place = StringField(_l("Place (for example, the community room)"), validators=[Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=255)])
    video_url = StringField(_l("Video meeting link"), validators=[Length(max=500), _web_url])
    audience = RadioField(
        _l("Who is convened"),
        choices=_choices(labels.AUDIENCE),
        default=Audience.MEMBERS.value,
        validators=[InputRequired()],
    )
    oc_invited = BooleanField(_l("Invite the community organizer as a resource person"))
    office_invited = BooleanField(_l("Invite the housing office's direction"))
    notice_contact = StringField(
        _l("Contact for questions (printed on the notice)"), validators=[Length(max=200)]
    )

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    #: The start of a meeting that has taken place, being completed afterwards (its place from
    #: the paper record): its own past date is kept, not refused (issue 9).
    held_at: datetime | None = None

    def validate_day(self, field):
        first, last = MEETING_DATES.bounds()
        if field.data is None or not first <= field.data <= last:
            return  # MEETING_DATES said so (and local_to_utc would overflow on year 9999)
        if (
            self.held_at is not None
            and self.start_time.data
            and local_to_utc(field.data, self.start_time.data) == self.held_at
        ):
            return
        if (
            field.data
            and self.start_time.data
            and local_to_utc(field.data, self.start_time.data) <= clock.now()
        ):
            raise ValidationError(_l("Choose a date and time that has not passed."))

    def validate_place(self, field):
        if (
            not (field.data or "").strip()
            and not (self.address.data or "").strip()
            and not (self.video_url.data or "").strip()
        ):
            raise ValidationError(_l("Give a place, an address or a video meeting link."))

    @property
    def starts_at(self) -> datetime:
        return local_to_utc(self.day.data, self.start_time.data)

    @property
    def ends_at(self) -> datetime:
        return local_to_utc(self.day.data, self.end_time.data)

    def meeting_data(self) -> dict:
        return {
            "kind": MeetingKind(self.kind.data),
            "title": self.title.data.strip(),
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "place": (self.place.data or "").strip(),
            "address": (self.address.data or "").strip(),
            "video_url": (self.video_url.data or "").strip(),
            "audience": Audience(self.audience.data),
            "oc_invited": bool(self.oc_invited.data),
            "office_invited": bool(self.office_invited.data),
            "notice_contact": (self.notice_contact.data or "").strip(),
        }

    def prefill(self, args) -> None:
        """A new meeting's form filled from a link (a poll's best date, issue 12): the title,
        the day and the times, each kept only if it reads; the officer checks and saves."""
        title = (args.get("title") or "").strip()[:200]
        if title:
            self.title.data = title
        with suppress(ValueError):
            self.day.data = date.fromisoformat((args.get("day") or "")[:10])
        for name in ("start_time", "end_time"):
            with suppress(ValueError):
                getattr(self, name).data = time.fromisoformat((args.get(name) or "")[:5])

    def fill_from(self, meeting) -> None:
        start = meeting.starts_at.astimezone(clock.MONTREAL)
        self.kind.data = meeting.kind.value
        self.title.data = meeting.title
        self.day.data = start.date()
        self.start_time.data = start.time().replace(tzinfo=None)
        self.end_time.data = meeting.ends_at.astimezone(clock.MONTREAL).time().replace(tzinfo=None)
        self.place.data = meeting.place
        self.address.data = meeting.address
        self.video_url.data = meeting.video_url
        self.audience.data = meeting.audience.value
        self.oc_invited.data = meeting.oc_invited
        self.office_invited.data = meeting.office_invited
        self.notice_contact.data = meeting.notice_contact


class AgendaItemForm(AppForm):
    form_key = form_key_field()  # adding is claimed once; editing ignores it
    title = StringField(
        _l("Item"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)]
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    kind = SelectField(
        _l("Kind of item"),
        choices=_choices(labels.AGENDA_ITEM_KIND),
        default=AgendaItemKind.INFORMATION.value,
    )
    presenter = StringField(_l("Presented by"), validators=[Length(max=120)])
    expected_minutes = WholeNumberField(
        _l("Expected minutes"),
        validators=[
            Optional(),
            NumberRange(min=1, max=600, message=_l("Enter a number of minutes from 1 to 600.")),
        ],
    )
    in_camera = BooleanField(_l("In camera (kept out of everything published)"))

    def item_data(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip(),
            "kind": AgendaItemKind(self.kind.data),
            "presenter": (self.presenter.data or "").strip(),
            "expected_minutes": self.expected_minutes.data,
            "in_camera": bool(self.in_camera.data),
        }


class PublishForm(AppForm):
    confirm_late = BooleanField(
        _l("I confirm publishing with less notice than the by-laws require")
    )


class CancelForm(AppForm):
    reason = TextAreaField(
        _l("Reason for cancelling"),
        validators=[DataRequired(message=_l("Give the reason.")), Length(max=500)],
    )


class RsvpForm(AppForm):
    answer = RadioField(
        _l("Your answer"),
        choices=_choices(labels.RSVP_ANSWER),
        validators=[InputRequired(message=_l("Choose an answer."))],
    )
    party_size = WholeNumberField(
        _l("How many people in all, you included"),
        default=1,
        validators=[
            Optional(),
            NumberRange(min=1, max=10, message=_l("Enter a number from 1 to 10.")),
        ],
    )


class ProposalForm(AppForm):
    form_key = form_key_field()
    title = StringField(
        _l("Item you propose"),
        validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)],
    )
    description = TextAreaField(_l("Why it matters (optional)"), validators=[Length(max=2000)])


class DeclineForm(AppForm):
    reason = TextAreaField(
        _l("Reason (the member will see it)"),
        validators=[DataRequired(message=_l("Give the reason.")), Length(max=500)],
    )
