"""The notification settings form: one choice per kind and channel (built from the registered
kinds), quiet hours, fuller email content."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from tenantvoice.notifications.models import CHANNEL_FREQUENCIES, Channel, Frequency
from tenantvoice.web.forms import AppForm

CHANNEL_LABELS = {
    Channel.APP: _l("In the app"),
    Channel.PUSH: _l("On my phone"),
    Channel.EMAIL: _l("By email"),
}
FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("Right away"),
    Frequency.DAILY: _l("Once a day, in a summary"),
    Frequency.WEEKLY: _l("Once a week, in a summary"),
    Frequency.NEVER: _l("Never"),
}

#: In the one-line summary of a kind's choices.
SHORT_FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("right away"),
    Frequency.DAILY: _l("daily summary"),
    Frequency.WEEKLY: _l("weekly summary"),
    Frequency.NEVER: _l("off"),
}


def field_name(kind_key: str, channel: Channel) -> str:
    return f"pref__{kind_key.replace('.', '__')}__{channel}"


class SettingsForm(AppForm):
    quiet_start = TimeField(
        _l("Quiet hours start"), validators=[InputRequired(message=_l("Enter a time."))]
    )
    quiet_end = TimeField(
        _l("Quiet hours end"), validators=[InputRequired(message=_l("Enter a time."))]
    )
    email_details = BooleanField(
        _l("Emails may say what it is about (a meeting's title, date and place)")
    )


def settings_form(kinds, current: dict, **kwargs) -> SettingsForm:
    """A SettingsForm with one select per registered kind × channel, filled with `current`."""

    class Form(SettingsForm):
        pass

    for key in kinds:
        for channel in Channel:
            choices = [
                SelectChoice(f.value, FREQUENCY_LABELS[f]) for f in CHANNEL_FREQUENCIES[channel]
            ]
            setattr(
                Form,
                field_name(key, channel),
                SelectField(
                    CHANNEL_LABELS[channel],
                    choices=choices,
                    default=current[(key, channel)].value,
                    validate_choice=True,
                ),
            )
    return Form(**kwargs)


def chosen(form, kinds) -> dict[tuple[str, Channel], Frequency]:
    return {
        (key, channel): Frequency(form[field_name(key, channel)].data)
        for key in kinds
        for channel in Channel
    }
