"""Office consultation pages (domain-rules §5.2 "Office consultation (7-day)": tenants read, the
CCR reads and responds, the organizer reads, the ISC never, the office creates; §5.3 item 3: the
office never reads the CCR's discussion).

The world's CCR (office P1, sites S1 and S2) has no member among the matrix roles: the tenants
and officers of A and B live on its sites and read the consultation; nobody here may comment or
record the CCR's answer (403 for the readers, 404 for everyone else). tests/consultations checks
the CCR's own members and officers."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.consultations import services
from tenantvoice.consultations.models import ConsultationKind
from tenantvoice.extensions import db
from tests.matrix.harness import Case, make_matrix_test
from tests.minutes.helpers import in_request

READERS = ("tenant_a", "officer_a", "tenant_b", "officer_b", "oc", "direction")


def _consultation(w):
    with in_request():
        consultation = services.submit(
            w.direction,
            w.ccr,
            kind=ConsultationKind.RULE,
            title="Règlement des salles communautaires",
            text="Projet de règlement.",
            decision_date=(clock.now() + timedelta(days=10)).date(),
        )
    db.session.commit()
    return consultation


def _url(suffix=""):
    return lambda w: f"/consultations/{_consultation(w).id}{suffix}"


def _for(readers_status, **more):
    return {"anonymous": 302, **dict.fromkeys(READERS, readers_status), **more}


CASES = [
    Case(
        "consultations.office_list",
        "GET",
        lambda w: "/office/consultations",
        expect={"anonymous": 302, "direction": 200, "direction_other": 200},
        default=403,
    ),
    Case(
        "consultations.new",
        "GET",
        lambda w: "/office/consultations/new",
        expect={"anonymous": 302, "direction": 200},
        default=403,
    ),
    Case(
        "consultations.new",
        "POST",
        lambda w: "/office/consultations/new",
        data=lambda w: {
            "ccr_id": w.ccr.id,
            "kind": "policy",
            "title": "Politique",
            "text": "Projet.",
            "decision_date": (clock.now() + timedelta(days=10)).date().isoformat(),
        },
        expect={"anonymous": 302, "direction": 302},
        default=403,
    ),
    Case("consultations.show", "GET", _url(), expect=_for(200), default=404),
    Case(
        "consultations.comment",
        "POST",
        _url("/comments"),
        data=lambda w: {"text": "Un commentaire"},
        expect=_for(403),
        default=404,
    ),
    Case("consultations.answer", "GET", _url("/answer"), expect=_for(403), default=404),
    Case(
        "consultations.answer",
        "POST",
        _url("/answer"),
        data=lambda w: {"text": "Réponse"},
        expect=_for(403),
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
