"""Small helpers shared by the WTForms forms of every domain."""

from typing import Any

#: A plausible email address; whether an account has it is decided by a lookup, not a regex.
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def strip(value: Any) -> Any:
    """Filter: trim the spaces people type around a value."""
    return value.strip() if isinstance(value, str) else value


def int_or_none(value: Any) -> int | None:
    """Coerce a select's value: empty means "none chosen"; garbage becomes a choice that never
    exists, so the field's own "not a valid choice" message answers it (never a 500)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
