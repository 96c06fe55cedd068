"""Issue 9, "Everyone": after a background (htmx) submit, focus goes to the result or to the
error summary (whose links lead to the fields), the button is busy while sending, and the
page's CSP reports nothing. On a phone, in each language."""

import secrets

import pytest
from playwright.sync_api import expect

from tenantvoice.extensions import db
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

#: Collects CSP violations from the first script run on every page (through CDP, so the
#: page's own CSP does not apply to this one).
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""


@pytest.fixture
def rsvp_world(live_app):
    from tests import factories as f

    tag = secrets.token_hex(3)
    with live_app.app_context():
        provider = f.make_provider(region=f.make_region(name=f"Région {tag}"))
        site = f.make_site(provider=provider)
        body = f.make_body(provider=provider, sites=[site], name=f"Association {tag}")
        tenant = f.make_tenant(body=body, email=f"t-{tag}@example.org")
        meeting = f.make_meeting(body=body)
        db.session.commit()
        return {"email": tenant.email, "password": f.PASSWORD, "meeting": meeting.id}


def test_rsvp_errors_then_result_take_focus(live_server, context, rsvp_world, axe):
    w, base = rsvp_world, live_server.url
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.type + ": " + m.text))
    log_in(page, base, w["email"], w["password"])
    page.goto(f"{base}/meetings/{w['meeting']}")
    section = page.locator(f"#meeting-rsvp-{w['meeting']}")

    # No answer chosen: 422, the summary takes focus and links to the first wrong field.
    section.locator("input[name=party_size]").fill("40")
    section.locator("button[type=submit]").click()
    summary = section.locator(".form-error-summary")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_count(2)
    assert (links.first.get_attribute("href") or "").startswith("#")
    links.nth(1).click()
    expect(section.locator("input[name=party_size]")).to_be_focused()
    axe.check(page)

    # Answered: the button is busy while sending, then the confirmation takes focus.
    section.locator("input[name=answer]").first.check()
    section.locator("input[name=party_size]").fill("2")
    # The button's state while the request is on its way (the server answers later).
    page.evaluate(
        """() => document.addEventListener('htmx:before:request', e => {
             const b = e.detail.ctx.tvForm && e.detail.ctx.tvForm.querySelector('button');
             window.__busy = b ? [b.disabled, b.getAttribute('aria-busy')] : null;
           }, {once: true})"""
    )
    button = section.locator("button[type=submit]")
    button.click()
    status = page.locator(f"#meeting-rsvp-{w['meeting']} [role=status]")
    expect(status).to_be_focused()
    assert page.evaluate("() => window.__busy") == [True, "true"]
    expect(page.locator(f"#meeting-rsvp-{w['meeting']} button[type=submit]")).to_be_enabled()
    axe.check(page)

    assert page.evaluate("() => window.__csp") == []
    assert [m for m in messages if "Content Security Policy" in m] == []
    axe.assert_clean(at_least=2)
