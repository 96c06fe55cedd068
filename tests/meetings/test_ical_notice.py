"""iCalendar download and feed; the printed notice in French, English or both."""

import icalendar

from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingStatus
from tests import factories as f


def _events(data):
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_event_download_is_valid_icalendar(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, sequence=3)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.get(f"/meetings/{meeting.id}/event.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = _events(response.data)
    assert str(event["UID"]) == f"meeting-{meeting.id}@tenantvoice"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "America/Montreal"
    assert b"BEGIN:VTIMEZONE" in response.data


def _feed_url(client):
    page = client.get("/calendar").get_data(as_text=True)
    start = page.index("http://localhost/calendar/")
    return page[start : page.index('"', start)].replace("http://localhost", "")


def test_feed_lists_only_visible_meetings_without_login(world, client, auth):
    mine = f.make_meeting(body=world.adl_a, title="AGA du Parc")
    f.make_meeting(body=world.adl_a, title="Brouillon", status=MeetingStatus.DRAFT)
    f.make_meeting(body=world.adl_b, title="AGA des Érables")
    cancelled = f.make_meeting(body=world.adl_a, title="Annulée", status=MeetingStatus.CANCELLED)
    db.session.commit()
    auth.login(world.tenant_a)
    url = _feed_url(client)
    auth.logout()
    response = client.get(url)
    assert response.status_code == 200
    events = {str(e["UID"]): e for e in _events(response.data)}
    assert set(events) == {f"meeting-{mine.id}@tenantvoice", f"meeting-{cancelled.id}@tenantvoice"}
    assert str(events[f"meeting-{cancelled.id}@tenantvoice"]["STATUS"]) == "CANCELLED"


def test_unknown_feed_token_is_404(world, client):
    assert client.get(f"/calendar/{world.tenant_a.id}-notthetoken.ics").status_code == 404
    assert client.get("/calendar/garbage.ics").status_code == 404


def test_regenerating_revokes_the_old_feed(world, client, auth):
    auth.login(world.tenant_a)
    old = _feed_url(client)
    assert client.post("/calendar/regenerate").status_code == 302
    new = _feed_url(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_printed_notice_in_each_language(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, title="AGA 2025", late_notice=True)
    db.session.commit()
    auth.login(world.tenant_a)
    en = client.get(f"/meetings/{meeting.id}/notice?lang=en").get_data(as_text=True)
    assert "Notice of meeting" in en
    assert "Late notice" in en
    assert "data:image/svg+xml" in en
    both = client.get(f"/meetings/{meeting.id}/notice?lang=both").get_data(as_text=True)
    assert both.count('class="notice-column"') == 2
    assert 'lang="fr-CA"' in both
    assert 'lang="en"' in both
