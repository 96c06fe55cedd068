"""Administration routes: the platform admin only (everyone else 403, anonymous to login)."""

from tests.matrix.harness import Case, make_matrix_test

ADMIN_GET = {"anonymous": 302, "admin": 200}
ADMIN_POST = {"anonymous": 302, "admin": 302}


def _oc_role(w):
    """The remove page of the OC's role (a fresh one per request: a removed role is gone)."""
    from tenantvoice.accounts.models import StaffRole
    from tenantvoice.extensions import db
    from tests import factories as f

    assignment = f.make_staff(role=StaffRole.OC, region=w.r2, user=w.outsider)
    db.session.commit()
    return f"/admin/staff/{assignment.id}/remove"


def _lost_second_factor(w):
    """The reset page of the ISC's second factor (turned on afresh for each request)."""
    import pyotp

    from tenantvoice.accounts import services as account_services
    from tenantvoice.extensions import db

    account_services.enable_totp(w.isc, pyotp.random_base32())
    db.session.commit()
    return f"/admin/users/{w.isc.id}/second-factor/reset"


CASES = [
    Case("admin.index", "GET", lambda w: "/admin/", expect=ADMIN_GET),
    # Issue 9: the audit screen and the outbox's health, the platform admin's only.
    Case("admin.audit", "GET", lambda w: "/admin/audit", expect=ADMIN_GET),
    Case("admin.outbox", "GET", lambda w: "/admin/outbox", expect=ADMIN_GET),
    Case("admin.staff_remove", "GET", lambda w: _oc_role(w), expect=ADMIN_GET),
    Case(
        "admin.user_reset_second_factor",
        "GET",
        lambda w: _lost_second_factor(w),
        expect=ADMIN_GET,
    ),
    Case(
        "admin.user_reset_second_factor",
        "POST",
        lambda w: _lost_second_factor(w),
        data={"identity_checked": "y"},
        expect=ADMIN_POST,
    ),
    Case(
        "admin.set_active",
        "POST",
        lambda w: f"/admin/sites/{w.s4.id}/active",
        data={"active": "0"},
        expect=ADMIN_POST,
    ),
    Case("admin.region_edit", "GET", lambda w: f"/admin/regions/{w.r1.id}/edit", expect=ADMIN_GET),
    Case(
        "admin.region_edit",
        "POST",
        lambda w: f"/admin/regions/{w.r1.id}/edit",
        data={"name": "Région renommée"},
        expect=ADMIN_POST,
    ),
    Case(
        "admin.provider_edit", "GET", lambda w: f"/admin/providers/{w.p1.id}/edit", expect=ADMIN_GET
    ),
    Case(
        "admin.provider_edit",
        "POST",
        lambda w: f"/admin/providers/{w.p1.id}/edit",
        data={"kind": "office", "name": "Office renommé"},
        expect=ADMIN_POST,
    ),
    Case("admin.site_edit", "GET", lambda w: f"/admin/sites/{w.s1.id}/edit", expect=ADMIN_GET),
    Case(
        "admin.site_edit",
        "POST",
        lambda w: f"/admin/sites/{w.s1.id}/edit",
        data={"name": "Parc", "address": "2, rue Principale", "units_count": "50", "program": ""},
        expect=ADMIN_POST,
    ),
    Case("admin.body_edit", "GET", lambda w: f"/admin/bodies/{w.adl_a.id}/edit", expect=ADMIN_GET),
    Case(
        "admin.body_edit",
        "POST",
        lambda w: f"/admin/bodies/{w.adl_a.id}/edit",
        data={"name": "Association renommée", "recognized_on": ""},
        expect=ADMIN_POST,
    ),
    Case("admin.staff_remove", "POST", lambda w: _oc_role(w), expect=ADMIN_POST),
    Case("admin.regions", "GET", lambda w: "/admin/regions", expect=ADMIN_GET),
    Case(
        "admin.regions",
        "POST",
        lambda w: "/admin/regions",
        data={"name": "Région de Lotbinière", "form_key": "0123456789abcdef0123456789abcdef"},
        expect=ADMIN_POST,
    ),
    Case("admin.providers", "GET", lambda w: "/admin/providers", expect=ADMIN_GET),
    Case(
        "admin.providers",
        "POST",
        lambda w: "/admin/providers",
        data=lambda w: {
            "region_id": str(w.r1.id),
            "kind": "obnl",
            "name": "OBNL des Monts",
            "form_key": "0123456789abcdef0123456789abcdef",
        },
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
            "form_key": "0123456789abcdef0123456789abcdef",
        },
        expect=ADMIN_POST,
    ),
    Case("admin.bodies", "GET", lambda w: "/admin/bodies", expect=ADMIN_GET),
    Case("admin.staff", "GET", lambda w: "/admin/staff", expect=ADMIN_GET),
    Case(
        "admin.staff",
        "POST",
        lambda w: "/admin/staff",
        # Carlos lives with P2: he may be P1's ISC (Lucie, seated in P1's association, may not).
        data=lambda w: {
            "email": "carlos@example.org",
            "role": "isc",
            "provider_id": str(w.p1.id),
            "form_key": "0123456789abcdef0123456789abcdef",
        },
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
