"""Labels of the recommendations domain's values, in the reader's language."""

from flask_babel import lazy_gettext as _l

from tenantvoice.recommendations.models import (
    AmendmentStatus,
    Answer,
    Category,
    EventKind,
    Status,
)

CATEGORY = {
    Category.MAINTENANCE: _l("Maintenance and repairs"),
    Category.SAFETY: _l("Safety"),
    Category.RULES: _l("Rules and policies"),
    Category.BUDGET: _l("Budget"),
    Category.QUALITY_OF_LIFE: _l("Quality of life"),
    Category.COMMUNITY: _l("Community activities"),
    Category.OTHER: _l("Other"),
}

STATUS = {
    Status.DRAFT: _l("Draft"),
    Status.VOTING: _l("Being voted on"),
    Status.ADOPTED: _l("Adopted"),
    Status.REJECTED: _l("Rejected"),
    Status.TRANSMITTED: _l("Transmitted, awaiting an answer"),
    Status.UNDER_STUDY: _l("Under study by the office"),
    Status.ACCEPTED: _l("Accepted by the office"),
    Status.PARTLY_ACCEPTED: _l("Partly accepted by the office"),
    Status.REFUSED: _l("Refused by the office"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.DONE: _l("Done"),
}

ANSWER = {
    Answer.ACCEPTED: _l("Accepted"),
    Answer.PARTLY_ACCEPTED: _l("Partly accepted"),
    Answer.REFUSED: _l("Refused"),
    Answer.UNDER_STUDY: _l("Under study"),
}

AMENDMENT = {
    AmendmentStatus.PROPOSED: _l("Proposed"),
    AmendmentStatus.ACCEPTED: _l("Accepted into the text"),
    AmendmentStatus.DECLINED: _l("Not kept"),
}

EVENT = {
    EventKind.DRAFTED: _l("Drafted"),
    EventKind.VERSION: _l("New version of the text"),
    EventKind.VOTE_OPENED: _l("Vote opened"),
    EventKind.ADOPTED: _l("Adopted by vote"),
    EventKind.REJECTED: _l("Rejected by vote"),
    EventKind.NO_QUORUM: _l("Vote without quorum: back to draft"),
    EventKind.SENT_TO_CCR: _l("Sent to the resident advisory committee (CCR)"),
    EventKind.TAKEN_UP: _l("Taken up by the resident advisory committee (CCR)"),
    EventKind.TRANSMITTED: _l("Transmitted to the housing office's direction"),
    EventKind.ANSWERED: _l("The office answered"),
    EventKind.FOLLOW_UP: _l("Follow-up"),
    EventKind.OVERDUE: _l("Answer overdue"),
}
