"""Translated labels for the organization enums (one `_l()` per value)."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from tenantvoice.accounts.models import StaffRole
from tenantvoice.orgs.models import (
    BodyKind,
    Franchise,
    MemberRole,
    MinutesAudience,
    ProviderKind,
    QuorumBase,
    QuorumMode,
    SeatSource,
)

BODY_KIND = {
    BodyKind.ADL: _l("Tenants' association (ADL)"),
    BodyKind.CCR: _l("Residents' advisory committee (CCR)"),
    BodyKind.OFFICE_BOARD: _l("Board of the housing office"),
    BodyKind.COMMITTEE: _l("Committee"),
}

PROVIDER_KIND = {
    ProviderKind.OFFICE: _l("Housing office"),
    ProviderKind.OBNL: _l("Non-profit housing (OBNL)"),
    ProviderKind.COOP: _l("Housing co-operative"),
}

MEMBER_ROLE = {
    MemberRole.MEMBER: _l("Member"),
    MemberRole.PRESIDENT: _l("President"),
    MemberRole.VICE_PRESIDENT: _l("Vice-president"),
    MemberRole.SECRETARY: _l("Secretary"),
    MemberRole.TREASURER: _l("Treasurer"),
    MemberRole.BODY_ADMIN: _l("Board member"),
    MemberRole.TENANT_DIRECTOR: _l("Tenant director"),
}

SEAT_SOURCE = {
    SeatSource.ELECTED: _l("Elected"),
    SeatSource.EX_OFFICIO: _l("Ex officio"),
    SeatSource.DESIGNATED: _l("Designated by an association"),
    SeatSource.APPOINTED: _l("Appointed by the office"),
    SeatSource.COOPTED: _l("Co-opted"),
    SeatSource.REGISTERED: _l("Registered member"),
}

QUORUM_MODE = {
    QuorumMode.NUMBER: _l("A fixed number of people"),
    QuorumMode.PERCENT: _l("A percentage"),
}

QUORUM_BASE = {
    QuorumBase.ADULTS: _l("Adult members of the register"),
    QuorumBase.UNITS: _l("Units represented"),
}

FRANCHISE = {
    Franchise.ADULT: _l("Each adult member votes"),
    Franchise.UNIT: _l("One vote per unit"),
}

MINUTES_AUDIENCE = {
    MinutesAudience.MEMBERS: _l("Members of the body"),
    MinutesAudience.SITE_TENANTS: _l("All tenants of the sites covered"),
}

STAFF_ROLE = {
    StaffRole.OC: _l("Community organizer (OC)"),
    StaffRole.ISC: _l("Socio-community worker (ISC)"),
    StaffRole.DIRECTION: _l("Housing office management"),
    StaffRole.ADMIN: _l("Platform administrator"),
}


def choices(labels: dict) -> list[SelectChoice]:
    """Select options for an enum, in the order of the dict."""
    return [SelectChoice(value.value, label) for value, label in labels.items()]
