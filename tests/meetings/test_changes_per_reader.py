"""Changes since the notice never carry what their reader may not see (issue 6, item 2).

A change used to be a sentence naming the item, stored in the officer's language and shown to
every reader: adding, editing into camera, moving or removing an in-camera item told its title
to the office's direction at a joint CCR meeting. Changes are now data rendered per reader."""

import html
import uuid

import pytest
import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, MeetingKind
from tenantvoice.orgs.models import MemberRole
from tests import factories as f

SECRET = "Plainte contre le concierge"


@pytest.fixture
def joint(world):
    """A published joint CCR meeting (the direction reads it) and a CCR president."""
    w = world
    w.ccr_president = f.make_tenant(
        body=w.ccr, role=MemberRole.PRESIDENT, name="Claudette Roy", email="claudette@example.org"
    )
    w.ccr_member = f.make_tenant(body=w.ccr, name="Karim Haddad", email="karim@example.org")
    w.meeting = f.make_meeting(body=w.ccr, kind=MeetingKind.CCR_JOINT, title="Rencontre conjointe")
    db.session.commit()
    return w


def _item_form(title, *, in_camera):
    data = {
        "title": title,
        "kind": "information",
        "description": "",
        "presenter": "",
        "form_key": uuid.uuid4().hex,  # adding an item is claimed once (tenantvoice.submissions)
    }
    if in_camera:
        data["in_camera"] = "y"
    return data


def _page(client, auth, user, meeting, language="en"):
    auth.login(user)
    response = client.get(f"/meetings/{meeting.id}", headers={"Accept-Language": language})
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _item(meeting, title):
    return db.session.scalar(
        sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.title == title)
    )


def _act(client, auth, w, action):
    auth.login(w.ccr_president)
    m = w.meeting
    if action == "add":
        client.post(f"/meetings/{m.id}/agenda/new", data=_item_form(SECRET, in_camera=True))
        return
    if action == "edit_into_camera":
        client.post(f"/meetings/{m.id}/agenda/new", data=_item_form(SECRET, in_camera=False))
        item = _item(m, SECRET)
        # The public item's change ("added") stays for everyone; tidy it so only the edit counts.
        from tenantvoice.meetings.models import MeetingChange

        db.session.execute(sa.delete(MeetingChange))
        db.session.commit()
        client.post(
            f"/meetings/{m.id}/agenda/{item.id}/edit",
            data=_item_form("Point à huis clos", in_camera=True),
        )
        return
    item = AgendaItem(meeting=m, title=SECRET, position=9, in_camera=True)
    db.session.add(item)
    db.session.commit()
    if action == "move":
        client.post(f"/meetings/{m.id}/agenda/{item.id}/move", data={"direction": "up"})
    elif action == "delete":
        client.post(f"/meetings/{m.id}/agenda/{item.id}/delete")


@pytest.mark.parametrize("action", ["add", "edit_into_camera", "move", "delete"])
def test_in_camera_changes_never_reach_the_direction(joint, client, auth, action):
    """Fails on the old code: the change named the item for every reader."""
    w = joint
    _act(client, auth, w, action)
    for reader in (w.direction, w.ccr_member):
        page = _page(client, auth, reader, w.meeting)
        assert SECRET not in page, reader
        assert "Changes since the notice" not in page, reader
    officer_page = _page(client, auth, w.ccr_president, w.meeting)
    assert "Changes since the notice" in officer_page


def test_public_changes_are_rendered_in_each_readers_language(joint, client, auth):
    w = joint
    auth.login(w.ccr_president)
    client.post(
        f"/meetings/{w.meeting.id}/agenda/new",
        data=_item_form("Budget", in_camera=False),
        headers={"Accept-Language": "fr-CA"},
    )
    english = _page(client, auth, w.direction, w.meeting, "en")
    french = _page(client, auth, w.ccr_member, w.meeting, "fr-CA")
    assert "Agenda: item “Budget” added." in english
    assert "Ordre du jour\u00a0: point «\u00a0Budget\u00a0» ajouté." in french


def test_audit_trail_does_not_keep_an_in_camera_title(joint, client, auth):
    from tenantvoice.audit import AuditEvent

    _act(client, auth, joint, "add")
    details = " ".join(e.detail or "" for e in db.session.scalars(sa.select(AuditEvent)))
    assert SECRET not in details


def test_a_migrated_agenda_sentence_is_shown_whole_to_officers_only(joint, client, auth):
    from tenantvoice.meetings.models import ChangeKind, MeetingChange

    w = joint
    db.session.add(
        MeetingChange(
            meeting_id=w.meeting.id,
            kind=ChangeKind.LEGACY_AGENDA,
            data={"text": f"Ordre du jour : point « {SECRET} » ajouté."},
        )
    )
    db.session.commit()
    page = _page(client, auth, w.direction, w.meeting)
    assert SECRET not in page
    assert "The agenda changed." in page
    assert SECRET in _page(client, auth, w.ccr_president, w.meeting)
