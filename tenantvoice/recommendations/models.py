"""The recommendations domain's tables: a recommendation and its sites, its versions (every
accepted text), the amendments members propose, comments, attachments (stored in the database:
the app scales out, no file lives on one process's disk) and its timeline.

Who may see what is decided in tenantvoice/policy/recommendations.py: drafts, comments and the
authors of amendments stay with the body's members; the timeline is public from adoption.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.ballots.models import Question
from tenantvoice.consultations.models import Consultation
from tenantvoice.extensions import db
from tenantvoice.models import DomainStateError, TimestampMixin
from tenantvoice.orgs.models import Body, Site


class RecommendationStateError(DomainStateError):
    """The recommendation's state does not allow this now (409)."""

    shown = True


class Category(enum.StrEnum):
    MAINTENANCE = "maintenance"  #: maintenance and repairs
    SAFETY = "safety"
    RULES = "rules"  #: rules and policies
    BUDGET = "budget"
    QUALITY_OF_LIFE = "quality_of_life"
    COMMUNITY = "community"  #: community activities
    OTHER = "other"


class Status(enum.StrEnum):
    DRAFT = "draft"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    TRANSMITTED = "transmitted"  #: to the direction, or (from an ADL) to the provider's CCR
    UNDER_STUDY = "under_study"
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REFUSED = "refused"
    IN_PROGRESS = "in_progress"
    DONE = "done"


#: Statuses only the body's members see (the public timeline begins at adoption).
PRIVATE_STATUSES = (Status.DRAFT, Status.VOTING, Status.REJECTED)
#: Waiting for the direction's answer.
AWAITING_ANSWER = (Status.TRANSMITTED, Status.UNDER_STUDY)
#: The direction answered (its decision), work may follow.
ANSWERED = (Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.REFUSED)
FOLLOWED = (Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.IN_PROGRESS)


class Target(enum.StrEnum):
    DIRECTION = "direction"  #: the provider's direction (a CCR, or an ADL without a CCR)
    CCR = "ccr"  #: the provider's CCR, which takes it up (an ADL where there is one)


class Answer(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REFUSED = "refused"
    UNDER_STUDY = "under_study"


class AmendmentStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class EventKind(enum.StrEnum):
    DRAFTED = "drafted"
    VERSION = "version"  #: a new accepted text (edit or amendment)
    VOTE_OPENED = "vote_opened"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"
    SENT_TO_CCR = "sent_to_ccr"
    TAKEN_UP = "taken_up"
    TRANSMITTED = "transmitted"
    ANSWERED = "answered"
    FOLLOW_UP = "follow_up"
    OVERDUE = "overdue"


recommendation_sites = sa.Table(
    "recommendation_sites",
    db.metadata,
    sa.Column(
        "recommendation_id",
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("site_id", sa.ForeignKey("sites.id"), primary_key=True),
)


class Recommendation(TimestampMixin, db.Model):
    """One recommendation of a tenant body to its housing office."""

    __tablename__ = "recommendations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    #: Denormalized from the body: the provider's public list filters on it.
    provider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("providers.id"), index=True)
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    situation: so.Mapped[str] = so.mapped_column(sa.Text)
    recommended: so.Mapped[str] = so.mapped_column(sa.Text)
    category: so.Mapped[Category] = so.mapped_column(
        sa.Enum(Category, native_enum=False, length=20)
    )
    status: so.Mapped[Status] = so.mapped_column(
        sa.Enum(Status, native_enum=False, length=20), default=Status.DRAFT, index=True
    )
    target: so.Mapped[Target] = so.mapped_column(
        sa.Enum(Target, native_enum=False, length=10), default=Target.DIRECTION
    )
    #: The CCR an association's recommendation was sent to (Target.CCR).
    target_body_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("bodies.id"))
    #: The current (latest accepted) version's number.
    version: so.Mapped[int] = so.mapped_column(default=1)
    #: The latest vote (a recommendation voted again after amendments keeps its earlier ones:
    #: ballots.queries.questions_of).
    question_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("ballot_questions.id"))
    #: The resolution of the meeting where it was voted, once an officer recorded it.
    resolution_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("resolutions.id"))
    #: The office consultation this recommendation answers (its CCR drafts it from there).
    consultation_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("consultations.id"), index=True
    )
    adopted_at: so.Mapped[datetime | None]
    transmitted_at: so.Mapped[datetime | None]
    #: transmitted_at + the body's answer delay, fixed at transmission.
    answer_due_on: so.Mapped[date | None] = so.mapped_column(index=True)
    overdue_notified_at: so.Mapped[datetime | None]
    answer: so.Mapped[Answer | None] = so.mapped_column(
        sa.Enum(Answer, native_enum=False, length=20)
    )
    answer_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    answer_plan: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    answer_by: so.Mapped[date | None]
    answered_at: so.Mapped[datetime | None]
    answered_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    body: so.Mapped[Body] = so.relationship(foreign_keys=[body_id])
    target_body: so.Mapped[Body | None] = so.relationship(foreign_keys=[target_body_id])
    author: so.Mapped[User | None] = so.relationship(foreign_keys=[author_id])
    question: so.Mapped[Question | None] = so.relationship()
    consultation: so.Mapped[Consultation | None] = so.relationship()
    sites: so.Mapped[list[Site]] = so.relationship(secondary=recommendation_sites)

    def __repr__(self) -> str:
        return f"<Recommendation {self.id} body={self.body_id} {self.status} {self.title!r}>"

    @property
    def is_public(self) -> bool:
        return self.status not in PRIVATE_STATUSES

    @property
    def awaits_answer(self) -> bool:
        return self.status in AWAITING_ANSWER and self.target == Target.DIRECTION

    @property
    def is_overdue(self) -> bool:
        """Waiting for the direction's answer past the body's delay (by the clock: a page read
        never writes)."""
        return (
            self.awaits_answer
            and self.answer_due_on is not None
            and clock.now().astimezone(clock.MONTREAL).date() > self.answer_due_on
        )

    def days_waiting(self) -> int | None:
        if not self.awaits_answer or self.transmitted_at is None:
            return None
        return (clock.now() - self.transmitted_at).days


class TakeUp(db.Model):
    """A CCR's recommendation taking up an association's (domain-rules R2). A link table: a
    self-referencing column would make `recommendations` a foreign-key cycle."""

    __tablename__ = "recommendation_takeups"

    recommendation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    origin_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )


class Version(db.Model):
    """Every accepted text of a recommendation, kept (compared with a word diff)."""

    __tablename__ = "recommendation_versions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recommendation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE")
    )
    number: so.Mapped[int]
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    situation: so.Mapped[str] = so.mapped_column(sa.Text)
    recommended: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: Who accepted this text (the author or an officer); members only.
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    amendment_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("recommendation_amendments.id")
    )

    __table_args__ = (sa.UniqueConstraint("recommendation_id", "number"),)


class Amendment(db.Model):
    """A member's proposed wording of what is recommended, before the vote."""

    __tablename__ = "recommendation_amendments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recommendation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: The version it amends.
    base_version: so.Mapped[int]
    recommended: so.Mapped[str] = so.mapped_column(sa.Text)
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    status: so.Mapped[AmendmentStatus] = so.mapped_column(
        sa.Enum(AmendmentStatus, native_enum=False, length=10), default=AmendmentStatus.PROPOSED
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    decided_at: so.Mapped[datetime | None]
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    author: so.Mapped[User | None] = so.relationship(foreign_keys=[author_id])


class Comment(db.Model):
    """A member's comment before the vote (members only, never the direction)."""

    __tablename__ = "recommendation_comments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recommendation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    author: so.Mapped[User | None] = so.relationship()


class Attachment(db.Model):
    """A PDF, JPEG or PNG (type checked by content), stored in the database."""

    __tablename__ = "recommendation_attachments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recommendation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    filename: so.Mapped[str] = so.mapped_column(sa.String(200))
    content_type: so.Mapped[str] = so.mapped_column(sa.String(40))
    size: so.Mapped[int]
    #: Loaded only when downloaded (lists never read the bytes).
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary, deferred=True)
    uploaded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())


class Event(db.Model):
    """One line of a recommendation's timeline. `public` lines (from adoption on) are read by
    every tenant of the provider; the others by the body's members only. `note` is free text
    only for follow-up updates (the direction's or the body's); never a vote roll."""

    __tablename__ = "recommendation_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recommendation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    kind: so.Mapped[EventKind] = so.mapped_column(sa.Enum(EventKind, native_enum=False, length=20))
    public: so.Mapped[bool] = so.mapped_column(default=False)
    #: The status the recommendation reached (answers, follow-ups).
    status: so.Mapped[Status | None] = so.mapped_column(
        sa.Enum(Status, native_enum=False, length=20)
    )
    #: Counts or a short outcome sentence data (no names): e.g. "12-3-1" when publishable.
    detail: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: Who acted: shown to the members only (an officer, the direction).
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: Written by the housing office's direction (its answer, its follow-ups).
    by_office: so.Mapped[bool] = so.mapped_column(default=False)

    actor: so.Mapped[User | None] = so.relationship()
