"""The platform admin corrects regions, providers, buildings and bodies (issue 9): names and
descriptive fields only, never what moves people between scopes; audited; a taken name is a
translated error next to the field."""

import sqlalchemy as sa

from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import ProviderKind


def test_the_admin_renames_a_region_and_a_taken_name_is_refused(world, client, auth):
    auth.login(world.admin)
    assert f"/admin/regions/{world.r1.id}/edit" in client.get("/admin/regions").text
    taken = client.post(f"/admin/regions/{world.r1.id}/edit", data={"name": world.r2.name})
    assert taken.status_code == 422
    assert "This name is already taken." in taken.text
    done = client.post(f"/admin/regions/{world.r1.id}/edit", data={"name": "Bellechasse"})
    assert done.status_code == 302
    db.session.refresh(world.r1)
    assert world.r1.name == "Bellechasse"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "region.update"))
    assert event.detail == "name"


def test_a_provider_keeps_its_region(world, client, auth):
    auth.login(world.admin)
    response = client.post(
        f"/admin/providers/{world.p1.id}/edit",
        data={"kind": "obnl", "name": "OMH renommé", "region_id": str(world.r2.id)},
    )
    assert response.status_code == 302
    db.session.refresh(world.p1)
    assert world.p1.name == "OMH renommé"
    assert world.p1.kind == ProviderKind.OBNL
    assert world.p1.region_id == world.r1.id  # not editable


def test_a_building_keeps_its_provider(world, client, auth):
    auth.login(world.admin)
    page = client.get(f"/admin/sites/{world.s1.id}/edit")
    assert 'value="Habitations du Parc"' in page.text
    response = client.post(
        f"/admin/sites/{world.s1.id}/edit",
        data={
            "name": "Habitations du Parc",
            "address": "12, rue du Parc",
            "units_count": "50",
            "program": "",
            "provider_id": str(world.p2.id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(world.s1)
    assert (world.s1.address, world.s1.units_count, world.s1.program) == (
        "12, rue du Parc",
        50,
        "HLM",
    )
    assert world.s1.provider_id == world.p1.id


def test_a_body_gets_its_name_and_recognition_corrected_nothing_else(world, client, auth):
    auth.login(world.admin)
    sites_before = {s.id for s in world.adl_a.sites}
    response = client.post(
        f"/admin/bodies/{world.adl_a.id}/edit",
        data={
            "name": "Association du Parc",
            "recognized_on": "2024-05-14",
            "minutes_shared_with_organizer": "y",
            "site_ids": [str(world.s2.id)],
        },
    )
    assert response.status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.name == "Association du Parc"
    assert str(world.adl_a.recognized_on) == "2024-05-14"
    assert world.adl_a.minutes_shared_with_organizer is False  # the officers' choice alone
    assert {s.id for s in world.adl_a.sites} == sites_before
