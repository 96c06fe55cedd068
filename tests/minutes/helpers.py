"""Builders for minutes tests (meetings, attendance, resolutions, minutes in each state)."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g

from tenantvoice import clock
from tenantvoice.assembly.models import Attendance, Resolution, ResolutionOutcome
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingKind
from tenantvoice.minutes import services
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import Member
from tests import factories as f

T0 = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)  # 19:00 in Montréal


def member_of(user, body) -> Member:
    return db.session.scalar(
        sa.select(Member).where(Member.user_id == user.id, Member.body_id == body.id)
    )


def board_meeting(
    body, *, starts_at=T0, title="Assemblée régulière", items=None, year_number=1
) -> Meeting:
    """A board meeting at T0 whose notice went out ten days before, with an in-camera item."""
    return f.make_meeting(
        body=body,
        kind=MeetingKind.BOARD,
        title=title,
        starts_at=starts_at,
        published_at=starts_at - timedelta(days=10),
        year_number=year_number,
        agenda=items
        if items is not None
        else [("Mot de bienvenue", False), ("Dossier confidentiel", True)],
        first_position=0,
    )


def attend(meeting, *members) -> None:
    for m in members:
        db.session.add(Attendance(meeting_id=meeting.id, member_id=m.id))
    db.session.flush()


def make_resolution(
    meeting,
    *,
    text="que le procès-verbal soit adopté",
    mover=None,
    seconder=None,
    item=None,
    seq=None,
    outcome=ResolutionOutcome.CARRIED_UNANIMOUSLY,
) -> Resolution:
    seq = seq or (
        len(
            list(
                db.session.scalars(
                    sa.select(Resolution.id).where(Resolution.meeting_id == meeting.id)
                )
            )
        )
        + 1
    )
    r = Resolution(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        seq=seq,
        number=f"2026-{meeting.year_number:02d}-{seq:02d}",
        text=text,
        moved_by_id=mover.id if mover else None,
        seconded_by_id=seconder.id if seconder else None,
        outcome=outcome,
    )
    db.session.add(r)
    db.session.flush()
    return r


def minutes_in_state(w, state: MinutesState, **kwargs):
    """Minutes of a meeting of ADL A (by default) brought to `state` through the services
    (inside a request context: the generated text is translated)."""
    with in_request():
        return _minutes_in_state(w, state, **kwargs)


@contextmanager
def in_request():
    """A request context for calling services directly. The test client's requests share the
    fixture's app context, so forget what this one cached on `g` (anonymous user, policy facts)."""
    try:
        with current_app.test_request_context():
            yield
    finally:
        g.pop("_login_user", None)
        g.pop("_policy_facts", None)


def _minutes_in_state(w, state: MinutesState, *, body=None, officer=None, president=None):
    body = body or w.adl_a
    officer = officer or w.officer_a
    president = president or w.president_a
    meeting = board_meeting(body)
    sec_m, pres_m = member_of(officer, body), member_of(president, body)
    attend(meeting, sec_m, pres_m)
    minutes = services.create_draft(officer, meeting)
    minutes.sections[0].body_markdown += "\n\nRéunion du comité sur l'ÉLECTION annuelle."
    minutes.sections[2].body_markdown = "Secret: plainte contre le concierge."
    if state == MinutesState.DRAFT:
        db.session.commit()
        return minutes
    nxt = board_meeting(
        body, starts_at=T0 + timedelta(days=30), title="Assemblée suivante", year_number=2
    )
    services.propose(officer, minutes)
    if state == MinutesState.PROPOSED:
        db.session.commit()
        return minutes
    attend(nxt, sec_m, pres_m)
    res = make_resolution(nxt, mover=sec_m, seconder=pres_m)
    services.approve(officer, minutes, res.id)
    if state == MinutesState.APPROVED:
        db.session.commit()
        return minutes
    services.sign(officer, minutes, sec_m)
    services.sign(president, minutes, pres_m)
    if state == MinutesState.SIGNED:
        db.session.commit()
        return minutes
    services.publish(officer, minutes)
    db.session.commit()
    return minutes


__all__ = [
    "T0",
    "attend",
    "clock",
    "in_request",
    "board_meeting",
    "make_resolution",
    "member_of",
    "minutes_in_state",
]


def switch_user(auth, user):
    """Log in as another user within one test: the test client's requests share the fixture's
    app context, where Flask-Login caches the current user on `g`."""
    g.pop("_login_user", None)
    g.pop("_policy_facts", None)
    return auth.login(user)
