"""Issue 9: the error summary lists every error and links each one to its field."""

import re

import pytest

from tenantvoice.extensions import db
from tests import factories as f


def test_rsvp_summary_links_each_error_to_its_field(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.post(
        f"/meetings/{meeting.id}/rsvp",
        data={"party_size": "40"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('class="form-error-summary"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["answer-0", "party_size"]
    for target, _text in links:
        assert f'id="{target}"' in html
    assert "Choose an answer." in links[0][1]


def test_summary_in_french_puts_a_space_before_the_colon(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    html = client.post(
        f"/meetings/{meeting.id}/rsvp",
        data={"party_size": "40"},
        headers={"HX-Request": "true", "Accept-Language": "fr-CA"},
    ).get_data(as_text=True)
    summary = html.split('class="form-error-summary"')[1].split("</div>")[0]
    assert "\u00a0: " in summary


def test_summary_in_french_goes_on_in_lower_case_after_the_colon(world, client, auth):
    """Québec usage: « Nombre de personnes : choisissez… », not « : Choisissez… »; English keeps
    its capital ("Choose an answer.", above)."""
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    html = client.post(
        f"/meetings/{meeting.id}/rsvp",
        data={"party_size": "40"},
        headers={"HX-Request": "true", "Accept-Language": "fr-CA"},
    ).get_data(as_text=True)
    summary = html.split('class="form-error-summary"')[1].split("</div>")[0]
    after = [part[0] for part in summary.split("\u00a0: ")[1:]]
    assert after, summary
    assert all(c.islower() for c in after), summary


def _after_colon(app, locale, text):
    from flask_babel import force_locale

    from tenantvoice.web.i18n import after_colon

    with app.test_request_context(), force_locale(locale):
        return after_colon(text)


def _translated(app, locale, message, **values):
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(locale):
        return gettext(message, **values)


def test_after_colon_lowers_a_french_message_the_translator_began(app):
    french = _translated(app, "fr_CA", "Choose an answer.")
    assert _after_colon(app, "fr_CA", french) == "c" + french[1:]


def test_after_colon_lowers_a_message_of_wtforms_own_catalog(app):
    """Flask-WTF shows WTForms' built-in messages from WTForms' catalog: its words too."""
    from flask_babel import force_locale
    from wtforms.i18n import get_translations

    with app.test_request_context(), force_locale("fr_CA"):
        french = get_translations(["fr_CA", "fr"]).gettext("Not a valid integer value.")
    assert french[0].isupper()
    assert _after_colon(app, "fr_CA", french) == french[0].lower() + french[1:]


def test_after_colon_keeps_an_acronym_or_a_capitalized_brand(app):
    assert _after_colon(app, "fr_CA", "CCR : trop de sièges.") == "CCR : trop de sièges."
    assert _after_colon(app, "fr_CA", "TenantVoice l'a refusé.") == "TenantVoice l'a refusé."
    assert _after_colon(app, "en", "CCR: too many seats.") == "CCR: too many seats."


@pytest.mark.parametrize("name", ["Marie Tremblay", "Office municipal d'habitation", "Le Cap"])
def test_after_colon_keeps_a_name_put_in_by_a_placeholder(app, name):
    """« Marie Tremblay n'est plus membre. » starts with a name, not with the translator's
    word: lowering it would misspell the name (« Le Cap »: a name that begins with an article)."""
    for locale in ("fr_CA", "en"):
        text = _translated(app, locale, "%(name)s is no longer a member.", name=name)
        assert text.startswith(name)
        assert _after_colon(app, locale, text) == text


def test_after_colon_keeps_a_text_from_outside_the_catalog(app):
    """A sentence no message made (a proper name typed somewhere) is left as written."""
    assert _after_colon(app, "fr_CA", "Office municipal de Laval") == "Office municipal de Laval"


def test_after_colon_keeps_english_as_written(app):
    english = _translated(app, "en", "Choose an answer.")
    assert _after_colon(app, "en", english) == english
