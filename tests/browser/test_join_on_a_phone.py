"""A tenant joins with the code from a printed sheet, on a phone; logs out and in again; switches
language; each role lands on its own home page."""

import secrets

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, log_in, shoot

pytestmark = pytest.mark.browser

OTHER = {"fr_CA": "en", "en": "fr_CA"}


def _new_code(app, world):
    from tenantvoice.accounts.models import User
    from tenantvoice.orgs.invitations import create_invitation
    from tenantvoice.orgs.models import Body

    with app.app_context():
        officer = db.session.get(User, world.officer_id)
        _invitation, code = create_invitation(officer, db.session.get(Body, world.body_id))
        db.session.commit()
    return code


def _translated(app, text, lang):
    with app.test_request_context(), force_locale(lang):
        return _(text)


def test_join_with_a_code_then_log_in_again_and_switch_language(
    live_server, live_app, live_world, context, axe, lang
):
    base = live_server.url
    page = context.new_page()
    code = _new_code(live_app, live_world)
    email = f"nouvelle-{secrets.token_hex(3)}@example.org"
    password = "mon chat aime la soupe aux pois"

    page.goto(base + "/login")
    axe.check(page)
    page.click("a[href='/join']")
    page.wait_for_url(base + "/join")
    axe.check(page)
    shoot(page, "join", lang)
    page.fill("#code", code.replace("-", " ").lower())  # typed loosely, as people do
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#name")
    axe.check(page)
    assert live_world.body_name in page.text_content("main")
    page.fill("#name", "Rosalie Dubé")
    page.fill("#email", email)
    page.fill("#password", password)
    shoot(page, "join-details", lang)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/")
    axe.check(page)
    shoot(page, "home", lang)
    assert live_world.body_name in page.text_content("main")
    assert "Rosalie Dubé" in page.text_content("h1")

    page.locator("form[data-logout] button").click()
    page.wait_for_url(base + "/login")
    axe.check(page)
    log_in(page, base, email, password)
    axe.check(page)
    assert live_world.body_name in page.text_content("main")

    other = OTHER[lang]
    page.locator(".lang-switch button").click()
    page.wait_for_function("l => document.documentElement.lang === l", arg=LANGS[other][1])
    axe.check(page, lang=other)
    logout_label = page.text_content("form[data-logout] button").strip()
    assert logout_label == _translated(live_app, "Log out", other)
    if other == "en":
        assert logout_label == "Log out"
    # The choice is saved on the account: a new session keeps it.
    page.locator("form[data-logout] button").click()
    page.wait_for_url(base + "/login")
    log_in(page, base, email, password)
    assert page.evaluate("document.documentElement.lang") == LANGS[other][1]
    axe.assert_clean(at_least=7)


def test_an_oc_sees_the_providers_of_their_region(live_server, live_world, context, axe, lang):
    page = context.new_page()
    log_in(page, live_server.url, live_world.oc_email, live_world.password)
    axe.check(page)
    assert live_world.provider_name in page.text_content("main")
    axe.assert_clean()
