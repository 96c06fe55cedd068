"""The poll creation form. The fixed fields are WTForms fields; the choices and the candidate
dates are a list the officer grows and shrinks (buttons that post the form back: it works
without JavaScript), read with `choices_from`. The ballots service checks everything again and
raises the translated refusals, which the view puts next to their field."""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tenantvoice import clock
from tenantvoice.ballots import labels as ballot_labels
from tenantvoice.ballots.models import Audience, Kind, Mode
from tenantvoice.ballots.services import MAX_CHOICES, MAX_LABEL
from tenantvoice.polls.labels import AUDIENCE, RESULTS
from tenantvoice.web.forms import AppForm, CheckboxesField

#: The kinds a poll may take (a motion is for meetings).
POLL_KINDS = [Kind.SINGLE, Kind.MULTIPLE, Kind.YES_NO, Kind.RANKING, Kind.DATES]
#: Rows of choices and dates shown on a new form.
START_ROWS = 3
DATE_FORMAT = "%Y-%m-%dT%H:%M"


class PollForm(AppForm):
    title = StringField(
        _l("Question"),
        validators=[DataRequired(message=_l("Write the question.")), Length(max=300)],
    )
    explanation = TextAreaField(_l("Explanation (optional)"), validators=[Length(max=5000)])
    kind = RadioField(
        _l("Type of answer"),
        choices=[SelectChoice(k.value, ballot_labels.KIND[k]) for k in POLL_KINDS],
        default=Kind.SINGLE.value,
        validators=[InputRequired()],
    )
    max_choices = IntegerField(
        _l("Most choices each person may give"),
        validators=[Optional(), NumberRange(min=1, max=MAX_CHOICES)],
    )
    audience = RadioField(
        _l("Who is asked"),
        choices=[SelectChoice(a.value, label) for a, label in AUDIENCE.items()],
        default=Audience.MEMBERS.value,
        validators=[InputRequired()],
    )
    # Checked by the ballots service (a building of another provider is refused there, with
    # its own message), so the form does not limit the values to its list.
    sites = CheckboxesField(_l("Buildings"), coerce=int, validate_choice=False)
    opens_at = DateTimeLocalField(
        _l("Opens (leave empty to open now)"), format=DATE_FORMAT, validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        _l("Closes"),
        format=DATE_FORMAT,
        validators=[InputRequired(message=_l("Give a closing date and time."))],
    )
    mode = RadioField(
        _l("Secret or named"),
        choices=[
            SelectChoice(Mode.SECRET.value, _l("Secret (recommended)")),
            SelectChoice(Mode.OPEN.value, _l("Named")),
        ],
        default=Mode.SECRET.value,
        validators=[InputRequired()],
    )
    results = RadioField(
        _l("When the results are shown"),
        choices=[SelectChoice(k, label) for k, label in RESULTS.items()],
        default="after",
        validators=[InputRequired()],
    )
    confirm_small = BooleanField(
        _l("I understand: fewer than 5 people can answer, so only the participation is published.")
    )


@dataclass
class Rows:
    """The choices (or candidate dates) as typed, and what they mean once read."""

    texts: list[str] = field(default_factory=list)
    values: list = field(default_factory=list)
    error: str | None = None


def local(value: str) -> datetime | None:
    """A datetime-local input (Montréal wall-clock time) as an aware UTC datetime."""
    try:
        naive = datetime.strptime(value.strip(), DATE_FORMAT)  # noqa: DTZ007 - Montréal wall time
    except ValueError:
        return None
    return naive.replace(tzinfo=clock.MONTREAL).astimezone(ZoneInfo("UTC"))


def local_text(when: datetime) -> str:
    return when.astimezone(clock.MONTREAL).strftime(DATE_FORMAT)


def rows_from(name: str, form, action: str = "") -> Rows:
    """The choices (`name` "choice") or candidate dates ("date") of a submitted form; `action`
    adds a row ("add-choice") or removes one ("remove-choice-3"). Empty rows are ignored."""
    texts = [t[: MAX_LABEL + 1] for t in form.getlist(name)[: MAX_CHOICES + 1]]
    if action == f"add-{name}" and len(texts) < MAX_CHOICES:
        texts.append("")
    elif action.startswith(f"remove-{name}-"):
        with suppress(ValueError, IndexError):
            del texts[int(action.removeprefix(f"remove-{name}-"))]
    rows = Rows(texts=texts or [""])
    filled = [t for t in texts if t.strip()]
    if name == "date":
        values = [local(t) for t in filled]
        if any(v is None for v in values):
            rows.error = str(_l("Give each date as a day and a time."))
        rows.values = [v for v in values if v is not None]
    else:
        rows.values = filled
    return rows
