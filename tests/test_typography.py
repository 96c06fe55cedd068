"""Typography of the catalogs and templates (issue 9; house-style, glossary): French (Québec,
OQLF) puts a no-break space (U+00A0) before : and », after «, and no space before ; ? ! (the
OQLF's choice when no thin no-break space is at hand: old phones' fonts lack it), never the
point médian (the OQLF
advises against it: epicene wording or doublets), nor "officiers"; English puts no space
before a colon; times read "19 h 45", never with seconds or a zone."""

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "translations" / "{}" / "LC_MESSAGES" / "messages.po"
NBSP = "\u00a0"


def _strings(locale: str) -> list[tuple[str, str]]:
    with open(str(CATALOG).format(locale), "rb") as fh:
        catalog = read_po(fh, locale=locale)
    out = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, list | tuple) else message.id
        values = message.string if isinstance(message.string, list | tuple) else [message.string]
        out += [(key, value) for value in values]
    return out


def test_french_has_a_no_break_space_before_a_colon_and_inside_guillemets():
    bad = [
        (key, value)
        for key, value in _strings("fr_CA")
        if re.search(r"[ \u202f]:|«[ \u202f]|«[^\u00a0]|[^\u00a0]»", value)
    ]
    assert bad == []


def test_french_has_no_space_before_a_semicolon_question_or_exclamation_mark():
    bad = [(key, value) for key, value in _strings("fr_CA") if re.search(r"\s[;?!]", value)]
    assert bad == []


def test_french_has_no_point_median():
    assert [value for _key, value in _strings("fr_CA") if "·" in value] == []


def test_french_says_dirigeants_or_conseil_not_officiers():
    assert [v for _k, v in _strings("fr_CA") if re.search(r"\bofficiers?\b", v, re.I)] == []


def test_english_puts_no_space_before_a_colon():
    assert [value for _key, value in _strings("en") if re.search(r"\s:", value)] == []


def test_templates_do_not_glue_a_colon_with_a_space():
    """`{{ label }} : {{ value }}` outside a message reads "President : Anna" in English and
    lacks the no-break space in French: such pairs go through "%(label)s: %(value)s"."""
    bad = []
    for path in (ROOT / "templates").rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(\}\}|</\w+>)\s+:\s", line):
                bad.append(f"{path.relative_to(ROOT)}:{n}")
    assert bad == []


@pytest.mark.parametrize(("locale", "expected"), [("fr_CA", "19 h 45"), ("en", "7:45\u202fPM")])
def test_clock_time_reads_as_people_write_it(app, locale, expected):
    from tenantvoice.web.i18n import clock_time, datetime_label

    with app.test_request_context(), force_locale(locale):
        assert clock_time(dt.time(19, 45)) == expected
        label = datetime_label(dt.datetime(2027, 1, 12, 22, 30, tzinfo=dt.UTC), "long")
    assert " s " not in label
    assert "HNE" not in label
    assert "EST" not in label


def test_manifest_speaks_the_readers_language(client):
    english = client.get("/manifest.webmanifest", headers={"Accept-Language": "en"}).get_json()
    french = client.get("/manifest.webmanifest", headers={"Accept-Language": "fr-CA"}).get_json()
    assert english["lang"] == "en"
    assert "meetings" in english["description"]
    assert french["lang"] == "fr-CA"
    assert "réunions" in french["description"]


def test_privacy_officer_title_is_in_english_in_english(client):
    html = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # The title itself is the operator's (PRIVACY_OFFICER_TITLE); what the page says around it
    # is in the reader's language.
    assert "Person in charge of privacy" in html
    assert "Responsable de la protection" not in html


@pytest.mark.parametrize(
    ("name", "kind", "french"),
    [
        ("Anna Roy", "person", "d'Anna Roy"),
        ("Émilie Roy", "person", "d'Émilie Roy"),
        ("Marc Ouellet", "person", "de Marc Ouellet"),
        ("Association des locataires du Parc", "body", "de l'Association des locataires du Parc"),
        ("CISSS de la Capitale-Nationale", "body", "du CISSS de la Capitale-Nationale"),
        ("Comité consultatif de résidants", "body", "du Comité consultatif de résidants"),
        ("Office municipal d'habitation", "body", "de l'Office municipal d'habitation"),
        ("Table de concertation", "body", "de la Table de concertation"),
    ],
)
def test_french_elides_after_de(app, name, kind, french):
    from tenantvoice.web.i18n import of_name

    with app.test_request_context():
        with force_locale("fr_CA"):
            assert of_name(name, kind) == french
        with force_locale("en"):
            assert of_name(name, kind) == name


def test_meetings_of_an_association_read_de_l_association(world, client, auth):
    from tenantvoice.extensions import db

    world.adl_a.name = "Association des locataires du Parc"
    db.session.commit()
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/meetings"
    french = client.get(url, headers={"Accept-Language": "fr-CA"}).get_data(as_text=True)
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Rencontres de l&#39;Association des locataires du Parc" in french
    assert "Meetings of Association des locataires du Parc" in english


@pytest.mark.parametrize(("locale", "expected"), [("fr_CA", "14,6\u00a0%"), ("en", "14.6%")])
def test_a_share_is_written_in_the_readers_typography(app, locale, expected):
    from flask_babel import force_locale

    from tenantvoice.web.i18n import percent_text

    with app.test_request_context(), force_locale(locale):
        assert percent_text(14.6) == expected
