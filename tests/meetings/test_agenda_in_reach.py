"""The agenda as a secretary builds it (issue 9): a new item goes before the closing item
("Levée de l'assemblée" / "Adjournment"), not after it; and "Publish the notice" stays in reach
on a long agenda (a box kept at the bottom of the screen, without script)."""

import re
import uuid

from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingStatus
from tests import factories as f


def _add(client, meeting, title):
    data = {
        "title": title,
        "kind": "discussion",
        "description": "",
        "presenter": "",
        "form_key": uuid.uuid4().hex,
    }
    response = client.post(f"/meetings/{meeting.id}/agenda/new", data=data)
    assert response.status_code == 302
    db.session.refresh(meeting)
    return [item.title for item in meeting.agenda_items]


def test_new_item_goes_before_the_adjournment(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT)
    db.session.commit()
    auth.login(world.officer_a)
    titles = _add(client, meeting, "Travaux de la buanderie")
    assert titles == ["Ouverture de l'assemblée", "Travaux de la buanderie", "Levée de l'assemblée"]
    titles = _add(client, meeting, "Fête des voisins")
    assert titles[-2:] == ["Fête des voisins", "Levée de l'assemblée"]
    assert [i.position for i in meeting.agenda_items] == [1, 2, 3, 4]


def test_english_adjournment_is_a_closing_item_too(world, client, auth):
    meeting = f.make_meeting(
        body=world.adl_a, status=MeetingStatus.DRAFT, agenda=("Opening", "Adjournment")
    )
    db.session.commit()
    auth.login(world.officer_a)
    assert _add(client, meeting, "Laundry room") == ["Opening", "Laundry room", "Adjournment"]


def test_without_a_closing_item_the_new_item_goes_last(world, client, auth):
    meeting = f.make_meeting(
        body=world.adl_a, status=MeetingStatus.DRAFT, agenda=("Ouverture", "Varia")
    )
    db.session.commit()
    auth.login(world.officer_a)
    assert _add(client, meeting, "Jardin") == ["Ouverture", "Varia", "Jardin"]


def test_publish_stays_in_reach_on_a_long_agenda(world, client, auth):
    agenda = [f"Point {n}" for n in range(1, 25)] + ["Levée de l'assemblée"]
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT, agenda=agenda)
    db.session.commit()
    auth.login(world.officer_a)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    bar = re.search(r'<section id="meeting-publish" class="publish-bar".*?</section>', page, re.S)
    assert bar is not None
    assert f'action="/meetings/{meeting.id}/publish"' in bar.group(0)
    assert page.count(f'action="/meetings/{meeting.id}/publish"') == 1
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert re.search(r"\.publish-bar \{[^}]*position: sticky;[^}]*bottom: 0", css)
    # Tenants never get it.
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    auth.login(world.tenant_a)
    assert "publish-bar" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
