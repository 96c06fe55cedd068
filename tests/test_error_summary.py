"""Issue 9: the error summary lists every error and links each one to its field."""

import re

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


def test_after_colon_keeps_acronyms_and_names(app):
    from flask_babel import force_locale

    from tenantvoice.web.i18n import after_colon

    with app.test_request_context():
        with force_locale("fr_CA"):
            assert after_colon("Entrez le nom.") == "entrez le nom."
            assert after_colon("CCR : trop de sièges.") == "CCR : trop de sièges."
            assert after_colon("TenantVoice l'a refusé.") == "TenantVoice l'a refusé."
        with force_locale("en"):
            assert after_colon("Enter the name.") == "Enter the name."
