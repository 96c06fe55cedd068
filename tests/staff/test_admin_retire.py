"""Retiring regions, providers and buildings (issue 9): kept (what points at them stays), no
longer offered when setting up a body, a building or a staff role; brought back in one click;
audited. Bodies are never retired by the platform (they belong to their members, A4)."""

import sqlalchemy as sa

from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Site


def test_a_retired_building_is_no_longer_offered_at_setup(world, client, auth):
    auth.login(world.admin)
    assert "Retire" in client.get("/admin/sites").text
    response = client.post(f"/admin/sites/{world.s2.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert db.session.get(Site, world.s2.id).active is False
    assert "Retired" in client.get("/admin/sites").text
    assert world.adl_b in db.session.get(Site, world.s2.id).bodies  # kept, still covered
    auth.logout()
    auth.login(world.oc)
    page = client.get("/bodies/new").text
    assert "Habitations du Parc" in page
    assert "Résidence des Érables" not in page
    auth.logout()
    auth.login(world.admin)
    client.post(f"/admin/sites/{world.s2.id}/active", data={"active": "1"})
    assert db.session.get(Site, world.s2.id).active is True
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.action.like("site.%"))
        .order_by(AuditEvent.id)  # PostgreSQL returns rows in any order without it
    ).all()
    assert actions == ["site.retire", "site.activate"]


def test_a_retired_region_takes_its_providers_out_of_setup(world, client, auth):
    auth.login(world.admin)
    client.post(f"/admin/regions/{world.r1.id}/active", data={"active": "0"})
    assert world.r1.name not in client.get("/admin/providers").text.split("<form")[-1]
    staff_form = client.get("/admin/staff").text.split('action="/admin/staff"')[-1]
    assert world.p1.name not in staff_form
    auth.logout()
    auth.login(world.oc)
    assert client.get("/bodies/new").status_code == 403  # nothing left to set up in R1


def test_bodies_cannot_be_retired(world, client, auth):
    auth.login(world.admin)
    assert (
        client.post(f"/admin/bodies/{world.adl_a.id}/active", data={"active": "0"}).status_code
        == 404
    )
