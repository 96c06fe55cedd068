"""Full-text search over a body's published minutes, the same on SQLite and PostgreSQL.

Text is folded in Python (lower case, accents removed) into `minutes_search.content_folded`.
SQLite indexes it in an FTS5 table (`minutes_fts`, rowid = minutes_search.id); PostgreSQL in a
GIN expression index on to_tsvector('simple', content_folded). Queries are folded the same way
and split into words that must all appear, so both engines return the same minutes.
The service keeps the index up to date when a version is published (no triggers).
"""

import re

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesSearch
from tenantvoice.search import fold

_WORD = re.compile(r"\w+", re.UNICODE)
#: Words kept from a query (a longer query is cut, not refused).
MAX_QUERY_WORDS = 12


def fold_same_length(text: str) -> str:
    """Fold character by character, keeping positions (for snippets)."""
    out = []
    for c in text:
        f = fold(c)
        out.append(f if len(f) == 1 else c.lower())
    return "".join(out)


def query_words(q: str) -> list[str]:
    return _WORD.findall(fold(q))[:MAX_QUERY_WORDS]


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def create_search_structures() -> None:
    """Create the FTS5 table (SQLite) or the GIN index (PostgreSQL); safe to run twice."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
            conn.execute(
                sa.text(
                    "CREATE INDEX IF NOT EXISTS ix_minutes_search_tsv ON minutes_search "
                    "USING GIN (to_tsvector('simple', content_folded))"
                )
            )
        elif conn.dialect.name == "sqlite":
            conn.execute(
                sa.text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS minutes_fts USING fts5("
                    "content_folded, tokenize = 'unicode61 remove_diacritics 2')"
                )
            )


def drop_orphaned_search_structures() -> None:
    """After a downgrade that removed minutes_search, drop the SQLite FTS5 table too: it lives
    outside the migrations and would otherwise keep the published minutes' text."""
    with db.engine.begin() as conn:
        if conn.dialect.name != "sqlite":
            return  # PostgreSQL's index goes with its table
        if not sa.inspect(conn).has_table("minutes_search"):
            conn.execute(sa.text("DROP TABLE IF EXISTS minutes_fts"))


def index_minutes(minutes, text: str) -> None:
    """Store (or replace) the searchable text of published minutes. Flushes, never commits."""
    row = db.session.scalar(sa.select(MinutesSearch).where(MinutesSearch.minutes_id == minutes.id))
    folded = fold(text)
    if row is None:
        row = MinutesSearch(minutes_id=minutes.id, body_id=minutes.body_id)
        db.session.add(row)
    row.content = text
    row.content_folded = folded
    db.session.flush()
    if not _postgres():
        db.session.execute(sa.text("DELETE FROM minutes_fts WHERE rowid = :id"), {"id": row.id})
        db.session.execute(
            sa.text("INSERT INTO minutes_fts (rowid, content_folded) VALUES (:id, :text)"),
            {"id": row.id, "text": folded},
        )


def search_ids(body_id: int, q: str) -> list[int]:
    """Ids of the body's published minutes whose text holds every word of `q`."""
    words = query_words(q)
    if not words:
        return []
    if _postgres():
        sql = sa.text(
            "SELECT minutes_id FROM minutes_search WHERE body_id = :body "
            "AND to_tsvector('simple', content_folded) @@ to_tsquery('simple', :q)"
        )
        params = {"body": body_id, "q": " & ".join(words)}
    else:
        sql = sa.text(
            "SELECT s.minutes_id FROM minutes_fts f JOIN minutes_search s ON s.id = f.rowid "
            "WHERE s.body_id = :body AND minutes_fts MATCH :q"
        )
        params = {"body": body_id, "q": " ".join(f'"{w}"' for w in words)}
    return list(db.session.scalars(sql, params))


def snippet(text: str, q: str, width: int = 160) -> str:
    """A short extract of `text` around the first word of `q` (plain text, escaped later)."""
    words = query_words(q)
    folded = fold_same_length(text)
    pos = -1
    for w in words:
        pos = folded.find(w)
        if pos >= 0:
            break
    start = max(0, pos - width // 2) if pos >= 0 else 0
    extract = " ".join(text[start : start + width].split())
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return f"{prefix}{extract}{suffix}"
