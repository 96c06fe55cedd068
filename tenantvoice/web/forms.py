"""Small helpers shared by the WTForms forms of every domain."""

from typing import Any

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import HiddenField

from tenantvoice.submissions import STALE_FORM, claim, new_key
from tenantvoice.submissions import StaleFormError as StaleFormError  # re-exported for views

#: A plausible email address; whether an account has it is decided by a lookup, not a regex.
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def strip(value: Any) -> Any:
    """Filter: trim the spaces people type around a value."""
    return value.strip() if isinstance(value, str) else value


def int_or_none(value: Any) -> int | None:
    """Coerce a select's value: empty means "none chosen"; garbage becomes a choice that never
    exists, so the field's own "not a valid choice" message answers it (never a 500)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class FormKeyField(HiddenField):
    """A posted form's key is what it carries, never a fresh default (a form posted without
    one is stale, not new)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = valuelist[0] if valuelist else ""


def form_key_field() -> FormKeyField:
    """The hidden idempotency key of a form that creates a record (tenantvoice.submissions):
    drawn when the form is first rendered, kept on a 422 re-render (nothing was stored)."""
    return FormKeyField(default=new_key)


def claim_form(key: str | None, user: Any) -> Any:
    """Claim the posted form's key for this endpoint (see tenantvoice.submissions.claim)."""
    return claim(key, user, request.endpoint or "")


def replay_response(claim_result: Any, fallback: str) -> ResponseReturnValue:
    """Answer a form sent again (double tap, retry) as the first time: where it led."""
    flash(_("This form was already sent: it was recorded once."), "success")
    return redirect(claim_result.replay_url or fallback)


def renew_key(form: Any) -> str:
    """A form refused as stale comes back with a fresh key; returns the message to show."""
    form.form_key.data = new_key()
    form.form_key.errors = [str(STALE_FORM)]
    return str(STALE_FORM)
