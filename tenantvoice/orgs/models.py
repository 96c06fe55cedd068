"""Region → Provider → Site and Body; the member register; tenancies; staff assignments."""

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.extensions import db
from tenantvoice.models import TimestampMixin
from tenantvoice.search import SEARCH_KEY_LENGTH, search_key, search_key_default


class ProviderKind(enum.StrEnum):
    OFFICE = "office"  #: office d'habitation (OMH/ORH)
    OBNL = "obnl"  #: OBNL / OSBL d'habitation
    COOP = "coop"  #: coopérative d'habitation


class BodyKind(enum.StrEnum):
    ADL = "adl"  #: association de locataires
    CCR = "ccr"  #: comité consultatif de résidants (one per office)
    OFFICE_BOARD = "office_board"  #: conseil d'administration de l'office
    COMMITTEE = "committee"  #: comité, sous-comité, comité de secteur


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    SECRETARY = "secretary"
    TREASURER = "treasurer"
    BODY_ADMIN = "body_admin"  #: administrateur de l'instance (manages it, not necessarily elected)
    TENANT_DIRECTOR = "tenant_director"  #: tenant's seat on the office board (57.1)


#: Roles that run a body: schedule meetings, keep the register, write minutes.
OFFICER_ROLES = frozenset(
    {
        MemberRole.PRESIDENT,
        MemberRole.VICE_PRESIDENT,
        MemberRole.SECRETARY,
        MemberRole.TREASURER,
        MemberRole.BODY_ADMIN,
    }
)


#: The board (conseil d'administration): the elected officers. A body administrator runs the
#: body in the app but is not elected to its board: not convened to, nor counted at, its meetings.
BOARD_ROLES = frozenset(
    {
        MemberRole.PRESIDENT,
        MemberRole.VICE_PRESIDENT,
        MemberRole.SECRETARY,
        MemberRole.TREASURER,
    }
)


class SeatSource(enum.StrEnum):
    ELECTED = "elected"
    EX_OFFICIO = "ex_officio"
    DESIGNATED = "designated"  #: designated by an ADL resolution (CCR delegates)
    APPOINTED = "appointed"  #: appointed by the office
    COOPTED = "coopted"
    REGISTERED = "registered"  #: plain member entered in the register


class QuorumMode(enum.StrEnum):
    NUMBER = "number"
    PERCENT = "percent"


class QuorumBase(enum.StrEnum):
    ADULTS = "adults"  #: adult members of the register
    UNITS = "units"  #: units (dwellings) represented


class Franchise(enum.StrEnum):
    ADULT = "adult"  #: each adult member votes
    UNIT = "unit"  #: one vote per unit


class MinutesAudience(enum.StrEnum):
    MEMBERS = "members"
    SITE_TENANTS = "site_tenants"


class Region(TimestampMixin, db.Model):
    __tablename__ = "regions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    #: False once the platform admin retired it: kept (what points at it stays), no longer
    #: offered when setting up bodies, buildings or staff roles.
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())

    providers: so.Mapped[list["Provider"]] = so.relationship(
        back_populates="region", order_by="Provider.name"
    )

    def __repr__(self) -> str:
        return f"<Region {self.id} {self.name!r}>"


class Provider(TimestampMixin, db.Model):
    """A housing provider: an office d'habitation, an OBNL or a co-op."""

    __tablename__ = "providers"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)
    kind: so.Mapped[ProviderKind] = so.mapped_column(
        sa.Enum(ProviderKind, native_enum=False, length=20)
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    #: False once the platform admin retired it: kept (what points at it stays), no longer
    #: offered when setting up bodies, buildings or staff roles.
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())

    region: so.Mapped[Region] = so.relationship(back_populates="providers")
    sites: so.Mapped[list["Site"]] = so.relationship(
        back_populates="provider", order_by="Site.name"
    )
    bodies: so.Mapped[list["Body"]] = so.relationship(
        back_populates="provider", order_by="Body.name"
    )

    __table_args__ = (sa.UniqueConstraint("region_id", "name"),)

    def __repr__(self) -> str:
        return f"<Provider {self.id} {self.kind} {self.name!r}>"


body_sites = sa.Table(
    "body_sites",
    db.metadata,
    sa.Column("body_id", sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Site(TimestampMixin, db.Model):
    """A building or housing complex (ensemble immobilier)."""

    __tablename__ = "sites"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    provider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("providers.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    address: so.Mapped[str] = so.mapped_column(sa.String(255))
    units_count: so.Mapped[int] = so.mapped_column(default=0)
    #: HLM, ACL, LAQ, PARCO, OBNL, COOP… all are eligible for tenant participation.
    program: so.Mapped[str] = so.mapped_column(sa.String(20), default="HLM")
    #: False once the platform admin retired it: kept (what points at it stays), no longer
    #: offered when setting up bodies, buildings or staff roles.
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())

    provider: so.Mapped[Provider] = so.relationship(back_populates="sites")
    bodies: so.Mapped[list["Body"]] = so.relationship(secondary=body_sites, back_populates="sites")

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.name!r}>"


class Body(TimestampMixin, db.Model):
    """An instance: ADL, CCR, the office's board or a committee, with the rules of its by-laws."""

    __tablename__ = "bodies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    provider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("providers.id"), index=True)
    kind: so.Mapped[BodyKind] = so.mapped_column(sa.Enum(BodyKind, native_enum=False, length=20))
    name: so.Mapped[str] = so.mapped_column(sa.String(160))

    # Rules from the by-laws (domain-rules §2.2–2.3; UNVERIFIED defaults are settings).
    #: Days of notice for general meetings (AGM, special, founding, election).
    notice_days_general: so.Mapped[int] = so.mapped_column(default=10)
    #: Days of notice for board and committee meetings.
    notice_days_board: so.Mapped[int] = so.mapped_column(default=3)
    quorum_mode: so.Mapped[QuorumMode] = so.mapped_column(
        sa.Enum(QuorumMode, native_enum=False, length=10), default=QuorumMode.PERCENT
    )
    #: Fixed quorum when quorum_mode is NUMBER.
    quorum_number: so.Mapped[int] = so.mapped_column(default=5)
    #: Percentage of the base when quorum_mode is PERCENT.
    quorum_percent: so.Mapped[int] = so.mapped_column(default=10)
    quorum_base: so.Mapped[QuorumBase] = so.mapped_column(
        sa.Enum(QuorumBase, native_enum=False, length=10), default=QuorumBase.ADULTS
    )
    #: Never fewer than this many present, whatever the percentage gives.
    quorum_minimum: so.Mapped[int] = so.mapped_column(default=5)
    #: Quorum of a board meeting, in directors present (None: a majority of the board).
    board_quorum: so.Mapped[int | None]
    franchise: so.Mapped[Franchise] = so.mapped_column(
        sa.Enum(Franchise, native_enum=False, length=10), default=Franchise.ADULT
    )
    secret_ballot_default: so.Mapped[bool] = so.mapped_column(default=True)
    #: Days the housing office has to answer a recommendation (UNVERIFIED: a setting).
    answer_delay_days: so.Mapped[int] = so.mapped_column(default=45)
    minutes_audience: so.Mapped[MinutesAudience] = so.mapped_column(
        sa.Enum(MinutesAudience, native_enum=False, length=20), default=MinutesAudience.MEMBERS
    )
    #: Published minutes readable by the organizer (OC) of the body's region or provider
    #: (§5.2 "Approved minutes": OC "R if shared"). Off by default, offered at setup.
    minutes_shared_with_organizer: so.Mapped[bool] = so.mapped_column(
        default=False, server_default=sa.false()
    )
    #: A CCR's published minutes readable by the housing office's direction (§5.2: "P (if the
    #: body publishes to the office)"). Off by default; ignored on any body but a CCR (§5.3).
    minutes_shared_with_office: so.Mapped[bool] = so.mapped_column(
        default=False, server_default=sa.false()
    )
    #: Date the housing office recognized the ADL (A4), if it did.
    recognized_on: so.Mapped[date | None]
    #: The office's reference for that decision (its board's resolution number, a letter).
    recognition_reference: so.Mapped[str] = so.mapped_column(
        sa.String(80), default="", server_default=""
    )
    #: The day the recognition ended (withdrawn by the office, or lapsed when the association's
    #: annual documents were not filed): recorded by the office's direction (§5.2 ✔).
    recognition_ended_on: so.Mapped[date | None]
    #: The name folded (search.search_key), kept by the ORM: lists of bodies filter in the
    #: database, accents and case ignored.
    search_key: so.Mapped[str] = so.mapped_column(
        sa.String(SEARCH_KEY_LENGTH), default=search_key_default("name"), server_default=""
    )

    provider: so.Mapped[Provider] = so.relationship(back_populates="bodies")
    sites: so.Mapped[list[Site]] = so.relationship(
        secondary=body_sites, back_populates="bodies", order_by="Site.name"
    )
    members: so.Mapped[list["Member"]] = so.relationship(
        back_populates="body", order_by="Member.name", foreign_keys="Member.body_id"
    )

    def __repr__(self) -> str:
        return f"<Body {self.id} {self.kind} {self.name!r}>"

    @property
    def recognition_ended(self) -> bool:
        """Recognized once, and that recognition has ended (the office records only a past end)."""
        return self.recognized_on is not None and self.recognition_ended_on is not None

    @so.validates("name")
    def _fold_for_search(self, _key: str, value: str) -> str:
        self.search_key = search_key(value)
        return value


class Member(TimestampMixin, db.Model):
    """An entry of a body's member register: a person, with or without an account.

    This is the membership (person × body × role). Officers keep it; the housing office's
    direction never sees it. Attendance, quorum, paper ballots and notices work from it.
    """

    __tablename__ = "members"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    #: Linked account, once the person joined with an invitation (None for paper-only members).
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    site_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sites.id"))
    #: Unit label as the building writes it (e.g. "104", "B-12").
    unit: so.Mapped[str] = so.mapped_column(sa.String(20), default="")
    phone: so.Mapped[str] = so.mapped_column(sa.String(30), default="")
    is_adult: so.Mapped[bool] = so.mapped_column(default=True)
    #: Consent to be contacted by the body (Law 25: express, off by default).
    consent_contact: so.Mapped[bool] = so.mapped_column(default=False)
    consent_recorded_at: so.Mapped[datetime | None]
    #: Consent that the organizer (OC) sees this person's name, role and phone: a purpose of its
    #: own, apart from consent_contact (trust-and-safety Q-05). Off by default.
    consent_share_with_organizer: so.Mapped[bool] = so.mapped_column(
        default=False, server_default=sa.false()
    )
    consent_organizer_recorded_at: so.Mapped[datetime | None]
    role: so.Mapped[MemberRole] = so.mapped_column(
        sa.Enum(MemberRole, native_enum=False, length=20), default=MemberRole.MEMBER
    )
    seat_source: so.Mapped[SeatSource] = so.mapped_column(
        sa.Enum(SeatSource, native_enum=False, length=20), default=SeatSource.REGISTERED
    )
    #: A CCR seat designated by an association's resolution (seat_source DESIGNATED): the
    #: recognized ADL that designated the person (orgs.seats). The resolution itself is linked
    #: by the assembly domain (assembly.models.SeatDesignation), which owns resolutions.
    designated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("bodies.id"))
    since: so.Mapped[date | None]
    #: End of membership; kept, never deleted, so past minutes still name the person.
    until: so.Mapped[date | None]
    #: When the account was linked to this entry by its owner's own act (joining with an
    #: invitation code, or accepting an invitation in the app). None: not linked, or linked
    #: without the owner's consent (before that was required): such an entry never lets the
    #: body's officers issue the person a reset code.
    linked_at: so.Mapped[datetime | None]
    #: When the person deleted their account (tenantvoice.privacy.forget): the entry stays for
    #: the association's past records, without a name, contact details or consents; the
    #: register shows it as "former member".
    forgotten_at: so.Mapped[datetime | None]
    #: Name and unit folded (search.search_key), kept by the ORM: the register and the
    #: attendance sheet search in the database, accents and case ignored.
    search_key: so.Mapped[str] = so.mapped_column(
        sa.String(SEARCH_KEY_LENGTH), default=search_key_default("name", "unit"), server_default=""
    )

    body: so.Mapped[Body] = so.relationship(back_populates="members", foreign_keys=[body_id])
    user: so.Mapped[User | None] = so.relationship()
    site: so.Mapped[Site | None] = so.relationship()
    designated_by: so.Mapped[Body | None] = so.relationship(foreign_keys=[designated_by_id])

    __table_args__ = (
        sa.Index(
            "uq_members_body_user",
            "body_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("user_id IS NOT NULL"),
            postgresql_where=sa.text("user_id IS NOT NULL"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Member {self.id} body={self.body_id} {self.role} {self.name!r}>"

    @so.validates("name", "unit")
    def _fold_for_search(self, key: str, value: str) -> str:
        name = value if key == "name" else self.name
        unit = value if key == "unit" else self.unit
        self.search_key = search_key(name, unit)
        return value

    @classmethod
    def current_on(cls, day: Any) -> sa.ColumnElement[bool]:
        """SQL: on the register on `day` (a date, or a bound parameter in a prebuilt query)."""
        return sa.or_(cls.until.is_(None), cls.until >= day)

    @hybrid_property
    def is_current(self) -> bool:
        """THE "current member" rule: no end date, or one not passed yet (project clock). On
        an entry in Python, on the class in SQL (`.where(Member.is_current)`)."""
        return self.until is None or self.until >= clock.today()

    @is_current.inplace.expression
    @classmethod
    def _is_current_expression(cls) -> sa.ColumnElement[bool]:
        return cls.current_on(clock.today())

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES and self.is_current

    @property
    def shown_name(self) -> str:
        """The name as lists and live records show it: "Former member" once the person deleted
        their account (adopted minutes keep the name as written: their text is a snapshot)."""
        if self.forgotten_at is not None and not self.name:
            return str(_l("Former member"))
        return self.name


class Tenancy(TimestampMixin, db.Model):
    """A person with an account lives at a site, in a unit (kept by the association)."""

    __tablename__ = "tenancies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    unit: so.Mapped[str] = so.mapped_column(sa.String(20), default="")
    ended_on: so.Mapped[date | None]

    user: so.Mapped[User] = so.relationship()
    site: so.Mapped[Site] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "site_id", "unit"),)


class StaffAssignment(TimestampMixin, db.Model):
    """A staff role with its scope: a region or a provider (admin: none)."""

    __tablename__ = "staff_assignments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Stored by value ('admin', 'direction') so the check constraints below can name them.
    role: so.Mapped[StaffRole] = so.mapped_column(
        sa.Enum(
            StaffRole,
            native_enum=False,
            length=20,
            values_callable=lambda roles: [r.value for r in roles],
        )
    )
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("regions.id"))
    provider_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("providers.id"))
    #: Who employs the person (an OC may be employed by an office: still never direction).
    employer: so.Mapped[str] = so.mapped_column(sa.String(160), default="")
    #: The regional coordinator of the logbook (issue 14): reads every intervention of the
    #: region and its statistics. Granted by an admin only; a regional scope alone is not enough.
    coordinator: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    user: so.Mapped[User] = so.relationship()
    region: so.Mapped[Region | None] = so.relationship()
    provider: so.Mapped[Provider | None] = so.relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'admin') OR (region_id IS NOT NULL) OR (provider_id IS NOT NULL)",
            name="scoped",
        ),
        sa.CheckConstraint(
            "(role != 'direction') OR (provider_id IS NOT NULL)", name="direction_provider"
        ),
    )


class Invitation(db.Model):
    """A single-use code that lets a person create an account and join a body.

    The code itself is shown once (printed sheet, link); only its keyed digest is stored.
    """

    __tablename__ = "invitations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    #: Register entry the new account is linked to (None: a new register entry is created).
    member_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("members.id"))
    site_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sites.id"))
    unit: so.Mapped[str] = so.mapped_column(sa.String(20), default="")
    #: Free label for the officer ("Mme Tremblay, 104"); never shown to anyone else.
    label: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[datetime | None]
    used_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    revoked_at: so.Mapped[datetime | None]
    #: An invitation addressed to an existing account (no code is handed over): its owner sees
    #: it in the app and accepts or declines it. Nobody links an account to a body for them.
    invitee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )

    body: so.Mapped[Body] = so.relationship()
    member: so.Mapped[Member | None] = so.relationship()
    invitee: so.Mapped[User | None] = so.relationship(foreign_keys=[invitee_id])
    site: so.Mapped[Site | None] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship(foreign_keys=[created_by_id])
    used_by: so.Mapped[User | None] = so.relationship(foreign_keys=[used_by_id])

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > clock.now()
