"""The collective-needs taxonomy (glossary §4): code, label, usual responder, sensitivity.

Sensitive categories (H) are seen in full only by the author and the reviewing body's officers;
beyond them they exist only as counts per site and category, "fewer than 5" under 5.
COH is H "if it names people": it is treated as sensitive throughout (the safe reading).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tenantvoice.needs.models import EventKind, PartnerKind, Population, Priority, Status, Urgency


@dataclass(frozen=True)
class Category:
    code: str
    label: object
    responder: object
    sensitive: bool
    office: bool  #: usually the housing office's to act on (repairs, safety, shared facilities)


CATEGORIES = [
    Category("ENT", _l("Maintenance and repairs"), _l("The housing office"), False, True),
    Category(
        "VER",
        _l("Pests and vermin"),
        _l("The housing office, with the ISC or the organizer"),
        True,
        True,
    ),  # noqa: E501
    Category(
        "SAL",
        _l("Sanitation, air quality and heat"),
        _l("The housing office and public health"),
        False,
        True,
    ),  # noqa: E501
    Category(
        "SEC",
        _l("Safety, security and lighting"),
        _l("The housing office, the police and the association"),
        False,
        True,
    ),  # noqa: E501
    Category(
        "COH",
        _l("Coexistence, neighbourliness and conflicts"),
        _l("The organizer (group mediation)"),
        True,
        False,
    ),  # noqa: E501
    Category("ALI", _l("Food security"), _l("The organizer and community groups"), False, False),
    Category(
        "ISO",
        _l("Social isolation"),
        _l("The organizer, the ISC and the association"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "AIN",
        _l("Seniors: loss of autonomy and ageing in place"),
        _l("The ISC and the CISSS"),
        True,
        False,
    ),  # noqa: E501
    Category("SMN", _l("Mental health"), _l("The ISC and the CISSS"), True, False),
    Category(
        "DEP", _l("Substance use"), _l("The ISC, the CISSS and community groups"), True, False
    ),  # noqa: E501
    Category(
        "JEU",
        _l("Youth, families and school success"),
        _l("The organizer, schools and community groups"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "VIE",
        _l("Community life, recreation and community room"),
        _l("The association"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "JAR",
        _l("Gardens, greening and environment"),
        _l("The association and the organizer"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "TRA", _l("Transport and mobility"), _l("The organizer and the municipality"), False, False
    ),  # noqa: E501
    Category(
        "EMP",
        _l("Employment and social integration"),
        _l("The organizer and employment services"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "BUD",
        _l("Budget and financial hardship"),
        _l("The ISC and budget counselling groups"),
        True,
        False,
    ),  # noqa: E501
    Category(
        "INF",
        _l("Information, access to services and digital literacy"),
        _l("The ISC, the organizer and the association"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "DRO",
        _l("Tenant rights, lease and building rules"),
        _l("The CCR and the federation"),
        False,
        False,
    ),  # noqa: E501
    Category(
        "ACC",
        _l("Welcoming, integration and intercultural relations"),
        _l("The organizer and the association"),
        False,
        False,
    ),  # noqa: E501
    Category("ACS", _l("Universal accessibility"), _l("The housing office"), False, True),
    Category(
        "EQU",
        _l("Shared facilities (laundry, parking, elevators, notice boards)"),
        _l("The housing office and the association"),
        False,
        True,
    ),  # noqa: E501
    Category("AUT", _l("Other"), _l("The organizer"), False, False),
]

BY_CODE = {c.code: c for c in CATEGORIES}
CODES = [c.code for c in CATEGORIES]
SENSITIVE = frozenset(c.code for c in CATEGORIES if c.sensitive)

#: Each category's bit in `Need.category_mask` (stored: never reorder or reuse; a new category
#: takes the next bit). The mask lets the dashboard and the statistics count every category in
#: one pass over a covering index, instead of joining need_categories (issue 13, province size).
BIT_ORDER = (
    "ENT", "VER", "SAL", "SEC", "COH", "ALI", "ISO", "AIN", "SMN", "DEP", "JEU",
    "VIE", "JAR", "TRA", "EMP", "BUD", "INF", "DRO", "ACC", "ACS", "EQU", "AUT",
)  # fmt: skip
BIT = {code: 1 << i for i, code in enumerate(BIT_ORDER)}


def mask(codes: Iterable[str]) -> int:
    """The `category_mask` of a need of these categories."""
    out = 0
    for code in codes:
        out |= BIT[code]
    return out


def label(code: str) -> object:
    category = BY_CODE.get(code)
    return category.label if category else code


POPULATION = {
    Population.EVERYONE: _l("Everyone"),
    Population.FAMILIES: _l("Families and children"),
    Population.YOUTH: _l("Youth"),
    Population.SENIORS: _l("Seniors"),
    Population.ALONE: _l("People living alone"),
    Population.NEWCOMERS: _l("Newcomers"),
    Population.DISABILITIES: _l("People with disabilities"),
}

URGENCY = {
    Urgency.LOW: _l("It can wait"),
    Urgency.MEDIUM: _l("Soon"),
    Urgency.HIGH: _l("Pressing"),
}

PRIORITY = {
    Priority.NORMAL: _l("Normal"),
    Priority.HIGH: _l("High"),
    Priority.URGENT: _l("Urgent"),
}

STATUS = {
    Status.RAISED: _l("Waiting for the association"),
    Status.CONFIRMED: _l("Confirmed by the association"),
    Status.FORWARDED: _l("Forwarded"),
    Status.ACKNOWLEDGED: _l("Received by the organizer"),
    Status.INFO_REQUESTED: _l("More information requested"),
    Status.REFERRED: _l("Referred to a partner"),
    Status.ACTION_PLANNED: _l("Collective action planned"),
    Status.CLOSED: _l("Closed"),
    Status.MERGED: _l("Merged with another need"),
}

#: The timeline in plain words, for the site's tenants.
EVENT = {
    EventKind.RAISED: _l("A tenant raised this need."),
    EventKind.RECORDED: _l("A community worker recorded this problem lived by several residents."),
    EventKind.CONFIRMED: _l("The association confirmed this need."),
    EventKind.MERGED: _l("A similar need was merged into this one; its supporters were kept."),
    EventKind.MERGED_INTO: _l("This need was merged into a similar one."),
    EventKind.FORWARDED: _l("The association forwarded this need."),
    EventKind.ACKNOWLEDGED: _l("The community organizer received this need."),
    EventKind.INFO_REQUESTED: _l(
        "The community organizer asked the association for more information."
    ),  # noqa: E501
    EventKind.REFERRED: _l("The community organizer referred this need to a partner organization."),  # noqa: E501
    EventKind.ACTION_PLANNED: _l("A collective action is planned."),
    EventKind.CLOSED: _l("This need was closed."),
}

PARTNER_KIND = {
    PartnerKind.CISSS: _l("CISSS service"),
    PartnerKind.COMMUNITY: _l("Community organization"),
    PartnerKind.MUNICIPAL: _l("Municipal service"),
}
