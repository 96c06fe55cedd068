"""Account verbs: identifiers, passwords, reset links and codes, second factor.

Services flush, views commit."""

import functools
import hmac
import logging
import re
import secrets
from datetime import datetime
from pathlib import Path

import pyotp
import sqlalchemy as sa
from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from tenantvoice import audit, clock, policy
from tenantvoice.accounts.codes import canonical_code, generate_code
from tenantvoice.accounts.models import (
    PasswordResetToken,
    RecoveryCode,
    ResetCode,
    User,
    code_digest,
    token_digest,
)
from tenantvoice.extensions import db
from tenantvoice.models import UTCDateTime, rowcount

logger = logging.getLogger(__name__)

#: A real hash to compare against when no account matches, so timing does not tell.
_DUMMY_HASH = generate_password_hash("tenantvoice-dummy-password")


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_phone(value: str) -> str:
    """Keep digits; drop a leading North-American 1 so 1-418-555-0123 == 418 555-0123."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def find_by_identifier(identifier: str) -> User | None:
    """An email (contains @) or a phone number."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return db.session.scalar(sa.select(User).where(User.email == normalize_email(identifier)))
    phone = normalize_phone(identifier)
    if not phone:
        return None
    return db.session.scalar(sa.select(User).where(User.phone == phone))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def authenticate(identifier: str, password: str) -> User | None:
    """The user if the password matches and the account is active; same work either way."""
    user = find_by_identifier(identifier)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        logger.info("login failed: unknown identifier")
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        logger.info("login failed for user %s", user.id)
        return None
    logger.info("login succeeded for user %s", user.id)
    return user


# --- Passwords (ASVS 6.2: 8 to 128 characters, no composition rules, no common password) ------

PASSWORD_MIN = 8
PASSWORD_MAX = 128
_COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, *, name: str = "", email: str = "") -> LazyString | None:
    """A translated (lazy) reason to refuse this password, or None if it is acceptable."""
    password = password or ""
    if len(password) < PASSWORD_MIN:
        return _l("Choose a password of at least %(min)s characters.", min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _l("Choose a password of at most %(max)s characters.", max=PASSWORD_MAX)
    folded = password.strip().lower()
    if folded in common_passwords():
        return _l("This password is too common and easy to guess. Choose another one.")
    personal = {(name or "").strip().lower(), normalize_email(email or "")}
    personal |= {p.split("@")[0] for p in personal if "@" in p}
    if folded in {p for p in personal if p}:
        return _l("Your password must not be your name or your email.")
    return None


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = clock.now()
    db.session.flush()


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password or "")


def email_taken(email: str, *, exclude: User | None = None) -> bool:
    stmt = sa.select(User.id).where(User.email == normalize_email(email))
    if exclude is not None:
        stmt = stmt.where(User.id != exclude.id)
    return db.session.scalar(stmt) is not None


def phone_taken(phone: str, *, exclude: User | None = None) -> bool:
    stmt = sa.select(User.id).where(User.phone == normalize_phone(phone))
    if exclude is not None:
        stmt = stmt.where(User.id != exclude.id)
    return db.session.scalar(stmt) is not None


def create_user(
    *, name: str, email: str = "", phone: str = "", password: str, locale: str | None = None
) -> User:
    user = User(
        name=name.strip(),
        email=normalize_email(email) or None,
        phone=normalize_phone(phone) or None,
        password_hash=hash_password(password),
        locale=locale,
        password_changed_at=clock.now(),
    )
    db.session.add(user)
    db.session.flush()
    return user


# --- Reset links by email (single use, 1 h, a new request invalidates older ones) -------------


def create_reset_token(user: User) -> str:
    """A new reset link token for `user` (plaintext returned once, digest stored)."""
    now = clock.now()
    db.session.execute(
        sa.delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + current_app.config["RESET_LINK_LIFETIME"],
        )
    )
    db.session.flush()
    return token


def find_reset_token(token: str) -> PasswordResetToken | None:
    """The token's row if it is unused and unexpired (reading never consumes it)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= clock.now():
        return None
    return row


def consume_reset_token(row: PasswordResetToken) -> bool:
    """Mark the token used; False if another request used it first."""
    result = db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


# --- Reset codes handed over by an officer (no email) ------------------------------------------


def _code_digest(code: str) -> str:
    return code_digest(code, current_app.config["SECRET_KEY"])


def issue_reset_code(actor: User | None, user: User, *, body_id: int | None = None) -> str:
    """A new 8-character reset code for `user` (shown once to the officer); older unused codes
    of that user stop working. Valid RESET_CODE_LIFETIME (24 h)."""
    now = clock.now()
    db.session.execute(
        sa.update(ResetCode)
        .where(
            ResetCode.user_id == user.id, ResetCode.used_at.is_(None), ResetCode.expires_at > now
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    code = generate_code()
    row = ResetCode(
        user_id=user.id,
        issued_by_id=actor.id if actor is not None else None,
        code_hash=_code_digest(code),
        created_at=now,
        expires_at=now + current_app.config["RESET_CODE_LIFETIME"],
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "reset_code.issue", actor=actor, body_id=body_id, obj=row, detail=f"user {user.id}"
    )
    db.session.flush()
    return code


def find_reset_code(identifier: str, code: str) -> ResetCode | None:
    """The reset code given with the person's email or phone, if it is theirs, unused, unexpired,
    not held back by wrong tries (count_wrong_reset_code) and the account may be reset with a
    code. None in every other case (unknown person, wrong, used, expired or held-back code,
    disabled or staff account): one answer for every case, reached by the same statements
    whether or not an account matches (the code is looked up by its digest alone, then compared
    with the account), so neither the answer nor its timing tells whether an account exists.
    Reading never consumes the code."""
    user = find_by_identifier(identifier)
    normalized = "".join(ch for ch in canonical_code((code or "")[:40]) if ch.isalnum())[:20]
    row = db.session.scalar(
        sa.select(ResetCode).where(ResetCode.code_hash == _code_digest(normalized))
    )
    if user is None or row is None or len(normalized) != 8 or row.user_id != user.id:
        return None
    now = clock.now()
    if row.used_at is not None or row.expires_at <= now or _held_back(row, now):
        return None
    if not policy.can_reset_with_code(user):
        return None
    return row


def _tries() -> int:
    return int(current_app.config["RESET_CODE_TRIES"])


def _held_back(row: ResetCode, now: datetime) -> bool:
    return row.locked_until is not None and row.locked_until > now


def _not_held_back(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(ResetCode.locked_until.is_(None), ResetCode.locked_until <= now)


def _holds(now: datetime) -> dict[int, sa.ColumnElement[datetime]]:
    """Wrong try number → the end of the hold it starts: the RESET_CODE_TRIES-th wrong try holds
    the code back RESET_CODE_LOCK (15 min), each later round of tries twice as long as the last.

    Why guessing stays infeasible: a code is 8 symbols out of 32, 32**8 = 2**40 (about 1.1e12)
    codes. It lives 24 h. Wrong tries are counted only while the code is not held back, so 5
    tries, then 5 more after each hold of 15, 30, 60, 120, 240 and 480 min (945 min in all);
    the seventh hold (960 min) outlasts the code. At most 7 x 5 = 35 guesses per code over its
    whole life, from any number of addresses: a chance of 35 / 2**40, about 3e-11, that a
    guesser finds it (the per-address limit, 5 per 15 min, comes on top). The schedule ends
    with a hold at least as long as the code's lifetime, so the count never goes past it.
    """
    lock = current_app.config["RESET_CODE_LOCK"]
    lifetime = current_app.config["RESET_CODE_LIFETIME"]
    holds: dict[int, sa.ColumnElement[datetime]] = {}
    for round_ in range(1, 21):
        hold = lock * 2 ** (round_ - 1)
        holds[round_ * _tries()] = sa.literal(now + hold, UTCDateTime())
        if hold >= lifetime:
            break
    return holds


def count_wrong_reset_code(identifier: str) -> None:
    """A wrong code was typed with this email or phone: count it on that person's live reset
    code, in the database, whatever the client address (the per-address limit alone let
    rotating addresses keep guessing one person's code). Every RESET_CODE_TRIES-th wrong try
    holds the code back for a while (`_holds`: 15 min, then twice as long each round); even the
    right code is refused meanwhile, and tries typed then are not counted. The code is never
    burnt: anyone who knows a tenant's email or phone could destroy their code on purpose, and
    the owner can still use it once the hold ends. (Someone who keeps guessing can keep it held
    back, five tries each time a hold ends; the officers can then issue a new code.)

    One UPDATE counts the try and starts the hold, so tries sent at once cannot slip past the
    limit: each sees the count the one before left (PostgreSQL re-checks the WHERE on the row it
    waited for; SQLite writes one transaction at a time). The same statements run whether or
    not an account matches (an id no row has stands for "nobody"), so nothing tells whether an
    account exists."""
    user = find_by_identifier(identifier)
    now = clock.now()
    result = db.session.execute(
        sa.update(ResetCode)
        .where(
            ResetCode.user_id == (user.id if user is not None else 0),
            ResetCode.used_at.is_(None),
            ResetCode.expires_at > now,
            _not_held_back(now),
        )
        .values(
            failed_attempts=ResetCode.failed_attempts + 1,
            # SET reads the row as it was: the try this UPDATE counts is failed_attempts + 1.
            locked_until=sa.case(
                _holds(now), value=ResetCode.failed_attempts + 1, else_=ResetCode.locked_until
            ),
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(result):
        logger.warning("wrong reset code for user %s", user.id if user is not None else None)


def consume_reset_code(row: ResetCode) -> bool:
    """Mark the code used; False if another request used it first."""
    now = clock.now()
    result = db.session.execute(
        sa.update(ResetCode)
        .where(
            ResetCode.id == row.id,
            ResetCode.used_at.is_(None),
            ResetCode.expires_at > now,
            # Held back by wrong tries in another process meanwhile: refused here too.
            _not_held_back(now),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        return False
    db.session.refresh(row)
    audit.record("reset_code.use", actor=row.user, obj=row)
    return True


def redeem_reset_code(identifier: str, code: str) -> ResetCode | None:
    """Find and use a reset code at once (None if anything does not match)."""
    row = find_reset_code(identifier, code)
    if row is None or not consume_reset_code(row):
        return None
    return row


def unacknowledged_reset_code(user: User) -> ResetCode | None:
    """The latest used reset code the person has not been told about yet."""
    return db.session.scalar(
        sa.select(ResetCode)
        .where(
            ResetCode.user_id == user.id,
            ResetCode.used_at.is_not(None),
            ResetCode.acknowledged_at.is_(None),
        )
        .order_by(ResetCode.used_at.desc())
    )


def acknowledge_reset_codes(user: User) -> None:
    db.session.execute(
        sa.update(ResetCode)
        .where(
            ResetCode.user_id == user.id,
            ResetCode.used_at.is_not(None),
            ResetCode.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=clock.now())
        .execution_options(synchronize_session=False)
    )


# --- Second factor (TOTP) and recovery codes ---------------------------------------------------

RECOVERY_CODES = 10


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    label = user.email or user.phone or user.name
    return pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name="TenantVoice")


def totp_step(secret: str, code: str) -> int | None:
    """The time step (unix time // 30) at which `code` is right for `secret`, accepting one step
    of clock drift either way (valid_window=1); None when it matches none."""
    digits = re.sub(r"\s", "", code or "")
    if not secret or not re.fullmatch(r"\d{6}", digits):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(clock.now())
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def enable_totp(user: User, secret: str, step: int | None = None) -> list[str]:
    """Turn TOTP on and return 10 fresh recovery codes (shown once; digests stored).

    `step` is the time step of the code that confirmed the setup: it counts as used."""
    user.totp_secret = secret
    user.totp_enabled_at = clock.now()
    user.totp_last_step = step
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [generate_code() for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_digest(code)))
    audit.record("totp.enable", actor=user, obj=user)
    db.session.flush()
    return codes


def disable_totp(user: User) -> None:
    """Turn TOTP off: the secret, the last step and the recovery codes are deleted."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("totp.disable", actor=user, obj=user)
    db.session.flush()


class TotpReplayError(Exception):
    """A right code whose time step was already used (or is older than one already used)."""


def use_totp(user: User, code: str) -> bool:
    """Accept a TOTP code once: its step must be later than the last accepted one.

    The check and the write are one conditional UPDATE, so two requests racing with the same
    code cannot both pass. Raises TotpReplayError when the code is right but already used."""
    if not user.has_totp or user.totp_secret is None:
        return False
    step = totp_step(user.totp_secret, code)
    if step is None:
        return False
    result = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step)
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        logger.warning("second factor refused for user %s: TOTP code reused", user.id)
        raise TotpReplayError
    user.totp_last_step = step
    return True


def use_recovery_code(user: User, code: str) -> bool:
    """An unused recovery code of the person, read as printed (`canonical_code`), used once."""
    normalized = "".join(ch for ch in canonical_code((code or "")[:40]) if ch.isalnum())
    if len(normalized) != 8:
        return False
    result = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_digest(normalized),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) == 1:
        audit.record("recovery_code.use", actor=user, obj=user)
        return True
    return False


def check_second_factor(user: User, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code. Raises TotpReplayError for a
    right code that was already used."""
    if use_totp(user, code):
        return True
    return use_recovery_code(user, code)
