"""The designations page of an association (issue 11, C2): its officers link the CCR seats it
designated to the designating resolution. Members who are not officers get 403, everyone else
404 (they may not learn who the association designated)."""

from datetime import date

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Member, SeatSource
from tests import factories as f
from tests.matrix.harness import Case, make_matrix_test
from tests.minutes.helpers import make_resolution


def _seat(w) -> Member:
    w.adl_a.recognized_on = date(2024, 5, 1)
    entry = f.make_member(body=w.ccr, name="Déléguée du Parc")
    entry.seat_source = SeatSource.DESIGNATED
    entry.designated_by_id = w.adl_a.id
    meeting = f.make_meeting(body=w.adl_a)
    meeting.year_number = 1
    w.resolution = make_resolution(meeting, text="que Mme X soit déléguée au CCR")
    db.session.commit()
    return entry


OFFICER_ONLY = {"anonymous": 302, "tenant_a": 403, "officer_a": 200}

CASES = [
    Case(
        "designations.index",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/designations",
        expect=OFFICER_ONLY,
        default=404,
    ),
    Case(
        "designations.link",
        "POST",
        lambda w: f"/bodies/{w.adl_a.id}/designations/{_seat(w).id}",
        data=lambda w: {
            f"m{db.session.scalar(db.select(Member.id).where(Member.name == 'Déléguée du Parc'))}"
            "-resolution_id": w.resolution.id
        },
        expect={**OFFICER_ONLY, "officer_a": 302},
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
