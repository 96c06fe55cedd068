"""A staff member who lost their second factor (issue 9): the admin resets it after checking
who asks (a required box); the person's sessions end, they are told by email and must enrol
again at their next login; never the admin's own, never a tenant's."""

import pyotp
import sqlalchemy as sa

from tenantvoice.accounts import services as account_services
from tenantvoice.accounts.models import RecoveryCode, UserSession
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.outbox.models import Delivery


def _with_totp(user):
    account_services.enable_totp(user, pyotp.random_base32())
    db.session.commit()
    return user


def test_the_admin_resets_an_organizers_lost_second_factor(world, client, auth, app):
    world.oc.email = "olivier.oc@example.org"
    oc = _with_totp(world.oc)
    auth.login(oc)  # a session on the lost phone
    auth.logout()
    auth.login(world.admin)
    assert f"/admin/users/{oc.id}/second-factor/reset" in client.get("/admin/users").text
    url = f"/admin/users/{oc.id}/second-factor/reset"
    assert client.get(url).status_code == 200
    unchecked = client.post(url, data={})
    assert unchecked.status_code == 422
    assert "Check who is asking before resetting." in unchecked.text
    assert client.post(url, data={"identity_checked": "y"}).status_code == 302
    db.session.refresh(oc)
    assert not oc.has_totp
    assert db.session.scalar(sa.select(RecoveryCode).where(RecoveryCode.user_id == oc.id)) is None
    assert db.session.scalar(sa.select(UserSession).where(UserSession.user_id == oc.id)) is None
    mail = db.session.scalar(sa.select(Delivery).where(Delivery.to == oc.email))
    assert "second factor was reset" in mail.subject
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "totp.reset"))
    assert event.actor_id == world.admin.id


def test_the_reset_needs_the_next_login_to_enrol_again(world, client, auth, app):
    oc = _with_totp(world.oc)
    account_services.disable_totp(oc)
    db.session.commit()
    app.config["REQUIRE_STAFF_2FA"] = True
    try:
        auth.login(oc)
        # A fresh login: the password passed, the second factor not yet.
        for row in db.session.scalars(sa.select(UserSession).where(UserSession.user_id == oc.id)):
            row.second_factor_at = None
        db.session.commit()
        response = client.get("/")
        assert response.status_code == 302
        assert "/two-factor/setup" in response.headers["Location"]
    finally:
        app.config["REQUIRE_STAFF_2FA"] = False


def test_never_the_admins_own_nor_a_tenants_nor_without_totp(world, client, auth):
    admin = _with_totp(world.admin)
    tenant = _with_totp(world.tenant_a)
    auth.login(admin)
    for target in (admin, tenant, world.isc):  # the ISC has no second factor to reset
        url = f"/admin/users/{target.id}/second-factor/reset"
        assert client.get(url).status_code == 403, target.name
        assert client.post(url, data={"identity_checked": "y"}).status_code == 403
