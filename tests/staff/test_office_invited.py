"""An assembly may invite the housing office's direction (issue 9: "a calendar of the joint CCR
meetings and assemblies it is invited to"): the direction then reads its notice and agenda,
never the attendance, the register or an in-camera item; a board meeting never invites it."""

import uuid
from datetime import timedelta

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingKind
from tenantvoice.meetings.queries import feed_meetings
from tests import factories as f


def _invited_agm(world, **kwargs):
    return f.make_meeting(
        body=world.adl_a, kind=MeetingKind.AGM, title="AGA du Parc", office_invited=True, **kwargs
    )


def test_the_direction_sees_the_assemblies_that_invite_it(world, client, auth):
    invited = _invited_agm(world)
    f.make_meeting(body=world.adl_a, kind=MeetingKind.SPECIAL, title="Assemblée sans l'office")
    db.session.commit()
    auth.login(world.direction)
    page = client.get("/").text
    assert "AGA du Parc" in page
    assert "Assemblée sans l'office" not in page
    meeting_page = client.get(f"/meetings/{invited.id}")
    assert meeting_page.status_code == 200
    assert "The housing office's direction is invited." in meeting_page.text
    # The calendar feed asks the same question in SQL.
    assert invited.id in {m.id for m in feed_meetings(world.direction)}
    auth.logout()
    auth.login(world.direction_other)  # another provider's office
    assert client.get(f"/meetings/{invited.id}").status_code == 404


def test_the_invited_direction_reads_no_attendance_nor_in_camera_items(world, client, auth):
    invited = _invited_agm(
        world, agenda=[("Mot de bienvenue", False), ("Dossier confidentiel", True)]
    )
    db.session.commit()
    auth.login(world.direction)
    page = client.get(f"/meetings/{invited.id}").text
    assert "Mot de bienvenue" in page
    assert "Dossier confidentiel" not in page
    assert client.get(f"/meetings/{invited.id}/attendance").status_code in (403, 404)


def test_a_board_meeting_cannot_invite_the_office(world, client, auth):
    auth.login(world.officer_a)
    day = (clock.now() + timedelta(days=20)).astimezone(clock.MONTREAL).date()
    data = {
        "kind": MeetingKind.BOARD.value,
        "title": "Conseil d'administration",
        "day": day.isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
        "place": "Salle communautaire",
        "audience": "members",
        "office_invited": "y",
        "form_key": uuid.uuid4().hex,
    }
    before = db.session.query(Meeting).count()
    response = client.post(f"/bodies/{world.adl_a.id}/meetings/new", data=data)
    assert response.status_code == 422
    assert "A board meeting convenes the board alone" in response.text
    assert db.session.query(Meeting).count() == before
    data["kind"] = MeetingKind.SPECIAL.value
    data["title"] = "Assemblée extraordinaire"
    response = client.post(f"/bodies/{world.adl_a.id}/meetings/new", data=data)
    assert response.status_code == 302
    meeting = db.session.query(Meeting).order_by(Meeting.id.desc()).first()
    assert meeting.office_invited
