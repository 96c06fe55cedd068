"""My privacy on a phone at 390×844, in French and English, axe-clean (issue 15): a tenant goes
from their account to "download my data", asks for the file, downloads it once the worker built
it, then gives and withdraws a consent in one tap each. (Deleting the account is its own test.)"""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body
from tenantvoice.outbox.queue import run_in_app
from tenantvoice.privacy import export
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

NOT_GIVEN = {
    "fr_CA": "Vous n'avez pas donné votre consentement.",
    "en": "You have not given your consent.",
}
GIVEN = {"fr_CA": "Vous avez donné votre consentement.", "en": "You gave your consent."}


@pytest.fixture
def scene(live_app, live_world, lang):
    tag = lang.lower().replace("_", "")
    with live_app.app_context():
        body = db.session.get(Body, live_world.body_id)
        tenant = f.make_tenant(
            body=body, name=f"Rosalie Ouellet {tag}", email=f"rosalie-{tag}@example.org"
        )
        db.session.commit()
        return SimpleNamespace(email=tenant.email, name=tenant.name)


def test_a_tenant_downloads_their_data_and_withdraws_a_consent(
    browser, live_app, live_server, live_world, scene, lang, axe
):
    base = live_server.url
    ctx = browser.new_context(locale=LANGS[lang][0], accept_downloads=True, **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, base, scene.email, live_world.password)
        page.goto(base + "/account")
        axe.check(page)
        page.locator("#privacy a[href$='#export']").click()
        page.wait_for_url(re.compile(r"/account/privacy"))
        axe.check(page)
        shoot(page, "privacy-mine", lang)
        # Every consent starts off.
        states = page.locator(".consent-state").all()
        assert states
        assert all(s.get_attribute("data-given") == "no" for s in states)

        page.locator("form[action='/account/privacy/export'] button").click()
        page.wait_for_url(re.compile(r"/account/privacy"))
        axe.check(page)
        assert page.locator("a[download][href$='.json']").count() == 0  # not built yet
        run_in_app(live_app, export.build_exports)  # the worker's job
        page.reload()
        axe.check(page)
        with page.expect_download() as info:
            page.locator("a[download][href$='.json']").click()
        document = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        assert document["sections"]["profile"][0]["name"] == scene.name
        with page.expect_download() as info:
            page.locator("a[download][href$='.zip']").click()
        assert info.value.suggested_filename.endswith(".zip")

        row = page.locator("#consent-need_text_to_organizer")
        state = page.locator("#consent-need_text_to_organizer .consent-state")
        expect(state).to_have_text(NOT_GIVEN[lang])
        row.locator("button").click()
        expect(state).to_have_text(GIVEN[lang])
        axe.check(page)
        page.locator("#consent-need_text_to_organizer button").click()  # one tap to withdraw
        expect(state).to_have_text(NOT_GIVEN[lang])
        axe.check(page)
        shoot(page, "privacy-withdrawn", lang)

        page.locator("footer a[href='/privacy']").click()
        page.wait_for_url(base + "/privacy")
        axe.check(page)
        assert page.locator("#privacy-officer").is_visible()
    finally:
        ctx.close()
    axe.assert_clean(at_least=7)
