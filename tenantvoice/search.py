"""Full-text search structures that live outside the ORM metadata (SQLite FTS5, PostgreSQL
text search). `setup_search()` creates them; it runs after create_all and in migrations.
`fold()` is the one way the app compares names and words without case or accents."""

import unicodedata

_SETUP_HOOKS = []
_TEARDOWN_HOOKS = []


def register_search_setup(fn):
    """Let a domain add the DDL its search needs (called with no arguments, idempotent)."""
    _SETUP_HOOKS.append(fn)
    return fn


def setup_search() -> None:
    for hook in _SETUP_HOOKS:
        hook()


def register_search_teardown(fn):
    """Let a domain drop the search structures whose table a downgrade removed (called with no
    arguments after every migration run that does not end at head; idempotent)."""
    _TEARDOWN_HOOKS.append(fn)
    return fn


def teardown_search() -> None:
    for hook in _TEARDOWN_HOOKS:
        hook()


def fold(text: str) -> str:
    """Lower-case and strip accents: "Réunion ÉLECTION" → "reunion election"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
