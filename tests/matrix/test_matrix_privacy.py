"""Privacy routes (issue 15): the policy and its schema for everyone; the person's own privacy
page, consents and export for whoever is signed in, each for themselves; a download for its
owner alone."""

from tenantvoice.privacy import export
from tests.matrix.harness import ROLES, Case, make_matrix_test

SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}


def _tenant_a_export(w):
    row = export.request_export(w.tenant_a)
    export.fill(row)
    return f"/account/privacy/export/{row.id}.json"


CASES = [
    Case("privacy.policy", "GET", lambda w: "/privacy", default=200),
    Case("privacy.export_schema", "GET", lambda w: "/privacy/export.schema.json", default=200),
    Case(
        "privacy.mine", "GET", lambda w: "/account/privacy", expect={"anonymous": 302}, default=200
    ),
    Case(
        "privacy.consent",
        "POST",
        lambda w: "/account/privacy/consent",
        data={"purpose": "need_text_to_organizer", "given": "1"},
        expect={"anonymous": 302},
        default=302,
    ),
    Case(
        "privacy.request_export",
        "POST",
        lambda w: "/account/privacy/export",
        expect={"anonymous": 302},
        default=302,
    ),
    Case(
        "privacy.download",
        "GET",
        _tenant_a_export,
        expect={"anonymous": 302, "tenant_a": 200},
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
