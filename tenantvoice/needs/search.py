"""The organizer's search over collective needs, indexed on PostgreSQL.

The dashboard matches each folded word of the query with `LIKE '%word%'` on the need's
`organizer_search_key` (what the organizer may read, folded: the body's wording, and the
tenant's title and text only when shared), the same on both engines: accents and case are
ignored because both the key and the words are folded in Python.
- PostgreSQL: a GIN trigram index (pg_trgm) on that column makes `LIKE '%word%'` an index
  search for words of three letters or more (a province's 200 000 needs: the dashboard's
  search fell from ~330 ms to the figures in docs, issue 13).
- SQLite: no index; LIKE scans the organizer's scope, fast at the sizes SQLite serves.
The index is outside the ORM metadata (autogenerate ignores names ending in `_trgm`, see
migrations/env.py) and is (re)built after every migration to head and in the tests, like the
minutes' full-text index (SEARCH_SETUP in tenantvoice/__init__.py).
"""

import sqlalchemy as sa

from tenantvoice.extensions import db

#: The GIN trigram index on needs.organizer_search_key.
PG_INDEX = "ix_needs_organizer_search_trgm"


def create_search_structures() -> None:
    """Create the trigram index on PostgreSQL (safe to run twice); nothing on SQLite."""
    with db.engine.begin() as conn:
        if conn.dialect.name != "postgresql":
            return
        if not sa.inspect(conn).has_table("needs"):
            return
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(
            sa.text(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON needs "
                "USING GIN (organizer_search_key gin_trgm_ops)"
            )
        )
