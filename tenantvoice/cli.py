"""CLI commands: translations (domains' commands are listed in the factory's CLI)."""

import json
import subprocess
import sys

import click
from babel.messages.pofile import read_po, write_po

from tenantvoice.config import ROOT

BABEL = [sys.executable, "-m", "babel.messages.frontend"]
TRANSLATIONS = ROOT / "translations"
POT = str(TRANSLATIONS / "messages.pot")
CFG = str(TRANSLATIONS / "babel.cfg")
DIR = str(TRANSLATIONS)
LOCALES = ("fr_CA", "en")


def _babel(*args: str) -> None:
    subprocess.run([*BABEL, "-q", *args], cwd=ROOT, check=True)


def extract_messages() -> None:
    """Every marked string of the code and templates into translations/messages.pot."""
    keywords = ["-k", "_l", "-k", "lazy_gettext"]
    _babel("extract", "-F", CFG, *keywords, "--no-location", "--sort-output", "-o", POT, ".")


def _pending() -> dict:
    """French from translations/pending/*.json, if any ({"msgid": "traduction"}; a plural: a
    list [singulier, pluriel]): the older way to hand translations in, still merged."""
    pending: dict = {}
    for path in sorted((TRANSLATIONS / "pending").glob("*.json")):
        pending.update(json.loads(path.read_text(encoding="utf-8")))
    return pending


def _fill(locale: str, pending: dict) -> list[str]:
    """English msgstr = msgid (msgids are English); French from `pending` where empty.
    Returns the msgids still without a translation."""
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        message.flags.discard("fuzzy")
        plural = isinstance(message.id, list | tuple)
        key = str(message.id[0] if plural else message.id)
        string = message.string
        strings = list(string) if isinstance(string, list | tuple) else [string]
        if all(strings):
            continue
        if locale == "en":
            message.string = tuple(message.id) if plural else message.id
            continue
        value = pending.get(key)
        if value is None:
            missing.append(key)
        elif plural:
            message.string = tuple([value, value] if isinstance(value, str) else value)
        else:
            message.string = value if isinstance(value, str) else value[0]
    with po.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return missing


def update_catalogs() -> list[str]:
    """Extract, merge into every catalog, complete English; returns the French still missing."""
    extract_messages()
    for locale in LOCALES:
        if not (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").exists():
            _babel("init", "-i", POT, "-d", DIR, "-l", locale)
    _babel("update", "-i", POT, "-d", DIR, "--no-fuzzy-matching", "--ignore-obsolete")
    pending = _pending()
    _fill("en", pending)
    return _fill("fr_CA", pending)


def register_cli(app) -> None:
    @app.cli.group()
    def translate():
        """Extract, update and compile the translation catalogs (make i18n runs update)."""

    @translate.command()
    def extract():
        """Extract every marked string into translations/messages.pot."""
        extract_messages()

    @translate.command()
    @click.option("--check", is_flag=True, help="Exit with an error if French is missing.")
    def update(check):
        """Extract, merge new strings into every catalog, fill English, list missing French."""
        missing = update_catalogs()
        if not missing:
            click.echo("catalogs complete")
            return
        click.echo(
            f"{len(missing)} French translations missing: write them as the msgstr of "
            "translations/fr_CA/LC_MESSAGES/messages.po"
        )
        for msgid in missing:
            click.echo("  " + json.dumps(msgid, ensure_ascii=False))
        if check:
            sys.exit(1)

    @translate.command()
    def compile():  # noqa: A001 - mirrors pybabel's verb
        """Compile the catalogs (.po → .mo)."""
        _babel("compile", "-d", DIR)
