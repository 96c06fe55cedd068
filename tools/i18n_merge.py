#!/usr/bin/env python3
"""Refresh the catalogs and fill translations.

1. Extract messages.pot from the code and templates, update fr_CA and en catalogs.
2. English: msgids are English, so an empty English msgstr is set to its msgid.
3. French: fill empty msgstrs from translations/pending/*.json ({"msgid": "traduction"}; for a
   plural msgid, a list [singular, plural]); a pending file may hold translations written by the
   person who added the strings. Prints what is still missing.

Usage: python tools/i18n_merge.py [--check]
"""

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TR = ROOT / "translations"
BABEL = [sys.executable, "-m", "babel.messages.frontend"]


def run(*args):
    subprocess.run([*BABEL, "-q", *args], cwd=ROOT, check=True)


def ensure_catalogs():
    run(
        "extract",
        "-F",
        str(TR / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "-o",
        str(TR / "messages.pot"),
        ".",
    )
    for lang in ("fr_CA", "en"):
        po = TR / lang / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            run("init", "-i", str(TR / "messages.pot"), "-d", str(TR), "-l", lang)
    run(
        "update",
        "-i",
        str(TR / "messages.pot"),
        "-d",
        str(TR),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def load_pending() -> dict:
    pending = {}
    for path in sorted((TR / "pending").glob("*.json")):
        pending.update(json.loads(path.read_text(encoding="utf-8")))
    return pending


def fill(lang: str, pending: dict) -> list:
    po = TR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        message.flags.discard("fuzzy")
        plural = isinstance(message.id, (list, tuple))
        key = message.id[0] if plural else message.id
        strings = list(message.string) if plural else [message.string]
        if all(strings):
            continue
        if lang == "en":
            message.string = tuple(message.id) if plural else message.id
            continue
        value = pending.get(key)
        if value is None:
            missing.append(key)
            continue
        if plural:
            if isinstance(value, str):
                value = [value, value]
            message.string = tuple(value)
        else:
            message.string = value if isinstance(value, str) else value[0]
    with po.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return missing


def main():
    ensure_catalogs()
    pending = load_pending()
    fill("en", pending)
    missing = fill("fr_CA", pending)
    run("compile", "-d", str(TR))
    if missing:
        print(f"{len(missing)} French translations missing:")
        for m in missing:
            print("  " + json.dumps(m, ensure_ascii=False))
        sys.exit(1 if "--check" in sys.argv else 0)
    print("catalogs complete")


if __name__ == "__main__":
    main()
