"""Meetings, their agenda, RSVPs, attendance and resolutions."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import TimestampMixin
from tenantvoice.orgs.models import Body, Member


class MeetingKind(enum.StrEnum):
    AGM = "agm"  #: assemblée générale annuelle
    SPECIAL = "special"  #: assemblée générale extraordinaire / spéciale
    FOUNDING = "founding"  #: assemblée de fondation
    BOARD = "board"  #: réunion du conseil d'administration / du comité
    CCR_TENANTS = "ccr_tenants"  #: rencontre du CCR, locataires seulement
    CCR_JOINT = "ccr_joint"  #: rencontre du CCR conjointe avec l'office
    ELECTION = "election"  #: assemblée d'élection

    @property
    def is_general(self) -> bool:
        """General assemblies use the general notice period and need an agenda."""
        return self in (
            MeetingKind.AGM,
            MeetingKind.SPECIAL,
            MeetingKind.FOUNDING,
            MeetingKind.ELECTION,
        )


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"  #: the notice (avis de convocation) is out
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    MEMBERS = "members"  #: the body's members
    SITE_TENANTS = "site_tenants"  #: every tenant of the sites the body covers


class MeetingStateError(Exception):
    """A transition that the meeting's state does not allow (views answer 409)."""


class Meeting(TimestampMixin, db.Model):
    __tablename__ = "meetings"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"))
    kind: so.Mapped[MeetingKind] = so.mapped_column(
        sa.Enum(MeetingKind, native_enum=False, length=20)
    )
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    starts_at: so.Mapped[datetime] = so.mapped_column(index=True)
    ends_at: so.Mapped[datetime]
    place: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    address: so.Mapped[str] = so.mapped_column(sa.String(255), default="")
    video_url: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    audience: so.Mapped[Audience] = so.mapped_column(
        sa.Enum(Audience, native_enum=False, length=20), default=Audience.MEMBERS
    )
    status: so.Mapped[MeetingStatus] = so.mapped_column(
        sa.Enum(MeetingStatus, native_enum=False, length=20), default=MeetingStatus.DRAFT
    )
    published_at: so.Mapped[datetime | None]
    #: The officer confirmed publishing later than the by-laws' notice period (shown on the notice).
    late_notice: so.Mapped[bool] = so.mapped_column(default=False)
    cancelled_at: so.Mapped[datetime | None]
    cancel_reason: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    #: iCalendar SEQUENCE: raised on every change after publication.
    sequence: so.Mapped[int] = so.mapped_column(default=0)
    #: Rank of this meeting among the body's meetings of its year (resolution numbers YYYY-MM-RR).
    year_number: so.Mapped[int | None]
    #: Visitors who are not members (counted, never named).
    guests_count: so.Mapped[int] = so.mapped_column(default=0)
    #: The community organizer is invited as a non-voting resource person.
    oc_invited: so.Mapped[bool] = so.mapped_column(default=False)
    opened_at: so.Mapped[datetime | None]
    adjourned_at: so.Mapped[datetime | None]
    #: First moment the people present reached quorum (a later drop shows "quorum lost").
    quorum_reached_at: so.Mapped[datetime | None]
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    body: so.Mapped[Body] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship()
    agenda_items: so.Mapped[list["AgendaItem"]] = so.relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    #: A body's meetings in date order (its meetings page, the tenant's next meetings); also
    #: serves every lookup by body_id alone.
    __table_args__ = (sa.Index("ix_meetings_body_starts", "body_id", "starts_at"),)

    def __repr__(self) -> str:
        return f"<Meeting {self.id} body={self.body_id} {self.kind} {self.title!r}>"

    @property
    def is_published(self) -> bool:
        return self.status == MeetingStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= clock.now()


class AgendaItemKind(enum.StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    position: so.Mapped[int] = so.mapped_column(default=0)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    kind: so.Mapped[AgendaItemKind] = so.mapped_column(
        sa.Enum(AgendaItemKind, native_enum=False, length=20), default=AgendaItemKind.INFORMATION
    )
    presenter: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    expected_minutes: so.Mapped[int | None]
    #: Huis clos: kept out of everything published.
    in_camera: so.Mapped[bool] = so.mapped_column(default=False)

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="agenda_items")


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class AgendaProposal(TimestampMixin, db.Model):
    """An item a member proposes for a coming meeting; officers accept or decline with a reason."""

    __tablename__ = "agenda_proposals"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    proposed_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    status: so.Mapped[ProposalStatus] = so.mapped_column(
        sa.Enum(ProposalStatus, native_enum=False, length=20), default=ProposalStatus.PENDING
    )
    decline_reason: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    decided_at: so.Mapped[datetime | None]
    agenda_item_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("agenda_items.id"))

    meeting: so.Mapped[Meeting] = so.relationship()
    proposed_by: so.Mapped[User] = so.relationship(foreign_keys=[proposed_by_id])


class RsvpAnswer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Rsvp(db.Model):
    __tablename__ = "rsvps"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    answer: so.Mapped[RsvpAnswer] = so.mapped_column(
        sa.Enum(RsvpAnswer, native_enum=False, length=10)
    )
    #: People coming in all, the person included.
    party_size: so.Mapped[int] = so.mapped_column(default=1)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        default=lambda: clock.now(), onupdate=lambda: clock.now()
    )

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)


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

    member: so.Mapped[Member] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "member_id"),)


class ResolutionOutcome(enum.StrEnum):
    CARRIED_UNANIMOUSLY = "carried_unanimously"
    CARRIED_MAJORITY = "carried_majority"
    CARRIED_ON_DIVISION = "carried_on_division"
    DEFEATED = "defeated"
    TABLED = "tabled"


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


class MeetingChange(db.Model):
    """A change made after the notice went out (time, place, agenda), shown on the meeting page."""

    __tablename__ = "meeting_changes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: Already translated in the officer's language when the change was made.
    summary: so.Mapped[str] = so.mapped_column(sa.String(500))

    by: so.Mapped[User | None] = so.relationship()


class CalendarToken(db.Model):
    """The secret in a user's calendar feed URL.

    The token is derived, not stored: HMAC(SECRET_KEY, "calendar-feed:<user_id>:<version>").
    The settings page can therefore show the webcal URL again at any time (tenants lose URLs),
    a database leak does not reveal any feed, and regenerating raises `version`, which revokes
    the old URL at once.
    """

    __tablename__ = "calendar_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), unique=True)
    version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
