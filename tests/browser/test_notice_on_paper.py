"""Issue 9, notices on paper, on a phone (390 × 844) in each language: a secretary opens the
printable notice of a draft (PROJET / DRAFT mark, no QR code), prints it with the Print button
(a static script, no inline JavaScript), publishes the notice, prints it again (quorum read as a
minimum, date, signatory), and the two-language sheet fits a 320 px screen. On the meeting page
of a long agenda, "Publish the notice" is on the screen without scrolling; the home page leads
to the full list of next meetings. axe runs on each page."""

import secrets
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from playwright.sync_api import expect

from tenantvoice.extensions import db
from tests.browser.conftest import log_in, shoot

pytestmark = pytest.mark.browser

#: Make window.print() observable (headless Chromium would do nothing visible).
STUB_PRINT = "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"


@pytest.fixture
def notice_world(live_app):
    """An association of its own per run: its secretary, and a draft AGM with a long agenda."""
    from tenantvoice.meetings.models import MeetingStatus
    from tenantvoice.orgs.models import MemberRole, QuorumMode
    from tests import factories as f

    tag = secrets.token_hex(3)
    with live_app.app_context():
        provider = f.make_provider(
            region=f.make_region(name=f"Région {tag}"), name=f"Office municipal {tag}"
        )
        site = f.make_site(provider=provider, name="Habitations des Érables")
        body = f.make_body(
            provider=provider,
            sites=[site],
            quorum_mode=QuorumMode.NUMBER,
            quorum_number=5,
            name=f"Association des locataires des Érables {tag}",
        )
        secretary = f.make_tenant(
            body=body,
            role=MemberRole.SECRETARY,
            name="Jean-Guy Bélanger",
            email=f"secretary-{tag}@example.org",
        )
        meeting = f.make_meeting(
            body=body,
            status=MeetingStatus.DRAFT,
            title="Assemblée générale annuelle des locataires des Habitations des Érables",
            place="Salle communautaire, 1200, boulevard des Hirondelles-Blanches",
            agenda=(
                "Ouverture de l'assemblée",
                "Vérification du quorum",
                "Rapport de la présidence sur les travaux majeurs de rénovation",
                *(f"Point de discussion no {n}" for n in range(4, 20)),
                "Levée de l'assemblée",
            ),
        )
        db.session.commit()
        return SimpleNamespace(
            meeting_id=meeting.id,
            email=secretary.email,
            name="Jean-Guy Bélanger",
            password=f.PASSWORD,
        )


def test_secretary_prints_the_notice(live_server, live_app, notice_world, context, axe, lang):
    base = live_server.url
    w = notice_world

    def t(msgid, **values):
        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, **values)

    def quorum_line(n):
        with live_app.test_request_context(), force_locale(lang):
            return ngettext(
                "Quorum: at least %(count)s member must be present.",
                "Quorum: at least %(count)s members must be present.",
                n,
                count=n,
            )

    page = context.new_page()
    log_in(page, base, w.email, w.password)

    # A long agenda: "Publish the notice" is on the screen without scrolling.
    page.goto(f"{base}/meetings/{w.meeting_id}")
    assert page.evaluate("() => document.documentElement.scrollHeight") > 2 * 844
    box = page.get_by_role("button", name=t("Publish the notice")).bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 844
    axe.check(page)
    shoot(page, "agenda-publish-in-reach", lang)

    # The draft's sheet: marked, no QR code, and the Print button works without inline script.
    page.get_by_role("link", name=t("Printable notice")).click()
    page.wait_for_url(f"**/meetings/{w.meeting_id}/notice*")
    expect(page.locator(".draft-mark")).to_contain_text("PROJET / DRAFT")
    assert page.locator(".notice-qr img").count() == 0
    axe.check(page)
    page.evaluate(STUB_PRINT)
    page.get_by_role("button", name=t("Print")).click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".draft-mark")).to_be_visible()
    expect(page.get_by_role("button", name=t("Print"))).to_be_hidden()
    page.emulate_media(media="screen")
    shoot(page, "notice-draft", lang)

    # Published: dated, signed by the secretary, quorum as a minimum, QR code to the page.
    page.goto(f"{base}/meetings/{w.meeting_id}")
    page.get_by_role("button", name=t("Publish the notice")).click()
    expect(page.locator("main")).to_contain_text(t("The notice is published."))
    page.get_by_role("link", name=t("Printable notice")).click()
    page.wait_for_url(f"**/meetings/{w.meeting_id}/notice*")
    sheet = page.locator(".printed-notice")
    assert page.locator(".draft-mark").count() == 0
    expect(sheet.locator(".notice-quorum")).to_have_text(quorum_line(5))
    expect(sheet.locator(".notice-signature")).to_contain_text(w.name)
    expect(sheet.locator(".notice-signature")).to_contain_text(t("Secretary"))
    expect(sheet.locator(".notice-date")).to_be_visible()
    expect(sheet.locator(".notice-qr img")).to_be_visible()
    axe.check(page)

    # The published meeting is on the secretary's home page, which leads to the full list.
    page.goto(base + "/")
    page.get_by_role("link", name=t("See all my next meetings")).click()
    page.wait_for_url("**/meetings/upcoming")
    expect(page.locator("main .card")).to_have_count(1)
    axe.check(page)
    page.goto(f"{base}/meetings/{w.meeting_id}/notice")

    # Both languages side by side on the narrowest phone: nothing wider than the screen.
    page.get_by_role("link", name=t("Both languages")).click()
    page.wait_for_url("**lang=both")
    page.set_viewport_size({"width": 320, "height": 640})
    expect(page.locator(".notice-column")).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    axe.check(page)
    shoot(page, "notice-both-320", lang)
    axe.assert_clean(at_least=5)
