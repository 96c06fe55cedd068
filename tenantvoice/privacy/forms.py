"""Forms of the privacy pages: one tap each."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ConsentForm(FlaskForm):
    """Give or withdraw one consent: the purpose, the body for a per-body purpose, and the
    choice, all carried by the button's form (one tap)."""

    purpose = HiddenField()
    body_id = HiddenField()
    given = HiddenField()


class ExportForm(FlaskForm):
    """Only the CSRF token: the button that asks for a new export."""
