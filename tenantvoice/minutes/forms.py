"""Minutes forms. The editor has one textarea per section (ids known only at run time), so it is
parsed by `parse_editor`; fixed-shape forms use Flask-WTF."""

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from tenantvoice.minutes.models import MAX_TEXT
from tenantvoice.minutes.services import MAX_NOTE
from tenantvoice.web.forms import AppForm, form_key_field
from tenantvoice.web.ids import parse_id

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ApproveForm(AppForm):
    resolution_id = SelectField(
        _l("Resolution that approved the minutes"),
        coerce=int,
        validators=[InputRequired(_l("Choose a resolution."))],
    )


class CorrectForm(AppForm):
    form_key = form_key_field()  # a correction is published once
    text = TextAreaField(
        _l("Corrected text"),
        validators=[
            DataRequired(_l("Write the corrected text.")),
            Length(max=MAX_TEXT, message=_l("At most %(max)d characters.")),
        ],
    )
    change_note = StringField(
        _l("What the correction changes"),
        validators=[
            DataRequired(_l("Say what the correction changes.")),
            Length(max=MAX_NOTE, message=_l("At most %(max)d characters.")),
        ],
    )


class EditorInput:
    """What the editor posted: the version it started from, each section's text, adjournment."""

    def __init__(self, minutes, form):
        self.errors: dict[str, str] = {}
        self.texts: dict[int, str] = {}
        self.version: int | None
        for section in minutes.sections:
            key = f"section-{section.id}"
            if key in form:
                self.texts[section.id] = form[key].replace("\r\n", "\n")
        # A version counts saves from 1, like an id (ASCII digits, within INTEGER).
        self.version = parse_id(form.get("version", ""))
        if self.version is None:
            self.errors["version"] = str(_l("The form is out of date. Reload the page."))
        raw = form.get("adjourned_at", "").strip()
        self.adjourned_raw = raw
        self.adjourned_at: time | None = None
        if raw:
            match = _TIME.match(raw)
            if match:
                self.adjourned_at = time(int(match.group(1)), int(match.group(2)))
            else:
                self.errors["adjourned_at"] = str(_l("Write the time as HH:MM, for example 21:30."))


def parse_editor(minutes, form) -> EditorInput:
    return EditorInput(minutes, form)
