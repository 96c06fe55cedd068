"""Language choice and date formatting (America/Montreal, Babel formats)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from babel.dates import format_time as babel_format_time
from babel.numbers import format_percent
from flask import Flask, current_app, render_template, request, session
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    format_time,
    get_locale,
    get_translations,
)
from flask_login import current_user
from markupsafe import Markup
from wtforms.i18n import get_translations as wtforms_translations

LANGUAGE_NAMES = {"fr_CA": "Français", "en": "English"}


def render_per_language(template: str, locales: Iterable[str], **context: Any) -> list[dict]:
    """Render `template` once in each locale, for printed sheets that carry several languages
    side by side (the notice of meeting, the invitation cards): [{"lang", "html"}], where lang
    is the value for the block's lang attribute (fr-CA, en)."""
    blocks = []
    for locale in locales:
        with force_locale(locale):
            # Our own autoescaped template: its output is safe HTML.
            html = Markup(render_template(template, **context))  # noqa: S704
        blocks.append({"lang": locale.replace("_", "-"), "html": html})
    return blocks


def select_locale() -> str:
    """The user's saved preference, else the session's switch, else Accept-Language, else French."""
    languages = current_app.config["LANGUAGES"]
    try:
        saved = getattr(current_user, "locale", None) if current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - no user loader context (CLI, early errors)
        saved = None
    if isinstance(saved, str) and saved in languages:
        return saved
    chosen = session.get("locale")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    best = request.accept_languages.best_match(["fr_CA", "fr", "en"])
    if best in ("fr", "fr_CA"):
        return "fr_CA"
    if best == "en":
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang() -> str:
    """The value for <html lang>: fr-CA or en."""
    return str(get_locale()).replace("_", "-")


def _datetime(value: datetime | None, fmt: str | None = None) -> str:
    """A date and time for people: "13 déc. 2026, 19 h 00" / "Dec 13, 2026, 7:00 PM".

    Babel's "medium" datetime shows seconds ("19 h 00 min 00 s" in fr_CA), which nobody needs.
    """
    if not value:
        return ""
    if fmt in (None, "short", "medium", "long", "full"):
        # The date at the asked length, the time always short: Babel's long and full times
        # add seconds and the zone ("19 h 00 min 00 s HNE").
        return f"{format_date(value, fmt or 'medium')}, {format_time(value, 'short')}"
    return format_datetime(value, fmt)


def datetime_label(value: datetime | None, fmt: str | None = None) -> str:
    """`_datetime` for Python code: the time never with seconds or zone (issue 9)."""
    return _datetime(value, fmt)


def clock_time(value: time | None) -> str:
    """A wall-clock time as people read it: "19 h 45" / "7:45 PM" (no time zone rebasing:
    the value is already local, like minutes' adjournment time)."""
    if value is None:
        return ""
    return babel_format_time(value, "short", locale=get_locale())


#: First words of body and employer names, by gender: French needs "du Comité", "de la Table",
#: "de l'Association", "du CISSS" where English just says "of".
_MASCULINE = {
    *("comité", "conseil", "regroupement", "centre", "réseau", "cisss", "ciusss", "clsc"),
    *("ccr", "office", "omh", "orh", "oh", "syndicat", "groupe", "organisme", "bureau"),
}
_FEMININE = {
    *("association", "assemblée", "fédération", "coopérative", "corporation", "table"),
    *("société", "résidence", "régie", "maison"),
}
_VOWELS = "aeiouyàâäéèêëîïôöûüœ"


def _starts_with_vowel(word: str, *, mute_h: bool) -> bool:
    first = word[:1].lower()
    return first in _VOWELS or (mute_h and first == "h")


def of_name(name: str | None, kind: str = "person") -> str:
    """`name` after "of", as French needs it: "d'Anna", "de Marc", "de l'Association…",
    "du CISSS…", "de la Table…". In English the name unchanged (the message says "of").
    The French message leaves the preposition out: "Rencontres %(name)s"."""
    name = (name or "").strip()
    if not name or not str(get_locale()).startswith("fr"):
        return name
    if kind == "person":
        return f"d'{name}" if _starts_with_vowel(name, mute_h=True) else f"de {name}"
    first = name.split()[0].strip(",.").lower()
    vowel = _starts_with_vowel(first, mute_h=False)
    if first in _MASCULINE:
        return f"de l'{name}" if vowel else f"du {name}"
    if first in _FEMININE:
        return f"de l'{name}" if vowel else f"de la {name}"
    return f"d'{name}" if vowel else f"de {name}"


def percent_text(value: float) -> str:
    """A share already in percent, in the reader's typography: 31.4 → « 31,4 % » (French, with
    a no-break space) or "31.4%" (English)."""
    return format_percent(
        Decimal(str(value)) / 100, locale=get_locale(), decimal_quantization=False
    )


# A placeholder of a catalog message: %(name)s, %(count)d, %%.
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifr%]")


@dataclass(frozen=True)
class _Template:
    """One translated message as a pattern: does it start with the translator's own word, and
    how much of it is fixed text (a longer fixed text is a more certain source)."""

    pattern: re.Pattern
    prefix: str
    fixed: int


#: Per loaded catalog, its translated messages as patterns (built once, see _templates).
_TEMPLATES: "WeakKeyDictionary[Any, list[_Template]]" = WeakKeyDictionary()


def _compile(translations: Any) -> list[_Template]:
    found = []
    for msgstr in getattr(translations, "_catalog", {}).values():
        if not msgstr or not isinstance(msgstr, str):
            continue
        parts = _PLACEHOLDER.split(msgstr)
        pattern = re.compile(".+".join(re.escape(part) for part in parts), re.DOTALL)
        found.append(_Template(pattern, parts[0], sum(map(len, parts))))
    return found


def _templates(translations: Any) -> list[_Template]:
    if translations not in _TEMPLATES:
        _TEMPLATES[translations] = _compile(translations)
    return _TEMPLATES[translations]


@lru_cache(maxsize=8)
def _wtforms_templates(locale: str) -> list[_Template]:
    """WTForms' own messages (« Pas une valeur entière valide. »), which Flask-WTF shows from
    WTForms' catalog in the reader's language: also the translators' words."""
    return _compile(wtforms_translations([locale, locale.split("_")[0]]))


def after_colon(text: str) -> str:
    """A sentence as it continues after a colon in the reader's typography: French goes on in
    lower case (« Nom : entrez le nom… », Québec usage), English keeps it as written.

    Lowering is decided by where the first word comes from, never guessed from the text: it is
    lowered only when it is the translator's own word at the start of a message of our catalog
    or of WTForms' (« Entrez… », « Le nombre… »). A name or a number put in by a placeholder
    (« Marie Tremblay n'est plus membre. », « Office municipal… a été créée. »), a text from
    outside the catalogs and a first word with another capital (an acronym, « CCR », or
    « TenantVoice ») keep their capital. When several messages could have made the text, the
    one with the most fixed text is taken as its source. So a catalog message never starts with
    a proper name as fixed text (none does today): the name goes in a placeholder. The patterns
    are built once per catalog (about 0.1 s); a lookup is under a millisecond."""
    text, locale = str(text or ""), str(get_locale())
    if not text or not locale.startswith("fr"):
        return text
    first = text.split(maxsplit=1)[0]
    if not first[0].isupper() or any(c.isupper() for c in first[1:]):
        return text
    templates = [*_templates(get_translations()), *_wtforms_templates(locale)]
    matches = [t for t in templates if t.pattern.fullmatch(text)]
    if not matches:
        return text
    source = max(matches, key=lambda t: t.fixed)
    # The whole first word must be fixed text ("Ma %(x)s" did not write "Marie").
    head = source.prefix[: len(first) + 1]
    written = source.prefix == text or (head[:-1] == first and head[-1:].isspace())
    if not written or any(t.fixed == source.fixed and t.prefix != source.prefix for t in matches):
        return text
    return text[0].lower() + text[1:]


def register_i18n(app: Flask) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        get_locale=get_locale, html_lang=html_lang, LANGUAGE_NAMES=LANGUAGE_NAMES
    )
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.filters["percent_text"] = percent_text
    app.jinja_env.filters["after_colon"] = after_colon
    app.jinja_env.filters["of_person"] = lambda v: of_name(v, "person")
    app.jinja_env.filters["of_body"] = lambda v: of_name(v, "body")
    app.jinja_env.filters["date"] = lambda v, fmt="medium": format_date(v, fmt) if v else ""
    app.jinja_env.filters["time"] = lambda v, fmt="short": format_time(v, fmt) if v else ""
