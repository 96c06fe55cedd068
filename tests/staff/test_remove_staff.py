"""Removing a staff role (issue 9): confirmed on a page of its own, effective at once, audited;
the installation's last admin role cannot be removed."""

import sqlalchemy as sa

from tenantvoice.accounts.models import StaffRole
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import StaffAssignment


def _assignment(user) -> StaffAssignment:
    return db.session.scalar(sa.select(StaffAssignment).where(StaffAssignment.user_id == user.id))


def test_the_admin_removes_an_organizers_role_after_confirming(world, client, auth):
    role_id = _assignment(world.oc).id
    auth.login(world.admin)
    page = client.get("/admin/staff").text
    assert f"/admin/staff/{role_id}/remove" in page
    confirm = client.get(f"/admin/staff/{role_id}/remove")
    assert confirm.status_code == 200
    assert "Olivier OC will no longer be Community organizer (OC)" in confirm.text
    assert _assignment(world.oc) is not None  # nothing happens on GET
    assert client.post(f"/admin/staff/{role_id}/remove").status_code == 302
    assert db.session.get(StaffAssignment, role_id) is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "staff.remove"))
    assert event.detail == "oc"
    auth.logout()
    auth.login(world.oc)  # the access is gone at once
    assert client.get(f"/bodies/{world.adl_a.id}").status_code == 404


def test_the_last_admin_role_cannot_be_removed(world, client, auth):
    only = _assignment(world.admin)
    auth.login(world.admin)
    assert client.get(f"/admin/staff/{only.id}/remove").status_code == 403
    assert client.post(f"/admin/staff/{only.id}/remove").status_code == 403
    from tests import factories as f

    f.make_staff(role=StaffRole.ADMIN, user=world.outsider)
    db.session.commit()
    assert client.post(f"/admin/staff/{only.id}/remove").status_code == 302
