"""Full-text search structures that live outside the ORM metadata (SQLite FTS5, PostgreSQL
text search). `setup_search()` creates them; it runs after create_all and in migrations.
`fold()` is the one way the app compares names and words without case or accents."""

import unicodedata

from flask import current_app


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
