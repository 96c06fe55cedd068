"""The organizers' logbook (issue 14): one row per community intervention of an ISC or an OC.

No tenant's identity is ever recorded: an intervention holds a count of people reached, never a
name, a unit or an account. Kinds and populations are several per intervention (the published
shares add up to more than 100 %): each is a bit of a small integer, so the statistics read one
table in one pass. The site's provider, provider kind and region are copied on the row (like a
need's) so the statistics filter and group one table on indexed columns.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.needs.models import Need, Partner, PartnerKind, Population
from tenantvoice.orgs.models import Body, ProviderKind, Site

NOTE_MAX = 500
PEOPLE_MAX = 500
DURATION_MAX = 24 * 60


class Kind(enum.IntFlag):
    """A kind of intervention (several may apply): one bit each. Never renumber."""

    INDIVIDUAL = 1  #: individual support
    COLLECTIVE = 2  #: collective action
    GROUP_PROJECT = 4  #: group project
    ASSOCIATION = 8  #: support to a tenant association or committee
    CONCERTATION = 16  #: concertation (partners' tables, committees)
    PREVENTION = 32  #: prevention, information
    OTHER = 64


#: The bit of each population of the needs taxonomy. Never renumber.
POPULATION_BITS = {
    Population.EVERYONE: 1,
    Population.FAMILIES: 2,
    Population.YOUTH: 4,
    Population.SENIORS: 8,
    Population.ALONE: 16,
    Population.NEWCOMERS: 32,
    Population.DISABILITIES: 64,
}


def bits(values, table) -> int:
    total = 0
    for value in values:
        total |= table[value]
    return total


class Intervention(db.Model):
    __tablename__ = "logbook_interventions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: None once the worker left and was forgotten (privacy.forget): the region's figures keep
    #: the record, which names no tenant.
    worker_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    day: so.Mapped[date] = so.mapped_column(sa.Date)  #: the Montréal date of the intervention
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"))
    provider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("providers.id"))
    provider_kind: so.Mapped[ProviderKind] = so.mapped_column(
        sa.Enum(ProviderKind, native_enum=False, length=20)
    )
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"))
    kinds: so.Mapped[int] = so.mapped_column(sa.Integer)  #: Kind bits
    populations: so.Mapped[int] = so.mapped_column(sa.Integer)  #: POPULATION_BITS
    people: so.Mapped[int] = so.mapped_column(sa.Integer)  #: a count, never names
    duration_minutes: so.Mapped[int] = so.mapped_column(sa.Integer)
    need_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="SET NULL")
    )
    body_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("bodies.id"))
    referrals_count: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    updated_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    worker: so.Mapped[User] = so.relationship()
    site: so.Mapped[Site] = so.relationship()
    need: so.Mapped[Need | None] = so.relationship()
    body: so.Mapped[Body | None] = so.relationship()
    themes: so.Mapped[list["InterventionTheme"]] = so.relationship(
        cascade="all, delete-orphan", order_by="InterventionTheme.code"
    )
    referrals: so.Mapped[list["Referral"]] = so.relationship(
        cascade="all, delete-orphan", order_by="Referral.id"
    )

    __table_args__ = (
        sa.Index("ix_logbook_worker_day", "worker_id", "day"),
        sa.Index("ix_logbook_region_day", "region_id", "day"),
        sa.CheckConstraint("kinds > 0", name="some_kind"),
        sa.CheckConstraint("populations > 0", name="some_population"),
        sa.CheckConstraint(f"people >= 0 AND people <= {PEOPLE_MAX}", name="people_bounded"),
        sa.CheckConstraint(
            f"duration_minutes >= 0 AND duration_minutes <= {DURATION_MAX}",
            name="duration_bounded",
        ),
    )

    @property
    def kind_list(self) -> list[Kind]:
        return [k for k in Kind if self.kinds & k]

    @property
    def population_list(self) -> list[Population]:
        return [p for p, bit in POPULATION_BITS.items() if self.populations & bit]


class InterventionTheme(db.Model):
    """A theme of the needs taxonomy an intervention dealt with (several)."""

    __tablename__ = "logbook_themes"

    intervention_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("logbook_interventions.id", ondelete="CASCADE"), primary_key=True
    )
    code: so.Mapped[str] = so.mapped_column(sa.String(3), primary_key=True)


class Referral(db.Model):
    """A referral made during an intervention: a partner of the directory, or only the kind of
    partner when it is not listed."""

    __tablename__ = "logbook_referrals"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    intervention_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("logbook_interventions.id", ondelete="CASCADE"), index=True
    )
    partner_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("partners.id"))
    partner_kind: so.Mapped[PartnerKind] = so.mapped_column(
        sa.Enum(PartnerKind, native_enum=False, length=20)
    )
    #: The directory's category of the partner when referred ("" when not listed).
    category: so.Mapped[str] = so.mapped_column(sa.String(160), default="")
    #: Copied from the intervention so the statistics count referrals on their own indexes.
    #: None once the worker left and was forgotten (privacy.forget): the region's figures keep
    #: the record, which names no tenant.
    worker_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"))
    day: so.Mapped[date] = so.mapped_column(sa.Date)

    partner: so.Mapped[Partner | None] = so.relationship()

    __table_args__ = (
        sa.Index("ix_logbook_referrals_worker_day", "worker_id", "day"),
        sa.Index("ix_logbook_referrals_region_day", "region_id", "day"),
    )
