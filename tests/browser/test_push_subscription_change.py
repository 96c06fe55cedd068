"""The service worker's `pushsubscriptionchange` handler (static/pwa/sw.js), run in headless
Chromium against the live app: when the push service replaces a phone's subscription, the worker
asks GET /notifications/push/token for a CSRF token with the session's cookie, then posts the new
subscription with the old endpoint, and the server keeps the new one in place of the old.

Chromium has no push service here (no network) and no way to make it replace a subscription, so
the test dispatches the event in the worker itself, as the push service's browser would, with
the handler's own code unchanged: the event carries the old and new subscriptions (plain objects
shaped like PushSubscription, the new one on an accepted push host, never contacted), and its
waitUntil hands the test the handler's promise, so the test waits for exactly that work. The
branch without a new subscription (subscribing again) needs a push service and is not run."""

import secrets

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tenantvoice.extensions import db
from tenantvoice.outbox.models import PushSubscription
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, wait_for_sw_control
from tests.outbox.push_receiver import b64url

pytestmark = pytest.mark.browser

#: Dispatch `pushsubscriptionchange` in the worker and resolve with what the handler waited on
#: (an untrusted event's own waitUntil would throw: the test's stands in for the browser's).
DISPATCH = """
([oldEndpoint, fresh]) => {
  let work = null;
  const event = new ExtendableEvent("pushsubscriptionchange");
  Object.defineProperties(event, {
    oldSubscription: { value: { endpoint: oldEndpoint, options: {} } },
    newSubscription: { value: { endpoint: fresh.endpoint, toJSON: () => fresh } },
    waitUntil: { value: (promise) => { work = promise; } },
  });
  self.dispatchEvent(event);
  if (!work) throw new Error("the handler did not call waitUntil");
  return work.then(() => "done");
}
"""


def _subscription(name: str) -> dict:
    """A subscription as a browser's PushSubscription.toJSON() gives it (valid RFC 8291 keys)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": f"https://fcm.googleapis.com/fcm/send/{name}-{secrets.token_hex(8)}",
        "expirationTime": None,
        "keys": {"p256dh": b64url(point), "auth": b64url(secrets.token_bytes(16))},
    }


def _endpoints(live_app, user_id: int) -> set[str]:
    with live_app.app_context():
        return set(
            db.session.scalars(
                sa.select(PushSubscription.endpoint).where(PushSubscription.user_id == user_id)
            )
        )


@pytest.fixture
def tenant(live_app, live_world):
    """A tenant whose phone has a subscription the push service is about to replace."""
    with live_app.app_context():
        body = db.session.get(f.Body, live_world.body_id)
        email = f"renouvelle-{secrets.token_hex(3)}@example.org"
        user = f.make_tenant(body=body, name="Rose Lavoie", email=email)
        old = _subscription("old")
        db.session.add(
            PushSubscription(
                user_id=user.id,
                endpoint=old["endpoint"],
                p256dh=old["keys"]["p256dh"],
                auth=old["keys"]["auth"],
            )
        )
        db.session.commit()
        return {"email": email, "id": user.id, "old": old["endpoint"]}


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale=LANGS["fr_CA"][0], **PHONE)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def test_the_worker_renews_a_replaced_subscription(
    live_server, live_app, live_world, tenant, phone
):
    base = live_server.url
    page = phone.new_page()
    log_in(page, base, tenant["email"], live_world.password)
    wait_for_sw_control(page)
    [worker] = phone.service_workers
    fresh = _subscription("new")

    assert worker.evaluate(DISPATCH, [tenant["old"], fresh]) == "done"

    assert _endpoints(live_app, tenant["id"]) == {fresh["endpoint"]}


def test_a_worker_whose_session_ended_renews_nothing(
    live_server, live_app, live_world, tenant, phone
):
    """Logged out (a shared phone), the token request is refused (a redirect to the login page,
    which the worker does not follow): nothing is posted, nobody gets the new subscription."""
    base = live_server.url
    page = phone.new_page()
    log_in(page, base, tenant["email"], live_world.password)
    wait_for_sw_control(page)
    phone.clear_cookies()
    [worker] = phone.service_workers

    assert worker.evaluate(DISPATCH, [tenant["old"], _subscription("new")]) == "done"

    assert _endpoints(live_app, tenant["id"]) == {tenant["old"]}
