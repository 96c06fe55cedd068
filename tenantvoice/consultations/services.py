"""Verbs of office consultations. Services flush, never commit; the view commits once."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tenantvoice import audit, clock
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.consultations.models import (
    NOTICE_DAYS,
    Consultation,
    ConsultationComment,
    ConsultationKind,
)
from tenantvoice.extensions import db
from tenantvoice.models import DomainStateError
from tenantvoice.notifications.services import notify
from tenantvoice.orgs.models import Body, BodyKind, Member, StaffAssignment

TITLE_MAX = 200
TEXT_MAX = 20_000
COMMENT_MAX = 4_000
ANSWER_MAX = 20_000

MSG_NOTICE = _l(
    "The office decides at least 7 days after consulting its CCR: choose a decision date on or "
    "after %(first)s."
)


class ConsultationInvalidError(ValueError):
    """Input the rules refuse; `errors` maps a form field to its message (shown next to it)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class ConsultationStateError(DomainStateError):
    """The CCR's written answer is already recorded."""

    shown = True


def earliest_decision_date(at: datetime | None = None) -> date:
    """The first decision date the 7-day notice allows for a consultation submitted `at`."""
    at = at or clock.now()
    return at.astimezone(clock.MONTREAL).date() + timedelta(days=NOTICE_DAYS)


def ccr_member_user_ids(ccr: Body) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Member.user_id).where(
                Member.body_id == ccr.id, Member.is_current, Member.user_id.is_not(None)
            )
        )
    )


def direction_user_ids(consultation: Consultation) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(StaffAssignment.user_id).where(
                StaffAssignment.role == StaffRole.DIRECTION,
                StaffAssignment.provider_id == consultation.provider_id,
            )
        )
    )


def submit(
    actor: User | None,
    ccr: Body,
    *,
    kind: str,
    title: str,
    text: str,
    decision_date: date,
) -> Consultation:
    """The office submits a draft to its CCR; the CCR's members are told."""
    if BodyKind(ccr.kind) != BodyKind.CCR:
        raise ValueError("a consultation goes to a CCR")
    now = clock.now()
    first = earliest_decision_date(now)
    if decision_date < first:
        raise ConsultationInvalidError(
            {"decision_date": str(MSG_NOTICE % {"first": format_date(first, "long")})}
        )
    consultation = Consultation(
        provider_id=ccr.provider_id,
        ccr_id=ccr.id,
        kind=ConsultationKind(kind),
        title=title.strip()[:TITLE_MAX],
        text=text.strip()[:TEXT_MAX],
        submitted_by_id=actor.id if actor is not None else None,
        submitted_at=now,
        decision_date=decision_date,
    )
    db.session.add(consultation)
    db.session.flush()
    audit.record("consultation.submit", actor=actor, body_id=ccr.id, obj=consultation)
    notify(
        "consultation.submitted",
        consultation,
        actor=actor,
        only=ccr_member_user_ids(consultation.ccr),
    )
    return consultation


def add_comment(actor: User, consultation: Consultation, text: str) -> ConsultationComment:
    """A CCR member's word in the discussion (the view checks policy.can_discuss_consultation)."""
    entry = db.session.scalar(
        sa.select(Member).where(
            Member.body_id == consultation.ccr_id, Member.user_id == actor.id, Member.is_current
        )
    )
    comment = ConsultationComment(
        consultation_id=consultation.id,
        author_id=actor.id,
        author_name=(entry.name if entry is not None else actor.name)[:120],
        text=text.strip()[:COMMENT_MAX],
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_of(consultation: Consultation) -> list[ConsultationComment]:
    return list(
        db.session.scalars(
            sa.select(ConsultationComment)
            .where(ConsultationComment.consultation_id == consultation.id)
            .order_by(ConsultationComment.created_at, ConsultationComment.id)
        )
    )


def _tell_the_office(actor: User | None, consultation: Consultation) -> None:
    """The direction is told once, at the CCR's first answer (written or a recommendation)."""
    notify(
        "consultation.answered",
        consultation,
        actor=actor,
        only=direction_user_ids(consultation),
        once_key=f"consultation.answered:{consultation.id}",
    )


def record_answer(actor: User, consultation: Consultation, text: str) -> Consultation:
    """Record the written answer the CCR adopted (once); the office's direction is told."""
    # Two officers recording at once: one answer (PostgreSQL row lock; SQLite writes one at a
    # time), the second told it is already recorded.
    db.session.execute(
        sa.select(Consultation.id).where(Consultation.id == consultation.id).with_for_update()
    )
    db.session.refresh(consultation)
    if consultation.answered_at is not None:
        raise ConsultationStateError(
            _l("The CCR's answer to this consultation is already recorded.")
        )
    consultation.answer_text = text.strip()[:ANSWER_MAX]
    consultation.answered_at = clock.now()
    consultation.answered_by_id = actor.id
    db.session.flush()
    audit.record("consultation.answer", actor=actor, body_id=consultation.ccr_id, obj=consultation)
    _tell_the_office(actor, consultation)
    return consultation


def record_recommendation_answer(
    consultation: Consultation, recommendation_id: int, at: datetime
) -> Consultation:
    """The CCR answered with a recommendation (called by the recommendations domain when the
    recommendation answering this consultation is transmitted): a plain reference and its time;
    the first recommendation recorded stays."""
    if consultation.recommendation_id is None:
        consultation.recommendation_id = int(recommendation_id)
        consultation.recommendation_at = at
        db.session.flush()
        audit.record(
            "consultation.recommendation",
            body_id=consultation.ccr_id,
            obj=consultation,
            detail=str(recommendation_id),
        )
        _tell_the_office(None, consultation)
    return consultation
