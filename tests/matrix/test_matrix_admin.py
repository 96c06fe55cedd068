"""Administration routes: the platform admin only (everyone else 403, anonymous to login)."""

from tests.matrix.harness import Case, make_matrix_test

ADMIN_GET = {"anonymous": 302, "admin": 200}
ADMIN_POST = {"anonymous": 302, "admin": 302}

CASES = [
    Case("admin.index", "GET", lambda w: "/admin/", expect=ADMIN_GET),
    Case("admin.regions", "GET", lambda w: "/admin/regions", expect=ADMIN_GET),
    Case(
        "admin.regions",
        "POST",
        lambda w: "/admin/regions",
        data={"name": "Région de Lotbinière"},
        expect=ADMIN_POST,
    ),
    Case("admin.providers", "GET", lambda w: "/admin/providers", expect=ADMIN_GET),
    Case(
        "admin.providers",
        "POST",
        lambda w: "/admin/providers",
        data=lambda w: {"region_id": str(w.r1.id), "kind": "obnl", "name": "OBNL des Monts"},
        expect=ADMIN_POST,
    ),
    Case("admin.sites", "GET", lambda w: "/admin/sites", expect=ADMIN_GET),
    Case(
        "admin.sites",
        "POST",
        lambda w: "/admin/sites",
        data=lambda w: {
            "provider_id": str(w.p1.id),
            "name": "Les Pins",
            "address": "3, rue des Pins",
            "units_count": "20",
            "program": "HLM",
        },
        expect=ADMIN_POST,
    ),
    Case("admin.bodies", "GET", lambda w: "/admin/bodies", expect=ADMIN_GET),
    Case("admin.staff", "GET", lambda w: "/admin/staff", expect=ADMIN_GET),
    Case(
        "admin.staff",
        "POST",
        lambda w: "/admin/staff",
        data=lambda w: {"email": "lucie@example.org", "role": "isc", "provider_id": str(w.p1.id)},
        expect=ADMIN_POST,
    ),
    Case("admin.users", "GET", lambda w: "/admin/users?q=lucie", expect=ADMIN_GET),
    Case(
        "admin.user_end_sessions",
        "POST",
        lambda w: f"/admin/users/{w.tenant_a.id}/sessions/end",
        expect=ADMIN_POST,
    ),
    Case(
        "admin.user_disable",
        "GET",
        lambda w: f"/admin/users/{w.tenant_a.id}/disable",
        expect=ADMIN_GET,
    ),
    Case(
        "admin.user_disable",
        "GET",
        lambda w: f"/admin/users/{w.admin.id}/disable",
        expect={"anonymous": 302},
        label="self",
    ),
    Case(
        "admin.user_disable",
        "POST",
        lambda w: f"/admin/users/{w.tenant_a.id}/disable",
        expect=ADMIN_POST,
    ),
    # The admin's own account: nobody may disable it, the admin included.
    Case(
        "admin.user_disable",
        "POST",
        lambda w: f"/admin/users/{w.admin.id}/disable",
        expect={"anonymous": 302},
        label="self",
    ),
    Case(
        "admin.user_enable",
        "POST",
        lambda w: f"/admin/users/{w.outsider.id}/enable",
        expect=ADMIN_POST,
    ),
]

test_matrix = make_matrix_test(CASES)
