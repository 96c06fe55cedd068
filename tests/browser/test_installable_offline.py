"""The app installs on a phone, and pages already read stay readable offline (and only those)."""

import pytest

from tests.browser.conftest import log_in, shoot, wait_for_sw_control

pytestmark = pytest.mark.browser


def test_installable(live_server, persistent_context, axe, lang):
    page = persistent_context.pages[0]
    page.goto(live_server.url + "/")  # anonymous: lands on the login page
    axe.check(page)
    shoot(page, "login", lang)
    wait_for_sw_control(page)
    cdp = persistent_context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert '"display": "standalone"' in manifest["data"]
    axe.assert_clean()


def test_read_pages_stay_readable_offline(live_server, live_world, persistent_context, axe):
    base = live_server.url
    page = persistent_context.pages[0]
    log_in(page, base, live_world.tenant_email, live_world.password)
    axe.check(page)
    wait_for_sw_control(page)
    page.goto(base + "/")  # under the service worker now: network first, kept (X-TV-Offline)
    axe.check(page)
    assert live_world.body_name in page.text_content("main")
    page.goto(base + "/account")  # not a reading page: must not be kept
    axe.check(page)
    account_heading = page.text_content("h1")

    served = live_server.hits["/"]
    persistent_context.set_offline(True)
    try:
        page.goto(base + "/")
        axe.check(page)
        assert live_server.hits["/"] == served, "the page came from the server, not the cache"
        assert live_world.body_name in page.text_content("main")

        page.goto(base + "/help")  # never read: the offline page
        axe.check(page)
        offline_heading = page.text_content("h1")
        assert page.locator("main a.button").get_attribute("href") == "/"

        page.goto(base + "/account")  # read, but not offline-readable: the offline page too
        axe.check(page)
        assert page.text_content("h1") == offline_heading != account_heading
    finally:
        persistent_context.set_offline(False)
    axe.assert_clean(at_least=6)
