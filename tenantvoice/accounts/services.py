"""Account verbs: find by login identifier, check passwords. Services flush, views commit."""

import logging
import re

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from tenantvoice.accounts.models import User
from tenantvoice.extensions import db

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
