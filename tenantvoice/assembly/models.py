"""What happens in the room: who attended, and the resolutions the meeting decided."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, Meeting
from tenantvoice.models import TimestampMixin
from tenantvoice.orgs.models import Member


class Attendance(db.Model):
    """A register member present at a meeting (with or without an account)."""

    __tablename__ = "attendances"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    member_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("members.id"), index=True)
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    recorded_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: Signed the paper sheet at the door (tenant without an account or phone).
    on_paper: so.Mapped[bool] = so.mapped_column(default=False)
    #: Left before adjournment (counts for quorum until then).
    left_at: so.Mapped[datetime | None]
    #: Typed in from the paper sheet after the meeting (shown on the record as such).
    entered_afterwards: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    member: so.Mapped[Member] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "member_id"),)


class ResolutionOutcome(enum.StrEnum):
    CARRIED_UNANIMOUSLY = "carried_unanimously"
    CARRIED_MAJORITY = "carried_majority"
    CARRIED_ON_DIVISION = "carried_on_division"
    DEFEATED = "defeated"
    TABLED = "tabled"
    #: Put to a meeting without quorum: nothing was decided (domain-rules 2.5, M7).
    NO_QUORUM = "no_quorum"


class Resolution(TimestampMixin, db.Model):
    """A motion and its outcome, numbered per body as YYYY-MM-RR (year, meeting, resolution)."""

    __tablename__ = "resolutions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    agenda_item_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("agenda_items.id"))
    #: Rank within the meeting (the RR of the number).
    seq: so.Mapped[int]
    number: so.Mapped[str] = so.mapped_column(sa.String(20))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    moved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("members.id"))
    seconded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("members.id"))
    outcome: so.Mapped[ResolutionOutcome | None] = so.mapped_column(
        sa.Enum(ResolutionOutcome, native_enum=False, length=30)
    )
    votes_for: so.Mapped[int | None]
    votes_against: so.Mapped[int | None]
    abstentions: so.Mapped[int | None]
    #: The chair's casting vote broke a tie.
    casting_vote: so.Mapped[bool] = so.mapped_column(default=False)
    #: Typed in from paper after the meeting (shown on the record as such).
    entered_afterwards: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    meeting: so.Mapped[Meeting] = so.relationship()
    agenda_item: so.Mapped[AgendaItem | None] = so.relationship()
    moved_by: so.Mapped[Member | None] = so.relationship(foreign_keys=[moved_by_id])
    seconded_by: so.Mapped[Member | None] = so.relationship(foreign_keys=[seconded_by_id])
    #: The motion this one amends (dealt with before it), through resolution_amendments: a
    #: self-referencing column made `resolutions` a foreign-key cycle, which a data-only dump
    #: cannot order (pg_dump warned, and a restore had to disable triggers).
    amends: so.Mapped["Resolution | None"] = so.relationship(
        secondary="resolution_amendments",
        primaryjoin="Resolution.id == ResolutionAmendment.resolution_id",
        secondaryjoin="Resolution.id == ResolutionAmendment.amends_id",
        uselist=False,
    )

    __table_args__ = (sa.UniqueConstraint("meeting_id", "seq"),)


class ResolutionAmendment(db.Model):
    """An amendment (`resolution_id`) and the motion it amends (`amends_id`)."""

    __tablename__ = "resolution_amendments"

    resolution_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("resolutions.id", ondelete="CASCADE"), primary_key=True
    )
    amends_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("resolutions.id", ondelete="CASCADE"), index=True
    )


class ResolutionCorrection(db.Model):
    """A correction of a recorded resolution: who, when, why, and what it said before. The
    resolution holds the corrected wording; its earlier wordings are kept here, never lost."""

    __tablename__ = "resolution_corrections"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    resolution_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("resolutions.id", ondelete="CASCADE"), index=True
    )
    corrected_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    corrected_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    reason: so.Mapped[str] = so.mapped_column(sa.String(500))
    old_text: so.Mapped[str] = so.mapped_column(sa.Text)
    old_moved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("members.id"))
    old_seconded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("members.id"))
    old_outcome: so.Mapped[ResolutionOutcome | None] = so.mapped_column(
        sa.Enum(ResolutionOutcome, native_enum=False, length=30)
    )
    old_votes_for: so.Mapped[int | None]
    old_votes_against: so.Mapped[int | None]
    old_abstentions: so.Mapped[int | None]
    old_casting_vote: so.Mapped[bool] = so.mapped_column(default=False)

    resolution: so.Mapped[Resolution] = so.relationship()
    corrected_by: so.Mapped[User | None] = so.relationship()
    old_moved_by: so.Mapped[Member | None] = so.relationship(foreign_keys=[old_moved_by_id])
    old_seconded_by: so.Mapped[Member | None] = so.relationship(foreign_keys=[old_seconded_by_id])


class SeatDesignation(db.Model):
    """A CCR seat (a register entry designated by an association) and the association's
    resolution that designated the person, when that resolution is in TenantVoice.

    Owned by assembly, which owns resolutions: orgs (below assembly) keeps the designating
    association on the entry (`Member.designated_by_id`) and never imports this."""

    __tablename__ = "seat_designations"

    member_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    resolution_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("resolutions.id", ondelete="CASCADE"), index=True
    )
    linked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    linked_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    member: so.Mapped[Member] = so.relationship()
    resolution: so.Mapped[Resolution] = so.relationship()
