"""Account tests run with a French catalog that includes translations/pending/*.json, so the
French answers are checked before the catalogs are merged (make i18n).

`@pytest.mark.app_settings(KEY=value)` changes settings for one test.
"""

import json
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, request_started

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    config.addinivalue_line("markers", "app_settings(**settings): app settings for one test")


def _catalog_with_pending(lang: str) -> Catalog:
    po = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    if lang != "fr_CA":
        return catalog
    for path in sorted((ROOT / "translations" / "pending").glob("*.json")):
        for msgid, value in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(value, list):
                existing = next(
                    (m for m in catalog if m.id and isinstance(m.id, tuple) and m.id[0] == msgid),
                    None,
                )
                if existing is not None:
                    existing.string = tuple(value)
                continue
            message = catalog.get(msgid)
            if message is None:
                catalog.add(msgid, value)
            elif not message.string:
                message.string = value
    return catalog


@pytest.fixture(scope="session")
def translations_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("translations")
    for lang in ("fr_CA", "en"):
        target = folder / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "messages.mo").open("wb") as fh:
            write_mo(fh, _catalog_with_pending(lang))
    return str(folder)


@pytest.fixture
def app_config(request, translations_dir):
    settings = {"BABEL_TRANSLATION_DIRECTORIES": translations_dir, "TEST_ACCEPT_LANGUAGE": None}
    marker = request.node.get_closest_marker("app_settings")
    if marker is not None:
        settings.update(marker.kwargs)
    return settings


@pytest.fixture(autouse=True)
def _fresh_g_per_request(app):
    """The test holds one app context for all its requests, so `g` would carry Flask-Login's
    user and the policy facts from one request to the next (unlike production, where every
    request has its own context). Forget them at the start of each request."""

    def clear(sender, **extra):
        for key in ("_login_user", "_policy_facts", "_flask_babel"):
            g.pop(key, None)

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)
