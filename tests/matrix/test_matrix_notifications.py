"""Notification routes. Written by hand:

- The centre, its badge, the settings page and "mark all read" belong to whoever is logged in
  (their own notifications, whatever the role); anonymous visitors are sent to log in (302),
  except the badge, which answers 204 (nothing to swap: a poll must never pull in a login page).
- One notification (open it, mark it read) is its owner's alone: tenant_a's notification
  answers 303 to tenant_a and 404 to every other account (its existence is private).
- Push devices: anyone logged in may hand over their phone's subscription (malformed: 422) or
  forget one of their own devices (303; someone else's id changes nothing), and get a CSRF
  token for the service worker's renewal (200; anonymous: 302).
- The one-click unsubscribe link works for whoever holds it, logged in or not (the signed token
  is the key, as RFC 8058 needs): 200; a forged token is 404.
- The development mail folder: the platform admin only.
"""

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.notifications.models import Notification, NotificationEvent
from tenantvoice.notifications.services import unsubscribe_token
from tenantvoice.outbox.models import PushSubscription
from tests.matrix.harness import Case, make_matrix_test

LOGGED_IN_GET = {"anonymous": 302}
LOGGED_IN_POST = {"anonymous": 302}
ADMIN_GET = {"anonymous": 302, "admin": 200}


def _notification_of_tenant_a(w) -> int:
    event = NotificationEvent(kind="meeting.notice", body_id=w.adl_a.id, url="/", title="AGA")
    note = Notification(user_id=w.tenant_a.id, event=event, created_at=clock.now())
    db.session.add(note)
    db.session.commit()
    return note.id


def _device_of_tenant_a(w) -> str:
    row = PushSubscription(
        user_id=w.tenant_a.id, endpoint="https://fcm.googleapis.com/x", p256dh="k", auth="a"
    )
    db.session.add(row)
    db.session.commit()
    return str(row.id)


def _unsubscribe_link(w) -> str:
    return "/unsubscribe/" + unsubscribe_token(w.tenant_a.id, ["meeting.notice"])


CASES = [
    Case(
        "notifications.index", "GET", lambda w: "/notifications", expect=LOGGED_IN_GET, default=200
    ),
    Case(
        "notifications.badge",
        "GET",
        lambda w: "/notifications/badge",
        expect={"anonymous": 204},
        default=200,
    ),
    Case(
        "notifications.open_",
        "POST",
        lambda w: f"/notifications/{_notification_of_tenant_a(w)}/open",
        expect={"anonymous": 302, "tenant_a": 303},
        default=404,
    ),
    Case(
        "notifications.read",
        "POST",
        lambda w: f"/notifications/{_notification_of_tenant_a(w)}/read",
        expect={"anonymous": 302, "tenant_a": 303},
        default=404,
    ),
    Case(
        "notifications.read_all",
        "POST",
        lambda w: "/notifications/read-all",
        expect=LOGGED_IN_POST,
        default=303,
    ),
    Case(
        "notifications.settings",
        "GET",
        lambda w: "/notifications/settings",
        expect=LOGGED_IN_GET,
        default=200,
    ),
    Case(
        "notifications.settings",
        "POST",
        lambda w: "/notifications/settings",
        label="invalid",
        data={"quiet_start": "soon"},
        expect=LOGGED_IN_POST,
        default=422,
    ),
    Case(
        "notifications.push_subscribe",
        "POST",
        lambda w: "/notifications/push/subscribe",
        data={"endpoint": "https://fcm.googleapis.com/x"},
        expect=LOGGED_IN_POST,
        default=422,
    ),
    Case(
        "notifications.push_token",
        "GET",
        lambda w: "/notifications/push/token",
        expect=LOGGED_IN_GET,
        default=200,
    ),
    Case(
        "notifications.push_unsubscribe",
        "POST",
        lambda w: "/notifications/push/unsubscribe",
        data=lambda w: {"subscription_id": _device_of_tenant_a(w)},
        expect=LOGGED_IN_POST,
        default=303,
    ),
    Case("notifications.unsubscribe", "GET", _unsubscribe_link, default=200),
    Case("notifications.unsubscribe", "POST", _unsubscribe_link, default=200),
    Case(
        "notifications.unsubscribe",
        "GET",
        lambda w: "/unsubscribe/forged-token",
        label="forged",
        default=404,
    ),
    Case("admin.mail", "GET", lambda w: "/admin/mail", expect=ADMIN_GET),
    Case(
        "admin.mail_message",
        "GET",
        lambda w: "/admin/mail/20261201T000000000000-0123abcd.eml",
        expect={"anonymous": 302, "admin": 404},
    ),
]

test_matrix = make_matrix_test(CASES)
