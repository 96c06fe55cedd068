"""Issue 9, "Everyone": destructive actions ask first, with JavaScript (the browser's confirm
dialog through hx-confirm) and without (a confirmation page), on a phone in each language."""

import secrets

import pytest
from playwright.sync_api import expect

from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def draft_world(live_app):
    """A body of its own with a secretary and two meetings: a published one with an agenda of
    three items and a draft."""
    from tenantvoice.meetings.models import MeetingStatus
    from tenantvoice.orgs.models import MemberRole
    from tests import factories as f

    tag = secrets.token_hex(3)
    with live_app.app_context():
        provider = f.make_provider(region=f.make_region(name=f"Région {tag}"))
        site = f.make_site(provider=provider)
        body = f.make_body(provider=provider, sites=[site], name=f"Association {tag}")
        secretary = f.make_tenant(
            body=body, role=MemberRole.SECRETARY, email=f"sec-{tag}@example.org"
        )
        meeting = f.make_meeting(
            body=body,
            agenda=("Ouverture de l'assemblée", "Jardin communautaire", "Levée de l'assemblée"),
        )
        draft = f.make_meeting(body=body, status=MeetingStatus.DRAFT, title=f"Brouillon {tag}")
        db.session.commit()
        return {
            "email": secretary.email,
            "password": f.PASSWORD,
            "meeting": meeting.id,
            "item": meeting.agenda_items[1].id,
            "draft": draft.id,
            "body": body.id,
        }


def _item(page, w):
    return page.locator(f"#agenda-item-{w['item']}")


def test_remove_item_with_javascript_asks_in_a_dialog(live_server, context, draft_world, axe):
    w, base = draft_world, live_server.url
    page = context.new_page()
    log_in(page, base, w["email"], w["password"])
    page.goto(f"{base}/meetings/{w['meeting']}")
    axe.check(page)
    dialogs = []

    # Dismissed: nothing is sent, the item stays.
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _item(page, w).locator("form[data-confirm] button").click()
    page.wait_for_timeout(300)  # a request would have been sent by now
    expect(_item(page, w)).to_be_visible()
    assert len(dialogs) == 1
    assert "Jardin communautaire" in dialogs[0]

    # Accepted: htmx posts and swaps the agenda in place (the page is not reloaded).
    page.evaluate("() => { window.__notReloaded = true; }")
    page.once("dialog", lambda d: d.accept())
    _item(page, w).locator("form[data-confirm] button").click()
    expect(_item(page, w)).to_have_count(0)
    assert page.evaluate("() => window.__notReloaded === true")
    assert page.url == f"{base}/meetings/{w['meeting']}"
    axe.check(page)
    axe.assert_clean(at_least=2)


def test_delete_draft_with_javascript_lands_on_the_list(live_server, context, draft_world, axe):
    w, base = draft_world, live_server.url
    page = context.new_page()
    log_in(page, base, w["email"], w["password"])
    page.goto(f"{base}/meetings/{w['draft']}")
    page.once("dialog", lambda d: d.accept())
    page.locator(f"form[action='/meetings/{w['draft']}/delete'] button").click()
    page.wait_for_url(f"{base}/bodies/{w['body']}/meetings")
    axe.check(page)
    axe.assert_clean()


def test_remove_item_without_javascript_shows_a_confirmation_page(
    live_server, browser, lang, draft_world
):
    """JavaScript off (so no axe here: the confirmation page is checked by the next test)."""
    w, base = draft_world, live_server.url
    ctx = browser.new_context(locale=LANGS[lang][0], java_script_enabled=False, **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        page.goto(base + "/login")
        page.fill("#identifier", w["email"])
        page.fill("#password", w["password"])
        page.locator("main form button[type=submit]").click()
        page.goto(f"{base}/meetings/{w['meeting']}")
        _item(page, w).locator("form[data-confirm] button").click()
        # The confirmation page: what will happen, and a way back that changes nothing.
        assert page.url.startswith(f"{base}/meetings/{w['meeting']}/agenda/{w['item']}/delete")
        expect(page.locator("h1")).to_contain_text("Jardin communautaire")
        page.locator("main form[method=post] a.button").click()
        expect(_item(page, w)).to_be_visible()
        # Again, and this time confirm.
        _item(page, w).locator("form[data-confirm] button").click()
        page.locator("main form[method=post] button[type=submit]").click()
        page.wait_for_url(f"{base}/meetings/{w['meeting']}*")
        expect(_item(page, w)).to_have_count(0)
    finally:
        ctx.close()


def test_confirmation_pages_are_accessible(live_server, context, draft_world, axe):
    """What a phone without JavaScript shows, checked with JavaScript on (axe needs it)."""
    w, base = draft_world, live_server.url
    page = context.new_page()
    log_in(page, base, w["email"], w["password"])
    for path in (
        f"/meetings/{w['meeting']}/agenda/{w['item']}/delete",
        f"/meetings/{w['draft']}/delete",
        "/calendar/regenerate",
    ):
        page.goto(base + path)
        expect(page.locator("main form[method=post] button[type=submit]")).to_be_visible()
        axe.check(page)
    axe.assert_clean(at_least=3)
