"""The organizers' logbook (issue 14): ISCs and OCs record and read their own interventions;
the coordinator of a region (an explicit flag an admin grants; here the OC of R1 when a case
says so) reads every record of the region; tenants, officers, the direction, the admin and
accounts without a role never reach the logbook (403). Another worker's record does not exist
for a worker who may not read it (404).
"""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.logbook.models import Kind
from tenantvoice.orgs.models import StaffAssignment
from tests.logbook.helpers import make_coordinator, record, today
from tests.matrix.harness import Case, make_matrix_test

WORKERS = {"anonymous": 302, "oc": 200, "oc_other": 200, "isc": 200}


def _isc_record(w):
    return record(w.isc, w.s1)


def _coordinated_record(w):
    """A record of the ISC in R1, whose OC coordinates the region."""
    make_coordinator(w.oc)
    return _isc_record(w)


def _as_coordinator(url):
    def make(w):
        make_coordinator(w.oc)
        return url

    return make


def _form(w):
    return {
        "day": today().isoformat(),
        "site_id": w.s1.id,
        "kinds": [str(int(Kind.COLLECTIVE))],
        "populations": ["seniors"],
        "people": "12",
        "duration_minutes": "60",
        "need_id": "0",
        "body_id": "0",
    }


def _new_form(w):
    # A fresh key per request: the form is new each time. Only the ISC covers S1's provider
    # among those who may post; the OCs of R1 do too (R1 covers P1); R2's OC does not.
    return {**_form(w), "form_key": "0123456789abcdef0123456789abcdef"}


def _admin_grant(w):
    assignment = db.session.scalar(
        sa.select(StaffAssignment).where(StaffAssignment.user_id == w.oc.id)
    )
    return f"/admin/staff/{assignment.id}/coordinator"


CASES = [
    Case("logbook.index", "GET", lambda w: "/logbook/", expect=WORKERS),
    Case("logbook.new", "GET", lambda w: "/logbook/new", expect=WORKERS),
    Case(
        "logbook.new",
        "POST",
        lambda w: "/logbook/new",
        data=_new_form,
        # R2's OC has no such site among its choices: the form answers 422.
        expect={"anonymous": 302, "oc": 302, "isc": 302, "oc_other": 422},
    ),
    Case(
        "logbook.show",
        "GET",
        lambda w: f"/logbook/{_coordinated_record(w).id}",
        expect={"anonymous": 302, "isc": 200, "oc": 200, "oc_other": 404},
    ),
    Case(
        "logbook.show",
        "GET",
        lambda w: f"/logbook/{_isc_record(w).id}",
        expect={"anonymous": 302, "isc": 200, "oc": 404, "oc_other": 404},
        label="plain regional scope",
    ),
    Case(
        "logbook.edit",
        "GET",
        lambda w: f"/logbook/{_coordinated_record(w).id}/edit",
        # The coordinator reads, never edits.
        expect={"anonymous": 302, "isc": 200, "oc": 403, "oc_other": 404},
    ),
    Case(
        "logbook.edit",
        "POST",
        lambda w: f"/logbook/{_isc_record(w).id}/edit",
        data=_form,
        expect={"anonymous": 302, "isc": 302, "oc": 404, "oc_other": 404},
    ),
    Case(
        "logbook.delete",
        "POST",
        lambda w: f"/logbook/{_coordinated_record(w).id}/delete",
        expect={"anonymous": 302, "isc": 302, "oc": 403, "oc_other": 404},
    ),
    Case(
        "logbook.region",
        "GET",
        _as_coordinator("/logbook/region"),
        expect={"anonymous": 302, "oc": 200},
    ),
    Case(
        "logbook.statistics",
        "GET",
        lambda w: _as_coordinator(f"/logbook/statistics?region={w.r1.id}")(w),
        expect={"anonymous": 302, "oc": 200},
        label="region",
    ),
    Case("logbook.statistics", "GET", lambda w: "/logbook/statistics", expect=WORKERS),
    Case("logbook.statistics_print", "GET", lambda w: "/logbook/statistics/print", expect=WORKERS),
    Case("logbook.statistics_csv", "GET", lambda w: "/logbook/statistics.csv", expect=WORKERS),
    Case(
        "admin.staff_coordinator",
        "POST",
        _admin_grant,
        data={"coordinator": "1"},
        expect={"anonymous": 302, "admin": 302},
    ),
]

test_matrix = make_matrix_test(CASES)
