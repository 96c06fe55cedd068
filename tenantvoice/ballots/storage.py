"""Where secret ballots physically live, and how every trace is removed at close (trust-and-safety
§3.2, B-02, B-11, B-15).

* Casting adds a row with a random 128-bit id. SQLite stores the WITHOUT ROWID box by that id,
  so its order is random. PostgreSQL's heap keeps rows in the order they were written (a
  ``pg_dump`` or a plain SELECT returns them so), and the roll's rows are in voting order too:
  so on PostgreSQL the cast rewrites the question's whole box, the new ballot included, in
  random order, in one statement (``WITH moved AS (DELETE … RETURNING …) INSERT … ORDER BY
  random()``), under a per-question advisory lock so concurrent casts queue instead of
  deadlocking. The cost is one rewrite of the question's ballots per cast (see the benchmark).
* Closing (same transaction as the tally): with SQLite's ``secure_delete`` on for the connection,
  DELETE the question's ballots; on PostgreSQL also rewrite its roll in one statement, in random
  order, so every roll row gets the closing transaction's ``xmin`` and a ``ctid`` that follows
  no voting order.
* After the commit, `compact()` runs from an autocommit connection: PostgreSQL ``VACUUM (FULL)``
  of both tables (a plain VACUUM frees the dead rows but leaves their bytes, xmin included, in
  the pages' free space: we checked with pageinspect), falling back to a plain VACUUM if the
  lock is not granted within 5 s; SQLite ``VACUUM`` then ``wal_checkpoint(TRUNCATE)`` so no old
  page survives in the file or its WAL. Done, it stamps the closed secret questions'
  ``storage_compacted_at``; refused, the stamp stays empty and the worker's job
  `compact_owed` tries again every 5 minutes until it is done.

While a vote is open, the roll row and the box rows a cast writes share that transaction's
``xmin`` (on PostgreSQL every live box row of the question carries the last cast's), and dead
row versions keep older ones until VACUUM: someone reading the live database with superuser
tools while the vote is open can still link. That is the documented limit.

Errors while writing a ballot are re-raised as `BallotStorageError` *from None*: SQLAlchemy's
messages quote the statement's parameters, which would put the choice in a log.
"""

import logging
import secrets
import time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from tenantvoice import clock
from tenantvoice.ballots.errors import BallotStorageError
from tenantvoice.ballots.models import Ballot, Mode, Question, RollEntry
from tenantvoice.extensions import db

logger = logging.getLogger(__name__)

#: session.info flag: the transaction deleted secret ballots; compact the tables after commit.
_COMPACT = "ballots.compact_after_commit"
#: SQLite "database is locked" on the roll insert: retries (waits of 50 ms, 100 ms, …).
_LOCKED_RETRIES = 8
#: First key of the advisory locks taken while a question's box is rewritten.
_LOCK_SPACE = 0x0B411075


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def new_ballot_id() -> str:
    return secrets.token_hex(16)


def _box_statement():
    """The statement that puts one ballot in a question's box (see the module docstring)."""
    if _dialect() == "postgresql":
        return sa.text(
            "WITH moved AS (DELETE FROM ballot_box WHERE question_id = :q "
            "RETURNING id, content) "
            "INSERT INTO ballot_box (question_id, id, content) "
            "SELECT :q, id, content FROM "
            "(SELECT id, content FROM moved UNION ALL SELECT :id, :content) AS ballots "
            "ORDER BY random()"
        )
    return sa.insert(Ballot.__table__).values(
        question_id=sa.bindparam("q"), id=sa.bindparam("id"), content=sa.bindparam("content")
    )


def put_in_box(question_id: int, content: str) -> None:
    """Add one ballot to the question's box."""
    try:
        if _dialect() == "postgresql":
            db.session.execute(
                sa.text("SELECT pg_advisory_xact_lock(:space, :q)"),
                {"space": _LOCK_SPACE, "q": question_id},
            )
        db.session.execute(
            _box_statement(), {"q": question_id, "id": new_ballot_id(), "content": content}
        )
    except SQLAlchemyError:
        raise BallotStorageError("the ballot could not be stored") from None


def box_contents(question_id: int) -> list[str]:
    return list(
        db.session.scalars(sa.select(Ballot.content).where(Ballot.question_id == question_id))
    )


def empty_box_and_rewrite_roll(question_id: int) -> None:
    """Delete the question's ballots and give its roll rows one new xmin and a random order.
    Runs inside the closing transaction; `compact()` follows the commit."""
    conn = db.session.connection()
    if _dialect() == "sqlite":
        # Deleted content is overwritten with zeros instead of lingering in free pages.
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    conn.execute(sa.delete(Ballot).where(Ballot.question_id == question_id))
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


def compact() -> bool:
    """Remove the dead rows' bytes from both tables' files (after the closing commit). True when
    done; then every closed secret question is marked compacted. False when the tables were busy
    (a plain VACUUM ran instead on PostgreSQL): the periodic job `compact_owed` tries again."""
    engine = db.engine
    started = clock.now()
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        done = True
        if engine.dialect.name == "postgresql":
            if not _horizon_passed(conn):
                done = False
                logger.warning("older transactions still running: compaction owed to the worker")
            else:
                conn.exec_driver_sql("SET lock_timeout = '5s'")
                try:
                    conn.exec_driver_sql("VACUUM (FULL) ballot_box, ballot_roll")
                except OperationalError:
                    done = False
                    logger.warning("ballot tables busy: plain VACUUM now, FULL owed to the worker")
                    conn.exec_driver_sql("VACUUM ballot_box, ballot_roll")
                finally:
                    conn.exec_driver_sql("RESET lock_timeout")
        elif engine.dialect.name == "sqlite":
            try:
                conn.exec_driver_sql("PRAGMA secure_delete = ON")
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except OperationalError:
                # Another connection is writing: the deleted rows were zeroed (secure_delete);
                # the rebuild of the file is owed to the worker.
                done = False
                logger.warning("database busy: VACUUM owed to the worker")
        if done:
            conn.execute(
                sa.update(Question)
                .where(
                    Question.mode == Mode.SECRET,
                    Question.closed_at.is_not(None),
                    Question.closed_at <= started,
                    Question.storage_compacted_at.is_(None),
                )
                .values(storage_compacted_at=started)
            )
    return done


#: True once no transaction of the cluster that began before now is still running, and no
#: session of this database holds a snapshot older than now. Then a row version deleted before
#: now is dead for VACUUM; before that, VACUUM FULL copies it ("recently dead"), old xmin and
#: all: a transaction running in ANY database holds back the xmin of VACUUM's own snapshot.
#: (Sessions of other roles show no backend_xmin to an unprivileged role: the app's database
#: role should be granted pg_read_all_stats, see docs/security.)
_HORIZON_SQL = """
SELECT pg_snapshot_xmin(pg_current_snapshot()) >= %(target)s::text::xid8
   AND NOT EXISTS (
     SELECT 1 FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND backend_xmin IS NOT NULL
        AND age(backend_xmin) > age(%(target_xid)s::text::xid))
"""


def _horizon_passed(conn) -> bool:
    """Wait (up to BALLOT_COMPACT_WAIT_SECONDS) until VACUUM can treat every row version deleted by
    the commits so far as dead. Once true it stays true: later transactions and snapshots are
    all newer."""
    target = conn.exec_driver_sql("SELECT pg_snapshot_xmax(pg_current_snapshot())::text").scalar()
    deadline = time.monotonic() + current_app.config["BALLOT_COMPACT_WAIT_SECONDS"]
    while True:
        # xid8 counts on past 2^32; backend_xmin is the 32-bit xid it wraps to.
        params = {"target": target, "target_xid": str(int(target) % 2**32)}
        if conn.exec_driver_sql(_HORIZON_SQL, params).scalar():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def compact_owed() -> bool:
    """The worker's periodic job: compact if a closed secret question is still owed it (its
    compaction after the close was refused). True when nothing is owed any more."""
    owed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Question)
        .where(
            Question.mode == Mode.SECRET,
            Question.closed_at.is_not(None),
            Question.storage_compacted_at.is_(None),
        )
    )
    if not owed:
        return True
    # End this session's transaction first: nothing it read may stand in VACUUM's way.
    db.session.commit()
    return compact()


@sa.event.listens_for(so.Session, "after_transaction_end")
def _compact_after_commit(session, transaction) -> None:
    # At the end of the outermost transaction only: SQLAlchemy also sends after_commit when a
    # SAVEPOINT is released (a notification written in the closing transaction uses one), and
    # another after_commit listener may already have begun the session's next transaction. A
    # rollback popped the flag first (after_rollback), so a flag still here means a commit.
    if transaction.parent is not None or transaction.nested:
        return
    if session.info.pop(_COMPACT, False):
        try:
            compact()
        except SQLAlchemyError:
            # The close is committed; a failed compaction is owed to the worker (compact_owed),
            # never an error for the person who closed the vote.
            logger.exception("compaction after a close failed: owed to the worker")


@sa.event.listens_for(so.Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(_COMPACT, None)


def roll_insert(question_id: int, vote_key: str, channel) -> bool:
    """Add a vote key to the roll; False when it is there already (the primary key decides)."""
    values = {"question_id": question_id, "vote_key": vote_key, "channel": channel}
    dialect = _dialect()
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = RollEntry.__table__
    # RETURNING rather than rowcount: an ORM-level INSERT reports rowcount -1 on psycopg.
    stmt = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.vote_key)
    for attempt in range(_LOCKED_RETRIES):
        try:
            return db.session.execute(stmt).first() is not None
        except OperationalError as exc:
            # SQLite: another writer held the lock past the busy timeout (a crowd voting at
            # once on a loaded machine). Nothing was written: wait and ask again.
            if (
                dialect != "sqlite"
                or "locked" not in str(exc.orig)
                or attempt == _LOCKED_RETRIES - 1
            ):
                raise
            time.sleep(0.05 * (attempt + 1))
    return False  # pragma: no cover - the loop returns or raises
