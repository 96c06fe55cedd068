"""Announcing an event runs a CONSTANT number of SQL statements whatever the number of people
told (no N+1 in notify(): facts, preferences and devices are loaded in bulk, rows inserted in
batches). Counts only: timings are in benchmarks/notify.py."""

from datetime import timedelta

from sqlalchemy import event

from tenantvoice.extensions import db
from tenantvoice.meetings import services
from tenantvoice.meetings.models import MeetingStatus
from tenantvoice.notifications.models import Channel, Frequency, Preference
from tenantvoice.outbox.models import PushSubscription
from tests import factories as f
from tests.minutes.helpers import in_request


def _statements_to_publish(members: int) -> int:
    body = f.make_body(sites=[f.make_site()])
    officer = f.make_tenant(body=body, role=f.MemberRole.SECRETARY)
    for n in range(members):
        user = f.make_tenant(body=body)
        db.session.add(
            PushSubscription(
                user_id=user.id,
                endpoint=f"https://fcm.googleapis.com/{body.id}/{n}",
                p256dh="p",
                auth="a",
            )
        )
        if n % 2:
            db.session.add(
                Preference(
                    user_id=user.id,
                    kind="meeting.notice",
                    channel=Channel.EMAIL,
                    frequency=Frequency.IMMEDIATELY,
                )
            )
    meeting = f.make_meeting(body=body, status=MeetingStatus.DRAFT, starts_in=timedelta(days=30))
    db.session.commit()
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with in_request():
            services.publish(officer, meeting, confirm_late=True)
            db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_publishing_a_notice_costs_the_same_for_4_or_24_members(app):
    small = _statements_to_publish(4)
    large = _statements_to_publish(24)
    assert small == large
    assert small < 30
