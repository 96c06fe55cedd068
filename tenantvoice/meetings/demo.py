"""Demo meetings for `flask seed`: a realistic year for the demo ADLs and the CCR."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.agenda_templates import items_for
from tenantvoice.meetings.models import (
    AgendaItem,
    Audience,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Rsvp,
    RsvpAnswer,
)
from tenantvoice.orgs.models import OFFICER_ROLES, Member


def _at(days: int, hour: int = 19) -> datetime:
    day = (clock.now() + timedelta(days=days)).astimezone(clock.MONTREAL).date()
    return datetime.combine(day, time(hour), tzinfo=clock.MONTREAL)


def _meeting(
    body,
    kind,
    title,
    days,
    *,
    officer,
    status=MeetingStatus.PUBLISHED,
    hours=2,
    reason="",
    audience=Audience.MEMBERS,
) -> Meeting:
    start = _at(days)
    meeting = Meeting(
        body=body,
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        place="Salle communautaire",
        address=body.sites[0].address if body.sites else "",
        audience=audience,
        status=status,
        created_by=officer,
        # The officer who scheduled a published demo meeting also signed its notice.
        published_by=None if status == MeetingStatus.DRAFT else officer,
        published_at=None
        if status == MeetingStatus.DRAFT
        else start - timedelta(days=body.notice_days_general + 2),
    )
    if status == MeetingStatus.CANCELLED:
        meeting.cancelled_at, meeting.cancel_reason, meeting.sequence = (
            start - timedelta(days=2),
            reason,
            1,
        )
    with force_locale("fr_CA"):
        for position, (item_title, kind_) in enumerate(items_for(kind), start=1):
            meeting.agenda_items.append(AgendaItem(position=position, title=item_title, kind=kind_))
    db.session.add(meeting)
    return meeting


def _number(body) -> None:
    """year_number: rank among the body's published meetings of the same calendar year."""
    counters: dict[int, int] = {}
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.body_id == body.id, Meeting.published_at.is_not(None))
        .order_by(Meeting.published_at, Meeting.id)
    )
    for meeting in meetings:
        year = meeting.starts_at.astimezone(clock.MONTREAL).year
        counters[year] = counters.get(year, 0) + 1
        meeting.year_number = counters[year]


def seed_meetings(ns) -> None:
    """Past AGM, board meetings every two months, a coming AGM with its notice out, a cancelled
    meeting and RSVPs; CCR meetings (tenants only and joint with the office)."""
    db.session.flush()
    for body in (ns.adl_parc, ns.adl_erables, ns.ccr):
        members = list(db.session.scalars(sa.select(Member).where(Member.body_id == body.id)))
        officer = next((m.user for m in members if m.role in OFFICER_ROLES and m.user), None)
        if body is ns.ccr:
            for days in (-240, -120, 30):
                _meeting(
                    body,
                    MeetingKind.CCR_TENANTS,
                    "Rencontre du CCR (locataires)",
                    days,
                    officer=officer,
                )
            _meeting(
                body,
                MeetingKind.CCR_JOINT,
                "Rencontre conjointe avec l'office",
                -60,
                officer=officer,
            )
            coming = _meeting(
                body,
                MeetingKind.CCR_JOINT,
                "Rencontre conjointe avec l'office",
                45,
                officer=officer,
            )
        else:
            _meeting(
                body, MeetingKind.AGM, "Assemblée générale annuelle", -270, officer=officer, hours=3
            )
            for days in (-300, -240, -180, -120, -60):
                _meeting(
                    body,
                    MeetingKind.BOARD,
                    "Réunion du conseil d'administration",
                    days,
                    officer=officer,
                    hours=2,
                )
            _meeting(
                body,
                MeetingKind.BOARD,
                "Réunion du conseil d'administration",
                -10,
                officer=officer,
                status=MeetingStatus.CANCELLED,
                reason="Tempête de neige : la réunion est reportée.",
            )
            coming = _meeting(
                body, MeetingKind.AGM, "Assemblée générale annuelle", 21, officer=officer, hours=3
            )
            coming.office_invited = True  # the direction comes to present the year's work
            _meeting(
                body,
                MeetingKind.BOARD,
                "Réunion du conseil d'administration",
                60,
                officer=officer,
                status=MeetingStatus.DRAFT,
            )
        db.session.flush()
        answers = (RsvpAnswer.YES, RsvpAnswer.YES, RsvpAnswer.MAYBE, RsvpAnswer.NO)
        for i, member in enumerate(m for m in members if m.user_id):
            answer = answers[i % len(answers)]
            db.session.add(
                Rsvp(
                    meeting_id=coming.id,
                    user_id=member.user_id,
                    answer=answer,
                    party_size=0 if answer == RsvpAnswer.NO else 1 + i % 2,
                )
            )
        _number(body)
    db.session.flush()
