"""Collective needs: the need, its categories, supports ("me too"), comments, forwards by the
reviewing body, and the timeline of what happened to it.

Privacy is in the shape of the data (domain-rules §5.3): the author is kept only to show the
author their own needs (never shown when `anonymous`); a forward carries the body's own wording
so the organizer and the direction read it instead of the tenant's text; `organizer_search_key`
folds only what the organizer may read (the body's wording, and the tenant's text only when the
author ticked "share my text with the organizer"). Counts the dashboard filters and sorts on are
kept on the need in the same transaction as the change (`supporters_count`, `status`,
`first_response_seconds`), with the site's provider, provider kind and region copied on it so
the dashboard filters one table on indexed columns.
"""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import DomainStateError
from tenantvoice.orgs.models import Body, ProviderKind, Site
from tenantvoice.search import SEARCH_KEY_LENGTH

TITLE_MAX = 120
TEXT_MAX = 2000
COMMENT_MAX = 1000
WORDING_MAX = 1000
NOTE_MAX = 1000


class NeedError(DomainStateError):
    """A refused change to a need; its message is written for people (translated)."""

    shown = True

    def __init__(self, message: Any, status: int = 422):
        super().__init__(message)
        self._message = message
        self.status = status

    @property
    def message(self) -> str:
        """The message in the reader's language (a lazy string is translated when read)."""
        return str(self._message)

    def __str__(self) -> str:
        return self.message


class Origin(enum.StrEnum):
    TENANT = "tenant"  #: raised by a tenant (anonymous by default)
    ISC = "isc"  #: a de-identified problem several residents live, recorded by an ISC (K4)


class Population(enum.StrEnum):
    EVERYONE = "everyone"
    FAMILIES = "families"
    YOUTH = "youth"
    SENIORS = "seniors"
    ALONE = "alone"
    NEWCOMERS = "newcomers"
    DISABILITIES = "disabilities"


class Urgency(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Status(enum.StrEnum):
    RAISED = "raised"  #: waiting for the reviewing body
    CONFIRMED = "confirmed"  #: the body confirmed it (not forwarded yet)
    FORWARDED = "forwarded"  #: forwarded to the organizer and/or the direction
    ACKNOWLEDGED = "acknowledged"  #: the organizer has seen it
    INFO_REQUESTED = "info_requested"  #: the organizer asked the body for more information
    REFERRED = "referred"  #: referred to a partner organization
    ACTION_PLANNED = "action_planned"  #: a collective action is planned
    CLOSED = "closed"  #: closed with an outcome
    MERGED = "merged"  #: merged into another need (its supporters moved there)


#: Statuses of a need still open to "me too" and comments.
OPEN_STATUSES = frozenset(Status) - {Status.CLOSED, Status.MERGED}
#: Statuses at which the organizer has the need (forwarded or beyond).
ORGANIZER_STATUSES = frozenset(
    {
        Status.FORWARDED,
        Status.ACKNOWLEDGED,
        Status.INFO_REQUESTED,
        Status.REFERRED,
        Status.ACTION_PLANNED,
        Status.CLOSED,
    }
)


class Priority(enum.StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class EventKind(enum.StrEnum):
    RAISED = "raised"
    RECORDED = "recorded"  #: an ISC recorded it
    CONFIRMED = "confirmed"
    MERGED = "merged"  #: another need was merged into this one
    MERGED_INTO = "merged_into"  #: this need was merged into another
    FORWARDED = "forwarded"
    ACKNOWLEDGED = "acknowledged"
    INFO_REQUESTED = "info_requested"
    REFERRED = "referred"
    ACTION_PLANNED = "action_planned"
    CLOSED = "closed"


class Need(db.Model):
    __tablename__ = "needs"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"))
    #: Copied from the site (never changes): the dashboard filters on them without joins.
    provider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("providers.id"))
    provider_kind: so.Mapped[ProviderKind] = so.mapped_column(
        sa.Enum(ProviderKind, native_enum=False, length=20)
    )
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"))
    #: The site's ADL, else the provider's CCR, else None (the organizer reviews directly).
    reviewing_body_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("bodies.id"), index=True
    )
    origin: so.Mapped[Origin] = so.mapped_column(
        sa.Enum(Origin, native_enum=False, length=10), default=Origin.TENANT
    )
    #: Who raised (or, for an ISC record, recorded) it: shown to that person alone when
    #: `anonymous`, never to the organizer, the direction or an admin.
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    anonymous: so.Mapped[bool] = so.mapped_column(default=True)
    #: Trust-and-safety Q-05: the tenant's own title and text go to the organizer only if ticked.
    share_text: so.Mapped[bool] = so.mapped_column(default=False)
    title: so.Mapped[str] = so.mapped_column(sa.String(TITLE_MAX))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    urgency: so.Mapped[Urgency] = so.mapped_column(
        sa.Enum(Urgency, native_enum=False, length=10), default=Urgency.MEDIUM
    )
    #: One of its categories is sensitive (H): aggregated only beyond the author and officers.
    sensitive: so.Mapped[bool] = so.mapped_column(default=False)
    #: The first category chosen (the dashboard's heading and per-need statistics).
    category: so.Mapped[str] = so.mapped_column(sa.String(3))
    #: Every category as a bit (`taxonomy.BIT`), set with the categories (which never change):
    #: the dashboard's category counts and filter read it from the covering index below.
    category_mask: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    status: so.Mapped[Status] = so.mapped_column(
        sa.Enum(Status, native_enum=False, length=20), default=Status.RAISED
    )
    supporters_count: so.Mapped[int] = so.mapped_column(default=0)
    # Which need a merged one went into is its MERGED_INTO timeline event (other_need_id): a
    # column here would refer to its own table, a cycle a data-only dump cannot order.
    to_organizer: so.Mapped[bool] = so.mapped_column(default=False)
    to_direction: so.Mapped[bool] = so.mapped_column(default=False)
    priority: so.Mapped[Priority] = so.mapped_column(
        sa.Enum(Priority, native_enum=False, length=10), default=Priority.NORMAL
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    updated_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    forwarded_at: so.Mapped[datetime | None]
    #: Seconds from forwarding (or recording) to the organizer's first action: the median the
    #: statistics page shows, computed in the database.
    first_response_seconds: so.Mapped[int | None]
    closed_at: so.Mapped[datetime | None]
    #: Title and text folded: the site's tenants' suggestions while typing (non-sensitive only).
    search_key: so.Mapped[str] = so.mapped_column(sa.String(SEARCH_KEY_LENGTH), default="")
    #: What the organizer may read, folded: the body's wording, and the tenant's title and text
    #: only if shared. The dashboard's full-text search looks here and nowhere else.
    organizer_search_key: so.Mapped[str] = so.mapped_column(
        sa.String(SEARCH_KEY_LENGTH), default=""
    )

    site: so.Mapped[Site] = so.relationship()
    reviewing_body: so.Mapped[Body | None] = so.relationship()
    author: so.Mapped[User | None] = so.relationship()
    categories: so.Mapped[list["NeedCategory"]] = so.relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedCategory.position"
    )
    #: Who is affected (one or more; "everyone" stands alone).
    populations: so.Mapped[list["NeedPopulation"]] = so.relationship(
        back_populates="need", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.Index("ix_needs_site_status", "site_id", "status"),
        sa.Index("ix_needs_provider_status", "provider_id", "status"),
        sa.Index("ix_needs_region_status", "region_id", "status", "created_at"),
        sa.Index("ix_needs_region_supporters", "region_id", "supporters_count"),
        sa.Index("ix_needs_region_category", "region_id", "category"),
        sa.Index("ix_needs_created", "created_at"),
        # The organizer's dashboard and statistics read a region's needs from this index alone
        # on PostgreSQL (an index-only scan: a need's row, with its texts, is ~1 KB; the
        # province's region of 12 000 needs took 6 000 page reads from the table).
        sa.Index(
            "ix_needs_region_created_cover",
            "region_id",
            "created_at",
            "id",
            postgresql_include=[
                "provider_id",
                "provider_kind",
                "site_id",
                "status",
                "category",
                "category_mask",
                "supporters_count",
                "origin",
                "sensitive",
                "to_organizer",
                "reviewing_body_id",
                "first_response_seconds",
            ],
        ),
    )

    def __repr__(self) -> str:
        return f"<Need {self.id} site={self.site_id} {self.status}>"

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.categories]

    @property
    def population_values(self) -> list["Population"]:
        """Who is affected, in the taxonomy's order."""
        chosen = {Population(p.population) for p in self.populations}
        return [p for p in Population if p in chosen]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def with_organizer(self) -> bool:
        return self.status in ORGANIZER_STATUSES and (
            self.to_organizer or self.origin == Origin.ISC or self.reviewing_body_id is None
        )


class NeedCategory(db.Model):
    """One category of a need (a need may have several)."""

    __tablename__ = "need_categories"

    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    code: so.Mapped[str] = so.mapped_column(sa.String(3), primary_key=True)
    position: so.Mapped[int] = so.mapped_column(default=0)

    need: so.Mapped[Need] = so.relationship(back_populates="categories")

    __table_args__ = (sa.Index("ix_need_categories_code", "code", "need_id"),)


class NeedPopulation(db.Model):
    """One group of people a need affects (a need may name several; "everyone" stands alone).
    The dashboard filters and the statistics count on it: a need counts once per group."""

    __tablename__ = "need_populations"

    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    population: so.Mapped[Population] = so.mapped_column(
        sa.Enum(Population, native_enum=False, length=20), primary_key=True
    )

    need: so.Mapped[Need] = so.relationship(back_populates="populations")

    __table_args__ = (sa.Index("ix_need_populations_population", "population", "need_id"),)


class NeedSupport(db.Model):
    """A "me too": one per person and need (the database refuses a second). The author's own
    support is one of them, so a merge counts everyone once."""

    __tablename__ = "need_supports"

    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    __table_args__ = (
        sa.Index("ix_need_supports_user", "user_id"),
        # The statistics' participation: supports of a need in a period, without the table.
        sa.Index("ix_need_supports_need_created", "need_id", "created_at", "user_id"),
    )


class NeedComment(db.Model):
    __tablename__ = "need_comments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True
    )
    #: Kept for the author's own "delete"; comments show unsigned.
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())


class NeedForward(db.Model):
    """The reviewing body's forward: its own wording, priority and note, to the organizer of its
    territory and/or the housing office's direction."""

    __tablename__ = "need_forwards"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True
    )
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"))
    wording: so.Mapped[str] = so.mapped_column(sa.Text)
    priority: so.Mapped[Priority] = so.mapped_column(
        sa.Enum(Priority, native_enum=False, length=10), default=Priority.NORMAL
    )
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    to_organizer: so.Mapped[bool] = so.mapped_column(default=False)
    to_direction: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    body: so.Mapped[Body] = so.relationship()


class NeedEvent(db.Model):
    """A dated line of the need's timeline. `public_text` is what the site's tenants read (plain
    words); `staff_note` stays with the organizer. The actor is kept for the audit, never shown
    beyond the organizer's own team."""

    __tablename__ = "need_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[EventKind] = so.mapped_column(sa.Enum(EventKind, native_enum=False, length=20))
    public_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    staff_note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    partner_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("partners.id"))
    resolution_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("resolutions.id"))
    other_need_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("needs.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    partner: so.Mapped["Partner | None"] = so.relationship()

    __table_args__ = (
        # The statistics' referrals: the events of one kind and their partner, by need.
        sa.Index("ix_need_events_kind_need", "kind", "need_id", "partner_id"),
    )


class PartnerKind(enum.StrEnum):
    CISSS = "cisss"  #: a CISSS/CIUSSS service (mental health, seniors' autonomy, youth…)
    COMMUNITY = "community"  #: a community organization (food aid, budget counselling…)
    MUNICIPAL = "municipal"  #: a municipal service


class Partner(db.Model):
    """A partner organization of a region the organizer refers needs to."""

    __tablename__ = "partners"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)
    kind: so.Mapped[PartnerKind] = so.mapped_column(
        sa.Enum(PartnerKind, native_enum=False, length=20)
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    service: so.Mapped[str] = so.mapped_column(sa.String(160), default="")
    phone: so.Mapped[str] = so.mapped_column(sa.String(30), default="")
    website: so.Mapped[str] = so.mapped_column(sa.String(255), default="")
    active: so.Mapped[bool] = so.mapped_column(default=True)

    __table_args__ = (sa.UniqueConstraint("region_id", "name"),)
