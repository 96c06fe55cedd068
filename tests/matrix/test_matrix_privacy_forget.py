"""Leaving and the incident register (issue 15). Every signed-in person may open the page that
deletes their own account (and only theirs: the route names no account), but the platform
admin (who first hands the role on: an installation keeps an administrator); the POST in the matrix
gives a wrong password (422) so the world stays whole. The confidentiality incident register is
the platform admin's alone (Q-08): everyone else 403, anonymous to login."""

from datetime import date

from tenantvoice.extensions import db
from tenantvoice.privacy.incidents import Incident
from tests.matrix.harness import Case, make_matrix_test

ADMIN_GET = {"anonymous": 302, "admin": 200}
SIGNED_IN = 200
WRONG_PASSWORD = {"current_password": "not the password", "understood": "y"}


def _incident_url(suffix):
    def url(w):
        incident = Incident(
            occurred_on=date(2026, 2, 20),
            discovered_on=date(2026, 2, 21),
            information="Noms",
            circumstances="Liste oubliée",
            persons_count=2,
            risk_assessment="Faible",
            measures="Liste détruite",
        )
        db.session.add(incident)
        db.session.commit()
        return f"/admin/privacy/incidents/{incident.id}{suffix}"

    return url


CASES = [
    Case(
        "leaving.delete_account",
        "GET",
        lambda w: "/account/delete",
        expect={"anonymous": 302, "admin": 403},
        default=SIGNED_IN,
    ),
    Case(
        "leaving.delete_account",
        "POST",
        lambda w: "/account/delete",
        data=WRONG_PASSWORD,
        expect={"anonymous": 302, "admin": 403},
        default=422,
    ),
    Case(
        "incidents.index",
        "GET",
        lambda w: "/admin/privacy/incidents",
        expect=ADMIN_GET,
        default=403,
    ),
    Case(
        "incidents.new",
        "GET",
        lambda w: "/admin/privacy/incidents/new",
        expect=ADMIN_GET,
        default=403,
    ),
    Case("incidents.edit", "GET", _incident_url("/edit"), expect=ADMIN_GET, default=403),
]

test_matrix = make_matrix_test(CASES)
