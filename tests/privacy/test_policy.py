"""The privacy policy and its officer (Q-01, Q-02, Q-04)."""

import pytest

from tenantvoice.config import ROOT

FR = {"Accept-Language": "fr-CA"}
EN = {"Accept-Language": "en"}


@pytest.mark.parametrize("url", ["/privacy", "/confidentialite"])
@pytest.mark.parametrize("headers", [FR, EN])
def test_the_policy_shows_its_version_and_the_officers_contact(app, client, url, headers):
    page = client.get(url, headers=headers)
    assert page.status_code == 200
    assert app.config["PRIVACY_POLICY_VERSION"] in page.text
    assert app.config["PRIVACY_OFFICER_EMAIL"] in page.text
    assert 'id="privacy-officer"' in page.text


def test_the_policy_is_written_in_french_and_in_english(client):
    french = client.get("/privacy", headers=FR).text
    english = client.get("/privacy", headers=EN).text
    assert "Politique de confidentialité" in french
    assert "Privacy policy" in english


def test_the_configured_title_is_shown(app, client):
    app.config["PRIVACY_OFFICER_TITLE"] = "Direction générale"
    assert "Direction générale" in client.get("/privacy").text


@pytest.mark.parametrize("as_tenant", [False, True])
def test_every_page_links_to_the_privacy_page_in_its_footer(world, client, auth, as_tenant):
    urls = ["/login", "/help"]
    if as_tenant:
        auth.login(world.tenant_a)
        urls = ["/", "/account", "/account/privacy", "/needs/new", f"/bodies/{world.adl_a.id}"]
    for url in urls:
        page = client.get(url).text
        footer = page[page.index('<footer class="site-footer">') :]
        assert 'href="/privacy"' in footer, url


def test_the_forms_that_ask_for_a_consent_link_the_policy(world, client, auth):
    """Q-02: forms link to the policy (outside the footer)."""
    auth.login(world.tenant_a)
    for url in ("/account/privacy", "/needs/new"):
        page = client.get(url).text
        assert 'href="/privacy"' in page[: page.index('<footer class="site-footer">')], url


def test_no_script_asks_where_the_person_is():
    """Q-04: no geolocation, no profiling."""
    for path in (ROOT / "static" / "js").rglob("*.js"):
        assert "geolocation" not in path.read_text(encoding="utf-8"), path
