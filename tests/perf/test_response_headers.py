"""Response headers of the pages people read: the session cookie is sent only when the session
changes (a login, a flash, a new CSRF token), never re-sent on a plain read; the idle timeout
and the absolute lifetime stay server-side (trust-and-safety S-03), so nothing is lost."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.extensions import db
from tests import factories as f
from tests.factories import PASSWORD
from tests.test_security_headers import _get_urls


def _log_in(client, user):
    """Through the real form, as a person does (a permanent session, a new cookie)."""
    response = client.post("/login", data={"identifier": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "tv_session=" in response.headers.get("Set-Cookie", "")


def test_a_plain_read_of_the_meeting_page_sends_no_cookie(world, client):
    meeting = f.make_meeting(body=world.adl_a, starts_in=timedelta(days=10))
    db.session.commit()
    _log_in(client, world.tenant_a)
    client.get("/")  # the first page may add the CSRF token to the session
    for _n in range(2):
        response = client.get(f"/meetings/{meeting.id}")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in client.get("/").headers


def test_a_change_of_the_session_still_sends_the_cookie(world, client):
    """A flash message changes the session: the cookie carrying it is sent."""
    meeting = f.make_meeting(body=world.adl_a, starts_in=timedelta(days=10))
    db.session.commit()
    _log_in(client, world.tenant_a)
    client.get(f"/meetings/{meeting.id}")
    response = client.post(f"/meetings/{meeting.id}/rsvp", data={"answer": "yes"})
    assert response.status_code == 302
    assert "tv_session=" in response.headers.get("Set-Cookie", "")
    shown = client.get(f"/meetings/{meeting.id}")  # the flash is shown, then removed
    assert "tv_session=" in shown.headers.get("Set-Cookie", "")
    assert "Set-Cookie" not in client.get(f"/meetings/{meeting.id}").headers


def test_no_page_re_sends_an_unchanged_session_cookie(world, client, app):
    """Every GET route, read twice by a logged-in tenant: the second read sends no cookie."""
    _log_in(client, world.tenant_a)
    urls = _get_urls(app, world)
    for url in urls:
        client.get(url)
    resent = [url for url in urls if "Set-Cookie" in client.get(url).headers]
    assert resent == []


def test_the_idle_timeout_still_holds_without_a_refreshed_cookie(world, client):
    """Reading pages keeps the session alive server-side; idle past the limit ends it."""
    _log_in(client, world.tenant_a)
    assert client.get("/").status_code == 200
    clock.advance(timedelta(days=6))
    assert client.get("/").status_code == 200  # activity moves last_seen_at, not the cookie
    clock.advance(timedelta(days=6))
    assert client.get("/").status_code == 200
    clock.advance(timedelta(days=8))
    assert client.get("/").status_code == 302
