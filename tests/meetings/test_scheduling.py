"""Scheduling: create, validation (422, nothing saved), notice period, publish, change, cancel."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingChange, MeetingKind, MeetingStatus
from tests import factories as f

NOW = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)


def _form(**over):
    data = {
        "kind": "agm",
        "title": "AGA 2025",
        "day": "2025-04-10",
        "start_time": "19:00",
        "end_time": "21:00",
        "place": "Salle communautaire",
        "address": "",
        "video_url": "",
        "audience": "members",
        "form_key": uuid.uuid4().hex,
    }
    data.update(over)
    return data


def _count():
    return db.session.scalar(sa.select(sa.func.count(Meeting.id)))


def test_create_starts_with_the_agm_agenda_in_the_officers_language(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/meetings/new", data=_form(), headers={"Accept-Language": "fr-CA"}
    )
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting))
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.starts_at == datetime(2025, 4, 10, 23, 0, tzinfo=UTC)  # 19 h EDT
    titles = [i.title for i in meeting.agenda_items]
    assert len(titles) == 11
    assert titles[0] == "Ouverture de l'assemblée"  # the officer asked in French (fr-CA)


def test_past_date_is_refused_and_nothing_saved(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/meetings/new", data=_form(day="2025-03-01", title="Gardée")
    )
    assert response.status_code == 422
    assert b"Gard\xc3\xa9e" in response.data  # value kept
    assert _count() == 0


def test_end_before_start_is_refused(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/meetings/new", data=_form(start_time="20:00", end_time="19:00")
    )
    assert response.status_code == 422
    assert _count() == 0


def test_video_link_must_be_http(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/meetings/new", data=_form(video_url="javascript:alert(1)")
    )
    assert response.status_code == 422
    assert _count() == 0


def test_too_long_title_is_refused(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    response = client.post(f"/bodies/{world.adl_a.id}/meetings/new", data=_form(title="x" * 201))
    assert response.status_code == 422
    assert _count() == 0


def test_assembly_with_empty_agenda_cannot_be_published(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT, agenda=())
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/meetings/{meeting.id}/publish")
    assert response.status_code == 422
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.DRAFT


def test_late_notice_needs_confirmation(world, client, auth):
    meeting = f.make_meeting(
        body=world.adl_a, status=MeetingStatus.DRAFT, starts_in=timedelta(days=5)
    )  # general: 10 days required
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/meetings/{meeting.id}/publish")
    assert response.status_code == 422
    assert "confirm_late-errors" in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.DRAFT
    response = client.post(f"/meetings/{meeting.id}/publish", data={"confirm_late": "y"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED
    assert meeting.late_notice


def test_board_meeting_uses_the_board_notice_period(world, client, auth):
    meeting = f.make_meeting(
        body=world.adl_a,
        kind=MeetingKind.BOARD,
        status=MeetingStatus.DRAFT,
        starts_in=timedelta(days=5),
    )
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 302
    db.session.refresh(meeting)
    assert meeting.published_at is not None
    assert not meeting.late_notice


def test_year_number_counts_published_meetings_of_the_same_year(world, client, auth):
    clock.set(NOW)
    f.make_meeting(body=world.adl_a, starts_in=timedelta(days=20), year_number=1)
    f.make_meeting(body=world.adl_b, starts_in=timedelta(days=20), year_number=7)  # other body
    draft = f.make_meeting(
        body=world.adl_a, status=MeetingStatus.DRAFT, starts_in=timedelta(days=40)
    )
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/meetings/{draft.id}/publish").status_code == 302
    db.session.refresh(draft)
    assert draft.year_number == 2


def test_change_after_publication_raises_sequence_and_is_shown(world, client, auth):
    clock.set(NOW)
    meeting = f.make_meeting(body=world.adl_a, starts_in=timedelta(days=20))
    db.session.commit()
    auth.login(world.officer_a)
    start = meeting.starts_at
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=_form(
            day=(start + timedelta(days=1)).strftime("%Y-%m-%d"),
            title=meeting.title,
            place="Sous-sol de l'église",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.sequence == 2  # new time, new place
    assert db.session.scalar(sa.select(sa.func.count(MeetingChange.id))) == 2
    auth.login(world.tenant_a)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Sous-sol de l&#39;église" in page


def test_cancel_keeps_the_meeting_with_its_reason(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/meetings/{meeting.id}/cancel", data={"reason": ""}).status_code == 422
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Tempête de neige"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    auth.login(world.tenant_a)
    assert "Tempête de neige" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_drafts_are_invisible_to_members(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT, title="Brouillon secret")
    db.session.commit()
    auth.login(world.tenant_a)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert "Brouillon secret" not in client.get(f"/bodies/{world.adl_a.id}/meetings").get_data(
        as_text=True
    )


def test_officer_deletes_a_draft_but_not_a_published_meeting(world, client, auth):
    draft = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT)
    published = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/meetings/{draft.id}/delete").status_code == 302
    assert client.post(f"/meetings/{published.id}/delete").status_code == 409
    assert _count() == 1


def test_script_in_title_is_escaped(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, title="<script>alert(1)</script>")
    db.session.commit()
    auth.login(world.tenant_a)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_home_lists_next_published_meetings_with_the_answer(world, client, auth):
    f.make_meeting(body=world.adl_a, title="AGA à venir")
    f.make_meeting(body=world.adl_a, title="Brouillon caché", status=MeetingStatus.DRAFT)
    f.make_meeting(body=world.adl_b, title="Réunion d'une autre association")
    db.session.commit()
    auth.login(world.tenant_a)
    page = client.get("/").get_data(as_text=True)
    assert "AGA à venir" in page
    assert "Brouillon caché" not in page
    assert "autre association" not in page


def _held(world):
    """A special assembly of ADL A held a week ago, 19:00 to 21:00 Montréal time."""
    clock.set(NOW, frozen=True)
    meeting = f.make_meeting(
        body=world.adl_a,
        kind=MeetingKind.SPECIAL,
        starts_at=datetime(2025, 2, 25, 0, 0, tzinfo=UTC),
        hours=2,
    )
    db.session.commit()
    return meeting


def test_the_place_it_was_held_is_entered_afterwards_without_telling_anyone(world, client, auth):
    """Issue 9: a past meeting could not be edited (its date had passed)."""
    from tenantvoice.notifications.models import Notification

    meeting = _held(world)
    auth.login(world.officer_a)
    before = db.session.scalar(sa.select(sa.func.count(Notification.id)))
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=_form(
            kind="special",
            title=meeting.title,
            day="2025-02-24",
            place="Sous-sol de l'église",
        ),
    )
    assert response.status_code == 302
    (change,) = db.session.scalars(sa.select(MeetingChange)).all()
    assert change.data["entered_afterwards"] is True
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == before
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Place where it was held (entered after the meeting)" in page


def test_the_time_of_a_meeting_held_cannot_change(world, client, auth):
    meeting = _held(world)
    auth.login(world.officer_a)
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=_form(kind="special", title=meeting.title, day="2025-04-24"),
    )
    assert response.status_code == 422
    assert "its date and time can no longer change" in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.starts_at == datetime(2025, 2, 25, 0, 0, tzinfo=UTC)
