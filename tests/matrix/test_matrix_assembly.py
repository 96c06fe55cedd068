"""Attendance sheet, quorum box and resolutions: officers of the body only (domain-rules §5.2
"Attendance / quorum sheets": board ✔, members counts only on the meeting page, OC/ISC/office ✖).

Members of ADL A who are not officers get 403 (they know the meeting); everyone else gets 404:
they may not even learn that A's attendance sheet exists.
"""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.assembly.models import Resolution, ResolutionOutcome
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingKind, MeetingStatus
from tests.matrix.harness import Case, make_matrix_test

OFFICERS_ONLY = {"anonymous": 302, "tenant_a": 403}


def _meeting(w) -> Meeting:
    """A published meeting of ADL A, numbered, starting now."""
    start = clock.now()
    meeting = Meeting(
        body=w.adl_a,
        kind=MeetingKind.SPECIAL,
        title="Assemblée spéciale",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=MeetingStatus.PUBLISHED,
        published_at=start,
        year_number=3,
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _pending_motion(w) -> str:
    meeting = _meeting(w)
    motion = Resolution(
        meeting_id=meeting.id,
        seq=1,
        number="2026-03-01",
        text="que l'association demande de nouvelles serrures",
        moved_by_id=w.paper_member_a.id,
    )
    db.session.add(motion)
    db.session.commit()
    return f"/meetings/{meeting.id}/resolutions/{motion.id}/outcome"


def _recorded_motion(w) -> str:
    meeting = _meeting(w)
    motion = Resolution(
        meeting_id=meeting.id,
        seq=1,
        number="2026-03-01",
        text="que l'association demande de nouvelles serrures",
        moved_by_id=w.paper_member_a.id,
        outcome=ResolutionOutcome.NO_QUORUM,
    )
    db.session.add(motion)
    db.session.commit()
    return f"/meetings/{meeting.id}/resolutions/{motion.id}/correct"


def _last_motion_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(Resolution.id)))


CASES = [
    Case(
        "assembly.sheet",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/attendance",
        expect={**OFFICERS_ONLY, "officer_a": 200},
        default=404,
    ),
    Case(
        "assembly.mark",
        "POST",
        lambda w: f"/meetings/{_meeting(w).id}/attendance/mark",
        data=lambda w: {"member_id": w.paper_member_a.id, "present": "1"},
        expect={**OFFICERS_ONLY, "officer_a": 302},
        default=404,
    ),
    Case(
        "assembly.guests",
        "POST",
        lambda w: f"/meetings/{_meeting(w).id}/attendance/guests",
        data={"guests_count": "3"},
        expect={**OFFICERS_ONLY, "officer_a": 302},
        default=404,
    ),
    Case(
        "assembly.quorum",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/quorum",
        expect={**OFFICERS_ONLY, "officer_a": 200},
        default=404,
    ),
    Case(
        "assembly.resolutions_page",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/resolutions",
        expect={**OFFICERS_ONLY, "officer_a": 200},
        default=404,
    ),
    Case(
        "assembly.resolutions_page",
        "POST",
        lambda w: f"/meetings/{_meeting(w).id}/resolutions",
        label="invalid",
        data={"text": ""},
        expect={**OFFICERS_ONLY, "officer_a": 422},
        default=404,
    ),
    Case(
        "assembly.decide",
        "POST",
        _pending_motion,
        # nobody is marked present: without quorum, "no quorum — not adopted" is the only outcome
        data=lambda w: {f"r{_last_motion_id()}-outcome": "no_quorum"},
        expect={**OFFICERS_ONLY, "officer_a": 302},
        default=404,
    ),
    Case(
        "assembly.correct",
        "POST",
        _recorded_motion,
        label="invalid",
        data=lambda w: {f"c{_last_motion_id()}-reason": ""},
        expect={**OFFICERS_ONLY, "officer_a": 422},
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
