"""The usual agenda of each kind of meeting (Code Morin practice, domain-rules M2 and A3).

Titles are translated in the officer's language when the meeting is created and stored as text:
from then on they are the body's own data, edited like any other item.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tenantvoice.meetings.models import AgendaItemKind, MeetingKind

INFO, DISC, DECI = AgendaItemKind.INFORMATION, AgendaItemKind.DISCUSSION, AgendaItemKind.DECISION

OPENING = (_l("Opening of the meeting"), INFO)
CHAIR_SECRETARY = (_l("Appointment of a meeting chair and a recording secretary"), DECI)
QUORUM = (_l("Establishing quorum"), INFO)
AGENDA = (_l("Reading and adoption of the agenda"), DECI)
MINUTES = (_l("Reading and approval of the minutes of the previous meeting"), DECI)
BUSINESS_ARISING = (_l("Business arising from the minutes"), DISC)
PRESIDENT_REPORT = (_l("President's report"), INFO)
TREASURER_REPORT = (_l("Treasurer's report"), INFO)
REPORTS = (_l("Reports"), INFO)
ELECTIONS = (_l("Elections"), DECI)
OTHER_BUSINESS = (_l("Other business"), DISC)
ADJOURNMENT = (_l("Adjournment"), INFO)
#: A stand-in the officers must replace with the subject of the call before the notice goes out.
SUBJECT_OF_THE_CALL = (_l("Subject of the call"), DECI)

TEMPLATES = {
    MeetingKind.AGM: [
        OPENING,
        CHAIR_SECRETARY,
        QUORUM,
        AGENDA,
        MINUTES,
        BUSINESS_ARISING,
        PRESIDENT_REPORT,
        TREASURER_REPORT,
        ELECTIONS,
        OTHER_BUSINESS,
        ADJOURNMENT,
    ],
    # No "other business" at a special meeting: only the subjects of the call.
    MeetingKind.SPECIAL: [
        OPENING,
        CHAIR_SECRETARY,
        QUORUM,
        AGENDA,
        SUBJECT_OF_THE_CALL,
        ADJOURNMENT,
    ],
    MeetingKind.FOUNDING: [
        OPENING,
        CHAIR_SECRETARY,
        QUORUM,
        AGENDA,
        (_l("Role of a tenants' association"), INFO),
        (_l("Adoption of the by-laws"), DECI),
        (_l("Election of the board of directors"), DECI),
        ADJOURNMENT,
    ],
    MeetingKind.BOARD: [
        OPENING,
        QUORUM,
        AGENDA,
        MINUTES,
        BUSINESS_ARISING,
        REPORTS,
        OTHER_BUSINESS,
        ADJOURNMENT,
    ],
    MeetingKind.CCR_TENANTS: [
        OPENING,
        QUORUM,
        AGENDA,
        MINUTES,
        BUSINESS_ARISING,
        (_l("Reports from the tenants' associations"), INFO),
        OTHER_BUSINESS,
        ADJOURNMENT,
    ],
    MeetingKind.CCR_JOINT: [
        OPENING,
        QUORUM,
        AGENDA,
        MINUTES,
        BUSINESS_ARISING,
        (_l("Housing office's report"), INFO),
        (_l("Recommendations to the housing office"), DECI),
        OTHER_BUSINESS,
        ADJOURNMENT,
    ],
    MeetingKind.ELECTION: [
        OPENING,
        CHAIR_SECRETARY,
        QUORUM,
        AGENDA,
        (_l("Appointment of an election officer"), DECI),
        ELECTIONS,
        ADJOURNMENT,
    ],
}


def items_for(kind: MeetingKind) -> list[tuple[str, AgendaItemKind]]:
    """(title translated now, kind) for each usual item of this kind of meeting."""
    return [(str(title), item_kind) for title, item_kind in TEMPLATES[kind]]


def _in_every_language(title) -> frozenset[str]:
    """The usual title as stored in any language the app speaks (folded for comparison)."""
    titles = set()
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            titles.add(str(title).strip().casefold())
    return frozenset(titles)


def _folded(title: str) -> str:
    return " ".join((title or "").split()).casefold()


def is_closing_item(title: str) -> bool:
    """The item that closes a meeting ("Levée de l'assemblée" / "Adjournment"), in any language:
    new items go before it."""
    return _folded(title) in _in_every_language(ADJOURNMENT[0])


def is_placeholder(title: str) -> bool:
    """An item still holding a stand-in title ("Sujet de la convocation") that the officers
    must replace before the notice goes out."""
    return _folded(title) in _in_every_language(SUBJECT_OF_THE_CALL[0])
