"""Issue 8 at the door, on a phone (390×844), in French and English, axe-clean: the secretary
of a big association opens the attendance sheet (search first: no name and no form before a
search), types three letters, taps a member who has no account (signed the paper sheet), sees
the row turn "present" and the count in the quorum box change; then the same without
JavaScript (a GET search form, then a POST per person) for another member."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

#: Register entries besides the named ones: enough that a list of everyone would be long.
CROWD = 60


@pytest.fixture
def door(live_app, lang):
    """An association of its own per language: a secretary with an account, a crowd, a member
    with no account, and a general assembly under way (attendance open)."""
    from tenantvoice.meetings.models import MeetingKind
    from tenantvoice.orgs.models import MemberRole, QuorumMode
    from tests import factories as f

    suffix = lang.lower().replace("_", "-")
    with live_app.app_context():
        site = f.make_site(name=f"Habitations de la Porte {suffix}")
        body = f.make_body(
            provider=site.provider,
            name=f"Association de la Porte {suffix}",
            sites=[site],
            quorum_mode=QuorumMode.NUMBER,
            quorum_number=3,
            quorum_minimum=3,
        )
        secretary = f.make_tenant(
            body=body,
            role=MemberRole.SECRETARY,
            name="Réjeanne Boucher",
            email=f"porte-{suffix}@example.org",
        )
        for i in range(CROWD):
            f.make_member(body=body, name=f"Gagnon {i:02d}", unit=str(200 + i), site=site)
        paper = f.make_member(body=body, name="Émilie Paré", unit="104", site=site)
        walk_in = f.make_member(body=body, name="Gérald Thibodeau", unit="317", site=site)
        meeting = f.make_meeting(
            body=body,
            kind=MeetingKind.SPECIAL,
            title="Assemblée extraordinaire",
            starts_in=-timedelta(minutes=10),
            agenda=(),
        )
        db.session.commit()
        return {
            "email": secretary.email,
            "meeting": meeting.id,
            "paper": paper.name,
            "walk_in": walk_in.name,
            "register": CROWD + 3,
        }


def test_the_secretary_marks_people_at_the_door(
    browser, live_server, live_app, live_world, door, lang, axe
):
    base = live_server.url
    url = f"{base}/meetings/{door['meeting']}/attendance"

    def t(msgid, **values):
        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, **values)

    def t_of(msgid, name):
        """A message naming a person after "of" (French: d'Émilie, de Marc)."""
        from tenantvoice.web.i18n import of_name

        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, name=of_name(name))

    def present_count(page):
        quorum = page.get_by_role("region", name=t("Quorum"))
        return quorum.locator("dt", has_text=t("Adult members present")).locator("xpath=../dd")

    # --- with JavaScript: results as she types, a tap swaps the row and the count -------------
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, base, door["email"], live_world.password)
        page.goto(url)
        axe.check(page)
        sheet = page.locator(f"#attendance-list-{door['meeting']}")
        expect(sheet.locator("form")).to_have_count(0)  # search first: no form per member
        expect(present_count(page)).to_have_text("0")
        with page.expect_response(lambda r: "/attendance?q=" in r.url):
            page.get_by_label(t("Search by name or unit")).fill("emi")  # no accent, as typed
        row = sheet.get_by_role("listitem").filter(has_text=door["paper"])
        expect(row).to_be_visible()
        expect(sheet.get_by_role("listitem")).to_have_count(1)
        axe.check(page)
        shoot(page, "door-search", lang)
        row.get_by_label(t("Signed the paper sheet")).check()
        row.get_by_role("button", name=t_of("Mark %(name)s present", door["paper"])).click()
        expect(row).to_contain_text(t("Present"))
        expect(row).to_contain_text(t("Signed the paper sheet"))
        expect(present_count(page)).to_have_text("1")
        axe.check(page)
        shoot(page, "door-marked", lang)
    finally:
        ctx.close()

    # --- without JavaScript: a GET search form, then a POST per person -------------------------
    ctx = browser.new_context(locale=LANGS[lang][0], java_script_enabled=False, **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, base, door["email"], live_world.password)
        page.goto(url)
        expect(present_count(page)).to_have_text("1")
        page.get_by_label(t("Search by name or unit")).fill("thibo")
        page.locator("main").get_by_role("button", name=t("Search"), exact=True).click()
        page.wait_for_url(f"{url}?q=thibo")
        row = page.get_by_role("listitem").filter(has_text=door["walk_in"])
        row.get_by_role("button", name=t_of("Mark %(name)s present", door["walk_in"])).click()
        page.wait_for_url(f"{url}?q=thibo")
        expect(row).to_contain_text(t("Present"))
        expect(present_count(page)).to_have_text("2")
        # Before a search, the sheet lists the people present (to undo a mark).
        page.goto(url)
        present = page.locator(f"#attendance-list-{door['meeting']}").get_by_role("listitem")
        expect(present).to_have_count(2)
    finally:
        ctx.close()
    axe.assert_clean(at_least=3)
