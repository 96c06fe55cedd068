"""The coordinator: an explicit flag an admin grants on a regional ISC or OC assignment
(audited); a plain regional scope is not enough to read other workers' records."""

import sqlalchemy as sa

from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import StaffAssignment
from tests.logbook.helpers import record


def _assignment(user):
    return db.session.scalars(
        sa.select(StaffAssignment).where(StaffAssignment.user_id == user.id)
    ).one()


def test_an_admin_grants_and_takes_back_the_flag_audited(world, client, auth):
    found = record(world.isc, world.s1)
    auth.login(world.oc)
    assert client.get("/logbook/region").status_code == 403
    assert client.get(f"/logbook/{found.id}").status_code == 404
    auth.login(world.admin)
    assignment = _assignment(world.oc)
    url = f"/admin/staff/{assignment.id}/coordinator"
    assert client.post(url, data={"coordinator": "1"}).status_code == 302
    actions = list(db.session.scalars(sa.select(AuditEvent.action)))
    assert "staff.coordinator" in actions
    auth.login(world.oc)
    assert client.get("/logbook/region").status_code == 200
    assert client.get(f"/logbook/{found.id}").status_code == 200
    auth.login(world.admin)
    assert client.post(url, data={"coordinator": "0"}).status_code == 302
    db.session.expire_all()
    assert not _assignment(world.oc).coordinator
    assert "staff.coordinator_end" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_a_provider_scoped_or_direction_role_cannot_be_made_coordinator(world, client, auth):
    auth.login(world.admin)
    for user in (world.isc, world.direction):
        url = f"/admin/staff/{_assignment(user).id}/coordinator"
        assert client.post(url, data={"coordinator": "1"}).status_code == 403


def test_the_admin_page_offers_the_flag_only_where_it_applies(world, client, auth):
    auth.login(world.admin)
    page = client.get("/admin/staff").get_data(as_text=True)
    assert f"/admin/staff/{_assignment(world.oc).id}/coordinator" in page
    assert f"/admin/staff/{_assignment(world.isc).id}/coordinator" not in page
