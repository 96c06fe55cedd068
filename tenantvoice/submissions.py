"""Forms that create a record are answered once: the idempotency key store.

Every such form carries a hidden `form_key` drawn when the page is rendered (the template global
`new_form_key`). The view claims the key in the same transaction as the record it creates: the
key's UNIQUE constraint lets exactly one request through, and a double tap, a retry or a replay
of the same form (which carries the same key) is answered with the first request's result (its
redirect) instead of making a second record. On PostgreSQL the second INSERT waits for the first
transaction and then fails on the constraint; on SQLite the write lock orders them. Either way
the loser reads the winner's committed row.

Secret ballots never use this store (trust-and-safety B-01): a key stored beside a ballot could
link the voter to it. There the voter roll's primary key is the guard.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.models import rowcount

#: The key the template global `new_form_key` draws: uuid4().hex.
_KEY = re.compile(r"^[0-9a-f]{32}$")
#: A form older than this is no longer answered from the store (the purge removes it).
KEEP = timedelta(days=2)

STALE_FORM = _l("This form is out of date. Reload the page and send it again.")


def new_key() -> str:
    """A fresh key for a form being rendered (random, 128 bits)."""
    return uuid.uuid4().hex


class FormSubmission(db.Model):
    """A form key already used, and where its first submission led."""

    __tablename__ = "form_submissions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: The endpoint the form was posted to (a key is never honoured on another form).
    scope: so.Mapped[str] = so.mapped_column(sa.String(80))
    #: Where the first submission redirected (empty until its transaction sets it).
    result_url: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now(), index=True)


class StaleFormError(Exception):
    """The form carries no valid key, or a key used by another form or person (views answer 422
    with STALE_FORM)."""


@dataclass
class Claim:
    """The outcome of claiming a key: no `row` when the key was used before, and then
    `replay_url` is where the first submission led (empty if it recorded none)."""

    row: FormSubmission | None
    replay_url: str = ""

    @property
    def is_replay(self) -> bool:
        return self.row is None

    def done(self, url: str) -> None:
        """Remember where this (first) submission leads, in the caller's transaction."""
        if self.row is not None:
            self.row.result_url = url[:500]
            db.session.flush()


def claim(key: str | None, user, scope: str) -> Claim:
    """Claim `key` for this submission before anything else is written.

    Returns a Claim; when the key was already used by the same person on the same form, its
    `replay_url` is the first submission's result. Raises StaleFormError for a missing or
    malformed key, or one used elsewhere. Flushes, never commits.
    """
    key = (key or "").strip().lower()
    if not _KEY.match(key):
        raise StaleFormError
    user_id = getattr(user, "id", None)
    scope = scope[:80]
    # INSERT … ON CONFLICT DO NOTHING rather than a savepoint: on SQLite (pysqlite's own
    # transaction handling) releasing a savepoint that opened the transaction commits it.
    # On PostgreSQL a conflicting INSERT still in flight makes this one wait for its outcome.
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    table = FormSubmission.__table__
    stmt = (
        insert(table)
        .values(key=key, user_id=user_id, scope=scope, result_url="", created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(table.c.id)
    )
    new_id = db.session.execute(stmt).scalar()
    if new_id is None:
        first = db.session.scalar(sa.select(FormSubmission).where(FormSubmission.key == key))
        if first is None or first.user_id != user_id or first.scope != scope:
            raise StaleFormError
        # Committed with its result: the record and its key commit together.
        return Claim(row=None, replay_url=first.result_url)
    return Claim(row=db.session.get(FormSubmission, new_id))


def purge_old(now: datetime | None = None) -> int:
    """Forget keys older than KEEP (retention job); returns how many."""
    cutoff = (now or clock.now()) - KEEP
    result = db.session.execute(sa.delete(FormSubmission).where(FormSubmission.created_at < cutoff))
    return rowcount(result)
