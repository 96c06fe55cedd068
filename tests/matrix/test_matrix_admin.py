"""Administration routes: the platform admin only (everyone else 403, anonymous to login)."""

from tests.matrix.harness import Case, make_matrix_test

ADMIN_GET = {"anonymous": 302, "admin": 200}
ADMIN_POST = {"anonymous": 302, "admin": 302}

CASES = [
    Case("admin.index", "GET", lambda w: "/admin/", expect=ADMIN_GET),
    Case("admin.regions", "GET", lambda w: "/admin/regions", expect=ADMIN_GET),
    Case("admin.regions", "POST", lambda w: "/admin/regions",
         data={"name": "Région de Lotbinière"}, expect=ADMIN_POST),
    Case("admin.providers", "GET", lambda w: "/admin/providers", expect=ADMIN_GET),
    Case("admin.providers", "POST", lambda w: "/admin/providers",
         data=lambda w: {"region_id": str(w.r1.id), "kind": "obnl", "name": "OBNL des Monts"},
         expect=ADMIN_POST),
    Case("admin.sites", "GET", lambda w: "/admin/sites", expect=ADMIN_GET),
    Case("admin.sites", "POST", lambda w: "/admin/sites",
         data=lambda w: {"provider_id": str(w.p1.id), "name": "Les Pins",
                         "address": "3, rue des Pins", "units_count": "20", "program": "HLM"},
         expect=ADMIN_POST),
    Case("admin.bodies", "GET", lambda w: "/admin/bodies", expect=ADMIN_GET),
    Case("admin.staff", "GET", lambda w: "/admin/staff", expect=ADMIN_GET),
    Case("admin.staff", "POST", lambda w: "/admin/staff",
         data=lambda w: {"email": "lucie@example.org", "role": "isc",
                         "provider_id": str(w.p1.id)},
         expect=ADMIN_POST),
]

test_matrix = make_matrix_test(CASES)
