"""One reading of a record id, wherever it comes from (a URL, a form field, a query string).

Ids are INTEGER columns: PostgreSQL's int4 ends at 2^31 - 1 (SQLite's at 2^63 - 1), and a larger
value sent to the database is an error (500), not "no such record". Only ASCII digits count:
`str.isdigit()` accepts "²" (which int() refuses) and `\\d` accepts "١٢" or "１２" (which int()
reads as 12, an alias of the real URL). A leading zero would be an alias too.
"""

import re
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

#: The largest id any of our tables can hold on every engine (PostgreSQL INTEGER).
MAX_ID = 2**31 - 1
_ID = re.compile(r"[1-9][0-9]{0,9}")


def parse_id(value: Any) -> int | None:
    """The id `value` names, or None when it cannot name a record (so: not found, never 500)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _ID.fullmatch(value.strip()):
        return None
    number = int(value.strip())
    return number if number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits, no leading zero, within MAX_ID (else 404)."""

    regex = r"[1-9][0-9]{0,9}"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register_id_converter(app: Flask) -> None:
    """Make every `<int:…>` route parameter an id (before any blueprint adds its rules)."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
