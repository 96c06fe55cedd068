"""Account forms (Flask-WTF: CSRF on every form; messages translated lazily)."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tenantvoice.accounts import services
from tenantvoice.web.forms import AppForm

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


class LoginForm(AppForm):
    identifier = StringField(
        _l("Email or phone number"),
        validators=[DataRequired(_l("Enter your email or phone number.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


def _email_check(form, field):
    value = (field.data or "").strip()
    if value and not _EMAIL_RE.match(value):
        raise ValidationError(_l("Enter an email address like name@example.com."))


def _phone_check(form, field):
    value = (field.data or "").strip()
    if value and len(services.normalize_phone(value)) != 10:
        raise ValidationError(_l("Enter a 10-digit phone number, like 418 555-0123."))


class NewPasswordField(PasswordField):
    """A new password: checked against the rules (length, common list, name or email)."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault(
            "validators",
            [
                DataRequired(_l("Choose a password.")),
                Length(
                    max=services.PASSWORD_MAX,
                    message=_l(
                        "Choose a password of at most %(max)s characters.",
                        max=services.PASSWORD_MAX,
                    ),
                ),
            ],
        )
        kwargs.setdefault("render_kw", {"autocomplete": "new-password"})
        super().__init__(label or _l("New password"), **kwargs)


def check_new_password(form, password_field, *, name="", email=""):
    """Add the password rule's message to the field; True when it is acceptable."""
    if password_field.errors:
        return False
    problem = services.password_problem(password_field.data or "", name=name, email=email)
    if problem:
        password_field.errors.append(problem)
        return False
    return True


class InvitationCodeForm(AppForm):
    step = HiddenField(default="code")
    code = StringField(
        _l("Invitation code"),
        validators=[
            DataRequired(_l("Enter the code printed on your invitation.")),
            Length(max=20, message=_l("An invitation code has 8 letters or digits.")),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


def _email_field(label) -> StringField:
    """An optional email, checked and sized the same on sign-up and in the settings."""
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=254, message=_l("This email is too long.")),
            _email_check,
        ],
        render_kw={
            "autocomplete": "email",
            "inputmode": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


def _phone_field(label) -> StringField:
    """An optional phone number, checked and sized the same on sign-up and in the settings."""
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=30, message=_l("This phone number is too long.")),
            _phone_check,
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


class JoinForm(InvitationCodeForm):
    name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("Your name can have at most 120 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field(_l("Email (optional)"))
    phone = _phone_field(_l("Cell or phone number (optional)"))
    password = NewPasswordField(_l("Choose a password"))
    consent_contact = BooleanField(_l("The association may contact me (optional)"), default=False)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (
            not (self.email.data or "").strip()
            and not (self.phone.data or "").strip()
            and not self.email.errors
            and not self.phone.errors
        ):
            self.email.errors.append(
                _l("Enter an email or a phone number: you will use it to log in.")
            )
            ok = False
        if not check_new_password(
            self, self.password, name=self.name.data or "", email=self.email.data or ""
        ):
            ok = False
        return ok


class ForgotForm(AppForm):
    identifier = StringField(
        _l("Your email"),
        validators=[DataRequired(_l("Enter your email.")), Length(max=254)],
        render_kw={
            "autocomplete": "email",
            "inputmode": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


class ResetPasswordForm(AppForm):
    password = NewPasswordField()


class ResetCodeForm(AppForm):
    identifier = LoginForm.identifier
    code = StringField(
        _l("Reset code"),
        validators=[
            DataRequired(_l("Enter the code your association gave you.")),
            Length(max=20, message=_l("A reset code has 8 letters or digits.")),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )
    password = NewPasswordField()


class TwoFactorForm(AppForm):
    code = StringField(
        _l("Code from your app, or a recovery code"),
        validators=[
            DataRequired(_l("Enter the 6-digit code shown in your app.")),
            Length(max=20, message=_l("That code is too long.")),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "text",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )


class TwoFactorSetupForm(AppForm):
    code = StringField(
        _l("6-digit code shown in your app"),
        validators=[
            DataRequired(_l("Enter the 6-digit code shown in your app.")),
            Length(max=10, message=_l("That code is too long.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


LOCALE_CHOICES = [
    SelectChoice("", _l("Follow my browser")),
    SelectChoice("fr_CA", "Français"),
    SelectChoice("en", "English"),
]


class SettingsForm(AppForm):
    name = JoinForm.name
    email = _email_field(_l("Email"))
    phone = _phone_field(_l("Cell or phone number"))
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES, default="", validate_choice=True)
    current_password = PasswordField(
        _l("Current password (needed to change your email)"),
        validators=[Optional(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(AppForm):
    #: Its own id: the settings page has three forms with a current-password field.
    current_password = PasswordField(
        _l("Current password"),
        id="pw_current_password",
        validators=[DataRequired(_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = NewPasswordField()


class DisableTwoFactorForm(AppForm):
    current_password = PasswordField(
        _l("Current password"),
        id="totp_off_current_password",
        validators=[DataRequired(_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class EmptyForm(AppForm):
    """Only the CSRF token (buttons that POST)."""
