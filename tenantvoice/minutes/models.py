"""Minutes (procès-verbal) of a meeting: sections on the agenda's structure, a guarded life cycle
(draft → proposed → approved → signed → published) and immutable published versions."""

import enum
from datetime import datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.assembly.models import Resolution
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, Meeting
from tenantvoice.models import DomainStateError, TimestampMixin
from tenantvoice.orgs.models import Body

#: Longest draft (all sections together), in characters.
MAX_TEXT = 100_000


class MinutesState(enum.StrEnum):
    DRAFT = "draft"  #: projet de procès-verbal, officers only
    PROPOSED = "proposed"  #: sent to the members convened to the meeting that approves it
    APPROVED = "approved"  #: adopted by a resolution of a later meeting of the same body
    SIGNED = "signed"  #: signed by the president and the secretary: frozen
    PUBLISHED = "published"  #: readable by the body's audience, versioned


STATE_LABELS = {
    MinutesState.DRAFT: _l("Draft"),
    MinutesState.PROPOSED: _l("Proposed for approval"),
    MinutesState.APPROVED: _l("Approved"),
    MinutesState.SIGNED: _l("Signed"),
    MinutesState.PUBLISHED: _l("Published"),
}


class MinutesStateError(DomainStateError):
    """A transition the minutes' state does not allow (web/errors.py answers 409 with the
    message, written for people)."""

    shown = True


class Minutes(TimestampMixin, db.Model):
    __tablename__ = "minutes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id"), unique=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    state: so.Mapped[MinutesState] = so.mapped_column(
        sa.Enum(MinutesState, native_enum=False, length=20), default=MinutesState.DRAFT
    )
    #: Optimistic concurrency: every save must name the version it started from.
    version: so.Mapped[int] = so.mapped_column(default=1)
    #: Time the meeting was adjourned (levée de l'assemblée), local time as written.
    adjourned_at: so.Mapped[time | None] = so.mapped_column(sa.Time)
    #: The next meeting of the same body, whose members read and approve the draft.
    approving_meeting_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("meetings.id"))
    proposed_at: so.Mapped[datetime | None]
    #: When the approving meeting adopted them (its start), not when an officer recorded it.
    approved_at: so.Mapped[datetime | None]
    #: The resolution of a later meeting of the same body that adopted these minutes.
    approved_by_resolution_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("resolutions.id")
    )
    president_signed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    president_signed_at: so.Mapped[datetime | None]
    secretary_signed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    secretary_signed_at: so.Mapped[datetime | None]
    published_at: so.Mapped[datetime | None]
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    meeting: so.Mapped[Meeting] = so.relationship(foreign_keys=[meeting_id])
    body: so.Mapped[Body] = so.relationship()
    approving_meeting: so.Mapped[Meeting | None] = so.relationship(
        foreign_keys=[approving_meeting_id]
    )
    approved_by_resolution: so.Mapped[Resolution | None] = so.relationship()
    president_signed_by: so.Mapped[User | None] = so.relationship(
        foreign_keys=[president_signed_by_id]
    )
    secretary_signed_by: so.Mapped[User | None] = so.relationship(
        foreign_keys=[secretary_signed_by_id]
    )
    updated_by: so.Mapped[User | None] = so.relationship(foreign_keys=[updated_by_id])
    sections: so.Mapped[list["MinutesSection"]] = so.relationship(
        back_populates="minutes", order_by="MinutesSection.position", cascade="all, delete-orphan"
    )
    versions: so.Mapped[list["MinutesVersion"]] = so.relationship(
        back_populates="minutes", order_by="MinutesVersion.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Minutes {self.id} meeting={self.meeting_id} {self.state} v{self.version}>"

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def has_signature(self) -> bool:
        return self.president_signed_at is not None or self.secretary_signed_at is not None

    @property
    def is_editable(self) -> bool:
        """The text may change until the first signature; after that it is frozen."""
        return (
            self.state in (MinutesState.DRAFT, MinutesState.PROPOSED, MinutesState.APPROVED)
            and not self.has_signature
        )

    @property
    def latest_version(self) -> "MinutesVersion | None":
        return self.versions[-1] if self.versions else None

    # Guarded transitions -------------------------------------------------------------------

    def check_editable(self) -> None:
        if not self.is_editable:
            raise MinutesStateError(
                _l(
                    "These minutes are signed or published: their text "
                    "can only change through a correction."
                )
            )

    def propose(self, approving_meeting: Meeting) -> None:
        if self.state != MinutesState.DRAFT:
            raise MinutesStateError(_l("Only draft minutes can be proposed for approval."))
        self.approving_meeting = approving_meeting
        self.proposed_at = clock.now()
        self.state = MinutesState.PROPOSED

    def approve(self, resolution: Resolution) -> None:
        if self.state != MinutesState.PROPOSED:
            raise MinutesStateError(_l("Only minutes proposed for approval can be approved."))
        self.approved_by_resolution = resolution
        self.approved_at = resolution.meeting.starts_at  # the approving meeting's date
        self.state = MinutesState.APPROVED

    def check_signable(self, as_president: bool) -> None:
        """Refuse a signature the state or an earlier signature does not allow."""
        if self.state != MinutesState.APPROVED:
            if self.state in (MinutesState.SIGNED, MinutesState.PUBLISHED):
                if as_president:
                    raise MinutesStateError(_l("The president has already signed these minutes."))
                raise MinutesStateError(_l("The secretary has already signed these minutes."))
            raise MinutesStateError(_l("Only approved minutes can be signed."))
        if as_president and self.president_signed_at is not None:
            raise MinutesStateError(_l("The president has already signed these minutes."))
        if not as_president and self.secretary_signed_at is not None:
            raise MinutesStateError(_l("The secretary has already signed these minutes."))

    def check_publishable(self) -> None:
        if self.state == MinutesState.PUBLISHED:
            raise MinutesStateError(_l("These minutes are already published."))
        if self.state != MinutesState.SIGNED:
            raise MinutesStateError(
                _l("Only minutes signed by the president and the secretary can be published.")
            )

    def sign(self, user: User, as_president: bool) -> None:
        self.check_signable(as_president)
        now = clock.now()
        if as_president:
            self.president_signed_by = user
            self.president_signed_at = now
        else:
            self.secretary_signed_by = user
            self.secretary_signed_at = now
        if self.president_signed_at is not None and self.secretary_signed_at is not None:
            self.state = MinutesState.SIGNED

    def publish(self) -> None:
        self.check_publishable()
        self.published_at = clock.now()
        self.state = MinutesState.PUBLISHED

    def check_correctable(self) -> None:
        if self.state != MinutesState.PUBLISHED:
            raise MinutesStateError(_l("Only published minutes are corrected by a new version."))


class MinutesSection(db.Model):
    """The notes for one part of the meeting: the opening, or one item of the agenda."""

    __tablename__ = "minutes_sections"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    minutes_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("minutes.id"), index=True)
    #: None for the opening section (date, place, attendance, quorum).
    agenda_item_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("agenda_items.id"))
    position: so.Mapped[int] = so.mapped_column(default=0)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    body_markdown: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: Huis clos: never in what members read, never published, never indexed.
    in_camera: so.Mapped[bool] = so.mapped_column(default=False)

    minutes: so.Mapped[Minutes] = so.relationship(back_populates="sections")
    agenda_item: so.Mapped[AgendaItem | None] = so.relationship()


class MinutesVersion(db.Model):
    """An immutable snapshot of the published text; a correction adds the next number."""

    __tablename__ = "minutes_versions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    minutes_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("minutes.id"), index=True)
    number: so.Mapped[int]
    text_markdown: so.Mapped[str] = so.mapped_column(sa.Text)
    #: Sanitised HTML of text_markdown (rendered once, when the version is made).
    rendered_html: so.Mapped[str] = so.mapped_column(sa.Text)
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    change_note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")

    minutes: so.Mapped[Minutes] = so.relationship(back_populates="versions")
    author: so.Mapped[User | None] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("minutes_id", "number"),)


class MinutesSearch(db.Model):
    """The searchable text of a body's published minutes (latest version, public part only).

    `content_folded` is lower-cased and stripped of accents in Python, so SQLite FTS5 and
    PostgreSQL text search see the same words (tenantvoice.minutes.search).
    """

    __tablename__ = "minutes_search"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    minutes_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("minutes.id"), unique=True)
    #: No b-tree index of its own: PostgreSQL's GIN index leads with it, SQLite's FTS5 table
    #: holds it as a word (a separate index made the planner skip the words index).
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"))
    content: so.Mapped[str] = so.mapped_column(sa.Text)
    content_folded: so.Mapped[str] = so.mapped_column(sa.Text)
