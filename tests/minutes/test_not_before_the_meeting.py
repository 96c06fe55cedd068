"""Minutes are drafted once the meeting has begun and proposed once it is over (issue 6)."""

import uuid
from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.minutes.models import Minutes, MinutesState
from tests.minutes.helpers import T0, board_meeting, minutes_in_state


def test_minutes_cannot_be_drafted_for_a_meeting_that_has_not_happened(world, client, auth):
    clock.set(T0 - timedelta(days=2))
    meeting = board_meeting(world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'action="/meetings/{meeting.id}/minutes"' not in page  # no button to press
    response = client.post(
        f"/meetings/{meeting.id}/minutes",
        data={"form_key": uuid.uuid4().hex},
        headers={"Accept-Language": "fr-CA"},
    )
    assert response.status_code == 409
    assert "pas encore eu lieu" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Minutes.id))) == 0


def test_minutes_can_be_drafted_once_the_meeting_has_begun(world, client, auth):
    clock.set(T0 + timedelta(minutes=30))  # during the meeting: notes taken live
    meeting = board_meeting(world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/meetings/{meeting.id}/minutes", data={"form_key": uuid.uuid4().hex})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Minutes.id))) == 1


def test_minutes_cannot_be_proposed_before_the_meeting_is_over(world, client, auth):
    clock.set(T0 + timedelta(minutes=30))
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    board_meeting(world.adl_a, starts_at=T0 + timedelta(days=30), title="Suivante", year_number=2)
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/minutes/{minutes.id}/propose")
    assert response.status_code == 409
    assert "it has not ended yet" in response.get_data(as_text=True)
    db.session.refresh(minutes)
    assert minutes.state == MinutesState.DRAFT
    clock.set(T0 + timedelta(hours=3))
    assert client.post(f"/minutes/{minutes.id}/propose").status_code == 302
    db.session.refresh(minutes)
    assert minutes.state == MinutesState.PROPOSED
