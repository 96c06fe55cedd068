"""Forms of the privacy pages: one tap each."""

from wtforms import HiddenField

from tenantvoice.web.forms import AppForm


class ConsentForm(AppForm):
    """Give or withdraw one consent: the purpose, the body for a per-body purpose, and the
    choice, all carried by the button's form (one tap)."""

    purpose = HiddenField()
    body_id = HiddenField()
    given = HiddenField()


class ExportForm(AppForm):
    """Only the CSRF token: the button that asks for a new export."""
