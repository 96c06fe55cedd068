"""Meeting reminders the day before: once per meeting and start time, to the people convened who
did not say they will not come; none for a notice sent the same day; calendar events carry a
VALARM the day before."""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Rsvp, RsvpAnswer
from tenantvoice.meetings.services import send_reminders
from tenantvoice.notifications.models import NotificationEvent
from tenantvoice.outbox.queue import run_in_app
from tests.notifications.helpers import draft_meeting, publish, told


def _run(app, at=None):
    if at is not None:
        clock.set(at, frozen=True)
    return run_in_app(app, send_reminders)


def _published(w, starts_in=timedelta(days=5)):
    meeting = draft_meeting(w.adl_a, starts_in=starts_in)
    publish(meeting, w.officer_a)
    return meeting


def test_the_day_before_the_people_convened_are_reminded_once(app, world):
    w = world
    meeting = _published(w)
    assert _run(app, meeting.starts_at - timedelta(days=2)) == 0  # too early
    assert _run(app, meeting.starts_at - timedelta(hours=23)) == 1
    assert told("meeting.reminder") == {w.tenant_a.id, w.president_a.id, w.officer_a.id}
    assert _run(app, meeting.starts_at - timedelta(hours=22)) == 0  # never twice


def test_people_who_said_they_will_not_come_are_not_reminded(app, world):
    w = world
    meeting = _published(w)
    db.session.add(Rsvp(meeting_id=meeting.id, user_id=w.tenant_a.id, answer=RsvpAnswer.NO))
    db.session.commit()
    _run(app, meeting.starts_at - timedelta(hours=20))
    assert w.tenant_a.id not in told("meeting.reminder")
    assert w.president_a.id in told("meeting.reminder")


def test_no_reminder_for_a_notice_sent_the_same_day(app, world):
    meeting = _published(world, starts_in=timedelta(hours=10))
    assert _run(app, meeting.starts_at - timedelta(hours=5)) == 0


def test_no_reminder_an_hour_before_after_a_worker_outage(app, world):
    meeting = _published(world)
    assert _run(app, meeting.starts_at - timedelta(minutes=30)) == 0


def test_a_rescheduled_meeting_is_reminded_again(app, world):
    meeting = _published(world)
    _run(app, meeting.starts_at - timedelta(hours=20))
    meeting.starts_at += timedelta(days=2)
    meeting.ends_at += timedelta(days=2)
    db.session.commit()
    assert _run(app, meeting.starts_at - timedelta(hours=20)) == 1
    keys = db.session.scalars(
        sa.select(NotificationEvent.once_key).where(NotificationEvent.kind == "meeting.reminder")
    ).all()
    assert len(keys) == 2


def test_a_cancelled_meeting_is_not_reminded(app, world):
    meeting = _published(world)
    meeting.status = meeting.status.CANCELLED
    db.session.commit()
    assert _run(app, meeting.starts_at - timedelta(hours=20)) == 0


def test_calendar_events_carry_a_reminder_the_day_before(world, client, auth):
    meeting = _published(world)
    auth.login(world.tenant_a)
    ics = client.get(f"/meetings/{meeting.id}/event.ics").text
    assert "BEGIN:VALARM" in ics
    assert "TRIGGER:-P1D" in ics
    assert "ACTION:DISPLAY" in ics
