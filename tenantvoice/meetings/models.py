"""Meetings, their agenda, RSVPs and changes (attendance and resolutions: tenantvoice.assembly)."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import DomainStateError, TimestampMixin
from tenantvoice.orgs.models import Body, BodyKind


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


class MeetingStateError(DomainStateError):
    """A transition that the meeting's state does not allow (web/errors.py answers 409)."""


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
    #: The officer who published the notice: it is signed with their name and role.
    published_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: Who to ask about the meeting, printed on the notice as the officers typed it (a phone
    #: number, the association's mailbox…); empty: the notice names the signatory only.
    notice_contact: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
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
    #: The housing office's direction is invited (an assembly that wants the office present):
    #: it then reads the notice and the agenda, never the attendance, register or in-camera
    #: items. A board meeting never invites it.
    office_invited: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    opened_at: so.Mapped[datetime | None]
    adjourned_at: so.Mapped[datetime | None]
    #: First moment the people present reached quorum (a later drop shows "quorum lost").
    quorum_reached_at: so.Mapped[datetime | None]
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    body: so.Mapped[Body] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship(foreign_keys=[created_by_id])
    published_by: so.Mapped[User | None] = so.relationship(foreign_keys=[published_by_id])
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
    def convenes_board(self) -> bool:
        """A board meeting of an association or a CCR: its electorate is the board (the elected
        officers), not the whole register. A committee's or the office board's own meeting
        convenes the whole body, which is itself the committee or the board."""
        return self.kind == MeetingKind.BOARD and self.body.kind in (BodyKind.ADL, BodyKind.CCR)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= clock.now()

    # --- life cycle: draft → published → cancelled (a draft may also be deleted) -------------

    def check_state(self, *allowed: MeetingStatus) -> None:
        """Refuse (MeetingStateError) unless the meeting is in one of the `allowed` states."""
        if self.status not in allowed:
            raise MeetingStateError(f"meeting {self.id} is {self.status}")

    def check_editable(self) -> None:
        """Details and agenda change while the meeting is a draft or published, not cancelled."""
        self.check_state(MeetingStatus.DRAFT, MeetingStatus.PUBLISHED)

    def check_deletable(self) -> None:
        """Only a draft may be deleted (nobody was convened to it)."""
        self.check_state(MeetingStatus.DRAFT)

    def publish(self, *, late: bool, year_number: int, by: User | None = None) -> None:
        """The notice goes out (from a draft only); `year_number` ranks it in the body's year;
        `by` signs it."""
        self.check_state(MeetingStatus.DRAFT)
        self.status = MeetingStatus.PUBLISHED
        self.published_at = clock.now()
        self.published_by_id = getattr(by, "id", None)
        self.late_notice = late
        self.year_number = year_number

    def cancel(self, reason: str) -> None:
        """Cancel a published meeting: kept, with its reason, and the calendar entry updated."""
        self.check_state(MeetingStatus.PUBLISHED)
        self.status = MeetingStatus.CANCELLED
        self.cancelled_at = clock.now()
        self.cancel_reason = reason.strip()[:500]
        self.sequence += 1


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


class ChangeKind(enum.StrEnum):
    TIME = "time"
    PLACE = "place"
    ITEM_ADDED = "item_added"
    ITEM_CHANGED = "item_changed"
    ITEM_RENAMED = "item_renamed"
    ITEM_REMOVED = "item_removed"
    ITEM_MOVED = "item_moved"
    #: A time or place change stored as text before changes were data (shown as stored).
    LEGACY = "legacy"
    #: An agenda change stored as text before changes were data: it may name an in-camera item,
    #: so its text is shown only to readers of the in-camera agenda.
    LEGACY_AGENDA = "legacy_agenda"


class MeetingChange(db.Model):
    """A change made after the notice went out (time, place, agenda), shown on the meeting page.

    Stored as data (what kind, which item, which fields), never as a sentence: each reader gets
    it rendered in their own language, and a change to an in-camera item is shown only to those
    who may see the in-camera part of the agenda (never, e.g., to the office's direction at a
    joint CCR meeting). See meetings.queries.changes."""

    __tablename__ = "meeting_changes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    kind: so.Mapped[ChangeKind] = so.mapped_column(
        sa.Enum(ChangeKind, native_enum=False, length=20)
    )
    #: The agenda item concerned (no foreign key: a removed item's change stays).
    item_id: so.Mapped[int | None]
    #: The item was in camera before or after the change.
    in_camera: so.Mapped[bool] = so.mapped_column(default=False)
    #: The change's fields: title, old_title, position; starts_at, ends_at (ISO, UTC); place,
    #: address, video_url; text (legacy rows only).
    data: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    by: so.Mapped[User | None] = so.relationship()


class CalendarToken(db.Model):
    """The secret in a user's calendar feed URL: ``<feed_id>.<mac>``.

    `feed_id` is random (it never names the user: the URL used to begin with the user id, and
    "0" + id was accepted too); the mac is HMAC(SECRET_KEY, feed_id, version, the time of the
    last password change). The settings page can therefore show the URL again at any time
    (tenants lose URLs), a database leak alone reveals no feed, and both regenerating (a new
    feed_id and version) and changing one's password revoke the old URL at once.
    """

    __tablename__ = "calendar_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), unique=True)
    version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    feed_id: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
