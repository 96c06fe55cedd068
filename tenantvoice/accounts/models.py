"""Users, their login sessions and their one-time secrets (all stored hashed)."""

import enum
import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from tenantvoice import clock
from tenantvoice.crypto import EncryptedJSON, EncryptedText
from tenantvoice.extensions import db
from tenantvoice.models import TimestampMixin
from tenantvoice.search import SEARCH_KEY_LENGTH, search_key, search_key_default


def token_digest(token: str) -> str:
    """SHA-256 of a high-entropy token (session ids, reset links): safe to index and look up."""
    return hashlib.sha256(token.encode()).hexdigest()


def code_digest(code: str, secret: str) -> str:
    """Keyed hash of a short human-typed code (invitations, reset codes, recovery codes).

    The codes carry 40 bits; a plain hash could be brute-forced from a database dump, so the
    server secret keys it (the stored value is useless without the secret).
    """
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(secret.encode(), normalized.encode(), hashlib.sha256).hexdigest()


class StaffRole(enum.StrEnum):
    OC = "oc"  #: organisateur communautaire (region or provider scope)
    ISC = "isc"  #: intervenant sociocommunautaire (region or provider scope)
    DIRECTION = "direction"  #: the housing office's management (provider scope)
    ADMIN = "admin"  #: platform administrator (no scope: the whole installation)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    #: Lower-cased; optional (many tenants have none). Unique when present.
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254), unique=True)
    #: Digits only (e.g. 4185550123); optional, unique when present.
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(20), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    #: Saved language preference (fr_CA or en); None follows the browser.
    locale: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    #: Encrypted at rest (ENCRYPTION_KEY): a database dump alone gives no second factor.
    totp_secret: so.Mapped[str | None] = so.mapped_column(EncryptedText)
    totp_enabled_at: so.Mapped[datetime | None]
    #: The last accepted TOTP time step (unix time // 30): a code is accepted only for a later
    #: step, so a code seen over a shoulder or phished cannot be used a second time (ASVS 6.5.1).
    totp_last_step: so.Mapped[int | None]
    password_changed_at: so.Mapped[datetime | None]
    last_login_at: so.Mapped[datetime | None]
    #: Unread notifications in the app, kept in step by tenantvoice.notifications in the same
    #: transaction as each change: the badge on every page reads it from the row already loaded.
    unread_notifications: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    #: Name, email and phone folded (search.search_key), kept by the ORM: the admin's account
    #: list filters in the database with one LIKE per row, accents and case ignored.
    search_key: so.Mapped[str] = so.mapped_column(
        sa.String(SEARCH_KEY_LENGTH),
        default=search_key_default("name", "email", "phone"),
        server_default="",
    )

    sessions: so.Mapped[list["UserSession"]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (
        #: The admin's account list reads a page in name order without sorting every account…
        sa.Index("ix_users_name_id", "name", "id"),
        #: …and counts the matches of a search in this narrow index, not in the whole table
        #: (30 000 accounts: 26 ms → 6 ms on SQLite).
        sa.Index("ix_users_search_key", "search_key"),
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.name!r}>"

    @so.validates("name", "email", "phone")
    def _fold_for_search(self, key: str, value: str | None) -> str | None:
        parts = {"name": self.name, "email": self.email, "phone": self.phone, key: value}
        self.search_key = search_key(parts["name"], parts["email"], parts["phone"])
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)


class UserSession(db.Model):
    """One login on one device. The cookie carries a random id; only its digest is stored,
    so logout, a password change or an admin can end a session for good."""

    __tablename__ = "user_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    last_seen_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: Set once the second factor was passed in this session (staff).
    second_factor_at: so.Mapped[datetime | None]
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    #: What this session keeps for its owner between requests and must not put in the cookie
    #: (readable by whoever holds it): the TOTP secret being set up, the last batch of
    #: invitation codes for the printable sheet. Encrypted; gone with the session.
    scratch: so.Mapped[dict | None] = so.mapped_column(EncryptedJSON)

    user: so.Mapped[User] = so.relationship(back_populates="sessions")


class PasswordResetToken(db.Model):
    """A reset link sent by email: single use, short-lived, stored as a digest."""

    __tablename__ = "password_reset_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[datetime | None]


class ResetCode(db.Model):
    """A reset code an officer hands over in person to someone with no email.

    Single use, valid 24 h; who issued it is kept, and the person is told at their next login.
    Wrong codes typed with the person's email or phone are counted here (not per address):
    every RESET_CODE_TRIES wrong tries hold the code back for a while, however many addresses
    guess it (accounts.services.count_wrong_reset_code).
    """

    __tablename__ = "reset_codes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    issued_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[datetime | None]
    #: Set when the person has seen the "a reset code was used" notice at login.
    acknowledged_at: so.Mapped[datetime | None]
    #: Wrong codes typed for this person while the code was live and not held back.
    failed_attempts: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    #: Every RESET_CODE_TRIES-th wrong try holds the code back until then (even the right code
    #: is refused meanwhile); the owner can use it again afterwards.
    locked_until: so.Mapped[datetime | None]

    user: so.Mapped[User] = so.relationship(foreign_keys=[user_id])
    issued_by: so.Mapped[User | None] = so.relationship(foreign_keys=[issued_by_id])


class RecoveryCode(db.Model):
    """One-time recovery code for a lost TOTP device."""

    __tablename__ = "recovery_codes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    used_at: so.Mapped[datetime | None]


class ConsentRecord(db.Model):
    """One line of the consent log (Law 25, Q-05): a person gave or withdrew their consent to one
    purpose, under one version of the privacy policy. Never updated: the latest line per
    (person, purpose, body) is the consent in force; no line means not given.

    A register entry without an account (a tenant with no smartphone) has its own lines, the
    consents an officer recorded from its paper form: `member_id` set, `user_id` empty until the
    person joins with a code, when they become the person's (consents.link_entry)."""

    __tablename__ = "consent_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: The register entry a paper consent was recorded on (kept once the person joins: it says
    #: where the line came from). Deleted with the entry.
    member_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    #: A key of consents.PURPOSES ("need_text_to_organizer"…): stored, never renamed.
    purpose: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: The body the consent concerns, for purposes given per register entry (contact by the
    #: body, contact shared with its organizer); None for the person's own purposes.
    body_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE")
    )
    given: so.Mapped[bool]
    policy_version: so.Mapped[str] = so.mapped_column(sa.String(20))
    recorded_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: The officer who recorded a consent the person gave outside the app (a tenant without a
    #: smartphone signs the register's form); None: the person themselves, in the app.
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: Given (or withdrawn) on paper and recorded by `recorded_by_id`, not in the app.
    on_paper: so.Mapped[bool] = so.mapped_column(default=False)

    __table_args__ = (
        sa.Index("ix_consent_log_user", "user_id", "purpose", "id"),
        # A line is a person's or a register entry's, never nobody's.
        sa.CheckConstraint("user_id IS NOT NULL OR member_id IS NOT NULL", name="person_or_entry"),
    )
