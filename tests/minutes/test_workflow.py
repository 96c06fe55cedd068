"""Minutes life cycle through HTTP: drafting, states and guards, approval, signatures, versions."""

import uuid
from datetime import timedelta

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.minutes.models import Minutes, MinutesState, MinutesVersion
from tests.minutes.helpers import (
    T0,
    attend,
    board_meeting,
    make_resolution,
    member_of,
    minutes_in_state,
    switch_user,
)


def _editor_data(minutes, **texts):
    data = {"version": str(minutes.version), "adjourned_at": "21:15"}
    for s in minutes.sections:
        data[f"section-{s.id}"] = texts.get(str(s.position), s.body_markdown)
    return data


def test_draft_from_meeting_page_follows_the_agenda(world, client, auth):
    meeting = board_meeting(world.adl_a)
    attend(meeting, member_of(world.officer_a, world.adl_a), world.paper_member_a)
    item = meeting.agenda_items[0]
    make_resolution(
        meeting,
        item=item,
        text="que l'association organise une fête",
        mover=member_of(world.officer_a, world.adl_a),
        seconder=world.paper_member_a,
    )
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/meetings/{meeting.id}/minutes", data={"form_key": uuid.uuid4().hex})
    assert response.status_code == 302
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id))
    assert response.headers["Location"].endswith(f"/minutes/{minutes.id}/edit")
    assert [s.title for s in minutes.sections][1:] == ["Mot de bienvenue", "Dossier confidentiel"]
    opening = minutes.sections[0].body_markdown
    assert "Gérard Côté" in opening
    assert "Jean Gagnon" in opening
    assert "2 members present" in opening
    assert "Moved by Jean Gagnon, seconded by Gérard Côté" in minutes.sections[1].body_markdown
    assert minutes.sections[2].in_camera


def test_tenant_cannot_draft_minutes(world, client, auth):
    meeting = board_meeting(world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.post(f"/meetings/{meeting.id}/minutes", data={"form_key": uuid.uuid4().hex})
    assert response.status_code == 404  # a board meeting: hidden from members off the board
    assert db.session.scalar(sa.select(sa.func.count(Minutes.id))) == 0


def test_save_without_js_stores_text_and_raises_version(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/edit", data=_editor_data(minutes, **{"1": "Bienvenue à tous."})
    )
    assert response.status_code == 302
    db.session.refresh(minutes)
    assert minutes.version == 2
    assert minutes.sections[1].body_markdown == "Bienvenue à tous."
    assert minutes.adjourned_at.strftime("%H:%M") == "21:15"


def test_text_over_100000_characters_is_refused_and_nothing_saved(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/edit", data=_editor_data(minutes, **{"1": "a" * 100_001})
    )
    assert response.status_code == 422
    assert "too long" in response.get_data(as_text=True)
    db.session.refresh(minutes)
    assert minutes.version == 1
    assert minutes.sections[1].body_markdown == ""


def test_bad_adjournment_time_is_422_with_values_kept(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    data = _editor_data(minutes, **{"1": "Mon texte gardé"})
    data["adjourned_at"] = "25h99"
    response = client.post(f"/minutes/{minutes.id}/edit", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "HH:MM" in body
    assert "Mon texte gardé" in body
    assert 'value="25h99"' in body


def test_propose_needs_a_next_meeting(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.post(f"/minutes/{minutes.id}/propose")
    assert response.status_code == 409
    assert "Schedule the next meeting" in response.get_data(as_text=True)


def test_propose_picks_the_next_meeting_of_the_body(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    board_meeting(world.adl_a, starts_at=T0 + timedelta(days=60), title="Plus tard")
    nxt = board_meeting(world.adl_a, starts_at=T0 + timedelta(days=20), title="Prochaine")
    board_meeting(world.adl_b, starts_at=T0 + timedelta(days=5), title="Autre association")
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/minutes/{minutes.id}/propose").status_code == 302
    db.session.refresh(minutes)
    assert minutes.state == MinutesState.PROPOSED
    assert minutes.approving_meeting_id == nxt.id


def test_proposing_twice_is_a_conflict(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PROPOSED)
    auth.login(world.officer_a)
    assert client.post(f"/minutes/{minutes.id}/propose").status_code == 409


def _approval_setup(world, *, mover_present: bool):
    minutes = minutes_in_state(world, MinutesState.PROPOSED)
    nxt = minutes.approving_meeting
    mover = member_of(world.tenant_a, world.adl_a)  # absent from the recorded meeting
    seconder = member_of(world.president_a, world.adl_a)  # present
    if mover_present:
        attend(minutes.meeting, mover)
    attend(nxt, mover, seconder)
    res = make_resolution(nxt, mover=mover, seconder=seconder)
    db.session.commit()
    return minutes, res


def test_approval_moved_by_someone_absent_is_refused(world, client, auth):
    minutes, res = _approval_setup(world, mover_present=False)
    auth.login(world.officer_a)
    response = client.post(f"/minutes/{minutes.id}/approve", data={"resolution_id": res.id})
    assert response.status_code == 422
    assert "Only members present" in response.get_data(as_text=True)
    db.session.refresh(minutes)
    assert minutes.state == MinutesState.PROPOSED


def test_approval_by_members_present_links_the_resolution(world, client, auth):
    minutes, res = _approval_setup(world, mover_present=True)
    auth.login(world.officer_a)
    response = client.post(f"/minutes/{minutes.id}/approve", data={"resolution_id": res.id})
    assert response.status_code == 302
    db.session.refresh(minutes)
    assert minutes.state == MinutesState.APPROVED
    assert minutes.approved_by_resolution_id == res.id
    assert minutes.approved_at is not None


def test_approval_resolution_must_come_from_a_later_meeting_of_the_body(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PROPOSED)
    sec = member_of(world.officer_a, world.adl_a)
    pres = member_of(world.president_a, world.adl_a)
    same_meeting_res = make_resolution(minutes.meeting, mover=sec, seconder=pres)
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/approve", data={"resolution_id": same_meeting_res.id}
    )
    assert response.status_code == 422


def test_secretary_and_president_sign_from_their_own_accounts(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    auth.login(world.officer_a)
    assert client.post(f"/minutes/{minutes.id}/sign").status_code == 302
    db.session.refresh(minutes)
    assert minutes.secretary_signed_by_id == world.officer_a.id
    assert minutes.state == MinutesState.APPROVED
    switch_user(auth, world.president_a)
    assert client.post(f"/minutes/{minutes.id}/sign").status_code == 302
    db.session.refresh(minutes)
    assert minutes.president_signed_by_id == world.president_a.id
    assert minutes.state == MinutesState.SIGNED


def test_the_same_officer_cannot_sign_twice(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    auth.login(world.officer_a)
    client.post(f"/minutes/{minutes.id}/sign")
    assert client.post(f"/minutes/{minutes.id}/sign").status_code == 409
    db.session.refresh(minutes)
    assert minutes.president_signed_at is None


def test_a_plain_member_cannot_sign(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    auth.login(world.tenant_a)
    assert client.post(f"/minutes/{minutes.id}/sign").status_code == 403


def test_signing_a_draft_is_a_conflict(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    assert client.post(f"/minutes/{minutes.id}/sign").status_code == 409


def test_signed_minutes_are_frozen(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.SIGNED)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/edit", data=_editor_data(minutes, **{"1": "changement"})
    )
    assert response.status_code == 409
    assert (
        client.post(
            f"/minutes/{minutes.id}/autosave", data=_editor_data(minutes, **{"1": "x"})
        ).status_code
        == 409
    )
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown != "changement"


def test_publishing_unsigned_minutes_is_a_conflict(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    auth.login(world.officer_a)
    assert client.post(f"/minutes/{minutes.id}/publish").status_code == 409


def test_publish_creates_version_1_without_in_camera_text(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.SIGNED)
    auth.login(world.officer_a)
    assert client.post(f"/minutes/{minutes.id}/publish").status_code == 302
    version = db.session.scalar(
        sa.select(MinutesVersion).where(MinutesVersion.minutes_id == minutes.id)
    )
    assert version.number == 1
    assert version.author_id == world.officer_a.id
    assert "concierge" not in version.text_markdown
    assert "Dossier confidentiel" not in version.text_markdown


def test_correction_creates_next_version_and_keeps_the_old_one(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/correct",
        data={
            "text": "Texte corrigé.",
            "change_note": "Nom mal écrit",
            "form_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Texte corrigé." in page
    assert "Version 2, published on" in page
    old = client.get(f"/minutes/{minutes.id}/versions/1")
    assert old.status_code == 200
    assert "ÉLECTION" in old.get_data(as_text=True)
    assert "Jean Gagnon" in old.get_data(as_text=True)  # the author


def test_correction_needs_a_change_note(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/correct", data={"text": "Texte corrigé.", "change_note": ""}
    )
    assert response.status_code == 422
    assert "Texte corrigé." in response.get_data(as_text=True)
    assert len(minutes.versions) == 1


def test_draft_cannot_be_corrected(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    assert (
        client.post(
            f"/minutes/{minutes.id}/correct", data={"text": "x", "change_note": "y"}
        ).status_code
        == 409
    )


def test_approval_date_is_the_approving_meetings_date_not_the_click_date(world, client, auth):
    """Issue 9: "approved by resolution X on <date>" named the day the secretary clicked."""
    from tenantvoice import clock

    minutes, res = _approval_setup(world, mover_present=True)
    approving = minutes.approving_meeting
    clock.set(approving.starts_at + timedelta(days=12), frozen=True)  # typed in 12 days later
    auth.login(world.officer_a)
    response = client.post(f"/minutes/{minutes.id}/approve", data={"resolution_id": res.id})
    assert response.status_code == 302
    db.session.refresh(minutes)
    assert minutes.approved_at == approving.starts_at
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Approved by resolution 2026-02-01 on Apr 9, 2026." in page
