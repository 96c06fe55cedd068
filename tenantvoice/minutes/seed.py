"""Demo minutes: published minutes for the demo's past meetings, made through the services so the
demo shows the real life cycle (draft → proposed → approved → signed → published)."""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from tenantvoice import clock
from tenantvoice.assembly import attendance, resolutions
from tenantvoice.assembly.models import ResolutionOutcome
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingStatus
from tenantvoice.minutes import services
from tenantvoice.minutes.models import MinutesStateError
from tenantvoice.orgs.models import BOARD_ROLES, Member, MemberRole
from tenantvoice.policy.core import forget_facts

logger = logging.getLogger(__name__)


def _officer(body_id: int, role: MemberRole) -> Member | None:
    return db.session.scalar(
        sa.select(Member).where(
            Member.body_id == body_id,
            Member.role == role,
            Member.user_id.is_not(None),
            Member.until.is_(None),
        )
    )


def _publish(meeting: Meeting) -> bool:
    secretary = _officer(meeting.body_id, MemberRole.SECRETARY)
    president = _officer(meeting.body_id, MemberRole.PRESIDENT)
    if secretary is None or president is None or services.minutes_of(meeting) is not None:
        return False
    if secretary.user is None or president.user is None:  # never: _officer asks for accounts
        return False
    minutes = services.create_draft(secretary.user, meeting)
    if services.next_meeting(meeting) is None:
        return True  # stays a draft: nothing approves it yet
    try:
        services.propose(secretary.user, minutes)
        present = {m.id for m in attendance.members_ever_present(meeting)}
        resolution = next(
            (
                r
                for r in services.approval_choices(minutes)
                if r.moved_by_id in present and r.seconded_by_id in present
            ),
            None,
        )
        if resolution is None:
            return True  # proposed, waiting for its approval
        services.approve(secretary.user, minutes, resolution.id)
        services.sign(secretary.user, minutes, secretary)
        services.sign(president.user, minutes, president)
        services.publish(secretary.user, minutes)
    except (MinutesStateError, services.MinutesInvalidError) as exc:
        logger.info("Demo minutes of %s left unfinished: %s", meeting, exc)
    return True


#: Register members, besides the officers, who come to each demo meeting.
ATTENDEES = 6


def _hold(meeting: Meeting, previous: Meeting | None) -> None:
    """Replay a past meeting through the real services, at its own time: the officers and a few
    members sign in, and the minutes of the body's previous meeting are approved by resolution
    (moved by the secretary, seconded by the president, both present at both meetings)."""
    secretary = _officer(meeting.body_id, MemberRole.SECRETARY)
    president = _officer(meeting.body_id, MemberRole.PRESIDENT)
    if secretary is None or president is None:
        return
    members = list(
        db.session.scalars(
            sa.select(Member)
            .where(
                Member.body_id == meeting.body_id, Member.until.is_(None), Member.is_adult.is_(True)
            )
            .order_by(Member.name)
        )
    )
    if meeting.convenes_board:  # a board meeting convenes and counts the board only
        officers = [m for m in members if m.role in BOARD_ROLES and m.is_current]
        others = []
    else:
        officers = [m for m in members if m.is_officer]
        others = [m for m in members if not m.is_officer][:ATTENDEES]
    with clock.at(meeting.starts_at + timedelta(minutes=10)):
        for member in officers + others:
            attendance.mark_present(
                secretary.user, meeting, member, on_paper=member.user_id is None
            )
        if previous is not None:
            resolutions.record_resolution(
                secretary.user,
                meeting,
                text=_(
                    "the minutes of the meeting of %(date)s be approved as presented.",
                    date=format_date(previous.starts_at, "long"),
                ),
                moved_by_id=secretary.id,
                seconded_by_id=president.id,
                # Without quorum nothing is adopted (the demo's minutes then stay unapproved).
                outcome=ResolutionOutcome.CARRIED_UNANIMOUSLY
                if attendance.quorum_state(meeting).reached
                else ResolutionOutcome.NO_QUORUM,
            )
    meeting.adjourned_at = meeting.ends_at - timedelta(minutes=15)


def seed_minutes(ns) -> None:
    """Minutes for every past published meeting of the demo (run after the meetings seeder)."""
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.status == MeetingStatus.PUBLISHED, Meeting.ends_at < clock.now())
            .order_by(Meeting.starts_at)
        )
    )
    with current_app.test_request_context():  # the generated text goes through gettext
        previous_of_body: dict[int, Meeting] = {}
        for meeting in meetings:
            _hold(meeting, previous_of_body.get(meeting.body_id))
            previous_of_body[meeting.body_id] = meeting
        db.session.flush()
        made = sum(_publish(m) for m in meetings)
        forget_facts()  # the demo request is thrown away with what the policy learned
    db.session.flush()
    logger.info("Demo minutes: %d meeting(s) with minutes", made)
