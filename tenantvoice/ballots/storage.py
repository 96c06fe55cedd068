"""Where secret ballots physically live, and how every trace is removed at close (trust-and-safety
§3.2, B-02, B-11, B-15).

* Opening writes one empty *slot* per vote key into ``ballot_box``, in random key order.
* Casting fills a random empty slot (a start drawn at random, the next empty slot after it).
  PostgreSQL: the box's fill factor (40) leaves room on each page, so the UPDATE is a HOT update
  on the slot's own page; the physical order of filled ballots is the random order of the slots.
* Closing (same transaction as the tally): with SQLite's ``secure_delete`` on for the connection,
  DELETE the question's slots; on PostgreSQL rewrite its roll in one statement, in random order
  (``WITH moved AS (DELETE … RETURNING …) INSERT … ORDER BY random()``), so every roll row gets
  the closing transaction's ``xmin`` and a new ``ctid`` that follows no voting order.
* After the commit, `compact()` runs from an autocommit connection: PostgreSQL ``VACUUM (FULL)``
  of both tables (a plain VACUUM frees the dead rows but leaves their bytes, xmin included, in
  the pages' free space: we checked with pageinspect), falling back to a plain VACUUM if the
  lock is not granted within 5 s; SQLite ``VACUUM`` then ``wal_checkpoint(TRUNCATE)`` so no old
  page survives in the file or its WAL.

Errors while writing a ballot are re-raised as `BallotStorageError` *from None*: SQLAlchemy's
messages quote the statement's parameters, which would put the choice in a log.
"""

import logging
import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from tenantvoice.ballots.errors import BallotStorageError
from tenantvoice.ballots.models import BallotSlot, RollEntry
from tenantvoice.extensions import db

logger = logging.getLogger(__name__)

#: session.info flag: the transaction deleted secret ballots; compact the tables after commit.
_COMPACT = "ballots.compact_after_commit"
_ATTEMPTS = 40


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def new_slot_id() -> str:
    return secrets.token_hex(16)


def add_slots(question_id: int, count: int) -> None:
    """Put `count` empty slots in the question's box (at opening)."""
    ids = sorted(new_slot_id() for _ in range(count))
    if ids:
        db.session.execute(
            sa.insert(BallotSlot), [{"question_id": question_id, "id": i} for i in ids]
        )


_PICK = (
    sa.select(BallotSlot.id)
    .where(
        BallotSlot.question_id == sa.bindparam("q"),
        BallotSlot.content.is_(None),
        BallotSlot.id >= sa.bindparam("start"),
    )
    .order_by(BallotSlot.id)
    .limit(1)
)
_FILL = (
    sa.update(BallotSlot)
    .where(
        BallotSlot.question_id == sa.bindparam("q"),
        BallotSlot.id == sa.bindparam("slot"),
        BallotSlot.content.is_(None),
    )
    .values(content=sa.bindparam("content"))
)


def put_in_box(question_id: int, content: str) -> None:
    """Fill one random empty slot with the ballot. Another voter filling the same slot at the
    same moment makes the UPDATE match nothing: draw again."""
    try:
        for _attempt in range(_ATTEMPTS):
            start = new_slot_id()
            slot = db.session.scalar(_PICK, {"q": question_id, "start": start})
            if slot is None:  # past the last empty slot: wrap around
                slot = db.session.scalar(_PICK, {"q": question_id, "start": ""})
            if slot is None:
                break
            filled = db.session.execute(
                _FILL, {"q": question_id, "slot": slot, "content": content}
            ).rowcount
            if filled == 1:
                return
    except SQLAlchemyError:
        raise BallotStorageError("the ballot could not be stored") from None
    raise BallotStorageError("no empty slot in the ballot box")


def box_contents(question_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(BallotSlot.content).where(
                BallotSlot.question_id == question_id, BallotSlot.content.is_not(None)
            )
        )
    )


def empty_box_and_rewrite_roll(question_id: int) -> None:
    """Delete the question's ballots and give its roll rows one new xmin and a random order.
    Runs inside the closing transaction; `compact()` follows the commit."""
    conn = db.session.connection()
    if _dialect() == "sqlite":
        # Deleted content is overwritten with zeros instead of lingering in free pages.
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    conn.execute(sa.delete(BallotSlot).where(BallotSlot.question_id == question_id))
    if _dialect() == "postgresql":
        conn.execute(
            sa.text(
                "WITH moved AS (DELETE FROM ballot_roll WHERE question_id = :q "
                "RETURNING question_id, vote_key, channel) "
                "INSERT INTO ballot_roll (question_id, vote_key, channel) "
                "SELECT question_id, vote_key, channel FROM moved ORDER BY random()"
            ),
            {"q": question_id},
        )
    # SQLite: the roll is a WITHOUT ROWID table stored in key order; there is no xmin.
    db.session.info[_COMPACT] = True


def compact() -> None:
    """Remove the dead rows' bytes from both tables' files (after the closing commit)."""
    engine = db.engine
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET lock_timeout = '5s'")
            try:
                conn.exec_driver_sql("VACUUM (FULL) ballot_box, ballot_roll")
            except OperationalError:
                logger.warning("ballot tables busy: plain VACUUM now, FULL at the next close")
                conn.exec_driver_sql("VACUUM ballot_box, ballot_roll")
            finally:
                conn.exec_driver_sql("RESET lock_timeout")
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@sa.event.listens_for(so.Session, "after_commit")
def _compact_after_commit(session) -> None:
    if session.info.pop(_COMPACT, False):
        compact()


@sa.event.listens_for(so.Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(_COMPACT, None)


def roll_insert(question_id: int, vote_key: str, channel) -> bool:
    """Add a vote key to the roll; False when it is there already (the primary key decides)."""
    values = {"question_id": question_id, "vote_key": vote_key, "channel": channel}
    insert = postgresql.insert if _dialect() == "postgresql" else sqlite.insert
    stmt = insert(RollEntry).values(**values).on_conflict_do_nothing()
    return db.session.execute(stmt).rowcount == 1
