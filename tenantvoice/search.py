"""Full-text search structures that live outside the ORM metadata (SQLite FTS5, PostgreSQL
text search). `setup_search()` creates them; it runs after create_all and in migrations.
`fold()` is the one way the app compares names and words without case or accents."""

import unicodedata
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app

#: Longest folded copy kept for searching (names and units; longer text is cut, not refused).
SEARCH_KEY_LENGTH = 400


def setup_search() -> None:
    """Run each domain's search DDL (idempotent), as the factory's SEARCH_SETUP lists them."""
    for create in current_app.extensions.get("search_setup", []):
        create()


def teardown_search() -> None:
    """Drop the search structures whose table a downgrade removed (each domain's, as the
    factory's SEARCH_TEARDOWN lists them); runs after every migration run below head."""
    for drop in current_app.extensions.get("search_teardown", []):
        drop()


def fold(text: str) -> str:
    """Lower-case and strip accents: "Réunion ÉLECTION" → "reunion election"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_key(*parts: str | None) -> str:
    """The folded copy of `parts` kept beside the text, so the database itself can match a
    folded needle with LIKE on SQLite and PostgreSQL alike ("Hélène 104" → "helene\n104")."""
    return "\n".join(fold(p or "") for p in parts)[:SEARCH_KEY_LENGTH]


def search_key_default(*names: str) -> Callable[[Any], str]:
    """A column default computing the folded copy from the inserted row's `names` columns: it
    also serves Core and bulk inserts (benchmarks, generators) that bypass the ORM."""

    def default(context: Any) -> str:
        params = context.get_current_parameters()
        return search_key(*(params.get(name) for name in names))

    return default


def matches_folded(column: Any, q: str, limit: int = 80) -> sa.ColumnElement[bool]:
    """SQL: the folded `column` contains the folded `q` (LIKE wildcards in `q` are literal)."""
    return column.contains(fold(q.strip()[:limit]), autoescape=True)
