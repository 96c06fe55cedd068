"""Collective needs, tenants' side (issue 13; domain-rules §5.2 "Collective need (individual
submission)": own; the board reads the needs it reviews; §5.3.4: never the office).

A non-sensitive need of S1 (ADL A's site) is seen by S1's tenants (tenant_a, officer_a) and
ADL A's officers; a sensitive one only by its author and ADL A's officers. Nobody else learns
either exists (404): not B or C, not the organizer, the ISC, the direction or the admin, who read
forwarded needs on their own pages. Needs are raised by the president of A (not a matrix role),
so tenant_a and officer_a may say "me too".
"""

import uuid

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tests.matrix.harness import Case, make_matrix_test

TENANTS = {"tenant_a": 200, "officer_a": 200, "tenant_b": 200, "officer_b": 200}
TENANTS |= {"tenant_c": 200, "officer_c": 200}
S1 = {"anonymous": 302, "tenant_a": 200, "officer_a": 200}
OFFICER_A = {"anonymous": 302, "officer_a": 200}


def _need(w, codes=("ALI",), title="Comptoir alimentaire"):
    need = services.raise_need(
        w.president_a, w.s1, title=title, description="Plusieurs familles.", codes=list(codes)
    )
    db.session.commit()
    return need


def _url(suffix="", codes=("ALI",)):
    return lambda w: f"/needs/{_need(w, codes).id}{suffix}"


def _merge_url(w):
    w.target = _need(w, title="Aide alimentaire")
    return f"/needs/{_need(w).id}/merge"


def _new_need(w):
    return {
        "form_key": uuid.uuid4().hex,
        "site_id": w.s1.id,
        "title": "Jardin communautaire",
        "categories": ["JAR"],
        "populations": ["everyone"],
        "urgency": "low",
    }


def _record(w):
    return {
        "form_key": uuid.uuid4().hex,
        "site_id": w.s1.id,
        "title": "Isolement de plusieurs aînés",
        "categories": ["ISO"],
        "populations": ["seniors"],
    }


CASES = [
    Case("needs.index", "GET", lambda w: "/needs", expect={"anonymous": 302}, default=200),
    Case("needs.new", "GET", lambda w: "/needs/new", expect={"anonymous": 302, **TENANTS}),
    Case(
        "needs.new",
        "POST",
        lambda w: "/needs/new",
        data=_new_need,
        # Tenants of other sites cannot choose S1: the form refuses it (422), nothing recorded.
        expect={"anonymous": 302, **dict.fromkeys(TENANTS, 422), "tenant_a": 302, "officer_a": 302},
    ),
    Case(
        "needs.similar",
        "GET",
        lambda w: f"/needs/similar?site_id={w.s1.id}&title=alimentaire",
        expect=S1,
    ),
    Case("needs.show", "GET", _url(), expect=S1, default=404),
    Case(
        "needs.show",
        "GET",
        _url(codes=("SMN",)),
        expect=OFFICER_A,
        default=404,
        label="sensitive",
    ),
    Case(
        "needs.support",
        "POST",
        _url("/support"),
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "needs.comment",
        "POST",
        _url("/comments"),
        data={"text": "Moi aussi, je trouve."},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case("needs.record", "GET", lambda w: "/needs/record", expect={"anonymous": 302, "isc": 200}),
    Case(
        "needs.record",
        "POST",
        lambda w: "/needs/record",
        data=_record,
        expect={"anonymous": 302, "isc": 302},
    ),
    Case(
        "needs.queue",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/needs",
        expect=OFFICER_A,
        default=404,
    ),
    Case("needs.review", "GET", _url("/review"), expect=OFFICER_A, default=404),
    Case(
        "needs.confirm",
        "POST",
        _url("/confirm"),
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "needs.forward",
        "POST",
        _url("/forward"),
        data={"wording": "Un comptoir alimentaire au Parc.", "to_organizer": "y"},
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "needs.merge",
        "POST",
        _merge_url,
        data=lambda w: {"target_id": w.target.id},
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
