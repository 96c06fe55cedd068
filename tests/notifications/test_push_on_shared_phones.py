"""A shared phone (a common case for seniors): logging out forgets the device's push
subscription, so the next person never gets the previous one's notifications; without
JavaScript the subscriptions made in the session go, with it the browser's own endpoint (sent
by app.js in the logout form) goes too and the service worker unsubscribes it. When the push
service replaces a subscription, the service worker hands the new one over through the same
CSRF-checked POST as app.js, with a token it asks the server for."""

import json

import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import UserSession
from tenantvoice.extensions import db
from tenantvoice.outbox.models import PushSubscription
from tests.conftest import AuthActions
from tests.outbox.push_receiver import Device, PushReceiver


@pytest.fixture
def receiver(app):
    app.config["PUSH_ALLOW_LOOPBACK"] = True
    r = PushReceiver()
    yield r
    r.stop()


def _subscribe(client, device):
    return client.post(
        "/notifications/push/subscribe",
        data=json.dumps(device.subscription()),
        content_type="application/json",
    )


def _endpoints(user) -> set[str]:
    db.session.expire_all()
    return set(
        db.session.scalars(
            sa.select(PushSubscription.endpoint).where(PushSubscription.user_id == user.id)
        )
    )


def test_logging_out_without_javascript_forgets_the_sessions_subscription(
    app, world, client, auth, receiver
):
    """Fails on the old code: the subscription stayed after logout, and the next person on the
    phone got the previous one's notifications."""
    phone, own_computer = Device(receiver, "phone"), Device(receiver, "computer")
    other = app.test_client()
    auth.login(world.tenant_a)
    assert _subscribe(client, phone).status_code == 204
    row = db.session.scalar(sa.select(PushSubscription))
    assert row.session_id is not None
    # The same person on another device, in another session: that one stays.
    AuthActions(other).login(world.tenant_a)
    assert _subscribe(other, own_computer).status_code == 204
    assert client.post("/logout").status_code == 302  # no push_endpoint: no JavaScript
    assert _endpoints(world.tenant_a) == {own_computer.endpoint}


def test_logging_out_forgets_the_browsers_endpoint_from_an_earlier_session(
    world, client, auth, receiver
):
    """A subscription made before (another session, or before sessions were remembered): app.js
    puts the browser's endpoint in the logout form, and the server forgets it."""
    phone = Device(receiver)
    auth.login(world.tenant_a)
    _subscribe(client, phone)
    db.session.execute(sa.update(PushSubscription).values(session_id=None))
    db.session.commit()
    auth.login(world.tenant_a)  # a later session on the same phone
    assert client.post("/logout", data={"push_endpoint": phone.endpoint}).status_code == 302
    assert _endpoints(world.tenant_a) == set()


def test_logging_out_keeps_other_peoples_devices(app, world, client, auth, receiver):
    phone, hers = Device(receiver, "phone"), Device(receiver, "hers")
    neighbour = app.test_client()
    AuthActions(neighbour).login(world.president_a)
    _subscribe(neighbour, hers)
    auth.login(world.tenant_a)
    _subscribe(client, phone)
    client.post("/logout", data={"push_endpoint": phone.endpoint})
    assert _endpoints(world.president_a) == {hers.endpoint}


def test_ending_a_session_from_my_devices_forgets_its_push(app, world, client, auth, receiver):
    """A lost phone ended from "My devices" stops getting notifications too."""
    lost = app.test_client()
    AuthActions(lost).login(world.tenant_a)
    _subscribe(lost, Device(receiver))
    lost_session = db.session.scalar(sa.select(PushSubscription.session_id))
    auth.login(world.tenant_a)
    assert db.session.get(UserSession, lost_session) is not None
    response = client.post(f"/account/sessions/{lost_session}/end")
    assert response.status_code in (302, 303)
    assert _endpoints(world.tenant_a) == set()


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_the_service_worker_renews_a_replaced_subscription_with_a_csrf_token(
    world, client, auth, receiver
):
    old, new = Device(receiver, "old"), Device(receiver, "new")
    auth.login(world.tenant_a)
    page = client.get("/notifications/settings")
    assert page.status_code == 200
    token = client.get("/notifications/push/token")
    assert token.status_code == 200
    assert token.headers["Cache-Control"] == "no-store"
    csrf = token.get_json()["csrf_token"]

    def post(device, **extra):
        return client.post(
            "/notifications/push/subscribe",
            data=json.dumps(device.subscription() | extra),
            content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )

    assert post(old).status_code == 204
    # Without the token the POST is refused, as for app.js.
    refused = client.post(
        "/notifications/push/subscribe",
        data=json.dumps(new.subscription()),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert post(new, oldEndpoint=old.endpoint).status_code == 204
    assert _endpoints(world.tenant_a) == {new.endpoint}


def test_the_token_is_for_people_logged_in_only(client):
    assert client.get("/notifications/push/token").status_code == 302


def test_the_service_worker_handles_pushsubscriptionchange(client):
    body = client.get("/sw.js").get_data(as_text=True)
    handler = body.split('addEventListener("pushsubscriptionchange"')[1].split("\n});")[0]
    assert 'fetch("/notifications/push/token"' in handler
    assert '"X-CSRFToken": data.csrf_token' in handler
    assert 'fetch("/notifications/push/subscribe"' in handler
    assert "body.oldEndpoint = old.endpoint" in handler
    # At logout the worker ends the browser's subscription too.
    clear = body.split('event.data.type === "clear"')[1].split("\n});")[0]
    assert "sub.unsubscribe()" in clear


def test_the_logout_form_has_a_field_for_the_browsers_endpoint(world, client, auth):
    auth.login(world.tenant_a)
    page = client.get("/").text
    form = page.split("data-logout>")[1].split("</form>")[0]
    assert 'name="push_endpoint" value="" data-push-endpoint' in form
    assert "<script" not in form
