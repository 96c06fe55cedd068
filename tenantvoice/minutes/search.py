"""Full-text search over a body's published minutes, the same on SQLite and PostgreSQL, done by
the database: matching, ordering, counting, paging and the snippets.

`minutes_search` keeps the public text of the latest version (`content`) and a copy folded in
Python (lower case, accents removed: `content_folded`).
- SQLite: an FTS5 table `minutes_fts(body, content)` (rowid = minutes_search.id) with the
  `unicode61 remove_diacritics 2` tokenizer, so it matches without case or accents and its
  `snippet()` shows the text as written. The body id is a token of its own column, so a search
  only walks the postings of one body.
- PostgreSQL: a stored generated column `content_tsv` = to_tsvector('simple', content_folded)
  and a GIN index (btree_gin) on (body_id, content_tsv), used for the body and the @@ match;
  `ts_headline` over `content` with the `tv_unaccent` configuration (simple + unaccent), for
  the page's hits only.
Queries are folded the same way and split into words that must all appear, so both engines return
the same minutes. The service keeps the index up to date when a version is published (no
triggers). Snippets come back with the matches between START/STOP marks; `snippet_html()` strips
the Markdown left in the extract (headings, emphasis, links) and turns the marks into <mark>.
"""

import re

import sqlalchemy as sa
from markupsafe import Markup, escape

from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesSearch
from tenantvoice.search import fold

_WORD = re.compile(r"\w+", re.UNICODE)
#: Words kept from a query (a longer query is cut, not refused).
MAX_QUERY_WORDS = 12
#: Marks around the matched words in a snippet (control characters never stored in minutes).
START, STOP = "\x02", "\x03"
#: Words in a snippet (about two lines).
SNIPPET_WORDS = 28
#: The text search configuration PostgreSQL builds headlines with: accents and case ignored.
PG_HEADLINE_CONFIG = "tv_unaccent"
_PG_HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
    'MaxFragments=1, FragmentDelimiter=" … "'
)
#: The GIN index (btree_gin) on the body and the words of the folded text.
PG_INDEX = "ix_minutes_search_body_tsv"
#: The stored tsvector column PostgreSQL matches on (outside the ORM model: the migrations'
#: autogenerate skips it, like the FTS5 table).
PG_TSV = "content_tsv"


def query_words(q: str) -> list[str]:
    return _WORD.findall(fold(q))[:MAX_QUERY_WORDS]


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _fts5_layout_current(conn) -> bool | None:
    """True when minutes_fts has today's columns, False for an older layout, None if absent."""
    sql = conn.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'minutes_fts'")
    ).scalar()
    if sql is None:
        return None
    return "body" in sql


def create_search_structures() -> None:
    """Create the FTS5 table (SQLite) or the GIN index and headline configuration (PostgreSQL);
    safe to run twice. An FTS5 table of an older layout is rebuilt from minutes_search."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS btree_gin"))
            # The words, parsed once when the row is written (a stored generated column), and
            # one GIN index on (body, words): a search is always within one body. Parsing 6 KB
            # texts at query time cost 150 ms for 270 minutes whenever the planner, which
            # prices to_tsvector() as cheap, chose a scan over the index (issue 8).
            conn.execute(sa.text("DROP INDEX IF EXISTS ix_minutes_search_tsv"))
            conn.execute(
                sa.text(
                    f"ALTER TABLE minutes_search ADD COLUMN IF NOT EXISTS {PG_TSV} tsvector "
                    "GENERATED ALWAYS AS (to_tsvector('simple', content_folded)) STORED"
                )
            )
            conn.execute(
                sa.text(
                    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON minutes_search "
                    f"USING GIN (body_id, {PG_TSV})"
                )
            )
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_ts_config WHERE cfgname = :name"),
                {"name": PG_HEADLINE_CONFIG},
            ).scalar()
            if not exists:
                conn.execute(
                    sa.text(
                        f"CREATE TEXT SEARCH CONFIGURATION {PG_HEADLINE_CONFIG} (COPY = simple)"
                    )
                )
                conn.execute(
                    sa.text(
                        f"ALTER TEXT SEARCH CONFIGURATION {PG_HEADLINE_CONFIG} "
                        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
                    )
                )
        elif conn.dialect.name == "sqlite":
            layout = _fts5_layout_current(conn)
            if layout:
                return
            if layout is False:
                conn.execute(sa.text("DROP TABLE minutes_fts"))
            conn.execute(
                sa.text(
                    "CREATE VIRTUAL TABLE minutes_fts USING fts5("
                    "body, content, tokenize = 'unicode61 remove_diacritics 2')"
                )
            )
            if sa.inspect(conn).has_table("minutes_search"):
                conn.execute(
                    sa.text(
                        "INSERT INTO minutes_fts (rowid, body, content) "
                        "SELECT id, body_id, content FROM minutes_search"
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
    text = text.replace(START, "").replace(STOP, "")
    if row is None:
        row = MinutesSearch(minutes_id=minutes.id, body_id=minutes.body_id)
        db.session.add(row)
    row.content = text
    row.content_folded = fold(text)
    db.session.flush()
    if not _postgres():
        db.session.execute(sa.text("DELETE FROM minutes_fts WHERE rowid = :id"), {"id": row.id})
        db.session.execute(
            sa.text("INSERT INTO minutes_fts (rowid, body, content) VALUES (:id, :body, :text)"),
            {"id": row.id, "body": str(row.body_id), "text": text},
        )


def matching(stmt: sa.Select, body_id: int, words: list[str]) -> sa.Select:
    """`stmt` (which selects from minutes_search) narrowed to the body's rows holding every
    word, through the full-text index of the engine."""
    stmt = stmt.where(MinutesSearch.body_id == body_id)
    if _postgres():
        tsquery = sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"), sa.bindparam("tsq", " & ".join(words))
        )
        return stmt.where(sa.literal_column(f"minutes_search.{PG_TSV}").op("@@")(tsquery))
    fts = sa.table("minutes_fts", sa.column("rowid"))
    expr = " AND ".join([f'body : "{body_id}"', *(f'content : "{w}"' for w in words)])
    return stmt.join(fts, fts.c.rowid == MinutesSearch.id).where(
        sa.literal_column("minutes_fts").op("MATCH")(sa.bindparam("fts", expr))
    )


def search_ids(body_id: int, q: str) -> list[int]:
    """Ids of the body's indexed minutes whose text holds every word of `q` (any order)."""
    words = query_words(q)
    if not words:
        return []
    return list(db.session.scalars(matching(sa.select(MinutesSearch.minutes_id), body_id, words)))


def snippet_column(words: list[str]) -> sa.ColumnElement[str]:
    """The extract of the matched text, marks around the words (in a `matching` statement)."""
    if _postgres():
        tsquery = sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"), sa.bindparam("tsq", " & ".join(words))
        )
        return sa.func.ts_headline(
            sa.literal_column(f"'{PG_HEADLINE_CONFIG}'::regconfig"),
            MinutesSearch.content,
            tsquery,
            sa.literal(_PG_HEADLINE_OPTIONS),
            type_=sa.Text,
        )
    return sa.func.snippet(
        sa.literal_column("minutes_fts"), 1, START, STOP, "…", SNIPPET_WORDS, type_=sa.Text
    )


# --- snippets as HTML ------------------------------------------------------------------------

_MD_LINE = re.compile(
    r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|(?:-{3,}|\*{3,}|={2,})[ \t]*$)"
)
#: The optional closing hashes of a heading ("## Ordre du jour ##").
_MD_HEADING_CLOSE = re.compile(r"(?m)[ \t]+#{1,6}[ \t]*$")
_MD_HEADING_INLINE = re.compile(r"(?:^|(?<=\s)|(?<=…))#{1,6}(?=[ \t])")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)?")
_MD_LINK_TAIL = re.compile(r"\]\([^)\s]*\)?")
_MD_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|`+|~~")
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def plain_snippet(raw: str) -> str:
    """The extract without its Markdown: no `##`, `**`, `_`, backticks, list or quote marks;
    links keep their text; whitespace collapsed. The START/STOP marks stay."""
    text = _MD_HEADING_CLOSE.sub("", raw)
    text = _MD_LINE.sub("", text)
    text = _MD_HEADING_INLINE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINK_TAIL.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    return " ".join(text.split())


def snippet_html(raw: str) -> Markup:
    """The snippet, escaped, the matched words in <mark>."""
    html = Markup()
    for n, part in enumerate(_MARKED.split(plain_snippet(raw or ""))):
        text = part.replace(START, "").replace(STOP, "")
        html += Markup("<mark>{}</mark>").format(text) if n % 2 else escape(text)
    return html
