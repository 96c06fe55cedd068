"""The organizers' logbook on a phone at 390×844, in French and English, axe-clean (issue 14):
an ISC records two interventions with a referral (one to a partner of the directory, one to a
kind of partner not listed) from the menu's "Logbook", and the coordinator of the region reads
the region's statistics, its small counts shown as "fewer than 5"."""

from types import SimpleNamespace

import pytest

from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.logbook.models import Kind
from tenantvoice.needs.models import Partner, PartnerKind
from tenantvoice.orgs.models import Provider
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, shoot
from tests.logbook.helpers import record

pytestmark = pytest.mark.browser

TEXTS = {
    "fr_CA": {
        "logbook": "Journal de bord",
        "record": "Consigner une intervention",
        "individual": "Soutien individuel",
        "collective": "Action collective",
        "families": "Familles et enfants",
        "youth": "Jeunes",
        "more": "Thèmes et références",
        "unlisted": "Service du CISSS",
        "recorded": "L'intervention a été consignée.",
        "statistics": "Statistiques du journal de bord",
        "referral": "Taux de référence",
        "fewer": "moins de 5",
    },
    "en": {
        "logbook": "Logbook",
        "record": "Record an intervention",
        "individual": "Individual support",
        "collective": "Collective action",
        "families": "Families and children",
        "youth": "Youth",
        "more": "Themes and referrals",
        "unlisted": "CISSS service",
        "recorded": "The intervention was recorded.",
        "statistics": "Statistics of the logbook",
        "referral": "Referral rate",
        "fewer": "fewer than 5",
    },
}


@pytest.fixture
def scene(live_app, live_world, lang):
    """An ISC of the office and a coordinator of the region (an OC an admin flagged), with a
    few earlier records of the coordinator so the region's figures have something to show."""
    tag = lang.lower().replace("_", "")
    with live_app.app_context():
        provider = db.session.scalar(
            db.select(Provider).where(Provider.name == live_world.provider_name)
        )
        site = f.make_site(provider=provider, name=f"Habitations du Logbook {tag}")
        isc = f.make_staff(
            role=StaffRole.ISC,
            provider=provider,
            user=f.make_user(name="Inès ISC", email=f"isc-{tag}@example.org"),
        ).user
        assignment = f.make_staff(
            role=StaffRole.OC,
            region=provider.region,
            user=f.make_user(name="Carole Coordination", email=f"coord-{tag}@example.org"),
        )
        assignment.coordinator = True
        partner = Partner(
            region_id=provider.region_id,
            kind=PartnerKind.COMMUNITY,
            name=f"Banque alimentaire du journal {tag}",
            service="Aide alimentaire",
        )
        db.session.add(partner)
        db.session.commit()
        for _n in range(6):
            record(assignment.user, site, kinds=[Kind.COLLECTIVE], populations=["youth"])
        return SimpleNamespace(
            site_id=site.id,
            isc=isc.email,
            coordinator=assignment.user.email,
            region_id=provider.region_id,
            partner_id=partner.id,
        )


def _session(browser, lang):
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    return ctx


def test_an_isc_records_two_interventions_and_the_coordinator_reads_the_statistics(
    browser, live_server, live_world, scene, lang, axe
):
    base = live_server.url
    text = TEXTS[lang]
    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, scene.isc, live_world.password)
        page.get_by_role("link", name=text["logbook"]).first.click()
        page.wait_for_url(base + "/logbook/")
        axe.check(page)
        for n, (kind, population) in enumerate(
            [("individual", "families"), ("collective", "youth")]
        ):
            page.get_by_role("link", name=text["record"]).click()
            page.wait_for_url(base + "/logbook/new")
            page.select_option("#site_id", str(scene.site_id))
            page.get_by_label(text[kind], exact=True).check()
            page.get_by_label(text[population], exact=True).check()
            page.fill("#people", str(3 + n))
            page.get_by_text(text["more"]).click()
            if n == 0:
                page.locator(f"input[name=partners][value='{scene.partner_id}']").check()
                axe.check(page)
                shoot(page, "logbook-record", lang)
            else:
                page.get_by_label(text["unlisted"], exact=True).check()
            page.locator("form[action='/logbook/new'] button[type=submit]").click()
            page.wait_for_url(base + "/logbook/")
            page.get_by_text(text["recorded"]).first.wait_for()
        assert page.locator("#logbook-rows li.card").count() == 2
        axe.check(page)
    finally:
        ctx.close()

    ctx = _session(browser, lang)
    try:
        page = ctx.new_page()
        log_in(page, base, scene.coordinator, live_world.password)
        page.goto(base + "/logbook/statistics")
        page.select_option("#region", str(scene.region_id))
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url(f"**region={scene.region_id}**")
        page.get_by_role("heading", name=text["statistics"]).wait_for()
        page.get_by_role("heading", name=text["referral"]).wait_for()
        assert text["fewer"] in page.content()  # two referrals of eight: fewer than 5
        axe.check(page)
        shoot(page, "logbook-statistics", lang)
    finally:
        ctx.close()
    axe.assert_clean(at_least=4)
