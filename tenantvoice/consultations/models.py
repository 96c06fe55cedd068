"""An office consultation (domain-rules 2.3 C7, 2.6 R1): the housing office's direction submits a
draft policy, rule or lease clause (or the yearly budget and capital plan) to its CCR at least 7
days before its decision; the CCR's members discuss it among themselves and the CCR answers.

The direction sees the consultation and the CCR's answer, never the members' discussion
(domain-rules 5.3, item 3: internal threads)."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import TimestampMixin
from tenantvoice.orgs.models import Body, Provider

#: Days between the submission and the office's decision, at least (C7).
NOTICE_DAYS = 7


class ConsultationKind(enum.StrEnum):
    POLICY = "policy"
    RULE = "rule"  #: building rules (règlement d'immeuble)
    LEASE_CLAUSE = "lease_clause"
    BUDGET = "budget"  #: the yearly consultation on the budget and the capital plan (PPI)
    OTHER = "other"


class Timeliness(enum.StrEnum):
    IN_TIME = "in_time"  #: the CCR answered before the decision date
    LATE = "late"  #: the CCR answered on or after the decision date
    NONE = "none"  #: no answer (yet)


class Consultation(TimestampMixin, db.Model):
    __tablename__ = "consultations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    provider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("providers.id"), index=True)
    #: The CCR consulted.
    ccr_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    kind: so.Mapped[ConsultationKind] = so.mapped_column(
        sa.Enum(ConsultationKind, native_enum=False, length=20)
    )
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    submitted_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    submitted_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: The date the office decides (America/Montreal), at least NOTICE_DAYS after submission.
    decision_date: so.Mapped[date]
    #: The CCR's written answer, adopted by the body and recorded by one of its officers.
    answer_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    answered_at: so.Mapped[datetime | None]
    answered_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: The CCR's recommendation answering it: a plain reference to the recommendations domain
    #: (above this one), set by services.record_recommendation_answer; no foreign key.
    recommendation_id: so.Mapped[int | None]
    recommendation_at: so.Mapped[datetime | None]

    provider: so.Mapped[Provider] = so.relationship()
    ccr: so.Mapped[Body] = so.relationship()
    submitted_by: so.Mapped[User | None] = so.relationship(foreign_keys=[submitted_by_id])

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.kind} {self.title!r}>"

    @property
    def first_answer_at(self) -> datetime | None:
        """When the CCR first answered (a written answer or a recommendation)."""
        times = [t for t in (self.answered_at, self.recommendation_at) if t is not None]
        return min(times) if times else None

    @property
    def timeliness(self) -> Timeliness:
        """Whether the CCR answered before the decision date (its Montréal date)."""
        first = self.first_answer_at
        if first is None:
            return Timeliness.NONE
        if first.astimezone(clock.MONTREAL).date() < self.decision_date:
            return Timeliness.IN_TIME
        return Timeliness.LATE


class ConsultationComment(db.Model):
    """A CCR member's word in the discussion: read by the CCR's members only."""

    __tablename__ = "consultation_comments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    consultation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: The author's name as the register had it (kept if the account goes).
    author_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
