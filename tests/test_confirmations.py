"""Destructive actions ask first (issue 9), with and without JavaScript.

Without JavaScript the button in the page is a GET form: the address answers with a page that
says what will happen and holds the POST button (a GET changes nothing). With htmx the same
button POSTs after the browser's confirm dialog (hx-confirm); tests/browser/test_confirmations.py
walks that path in Chromium.
"""

import re

import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, Meeting, MeetingStatus
from tenantvoice.meetings.services import feed_token
from tenantvoice.orgs.invitations import create_invitation
from tenantvoice.orgs.models import Invitation, Member
from tests import factories as f


def _forms(html: str) -> list[str]:
    return re.findall(r"<form\b[^>]*>", html)


def _confirm_button(html: str, url: str) -> str:
    """The form of the page's button for `url` (exactly one), as an opening tag."""
    found = [tag for tag in _forms(html) if f'action="{url}"' in tag]
    assert len(found) == 1, found
    return found[0]


def _assert_asks_first(html: str, url: str) -> None:
    """The page's button GETs the confirmation without JS, and POSTs after hx-confirm with it."""
    tag = _confirm_button(html, url)
    assert 'method="get"' in tag
    assert f'hx-post="{url}"' in tag
    assert re.search(r'hx-confirm="[^"]+\?', tag), tag


def _assert_confirmation_page(response, url: str, button: str) -> None:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    posts = [t for t in _forms(html) if 'method="post"' in t and f'action="{url}"' in t]
    assert len(posts) == 1, _forms(html)
    assert button in html
    assert 'name="csrf_token"' in html


def _draft(world):
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT, title="AGA d'essai")
    db.session.commit()
    return meeting


def test_delete_draft_asks_first(world, client, auth):
    meeting = _draft(world)
    auth.login(world.officer_a)
    url = f"/meetings/{meeting.id}/delete"
    _assert_asks_first(client.get(f"/meetings/{meeting.id}").get_data(as_text=True), url)
    response = client.get(url, headers={"Accept-Language": "en"})
    _assert_confirmation_page(response, url, "Delete this draft")
    assert "AGA d&#39;essai" in response.get_data(as_text=True)
    assert db.session.get(Meeting, meeting.id) is not None
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id) is None


def test_delete_confirmation_refuses_a_published_meeting(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    assert client.get(f"/meetings/{meeting.id}/delete").status_code == 409


def test_remove_agenda_item_asks_first(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    item = meeting.agenda_items[0]
    auth.login(world.officer_a)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/delete"
    _assert_asks_first(client.get(f"/meetings/{meeting.id}").get_data(as_text=True), url)
    _assert_confirmation_page(client.get(url, headers={"Accept-Language": "en"}), url, "Remove")
    assert db.session.get(AgendaItem, item.id) is not None
    client.post(url)
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id) is None


def test_remove_agenda_item_with_htmx_answers_the_agenda(world, client, auth):
    """The hx-post (after the dialog) swaps the agenda in place, as before."""
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    item = meeting.agenda_items[0]
    auth.login(world.officer_a)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{item.id}/delete", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="meeting-agenda-{meeting.id}"' in html
    assert "<html" not in html


def test_end_membership_asks_first(world, client, auth):
    member = world.paper_member_a
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/members/{member.id}/end"
    _assert_asks_first(client.get(f"/bodies/{world.adl_a.id}/members").get_data(as_text=True), url)
    _assert_confirmation_page(
        client.get(url, headers={"Accept-Language": "en"}), url, "End membership"
    )
    db.session.expire_all()
    assert db.session.get(Member, member.id).until is None
    client.post(url)
    db.session.expire_all()
    assert db.session.get(Member, member.id).until is not None


def test_revoke_invitation_asks_first(world, client, auth):
    invitation, _code = create_invitation(world.officer_a, world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/invitations/{invitation.id}/revoke"
    _assert_asks_first(
        client.get(f"/bodies/{world.adl_a.id}/invitations").get_data(as_text=True), url
    )
    _assert_confirmation_page(
        client.get(url, headers={"Accept-Language": "en"}), url, "Cancel this invitation"
    )
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_disable_account_asks_first_and_keeps_the_list_state(world, client, auth):
    auth.login(world.admin)
    target = world.tenant_a
    url = f"/admin/users/{target.id}/disable"
    listing = client.get("/admin/users?q=" + target.name.split()[0]).get_data(as_text=True)
    _assert_asks_first(listing, url)
    response = client.get(url + "?q=lucie&page=1", headers={"Accept-Language": "en"})
    _assert_confirmation_page(response, url, "Disable account")
    assert '<input type="hidden" name="q" value="lucie">' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, target.id).active


def test_new_calendar_address_asks_first(world, client, auth):
    auth.login(world.tenant_a)
    token = feed_token(world.tenant_a)
    db.session.commit()
    url = "/calendar/regenerate"
    _assert_asks_first(client.get("/calendar").get_data(as_text=True), url)
    _assert_confirmation_page(
        client.get(url, headers={"Accept-Language": "en"}), url, "Get a new address"
    )
    db.session.expire_all()
    assert feed_token(db.session.get(User, world.tenant_a.id)) == token


@pytest.mark.parametrize("lang", ["en", "fr-CA"])
def test_confirmation_page_is_translated(world, client, auth, lang):
    meeting = _draft(world)
    auth.login(world.officer_a)
    html = client.get(f"/meetings/{meeting.id}/delete", headers={"Accept-Language": lang}).get_data(
        as_text=True
    )
    expected = "Go back without changing anything" if lang == "en" else "Revenir sans rien changer"
    assert expected in html
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
