"""Catalogs complete (fr_CA and en), up to date with the code, and the language choice works.

While strings are being added, these fail until `make i18n` has run and every
French translation is in translations/fr_CA/LC_MESSAGES/messages.po; that is their job."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TR = ROOT / "translations"
LANGS = ["fr_CA", "en"]


def _catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_not_fuzzy(lang):
    catalog = _catalog(TR / lang / "LC_MESSAGES" / "messages.po")
    bad = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            bad.append(message.id)
    assert bad == [], f"{lang}: {len(bad)} untranslated or fuzzy, e.g. {bad[:5]}"


def test_committed_template_matches_a_fresh_extraction(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
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
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    committed, extracted = _ids(_catalog(TR / "messages.pot")), _ids(_catalog(fresh))
    assert sorted(extracted - committed, key=str) == [], "new strings: run make i18n"
    assert sorted(committed - extracted, key=str) == [], "stale strings: run make i18n"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogs_hold_exactly_the_template_ids(lang):
    template = _ids(_catalog(TR / "messages.pot"))
    catalog = _ids(_catalog(TR / lang / "LC_MESSAGES" / "messages.po"))
    assert sorted(template - catalog, key=str) == []


def test_accept_language_chooses_the_language(client):
    fr = client.get("/login", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    en = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="fr-CA">' in fr.get_data(as_text=True)
    assert '<html lang="en">' in en.get_data(as_text=True)
    assert "<h1>Log in</h1>" in en.get_data(as_text=True)
    assert "<h1>Se connecter</h1>" in fr.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"TEST_ACCEPT_LANGUAGE": None}])  # no header at all
def test_french_is_the_default_language(client):
    # No Accept-Language at all (the test client's English default is removed for this call).
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    assert '<html lang="fr-CA">' in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(("locale", "html_lang"), [("en", "en"), ("fr_CA", "fr-CA")])
def test_language_switch_sets_the_session_and_the_page_language(client, locale, html_lang):
    other = "fr-CA,fr;q=0.9" if locale == "en" else "en"
    response = client.post(
        "/language", data={"locale": locale, "next": "/login"}, headers={"Accept-Language": other}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    with client.session_transaction() as sess:
        assert sess["locale"] == locale
    page = client.get("/login", headers={"Accept-Language": other})
    assert f'<html lang="{html_lang}">' in page.get_data(as_text=True)


def test_language_switch_is_saved_on_the_account(client, world, auth):
    from tenantvoice.extensions import db

    auth.login(world.tenant_a)
    client.post("/language", data={"locale": "en"})
    db.session.refresh(world.tenant_a)
    assert world.tenant_a.locale == "en"


def test_an_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "xx"})
    with client.session_transaction() as sess:
        assert "locale" not in sess


def test_make_i18n_fills_english_and_lists_the_french_still_missing(tmp_path, monkeypatch):
    """`make i18n` (flask translate update): English msgstr = msgid; French from any
    translations/pending/*.json; what is still missing is listed."""
    import json

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    from tenantvoice import cli

    for locale in ("en", "fr_CA"):
        catalog = Catalog(locale=locale)
        catalog.add("Hello")
        catalog.add(("%(num)d vote", "%(num)d votes"))
        catalog.add("Minutes", "Procès-verbal" if locale == "fr_CA" else "")
        folder = tmp_path / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "messages.po").open("wb") as fh:
            write_po(fh, catalog)
    (tmp_path / "pending").mkdir()
    (tmp_path / "pending" / "x.json").write_text(
        json.dumps({"%(num)d vote": ["%(num)d vote", "%(num)d votes"]}), encoding="utf-8"
    )
    monkeypatch.setattr(cli, "TRANSLATIONS", tmp_path)

    assert cli._fill("en", {}) == []
    assert cli._fill("fr_CA", cli._pending()) == ["Hello"]

    def strings(locale):
        with (tmp_path / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            return {
                (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
                for m in read_po(fh, locale=locale)
                if m.id
            }

    assert strings("en") == {
        "Hello": "Hello",
        "%(num)d vote": ("%(num)d vote", "%(num)d votes"),
        "Minutes": "Minutes",
    }
    french = strings("fr_CA")
    assert french["Hello"] == ""
    assert french["%(num)d vote"][:2] == ("%(num)d vote", "%(num)d votes")
    assert french["Minutes"] == "Procès-verbal"


def test_wtforms_own_messages_follow_the_locale_of_the_moment(app):
    """WTForms' built-in messages come from one catalog per locale shared by the process
    (web/forms.py AppForm): each form still speaks the language in force when it validates."""
    from flask_babel import force_locale
    from wtforms import IntegerField
    from wtforms.validators import InputRequired

    from tenantvoice.web.forms import AppForm

    class Sample(AppForm):
        class Meta:
            csrf = False

        count = IntegerField("n", validators=[InputRequired()])

    answers = {}
    with app.test_request_context("/", method="POST", data={"count": "x"}):
        for locale in ("fr_CA", "en", "fr_CA"):
            with force_locale(locale):
                form = Sample()
                assert not form.validate()
                answers.setdefault(locale, set()).add(form.count.errors[0])
    assert answers["en"] == {"Not a valid integer value."}
    assert answers["fr_CA"] == {"N'est pas un entier valide."}
