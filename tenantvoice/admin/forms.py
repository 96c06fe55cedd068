"""Forms of the platform administration."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice as Opt
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from tenantvoice.accounts.models import StaffRole
from tenantvoice.orgs import labels
from tenantvoice.web.forms import (
    EMAIL_RE,
    AppForm,
    WholeNumberField,
    form_key_field,
    plausible_date,
)
from tenantvoice.web.forms import int_or_none as _int_or_none
from tenantvoice.web.forms import strip as _strip


class RegionForm(AppForm):
    form_key = form_key_field()
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
    )


class ProviderForm(AppForm):
    form_key = form_key_field()
    region_id = SelectField(
        _l("Region"), coerce=_int_or_none, validators=[DataRequired(_l("Choose a region."))]
    )
    kind = SelectField(_l("Kind"), choices=labels.choices(labels.PROVIDER_KIND))
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=160, message=_l("At most 160 characters.")),
        ],
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id.choices = [Opt(r.id, r.name) for r in regions]
        self.kind.choices = labels.choices(labels.PROVIDER_KIND)


class SiteForm(AppForm):
    form_key = form_key_field()
    provider_id = SelectField(
        _l("Housing provider"),
        coerce=_int_or_none,
        validators=[DataRequired(_l("Choose a housing provider."))],
    )
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=160, message=_l("At most 160 characters.")),
        ],
    )
    address = StringField(
        _l("Address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the address.")),
            Length(max=255, message=_l("At most 255 characters.")),
        ],
    )
    units_count = WholeNumberField(
        _l("Number of units"),
        validators=[
            DataRequired(_l("Enter a number.")),
            NumberRange(min=1, max=5000, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    program = StringField(
        _l("Program"),
        default="HLM",
        filters=[_strip],
        validators=[Length(max=20, message=_l("At most 20 characters."))],
    )

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.provider_id.choices = [Opt(p.id, p.name) for p in providers]


class StaffForm(AppForm):
    form_key = form_key_field()
    email = EmailField(
        _l("Email of the person's account"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter an email address.")),
            Regexp(EMAIL_RE, message=_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=labels.choices(labels.STAFF_ROLE))
    region_id = SelectField(_l("Region (scope)"), coerce=_int_or_none, validators=[Optional()])
    provider_id = SelectField(
        _l("Housing provider (scope)"), coerce=_int_or_none, validators=[Optional()]
    )
    employer = StringField(
        _l("Employer (optional)"),
        filters=[_strip],
        validators=[Length(max=160, message=_l("At most 160 characters."))],
    )

    def __init__(self, *args, regions=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = labels.choices(labels.STAFF_ROLE)
        self.region_id.choices = [Opt(None, _l("None"))] + [Opt(r.id, r.name) for r in regions]
        self.provider_id.choices = [Opt(None, _l("None"))] + [Opt(p.id, p.name) for p in providers]

    def validate(self, extra_validators=None):
        """The direction always has a provider; OC and ISC a region or a provider."""
        valid = super().validate(extra_validators)
        role = self.role.data
        if role == StaffRole.DIRECTION.value and not self.provider_id.data:
            self.provider_id.errors = [
                *self.provider_id.errors,
                _l("The housing office's management needs a housing provider."),
            ]
            valid = False
        if (
            role in (StaffRole.OC.value, StaffRole.ISC.value)
            and not self.provider_id.data
            and not self.region_id.data
        ):
            self.region_id.errors = [
                *self.region_id.errors,
                _l("Choose a region or a housing provider."),
            ]
            valid = False
        return valid


# --- editing what exists (issue 9): the creation forms without the field that moves a record
# between scopes (a provider's region, a site's provider) ---------------------------------------


def region_edit_form(region) -> RegionForm:
    form = RegionForm(obj=region)
    del form.form_key  # editing changes a record in place: nothing to claim
    return form


def provider_edit_form(provider) -> ProviderForm:
    form = ProviderForm(obj=provider, regions=[])
    del form.region_id, form.form_key
    if not form.is_submitted():
        form.kind.data = provider.kind.value
    return form


def site_edit_form(site) -> SiteForm:
    form = SiteForm(obj=site, providers=[])
    del form.provider_id, form.form_key
    return form


class BodyEditForm(AppForm):
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=160, message=_l("At most 160 characters.")),
        ],
    )
    recognized_on = DateField(
        _l("Recognized by the office on (optional)"), validators=[Optional(), plausible_date]
    )


def body_edit_form(body) -> BodyEditForm:
    return BodyEditForm(obj=body)


class SecondFactorResetForm(AppForm):
    identity_checked = BooleanField(
        _l(
            "I checked that this person is asking: in person, or by calling them back at a "
            "number I already knew"
        ),
        validators=[DataRequired(_l("Check who is asking before resetting."))],
    )
