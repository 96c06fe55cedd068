"""Invitation batches, the printable sheet (codes shown once), revoking; reset codes."""

import html
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import ResetCode
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.invitations import find_usable
from tenantvoice.orgs.models import Invitation


def _new(w):
    return f"/bodies/{w.adl_a.id}/invitations/new"


def _sheet_codes() -> list[str]:
    """The last batch's codes, kept server-side in the session's row (never in the cookie)."""
    from tenantvoice.accounts.models import UserSession

    db.session.expire_all()
    for row in db.session.scalars(sa.select(UserSession)):
        if row.scratch and "invitation_sheet" in row.scratch:
            return [code for _id, code in row.scratch["invitation_sheet"]["items"]]
    raise AssertionError("no invitation sheet kept for the session")


def test_batch_creates_invitations_and_shows_codes_once(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(
        _new(world), data={"form_key": uuid.uuid4().hex, "count": "3", "label": "Porte-à-porte"}
    )
    assert response.status_code == 302
    assert f"/bodies/{world.adl_a.id}/invitations/sheet?batch=" in response.headers["Location"]
    sheet = client.get(f"/bodies/{world.adl_a.id}/invitations/sheet")
    assert sheet.status_code == 200
    assert sheet.text.count('class="invitation-card"') == 3
    assert "data:image/svg+xml" in sheet.text
    invitations = list(db.session.scalars(sa.select(Invitation)))
    assert len(invitations) == 3
    codes = _sheet_codes()
    for code in codes:
        assert code in sheet.text
        assert find_usable(code) is not None
        assert all(code not in (inv.code_hash, inv.label) for inv in invitations)
    # The list never shows the codes.
    listing = client.get(f"/bodies/{world.adl_a.id}/invitations").text
    assert all(code not in listing for code in codes)


def test_new_batch_replaces_the_previous_sheet(world, client, auth):
    auth.login(world.officer_a)
    client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "2"})
    first = _sheet_codes()
    client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "1"})
    sheet = client.get(f"/bodies/{world.adl_a.id}/invitations/sheet").text
    assert all(code not in sheet for code in first)
    assert sheet.count('class="invitation-card"') == 1


def test_forget_removes_codes_from_session(world, client, auth):
    auth.login(world.officer_a)
    client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "1"})
    client.post(f"/bodies/{world.adl_a.id}/invitations/sheet/forget")
    sheet = client.get(f"/bodies/{world.adl_a.id}/invitations/sheet").text
    assert 'class="invitation-card"' not in sheet


def test_batch_out_of_range_is_422(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "51"})
    assert response.status_code == 422
    assert "Between 1 and 50." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_invitation_for_a_paper_member(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(
        _new(world),
        data={
            "form_key": uuid.uuid4().hex,
            "count": "1",
            "member_id": str(world.paper_member_a.id),
        },
    )
    assert response.status_code == 302
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.member_id == world.paper_member_a.id
    assert invitation.unit == "112"


def test_member_invitation_must_be_single(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(
        _new(world),
        data={
            "form_key": uuid.uuid4().hex,
            "count": "4",
            "member_id": str(world.paper_member_a.id),
        },
    )
    assert response.status_code == 422


def test_revoke(world, client, auth):
    auth.login(world.officer_a)
    client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "1"})
    invitation = db.session.scalar(sa.select(Invitation))
    response = client.post(f"/bodies/{world.adl_a.id}/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.revoked_at is not None


def test_plain_member_cannot_create_invitations(world, client, auth):
    auth.login(world.tenant_a)
    assert (
        client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "1"}).status_code
        == 403
    )
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_officer_issues_reset_code_audited(world, client, auth):
    auth.login(world.officer_a)
    entry = db.session.scalar(
        sa.select(world.paper_member_a.__class__).where(
            world.paper_member_a.__class__.user_id == world.tenant_a.id
        )
    )
    response = client.post(f"/bodies/{world.adl_a.id}/members/{entry.id}/reset-code")
    assert response.status_code == 200
    assert "shown only once" in response.text
    row = db.session.scalar(sa.select(ResetCode).where(ResetCode.user_id == world.tenant_a.id))
    assert row is not None
    assert row.issued_by_id == world.officer_a.id
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action.like("reset_code%")))
        is not None
    )


def _paper_reset_url(w):
    return f"/bodies/{w.adl_a.id}/members/{w.paper_member_a.id}/reset-code"


def _tenant_entry_url(w):
    from tenantvoice.orgs.models import Member

    entry = db.session.scalar(sa.select(Member).where(Member.user_id == w.tenant_a.id))
    return f"/bodies/{w.adl_a.id}/members/{entry.id}/reset-code"


def test_no_reset_code_for_a_member_without_account(world, client, auth):
    auth.login(world.officer_a)
    assert client.post(_paper_reset_url(world)).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ResetCode.id))) == 0


def test_plain_member_cannot_issue_reset_code(world, client, auth):
    auth.login(world.president_a)
    url = _tenant_entry_url(world)
    auth.login(world.tenant_a)
    assert client.post(url).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ResetCode.id))) == 0


def test_officer_of_another_body_gets_404_for_reset_code(world, client, auth):
    url = _tenant_entry_url(world)
    auth.login(world.officer_b)
    assert client.post(url).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ResetCode.id))) == 0


def test_each_card_explains_itself_in_french_and_english(world, client, auth):
    """Rendered once per language like the notice of meeting, whatever the officer reads in."""
    import html

    auth.login(world.officer_a)
    client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "2", "label": ""})
    sheet = html.unescape(client.get(f"/bodies/{world.adl_a.id}/invitations/sheet").text)
    french = (
        '<div lang="fr-CA"><p><strong>Invitation</strong></p>\n<p>Scannez le code QR avec votre '
        "cellulaire, ou allez à l'adresse ci-dessus et entrez le code."
    )
    english = (
        '<div lang="en"><p><strong>Invitation</strong></p>\n<p>Scan the QR code with your '
        "phone, or go to the address above and type the code."
    )
    assert sheet.count(french) == 2
    assert sheet.count(english) == 2
    assert sheet.index(french) < sheet.index(english)  # French first


# --- a batch form sent again (double tap, retry, back button) --------------------------------


def _batch_then_gone(world, client, *, how):
    """Make a batch of 2 codes at 19 h 45 (Montréal), then lose its sheet `how` ("later": a
    later batch replaces it, "done": the officer removes it); send the first form again and
    return (the page it leads to, the first batch's codes)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tenantvoice import clock

    clock.set(datetime(2026, 12, 3, 19, 45, tzinfo=ZoneInfo("America/Montreal")), frozen=True)
    first = {"form_key": uuid.uuid4().hex, "count": "2", "label": "Hall"}
    client.post(_new(world), data=first)
    codes = _sheet_codes()
    clock.advance(timedelta(minutes=5))
    if how == "later":
        client.post(_new(world), data={"form_key": uuid.uuid4().hex, "count": "1"})
    else:
        client.post(f"/bodies/{world.adl_a.id}/invitations/sheet/forget")
    replay = client.post(_new(world), data=first)
    assert replay.status_code == 302
    return replay.headers["Location"], codes


@pytest.mark.parametrize("how", ["later", "done"])
def test_a_replayed_batch_whose_codes_are_gone_says_when_and_how_many(world, client, auth, how):
    auth.login(world.officer_a)
    location, codes = _batch_then_gone(world, client, how=how)
    page = html.unescape(client.get(location, headers={"Accept-Language": "en"}).text)
    assert "There are no codes to show." not in page
    assert "This batch was already created, on Dec 3, 2026, 7:45\u202fPM: 2 codes." in page
    assert "Use the sheet printed then." in page
    assert f'href="/bodies/{world.adl_a.id}/invitations"' in page
    assert 'class="invitation-card"' not in page
    assert not any(code in page for code in codes)
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == (
        3 if how == "later" else 2
    )


def test_a_replayed_batch_says_it_in_french(world, client, auth):
    auth.login(world.officer_a)
    location, _codes = _batch_then_gone(world, client, how="done")
    page = html.unescape(client.get(location, headers={"Accept-Language": "fr-CA"}).text)
    assert "Ce lot a déjà été créé, le 3 déc. 2026, 19 h 45\u00a0: 2 codes." in page
    assert "Utilisez la feuille imprimée à ce moment-là." in page


def test_a_replayed_batch_from_another_session_still_says_when(world, client, auth):
    """The count is kept in the session that made the batch; another session of the same
    person still learns when it was made (from the form's key), never "no codes"."""
    auth.login(world.officer_a)
    location, _codes = _batch_then_gone(world, client, how="done")
    auth.logout()
    auth.login(world.officer_a)
    page = html.unescape(client.get(location, headers={"Accept-Language": "en"}).text)
    assert "This batch was already created, on Dec 3, 2026, 7:45\u202fPM." in page
    assert "There are no codes to show." not in page


def test_another_officers_batch_number_tells_nothing(world, client, auth):
    auth.login(world.officer_a)
    location, _codes = _batch_then_gone(world, client, how="done")
    auth.logout()
    auth.login(world.president_a)  # an officer of the same body, but not the batch's author
    page = html.unescape(client.get(location, headers={"Accept-Language": "en"}).text)
    assert "This batch was already created" not in page
    assert "There are no codes to show." in page
