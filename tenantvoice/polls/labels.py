"""Translated labels of the poll form's options (one lazy string per value)."""

from flask_babel import lazy_gettext as _l

from tenantvoice.ballots.models import Audience

AUDIENCE = {
    Audience.MEMBERS: _l("The members of the body"),
    Audience.SITES: _l("Every tenant of the buildings chosen below"),
    Audience.PROVIDER: _l("Every tenant of the housing provider"),
}

RESULTS = {
    "after": _l("After closing (recommended)"),
    "live": _l("While the poll is open (named polls only)"),
}

PRINT_LANGUAGES = {"fr": _l("French"), "en": _l("English"), "both": _l("French and English")}
