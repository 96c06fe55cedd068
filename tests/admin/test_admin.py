"""Platform administration pages and CLI; the OC's set-up page; the demo seed."""

import uuid

import sqlalchemy as sa

from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.extensions import db
from tenantvoice.orgs.models import (
    Body,
    Invitation,
    Member,
    MemberRole,
    Provider,
    Region,
    Site,
    StaffAssignment,
)
from tenantvoice.seed import DEMO_PASSWORD, seed_demo


def _key() -> str:
    """A create form's key, as the page draws it (tenantvoice.submissions)."""
    return uuid.uuid4().hex


def test_admin_index(world, client, auth):
    auth.login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/admin/regions" in response.text


def test_non_admin_gets_403(world, client, auth):
    auth.login(world.oc)
    assert client.get("/admin/").status_code == 403


def test_create_region_and_duplicate(world, client, auth):
    auth.login(world.admin)
    data = {"name": "Région de Lotbinière"}
    assert client.post("/admin/regions", data={**data, "form_key": _key()}).status_code == 302
    # The same name from another form (another tab): not the same submission, refused.
    again = client.post("/admin/regions", data={**data, "form_key": _key()})
    assert again.status_code == 422
    assert "already exists" in again.text
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Region.id)).where(Region.name == "Région de Lotbinière")
        )
        == 1
    )


def test_create_provider_and_site(world, client, auth):
    auth.login(world.admin)
    client.post(
        "/admin/providers",
        data={
            "region_id": str(world.r2.id),
            "kind": "coop",
            "name": "Coop du Quai",
            "form_key": _key(),
        },
    )
    provider = db.session.scalar(sa.select(Provider).where(Provider.name == "Coop du Quai"))
    assert provider.kind.value == "coop"
    response = client.post(
        "/admin/sites",
        data={
            "form_key": _key(),
            "provider_id": str(provider.id),
            "name": "Le Quai",
            "address": "1, rue du Quai",
            "units_count": "12",
            "program": "COOP",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Site).where(Site.name == "Le Quai")).units_count == 12


def test_site_without_units_is_422(world, client, auth):
    auth.login(world.admin)
    response = client.post(
        "/admin/sites",
        data={
            "form_key": _key(),
            "provider_id": str(world.p1.id),
            "name": "X",
            "address": "",
            "units_count": "0",
        },
    )
    assert response.status_code == 422
    assert "Enter the address." in response.text


def test_direction_needs_a_provider(world, client, auth):
    auth.login(world.admin)
    response = client.post(
        "/admin/staff",
        data={
            "form_key": _key(),
            "email": "lucie@example.org",
            "role": "direction",
            "region_id": str(world.r1.id),
        },
    )
    assert response.status_code == 422
    assert (
        db.session.scalar(
            sa.select(sa.func.count(StaffAssignment.id)).where(
                StaffAssignment.user_id == world.tenant_a.id
            )
        )
        == 0
    )


def test_assign_oc_employed_by_office(world, client, auth):
    # Carlos lives with another provider (P2): he may work for P1 (Lucie, in P1's association
    # A, may not: tests/orgs/test_office_staff_seats.py).
    auth.login(world.admin)
    response = client.post(
        "/admin/staff",
        data={
            "form_key": _key(),
            "email": "carlos@example.org",
            "role": "oc",
            "provider_id": str(world.p1.id),
            "employer": "Office d'habitation",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(
        sa.select(StaffAssignment).where(StaffAssignment.user_id == world.tenant_c.id)
    )
    assert row.role == StaffRole.OC
    assert row.employer == "Office d'habitation"


def test_oc_sets_up_a_body_with_first_officers(world, client, auth):
    auth.login(world.oc)
    response = client.post(
        "/bodies/new",
        data={
            "provider_id": str(world.p2.id),
            "kind": "adl",
            "name": "Nouvelle association",
            "site_ids": [str(world.s3.id)],
            "officers-0-role": "president",
            "officers-0-name": "Carlos Mendoza",
            "officers-0-email": "carlos@example.org",
            "officers-1-role": "secretary",
            "officers-1-name": "Nadia Haddad",
            "officers-2-role": "treasurer",
        },
    )
    assert response.status_code == 302
    body = db.session.scalar(sa.select(Body).where(Body.name == "Nouvelle association"))
    members = {
        m.name: m for m in db.session.scalars(sa.select(Member).where(Member.body_id == body.id))
    }
    assert members["Carlos Mendoza"].role == MemberRole.PRESIDENT
    # Carlos's account is invited, not linked: the entry becomes his when he accepts.
    assert members["Carlos Mendoza"].user_id is None
    offer = db.session.scalar(
        sa.select(Invitation).where(Invitation.member_id == members["Carlos Mendoza"].id)
    )
    assert offer.invitee_id == world.tenant_c.id
    assert members["Nadia Haddad"].user_id is None
    assert (
        db.session.scalar(
            sa.select(Invitation).where(Invitation.member_id == members["Nadia Haddad"].id)
        )
        is not None
    )
    assert response.headers["Location"].endswith(f"/bodies/{body.id}/invitations/sheet")
    assert "Nadia Haddad" in client.get(response.headers["Location"]).text


def test_oc_cannot_set_up_in_another_region(world, client, auth):
    auth.login(world.oc)
    response = client.post(
        "/bodies/new",
        data={
            "provider_id": str(world.p3.id),
            "kind": "adl",
            "name": "Ailleurs",
            "site_ids": [str(world.s4.id)],
            "officers-0-role": "president",
            "officers-1-role": "member",
            "officers-2-role": "member",
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(Body).where(Body.name == "Ailleurs")) is None


def test_isc_cannot_set_up_a_body(world, client, auth):
    auth.login(world.isc)
    assert client.get("/bodies/new").status_code == 403


def test_cli_setup_chain(app, runner):
    assert runner.invoke(args=["admin", "create-region", "Région X"]).exit_code == 0
    result = runner.invoke(
        args=["admin", "create-provider", "--region", "Région X", "--kind", "obnl", "OBNL X"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "admin",
            "create-site",
            "--provider",
            "OBNL X",
            "--address",
            "1, rue A",
            "--units",
            "10",
            "Site X",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["admin", "create-body", "--provider", "OBNL X", "--site", "Site X", "ADL X"]
    )
    assert result.exit_code == 0, result.output
    body = db.session.scalar(sa.select(Body).where(Body.name == "ADL X"))
    assert [s.name for s in body.sites] == ["Site X"]


def test_cli_create_user_prints_random_password_once(app, runner):
    result = runner.invoke(
        args=["admin", "create-user", "--email", "Ana@Example.org", "--name", "Ana"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1].split(": ")[-1]
    user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    assert len(password) >= 12
    assert password not in user.password_hash
    from werkzeug.security import check_password_hash

    assert check_password_hash(user.password_hash, password)
    other = runner.invoke(
        args=["admin", "create-user", "--email", "ana@example.org", "--name", "Ana 2"]
    )
    assert other.exit_code != 0


def test_cli_assign_staff_requires_provider_for_direction(app, runner):
    runner.invoke(args=["admin", "create-region", "R"])
    runner.invoke(args=["admin", "create-user", "--email", "d@example.org", "--name", "D"])
    bad = runner.invoke(
        args=[
            "admin",
            "assign-staff",
            "--email",
            "d@example.org",
            "--role",
            "direction",
            "--region",
            "R",
        ]
    )
    assert bad.exit_code != 0
    good = runner.invoke(
        args=["admin", "assign-staff", "--email", "d@example.org", "--role", "oc", "--region", "R"]
    )
    assert good.exit_code == 0, good.output
    assert db.session.scalar(sa.select(StaffAssignment)).role == StaffRole.OC


def test_seed_demo_creates_the_region_once(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    assert db.session.scalar(sa.select(sa.func.count(Region.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(Site.id))) == 4
    assert db.session.scalar(sa.select(sa.func.count(Body.id))) == 5
    ccr = db.session.scalar(sa.select(Body).where(Body.kind == "CCR"))
    assert len(ccr.sites) == 2
    tenants = db.session.scalar(sa.select(sa.func.count(sa.distinct(Member.name))))
    assert tenants >= 30
    paper = db.session.scalar(sa.select(sa.func.count(Member.id)).where(Member.user_id.is_(None)))
    assert paper >= 8
    assert db.session.scalar(sa.select(sa.func.count(StaffAssignment.id))) == 4
    again = runner.invoke(args=["seed-demo"])
    assert "nothing was added" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Region.id))) == 1


def test_seed_calls_extra_seeders(app, monkeypatch):
    from tenantvoice import seed

    seen = []
    monkeypatch.setattr(seed, "EXTRA_SEEDERS", [lambda ns: seen.append(ns.ccr.name)])
    logins = seed_demo()
    assert seen == ["Comité consultatif de résidants de la Rivière-Etchemin"]
    assert ("admin", "admin@demo.tenantvoice.ca") in logins
