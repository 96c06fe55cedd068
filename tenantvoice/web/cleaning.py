"""One cleaning of what people type, before any form reads it.

A NUL byte cannot be stored in a PostgreSQL text column (the insert fails: a 500), and the other
control characters (C0 but tab, line feed and carriage return; DEL; C1) have no meaning in a
name, an agenda item or minutes: nobody types them, a keyboard cannot. They are dropped from
every form field and query-string value (names and values) as the request is parsed, so every
form, whether WTForms or read by hand (the minutes editor), sees clean text, on every engine.
"""

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

_KEEP = {"\t", "\n", "\r"}
_DROP = {
    ord(c): None
    for c in (*map(chr, range(0x00, 0x20)), "\x7f", *map(chr, range(0x80, 0xA0)))
    if c not in _KEEP
}


def clean_text(value: str) -> str:
    """The text without control characters (tab and line breaks kept)."""
    return value.translate(_DROP)


def _clean(multidict: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        [(clean_text(key), clean_text(value)) for key, value in multidict.items(multi=True)]
    )


class CleanRequest(Request):
    """The app's request class: form and query-string values come out cleaned."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if "form" in self.__dict__:
            self.__dict__["form"] = _clean(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return _clean(super().args)


def register_cleaning(app: Flask) -> None:
    app.request_class = CleanRequest
