"""Web push to a local HTTP endpoint the test starts: the payload arrives encrypted for the
device (RFC 8291) and decrypts with the subscription's keys; it says only the kind and the body;
the Topic is the delivery's identity; a gone subscription (404/410) is removed; endpoints are
accepted only on the configured push services (loopback only under TESTING)."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.outbox import push
from tenantvoice.outbox.delivery import deliver_due
from tenantvoice.outbox.models import PushSubscription
from tests.minutes.helpers import in_request
from tests.notifications.helpers import deliveries, draft_meeting, publish
from tests.outbox.push_receiver import Device, PushReceiver


@pytest.fixture(autouse=True)
def _afternoon():
    """Push waits out the night (quiet hours, 21:00-08:00 Montréal): these tests send by day,
    whatever the hour the suite runs at."""
    clock.set(datetime(2026, 12, 2, 14, 0, tzinfo=ZoneInfo("America/Montreal")))


@pytest.fixture
def receiver():
    r = PushReceiver()
    yield r
    r.stop()


@pytest.fixture
def loopback_push(app):
    app.config["PUSH_ALLOW_LOOPBACK"] = True
    return app


def _subscribe(client, device):
    return client.post(
        "/notifications/push/subscribe",
        data=json.dumps(device.subscription()),
        content_type="application/json",
    )


def _devices(user) -> list[PushSubscription]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(PushSubscription).where(PushSubscription.user_id == user.id))
    )


def test_a_notice_arrives_encrypted_and_decrypts_with_the_devices_keys(
    loopback_push, world, client, auth, receiver
):
    device = Device(receiver)
    auth.login(world.tenant_a)
    assert _subscribe(client, device).status_code == 204
    meeting = draft_meeting(world.adl_a, title="AGA secrète")
    publish(meeting, world.officer_a)
    [queued] = deliveries()
    assert deliver_due()["sent"] == 1
    [push_message] = device.received()
    assert push_message["payload"] == {
        "title": "TenantVoice",
        # in English: the person turned push on from an English page (their language is kept)
        "body": "New meeting notice from Association des locataires du Parc",
        "url": f"/meetings/{meeting.id}",
        "tag": f"meeting.notice:/meetings/{meeting.id}",
    }
    headers = push_message["headers"]
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["topic"] == queued.identity  # a repeat is recognisable
    assert headers["ttl"] == str(24 * 3600)
    assert headers["authorization"].startswith("vapid t=")
    assert push.application_server_key() in headers["authorization"]
    [_path, _h, body] = receiver.requests[0]
    assert b"AGA" not in body


def test_each_device_of_a_person_gets_its_own_push(loopback_push, world, client, auth, receiver):
    phone, tablet = Device(receiver, "phone"), Device(receiver, "tablet")
    auth.login(world.tenant_a)
    _subscribe(client, phone)
    _subscribe(client, tablet)
    publish(draft_meeting(world.adl_a), world.officer_a)
    deliver_due()
    assert len(phone.received()) == len(tablet.received()) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_removed(loopback_push, world, client, auth, receiver, status):
    device = Device(receiver)
    auth.login(world.tenant_a)
    _subscribe(client, device)
    receiver.status = status
    publish(draft_meeting(world.adl_a), world.officer_a)
    assert deliver_due()["gave_up"] == 1
    assert _devices(world.tenant_a) == []
    [row] = deliveries()
    assert row.last_error == f"HTTP {status}"


def test_a_busy_push_service_is_retried(loopback_push, world, client, auth, receiver):
    device = Device(receiver)
    auth.login(world.tenant_a)
    _subscribe(client, device)
    receiver.status = 503
    publish(draft_meeting(world.adl_a), world.officer_a)
    assert deliver_due()["failed"] == 1
    assert len(_devices(world.tenant_a)) == 1


def test_the_same_device_logged_in_as_someone_else_moves_to_them(
    loopback_push, world, client, auth, receiver
):
    device = Device(receiver)
    auth.login(world.tenant_a)
    _subscribe(client, device)
    auth.login(world.president_a)
    _subscribe(client, device)
    assert _devices(world.tenant_a) == []
    assert len(_devices(world.president_a)) == 1


def test_a_person_forgets_their_own_device(loopback_push, world, client, auth, receiver):
    device = Device(receiver)
    auth.login(world.tenant_a)
    _subscribe(client, device)
    response = client.post(
        "/notifications/push/unsubscribe",
        data=json.dumps({"endpoint": device.endpoint}),
        content_type="application/json",
    )
    assert response.status_code == 204
    assert _devices(world.tenant_a) == []


def test_loopback_endpoints_are_refused_outside_testing(app, world, client, auth, receiver):
    # PUSH_ALLOW_LOOPBACK is off here: the SSRF a push endpoint opens stays closed.
    auth.login(world.tenant_a)
    response = _subscribe(client, Device(receiver))
    assert response.status_code == 422
    assert _devices(world.tenant_a) == []


@pytest.mark.parametrize(
    ("endpoint", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", True),
        ("https://updates.push.services.mozilla.com/wpush/v2/abc", True),
        ("https://web.push.apple.com/abc", True),
        ("https://db5p.notify.windows.com/w/?token=abc", True),
        ("http://fcm.googleapis.com/fcm/send/abc", False),  # not https
        ("https://fcm.googleapis.com:8443/x", False),  # another port
        ("https://fcm.googleapis.com.evil.example/x", False),
        ("https://notify.windows.com/x", False),  # the wildcard needs a subdomain
        ("https://user:pw@fcm.googleapis.com/x", False),
        ("https://169.254.169.254/latest/meta-data", False),
        ("http://localhost/x", False),
        ("https://[::1]/x", False),
        ("not a url", False),
    ],
)
def test_only_known_push_services_are_accepted(app, endpoint, allowed):
    with in_request():
        assert push.endpoint_allowed(endpoint) is allowed


def test_loopback_needs_testing_as_well_as_the_setting(app):
    app.config.update(PUSH_ALLOW_LOOPBACK=True, TESTING=False)
    try:
        with in_request():
            assert not push.endpoint_allowed("http://127.0.0.1:9/push")
    finally:
        app.config["TESTING"] = True


def test_malformed_keys_are_refused(loopback_push, world, client, auth, receiver):
    auth.login(world.tenant_a)
    subscription = Device(receiver).subscription()
    subscription["keys"]["p256dh"] = "AAAA"
    response = client.post(
        "/notifications/push/subscribe",
        data=json.dumps(subscription),
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '{"endpoint": "https://fcm.googleapis.com/fcm/send/abc"}',  # no keys
        '{"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": "abc"}',
        '{"endpoint": 12, "keys": {"p256dh": "a", "auth": "b"}}',
    ],
)
def test_a_subscription_that_cannot_be_read_is_refused_in_words(world, client, auth, body):
    auth.login(world.tenant_a)
    response = client.post(
        "/notifications/push/subscribe", data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.get_json() == {"error": "This phone's subscription could not be read."}
    assert _devices(world.tenant_a) == []


def test_forgetting_with_an_unreadable_endpoint_forgets_nothing(
    loopback_push, world, client, auth, receiver
):
    auth.login(world.tenant_a)
    _subscribe(client, Device(receiver))
    response = client.post(
        "/notifications/push/unsubscribe",
        data=json.dumps({"endpoint": ["x"]}),
        content_type="application/json",
    )
    assert response.status_code == 204
    assert len(_devices(world.tenant_a)) == 1
