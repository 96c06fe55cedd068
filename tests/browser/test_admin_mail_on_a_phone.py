"""The platform administrator's pages on a phone, in French and English, axe-clean: the admin
home and the development mail folder, where a password-reset message kept by the "file" backend
is listed and opened (its headers and plain text), nothing leaving the machine."""

import secrets

import pytest

from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.outbox import mail
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

TEXTS = {
    "fr_CA": {"title": "Courriels conservés sur ce serveur"},
    "en": {"title": "Mail kept on this server"},
}


@pytest.fixture
def admin_email(live_app, lang):
    email = f"admin-{lang.lower()}@example.org"
    with live_app.app_context():
        f.make_staff(role=StaffRole.ADMIN, user=f.make_user(name="Ada Admin", email=email))
        db.session.commit()
    return email


@pytest.fixture
def mail_kept_in_a_folder(live_app, tmp_path):
    """The live app keeps mail in a folder of this test (never the project's instance/)."""
    saved = live_app.instance_path, live_app.config["MAIL_BACKEND"]
    live_app.instance_path = str(tmp_path)
    live_app.config["MAIL_BACKEND"] = "file"
    yield
    live_app.instance_path, live_app.config["MAIL_BACKEND"] = saved


def test_the_admin_reads_the_kept_mail_on_a_phone(
    browser, live_server, live_app, live_world, admin_email, mail_kept_in_a_folder, lang, axe
):
    base = live_server.url
    with live_app.test_request_context():
        mail.send_message(
            mail.build_message(
                "lucie@example.org",
                "Réinitialiser votre mot de passe",
                "Bonjour Lucie",
                identity=secrets.token_hex(16),
            )
        )
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, base, admin_email, live_world.password)
        page.goto(base + "/admin/")
        axe.check(page)
        page.goto(base + "/admin/mail")
        assert page.get_by_role("heading", level=1).text_content() == TEXTS[lang]["title"]
        axe.check(page)
        shoot(page, "admin-mail", lang)
        page.get_by_role("link", name="Réinitialiser votre mot de passe").click()
        page.get_by_text("Bonjour Lucie").wait_for()
        axe.check(page)
    finally:
        ctx.close()
    axe.assert_clean()
