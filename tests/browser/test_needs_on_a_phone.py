"""A collective need on a phone at 390×844, in French and English, axe-clean (issue 13): a
tenant raises a need anonymously, two neighbours say "me too", the association forwards it in
its own words, the organizer filters the dashboard and refers it to a partner, and the tenant
reads the new status on the need's page."""

import re
from types import SimpleNamespace

import pytest

from tenantvoice.extensions import db
from tenantvoice.needs.models import Partner, PartnerKind
from tenantvoice.orgs.models import MemberRole, Provider
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

REFERRED = {"fr_CA": "Référé à un partenaire", "en": "Referred to a partner"}
LABELS = {
    "fr_CA": {"families": "Familles et enfants", "alone": "Personnes seules", "everyone": "Tout"},
    "en": {"families": "Families and children", "alone": "People living alone", "everyone": "Ever"},
}


@pytest.fixture
def scene(live_app, live_world, lang):
    tag = lang.lower().replace("_", "")
    with live_app.app_context():
        provider = db.session.scalar(
            db.select(Provider).where(Provider.name == live_world.provider_name)
        )
        site = f.make_site(provider=provider, name=f"Habitations des Pins {tag}", units_count=30)
        body = f.make_body(provider=provider, name=f"Association des Pins {tag}", sites=[site])
        officer = f.make_tenant(
            body=body,
            role=MemberRole.SECRETARY,
            name="Rémi Caron",
            email=f"remi-n-{tag}@example.org",
        )
        author = f.make_tenant(body=body, name="Hélène Roy", email=f"helene-n-{tag}@example.org")
        neighbours = [
            f.make_tenant(body=body, name=f"Voisin {i}", email=f"voisin{i}-{tag}@example.org")
            for i in range(2)
        ]
        partner = Partner(
            region_id=provider.region_id,
            kind=PartnerKind.COMMUNITY,
            name=f"Banque alimentaire {tag}",
            service="Aide alimentaire",
        )
        db.session.add(partner)
        db.session.commit()
        return SimpleNamespace(
            site_id=site.id,
            officer=officer.email,
            author=author.email,
            author_name=author.name,
            neighbours=[n.email for n in neighbours],
            partner_id=partner.id,
            tag=tag,
        )


def _session(browser, lang):
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    return ctx


def test_a_need_goes_from_a_tenant_to_the_organizer_and_back(
    browser, live_server, live_world, scene, lang, axe
):
    base = live_server.url
    password = live_world.password
    title = f"Comptoir alimentaire aux Pins {scene.tag}"

    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, scene.author, password)
        page.goto(base + "/needs/new")
        axe.check(page)
        page.fill("#title", title)
        page.fill("#description", "Les fins de mois sont dures pour plusieurs familles.")
        page.locator("input[name=categories][value=ALI]").check()
        # "Everyone" is ticked by default; ticking two groups keeps the groups only.
        assert page.locator("input[name=populations][value=everyone]").is_checked()
        page.locator("input[name=populations][value=families]").check()
        page.locator("input[name=populations][value=alone]").check()
        assert not page.locator("#signed").is_checked()  # anonymous by default
        assert not page.locator("#share_text").is_checked()
        shoot(page, "need-raise", lang)
        page.locator("form[action='/needs/new'] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/needs/\d+$"))
        need_url = page.url
        facts = page.locator("dl.facts").inner_text()
        assert LABELS[lang]["families"] in facts
        assert LABELS[lang]["alone"] in facts
        assert LABELS[lang]["everyone"] not in facts
        axe.check(page)
    finally:
        ctx.close()

    for email in scene.neighbours:
        ctx = _session(browser, lang)
        try:
            page = ctx.new_page()
            log_in(page, base, email, password)
            page.goto(need_url)
            assert scene.author_name not in page.content()
            page.locator("form[action$='/support'] button").click()
            page.wait_for_url(need_url)
            axe.check(page)
        finally:
            ctx.close()

    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, scene.officer, password)
        page.goto(need_url + "/review")
        axe.check(page)
        page.fill(
            "#wording", f"Les familles des Pins {scene.tag} demandent un comptoir alimentaire."
        )
        page.locator("input[name=priority][value=high]").check()
        page.locator("form[action$='/forward'] button[type=submit]").click()
        page.wait_for_url(f"{base}/bodies/*/needs")
        axe.check(page)
        shoot(page, "need-queue", lang)
    finally:
        ctx.close()

    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, live_world.oc_email, password)
        page.goto(base + "/organizing/needs")
        axe.check(page)
        page.select_option("#filter-category", "ALI")
        page.wait_for_url("**category=ALI**")
        page.select_option("#filter-site", str(scene.site_id))
        page.wait_for_url(f"**site={scene.site_id}**")
        link = page.get_by_role("link", name=f"Les familles des Pins {scene.tag}", exact=False)
        link.wait_for()
        assert scene.author_name not in page.content()
        axe.check(page)
        shoot(page, "needs-dashboard", lang)
        link.click()
        page.wait_for_url(re.compile(r"/organizing/needs/\d+$"))
        axe.check(page)
        page.locator("input[name=action][value=refer]").check()
        page.select_option("#partner_id", str(scene.partner_id))
        page.fill("#public_text", "La banque alimentaire vous contactera par l'association.")
        page.fill("#staff_note", "Appeler la coordonnatrice lundi.")
        page.locator("form[action$='/act'] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/organizing/needs/\d+$"))
        page.locator(".notice, [role=status]").first.wait_for()
        axe.check(page)
        page.goto(base + "/organizing/statistics")
        page.locator("svg.bars").first.wait_for()
        axe.check(page)
        shoot(page, "needs-statistics", lang)
        page.goto(base + "/organizing/partners")
        axe.check(page)
    finally:
        ctx.close()

    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, scene.author, password)
        page.goto(need_url)
        page.get_by_text(REFERRED[lang]).first.wait_for()
        assert "La banque alimentaire vous contactera" in page.content()
        assert "Appeler la coordonnatrice" not in page.content()  # staff-only note
        axe.check(page)
        shoot(page, "need-status", lang)
    finally:
        ctx.close()
    axe.assert_clean(at_least=11)
