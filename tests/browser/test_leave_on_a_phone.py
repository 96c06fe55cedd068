"""A tenant deletes their own account on a phone (reading what goes and what stays, giving the
password), lands on the login page, and the secretary's register shows "former member"."""

import secrets

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tenantvoice.extensions import db
from tests.browser.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def _new_tenant(app, world):
    from tenantvoice.orgs.models import Body
    from tests import factories as f

    name = f"Rosalie Dubé {secrets.token_hex(2)}"
    email = f"rosalie-{secrets.token_hex(3)}@example.org"
    with app.app_context():
        body = db.session.get(Body, world.body_id)
        user = f.make_tenant(body=body, name=name, email=email)
        db.session.commit()
        return name, email, user.id


def _translated(app, text, lang):
    with app.test_request_context(), force_locale(lang):
        return _(text)


def test_a_tenant_leaves_and_the_register_shows_former_member(
    live_server, live_app, live_world, context, axe, lang
):
    base = live_server.url
    name, email, uid = _new_tenant(live_app, live_world)
    page = context.new_page()
    log_in(page, base, email, live_world.password)
    page.goto(base + "/account")
    axe.check(page)
    page.click("a[href='/account/delete']")
    page.wait_for_url(base + "/account/delete")
    axe.check(page)
    shoot(page, "leave", lang)
    assert _translated(live_app, "What stays, and why", lang) in page.text_content("main")
    # A wrong password: the same page, the error next to the field, nothing deleted.
    page.fill("#current_password", "pas le bon mot de passe")
    page.check("#understood")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#current_password[aria-invalid=true], .has-error")
    axe.check(page)
    page.fill("#current_password", live_world.password)
    page.check("#understood")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/login")
    axe.check(page)

    from tenantvoice.accounts.models import User

    with live_app.app_context():
        assert db.session.get(User, uid) is None

    log_in(page, base, "jean@example.org", live_world.password)
    page.goto(base + f"/bodies/{live_world.body_id}/members?former=1")
    axe.check(page)
    shoot(page, "register-former-member", lang)
    main = page.text_content("main")
    assert _translated(live_app, "Former member", lang) in main
    assert name not in main
    axe.assert_clean(at_least=5)
