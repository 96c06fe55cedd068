"""Small helpers shared by the WTForms forms of every domain."""

import re
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import support
from flask import current_app, flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectMultipleField, ValidationError
from wtforms.csrf.core import CSRFTokenField
from wtforms.i18n import messages_path
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from tenantvoice import clock
from tenantvoice.submissions import STALE_FORM, claim, new_key
from tenantvoice.submissions import StaleFormError as StaleFormError  # re-exported for views
from tenantvoice.web.ids import parse_id

MONTREAL = ZoneInfo("America/Montreal")
_WHOLE = re.compile(r"[+-]?[0-9]{1,9}")

#: A plausible email address; whether an account has it is decided by a lookup, not a regex.
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@lru_cache(maxsize=8)
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class AppForm(FlaskForm):
    """Every form of the app. Flask-WTF parses WTForms' own catalog (its built-in messages, and
    the label of any field without one) again on every request that builds a form: about 5% of
    a tenant's meeting page (benchmarks/throughput.py). One parsed catalog per locale per
    process is read-only, so it is shared; the locale is read when a message is translated,
    which also honours force_locale (Flask-WTF kept the request's first)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _CATALOGS


class _LocaleCatalogs:
    """What WTForms asks of its translations, answered from the current locale's catalog."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalog(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale())).ungettext(singular, plural, n)


_CATALOGS = _LocaleCatalogs()


def strip(value: Any) -> Any:
    """Filter: trim the spaces people type around a value."""
    return value.strip() if isinstance(value, str) else value


def int_or_none(value: Any) -> int | None:
    """Coerce a select's value: empty means "none chosen"; garbage becomes a choice that never
    exists, so the field's own "not a valid choice" message answers it (never a 500)."""
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    return -1 if number is None else number


class CheckboxesField(SelectMultipleField):
    """A multiple choice as a list of checkboxes (no Ctrl/Cmd on a phone); the template lays
    them out in a fieldset. Everything else is SelectMultipleField's own: `coerce`,
    `validate_choice=False` when a service checks the values, `validators` for "at least one"."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


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


class WholeNumberField(IntegerField):
    """Every integer field of every form: ASCII digits only, at most nine of them.

    WTForms' IntegerField reads "²" as an error but a 400-digit number as a number, which
    NumberRange then compares through math.isnan() (OverflowError: a 500) or the database
    refuses (PostgreSQL INTEGER ends at 2^31 - 1). Nine digits hold every count we keep; the
    field's own NumberRange gives the real bounds and their message.
    """

    data: Any  #: an int, or None when empty or refused (as IntegerField)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        raw = valuelist[0].strip() if isinstance(valuelist[0], str) else valuelist[0]
        if raw in ("", None):
            self.data = None
            return
        if not isinstance(raw, str) or not _WHOLE.fullmatch(raw):
            self.data = None
            raise ValueError(self.invalid_value_message or _l("Enter a whole number."))
        self.data = int(raw)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


class DateBetween:
    """A date from `years_before` years before the project clock's today (Montréal) to
    `years_after` years after it, so a year 9999 or 0001 is told plainly instead of overflowing
    in a later computation."""

    def __init__(self, years_before: int, years_after: int, message: Any = None) -> None:
        self.years_before, self.years_after, self.message = years_before, years_after, message

    def bounds(self) -> tuple[date, date]:
        today = clock.now().astimezone(MONTREAL).date()
        return _years_from(today, -self.years_before), _years_from(today, self.years_after)

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None:
            return
        first, last = self.bounds()
        if not first <= field.data <= last:
            message = self.message or _l("Choose a date between %(first)s and %(last)s.")
            raise ValidationError(
                str(message) % {"first": format_date(first), "last": format_date(last)}
            )


#: Dates of a person's life in a register (membership, recognition): plausible calendar years.
def plausible_date(form: Any, field: Any) -> None:
    if field.data is not None and not 1900 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between 1900 and 2100."))


class _HiddenWithoutId(HiddenInput):
    """A hidden input needs no id (no label points at it), and a page with several forms
    would repeat "csrf_token" or "form_key" as an id: invalid HTML (issue 9)."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


def drop_hidden_ids() -> None:
    """Render every CSRF token and hidden field of every form without an id (the factory)."""
    CSRFTokenField.widget = _HiddenWithoutId()
    HiddenField.widget = _HiddenWithoutId()
