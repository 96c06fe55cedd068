"""Full-text search structures that live outside the ORM metadata (SQLite FTS5, PostgreSQL
text search). `setup_search()` creates them; it runs after create_all and in migrations."""

_SETUP_HOOKS = []


def register_search_setup(fn):
    """Let a domain add the DDL its search needs (called with no arguments, idempotent)."""
    _SETUP_HOOKS.append(fn)
    return fn


def setup_search() -> None:
    for hook in _SETUP_HOOKS:
        hook()
