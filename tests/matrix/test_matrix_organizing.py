"""The organizer's dashboard and the direction's page (issue 13; domain-rules §5.2 "Collective
needs dashboard": OC ✔ territory, aggregated; direction P: what a body sent).

The OC of R1 covers P1 and P2: it opens and acts on needs forwarded to it from S1; the OC of
R2 has a dashboard of its own (empty here) and gets 404 on R1's needs. The partner directory is
read by OCs and ISCs, kept by OCs of the region. The direction of P1 and P2 each read their own
page. Tenants, officers, the admin and accounts without a role get 403.
"""

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.needs.models import Partner, PartnerKind
from tests.matrix.harness import Case, make_matrix_test

OCS = {"anonymous": 302, "oc": 200, "oc_other": 200}


def _forwarded(w, codes=("ALI",)):
    need = services.raise_need(w.president_a, w.s1, title="Comptoir alimentaire", codes=list(codes))
    services.forward(w.officer_a, need, wording="Un comptoir au Parc.", to_organizer=True)
    db.session.commit()
    return need


def _partner(w):
    partner = Partner(region_id=w.r1.id, kind=PartnerKind.COMMUNITY, name="Banque alimentaire")
    db.session.add(partner)
    db.session.commit()
    return partner


def _card(w):
    _forwarded(w, ("SMN",))
    return f"/organizing/cards/{w.s1.id}/SMN"


CASES = [
    Case("organizing.dashboard", "GET", lambda w: "/organizing/needs", expect=OCS),
    Case("organizing.places", "GET", lambda w: "/organizing/needs/all/site", expect=OCS),
    Case(
        "organizing.need",
        "GET",
        lambda w: f"/organizing/needs/{_forwarded(w).id}",
        expect={"anonymous": 302, "oc": 200},
        default=404,
    ),
    Case(
        "organizing.act",
        "POST",
        lambda w: f"/organizing/needs/{_forwarded(w).id}/act",
        data={"action": "acknowledge", "public_text": "Bien reçu."},
        expect={"anonymous": 302, "oc": 302},
        default=404,
    ),
    Case(
        "organizing.card",
        "GET",
        _card,
        expect={"anonymous": 302, "oc": 200, "oc_other": 404},
    ),
    Case(
        "organizing.card",
        "POST",
        _card,
        data={"action": "acknowledge"},
        expect={"anonymous": 302, "oc": 302, "oc_other": 404},
    ),
    Case(
        "organizing.partners",
        "GET",
        lambda w: "/organizing/partners",
        expect={**OCS, "isc": 200},
    ),
    Case(
        "organizing.partners",
        "POST",
        lambda w: "/organizing/partners",
        data=lambda w: {"region_id": w.r1.id, "name": "Popote roulante", "kind": "community"},
        # The OC of R2 cannot add to R1's directory: the region is not among its choices.
        expect={"anonymous": 302, "oc": 302, "oc_other": 422},
    ),
    Case("organizing.statistics", "GET", lambda w: "/organizing/statistics", expect=OCS),
    Case("organizing.statistics_csv", "GET", lambda w: "/organizing/statistics.csv", expect=OCS),
    Case(
        "organizing.direction",
        "GET",
        lambda w: "/organizing/direction",
        expect={"anonymous": 302, "direction": 200, "direction_other": 200},
    ),
]

test_matrix = make_matrix_test(CASES)
