"""Encryption at rest of the few secrets the server must read back (TOTP secrets, the codes a
session keeps for its owner): Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with the
key(s) of ENCRYPTION_KEY.

ENCRYPTION_KEY is one Fernet key, or several separated by commas: the first encrypts, every one
decrypts (rotate by putting a new key first, then re-saving). Development and tests use
DEV_ENCRYPTION_KEY, which is public: production refuses to start with it or without a key.
"""

import json

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

#: Public development and test key (in the repository): never protects real data.
DEV_ENCRYPTION_KEY = "dGVuYW50dm9pY2UtZGV2LWtleS1ub3QtZm9yLXByb2Q="


class EncryptionKeyError(RuntimeError):
    """ENCRYPTION_KEY is malformed or cannot decrypt stored data."""


def keys_from(value: str) -> list[str]:
    return [k.strip() for k in (value or "").split(",") if k.strip()]


def check_keys(value: str) -> None:
    """Raise EncryptionKeyError unless every key is a valid Fernet key."""
    try:
        for key in keys_from(value):
            Fernet(key.encode())
    except (ValueError, TypeError) as error:
        raise EncryptionKeyError(
            "ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated"
        ) from error


def _fernet(value: str | None = None) -> MultiFernet:
    keys = keys_from(value if value is not None else current_app.config["ENCRYPTION_KEY"])
    if not keys:
        raise EncryptionKeyError("ENCRYPTION_KEY is not set")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(text: str, *, key: str | None = None) -> str:
    return _fernet(key).encrypt(text.encode()).decode()


def decrypt(token: str, *, key: str | None = None) -> str:
    try:
        return _fernet(key).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise EncryptionKeyError(
            "stored secret cannot be decrypted with ENCRYPTION_KEY (wrong or rotated-out key)"
        ) from error


class EncryptedText(sa.types.TypeDecorator):
    """A text column stored encrypted; reads give the plaintext back."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)


class EncryptedJSON(sa.types.TypeDecorator):
    """A JSON value stored encrypted (a dict in Python, a Fernet token in the database)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(json.dumps(value))

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(decrypt(value))
