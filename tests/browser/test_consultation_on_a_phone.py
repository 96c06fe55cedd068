"""An office consultation on a phone, in French and English, axe-clean (issue 11): the direction
submits a draft to its CCR (a decision date too close is refused next to the field first), a
CCR member reads it from the CCR's page and comments, an officer records the CCR's answer, and
the direction reads the answer, never the members' discussion."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs.models import BodyKind, MemberRole
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

TEXTS = {
    "fr_CA": {"in_time": "Réponse à temps", "none": "Aucune réponse"},
    "en": {"in_time": "Answered in time", "none": "No answer"},
}


@pytest.fixture
def office(live_app, lang):
    """An office of its own per language: two buildings, its CCR (a secretary and a member) and
    its direction."""
    tag = lang.lower()
    with live_app.app_context():
        region = f.make_region(name=f"Région consultation {tag}")
        provider = f.make_provider(region=region, name=f"Office consultation {tag}")
        site = f.make_site(provider=provider, name=f"Habitations du Moulin {tag}")
        ccr = f.make_body(
            provider=provider, kind=BodyKind.CCR, name=f"CCR du Moulin {tag}", sites=[site]
        )
        officer = f.make_tenant(
            body=ccr, role=MemberRole.SECRETARY, name="Chantal Lévesque", email=f"ch-{tag}@ex.org"
        )
        member = f.make_tenant(body=ccr, name="Karim Haddad", email=f"ka-{tag}@ex.org")
        direction = f.make_staff(
            role=StaffRole.DIRECTION,
            provider=provider,
            user=f.make_user(name="Denis Marcoux", email=f"de-{tag}@ex.org"),
        ).user
        db.session.commit()
        return SimpleNamespace(
            ccr_id=ccr.id,
            officer=officer.email,
            member=member.email,
            direction=direction.email,
            password=f.PASSWORD,
            today=clock.now().astimezone(clock.MONTREAL).date(),
        )


def _session(browser, lang):
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    return ctx


def test_a_consultation_goes_to_the_ccr_and_its_answer_back(
    browser, live_server, office, lang, axe
):
    base = live_server.url
    title = f"Budget et PPI {lang}"
    comment = f"Les fenêtres d'abord ({lang})"
    answer = f"Le CCR appuie le budget ({lang})"

    # The direction submits (a date too close first: refused next to the field).
    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, office.direction, office.password)
        page.goto(base + "/office/consultations")
        axe.check(page)
        page.locator("a[href='/office/consultations/new']").click()
        page.wait_for_url(base + "/office/consultations/new")
        page.select_option("#kind", "budget")
        page.fill("#title", title)
        page.fill("#text", "Orientations budgétaires et plan pluriannuel d'intervention.")
        page.fill("#decision_date", (office.today + timedelta(days=3)).isoformat())
        page.locator("main form button[type=submit]").click()
        page.locator("#decision_date-errors").wait_for()
        axe.check(page)
        shoot(page, "consultation-refused-date", lang)
        page.fill("#decision_date", (office.today + timedelta(days=14)).isoformat())
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/consultations/*")
        consultation_url = page.url
        page.get_by_text(TEXTS[lang]["none"]).first.wait_for()
        axe.check(page)
    finally:
        ctx.close()

    # A CCR member finds it on the CCR's page, reads it and comments.
    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, office.member, office.password)
        page.goto(f"{base}/bodies/{office.ccr_id}")
        axe.check(page)
        page.get_by_role("link", name=title).click()
        page.wait_for_url(consultation_url)
        page.fill("#text", comment)
        page.locator("#discussion form button[type=submit]").click()
        page.get_by_text(comment).wait_for()
        axe.check(page)
        shoot(page, "consultation-member", lang)
    finally:
        ctx.close()

    # An officer records the answer the CCR adopted.
    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, office.officer, office.password)
        page.goto(consultation_url)
        page.locator(f"a[href='{consultation_url.removeprefix(base)}/answer']").click()
        page.wait_for_url(consultation_url + "/answer")
        axe.check(page)
        page.fill("#text", answer)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(consultation_url)
        page.get_by_text(answer).wait_for()
        axe.check(page)
    finally:
        ctx.close()

    # The direction reads the answer, in time, and never the members' discussion.
    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, office.direction, office.password)
        page.goto(consultation_url)
        page.get_by_text(answer).wait_for()
        page.get_by_text(TEXTS[lang]["in_time"]).first.wait_for()
        assert comment not in page.content()
        assert "Karim Haddad" not in page.content()
        axe.check(page)
        shoot(page, "consultation-direction", lang)
        page.goto(base + "/office/consultations")
        page.get_by_text(TEXTS[lang]["in_time"]).first.wait_for()
        axe.check(page)
    finally:
        ctx.close()
    axe.assert_clean(at_least=9)
