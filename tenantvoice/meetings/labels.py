"""Translated labels for the meeting enums (one lazy string per value)."""

from flask_babel import lazy_gettext as _l

from tenantvoice.meetings.models import (
    AgendaItemKind,
    Audience,
    MeetingKind,
    MeetingStatus,
    ProposalStatus,
    RsvpAnswer,
)

MEETING_KIND = {
    MeetingKind.AGM: _l("Annual general meeting"),
    MeetingKind.SPECIAL: _l("Special general meeting"),
    MeetingKind.FOUNDING: _l("Founding meeting"),
    MeetingKind.BOARD: _l("Board or committee meeting"),
    MeetingKind.CCR_TENANTS: _l("CCR meeting (tenants only)"),
    MeetingKind.CCR_JOINT: _l("CCR meeting with the housing office"),
    MeetingKind.ELECTION: _l("Election assembly"),
}

MEETING_STATUS = {
    MeetingStatus.DRAFT: _l("Draft"),
    MeetingStatus.PUBLISHED: _l("Notice sent"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
}

AUDIENCE = {
    Audience.MEMBERS: _l("Members of the body"),
    Audience.SITE_TENANTS: _l("All tenants of the buildings the body covers"),
}

AGENDA_ITEM_KIND = {
    AgendaItemKind.INFORMATION: _l("Information"),
    AgendaItemKind.DISCUSSION: _l("Discussion"),
    AgendaItemKind.DECISION: _l("Decision"),
}

RSVP_ANSWER = {
    RsvpAnswer.YES: _l("I'll come"),
    RsvpAnswer.NO: _l("I can't come"),
    RsvpAnswer.MAYBE: _l("Maybe"),
}

PROPOSAL_STATUS = {
    ProposalStatus.PENDING: _l("Waiting for the officers"),
    ProposalStatus.ACCEPTED: _l("Added to the agenda"),
    ProposalStatus.DECLINED: _l("Declined"),
}
