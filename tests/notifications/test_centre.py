"""The notification centre: the badge on every page reads the counter kept on the user row (no
query of its own), refreshes once a minute without keeping the session alive, follows "mark
read" out of band; the list links each notification to its object."""

import re
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event

from tenantvoice import clock
from tenantvoice.accounts.models import UserSession
from tenantvoice.extensions import db
from tenantvoice.notifications.models import Notification
from tests.notifications.helpers import draft_meeting, publish


def _unread(user) -> int:
    db.session.refresh(user)
    return user.unread_notifications


def _notes(user) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def _two_notices(w):
    publish(draft_meeting(w.adl_a, title="AGA du printemps"), w.officer_a)
    publish(draft_meeting(w.adl_a, title="Conseil d'administration"), w.officer_a)


def test_the_badge_shows_the_unread_count_on_every_page(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    page = client.get("/")
    assert 'id="notif-badge"' in page.text
    assert "Notifications: 2 unread" in page.text
    assert 'hx-trigger="every 60s, tv-refresh"' in page.text


def test_the_badge_costs_no_query_of_its_own(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert statements
    assert not [s for s in statements if re.search(r"(FROM|JOIN)\s+notifications\b", s)]
    assert any("unread_notifications" in s for s in statements)  # read with the session row


def test_the_badge_endpoint_never_keeps_a_session_alive(world, client, auth):
    auth.login(world.tenant_a)
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == world.tenant_a.id))
    seen = row.last_seen_at
    clock.advance(timedelta(minutes=30))
    response = client.get("/notifications/badge")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    db.session.refresh(row)
    assert row.last_seen_at == seen
    client.get("/")  # a page the person opened does count
    db.session.refresh(row)
    assert row.last_seen_at > seen


def test_the_badge_never_sends_back_a_session_cookie_that_would_undo_a_flash(world, client, auth):
    """A badge poll that overlaps a form's POST must not put the older cookie back: it sends
    no session cookie at all, while a page the person opens refreshes it as before."""
    auth.login(world.tenant_a)
    with client.session_transaction() as session:
        session.permanent = True  # as a real login makes it
    assert "session" in client.get("/").headers.get("Set-Cookie", "")
    assert "Set-Cookie" not in client.get("/notifications/badge").headers
    assert "Set-Cookie" not in client.get("/static/css/app.css").headers


def test_the_badge_endpoint_answers_nothing_to_swap_when_logged_out(client):
    response = client.get("/notifications/badge")
    assert response.status_code == 204
    assert response.data == b""


def test_the_centre_lists_newest_first_with_titles(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    page = client.get("/notifications").text
    assert page.index("Conseil d&#39;administration") < page.index("AGA du printemps")
    assert page.count("New meeting notice from Association des locataires du Parc") == 4


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    first = _notes(world.tenant_a)[0]
    response = client.post(f"/notifications/{first.id}/open")
    assert response.status_code == 303
    assert response.headers["Location"] == first.event.url
    assert client.get(response.headers["Location"]).status_code == 200
    assert _unread(world.tenant_a) == 1
    client.post(f"/notifications/{first.id}/open")  # twice: counted once
    assert _unread(world.tenant_a) == 1


def test_mark_read_with_htmx_returns_the_item_and_the_badge_out_of_band(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    first = _notes(world.tenant_a)[0]
    response = client.post(f"/notifications/{first.id}/read", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="notification-{first.id}"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert "Notifications: 1 unread" in response.text
    assert _unread(world.tenant_a) == 1


def test_mark_read_without_javascript_comes_back_to_the_centre(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    first = _notes(world.tenant_a)[0]
    response = client.post(f"/notifications/{first.id}/read")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications"


def test_mark_all_read_empties_the_badge(world, client, auth):
    _two_notices(world)
    auth.login(world.tenant_a)
    assert client.post("/notifications/read-all").status_code == 303
    assert _unread(world.tenant_a) == 0
    assert all(n.read_at for n in _notes(world.tenant_a))
    publish(draft_meeting(world.adl_a, title="Encore"), world.officer_a)
    assert _unread(world.tenant_a) == 1


def test_nobody_opens_someone_elses_notification(world, client, auth):
    _two_notices(world)
    auth.login(world.president_a)
    theirs = _notes(world.tenant_a)[0]
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert _unread(world.tenant_a) == 2
