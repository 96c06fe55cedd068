"""Who reads what: drafts, projets, published minutes, in-camera sections, offline marking."""

import pytest

from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import MinutesAudience
from tests import factories as f
from tests.minutes.helpers import minutes_in_state


@pytest.mark.parametrize(
    "role", ["tenant_a", "tenant_b", "officer_b", "direction", "oc", "isc", "admin", "outsider"]
)
def test_draft_is_hidden_from_everyone_but_officers(world, client, auth, role):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(getattr(world, role))
    assert client.get(f"/minutes/{minutes.id}").status_code == 404


def test_proposed_minutes_are_readable_by_members_without_in_camera(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PROPOSED)
    auth.login(world.tenant_a)
    response = client.get(f"/minutes/{minutes.id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Draft minutes" in body
    assert "concierge" not in body
    assert "X-TV-Offline" not in response.headers


def test_published_minutes_page_is_readable_offline_and_has_print_styles(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.tenant_a)
    response = client.get(f"/minutes/{minutes.id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["X-TV-Offline"] == "1"
    assert "css/app.css" in body
    styles = client.get("/static/css/app.css").get_data(as_text=True)
    assert ".minutes-document h3 { page-break-after: avoid;" in styles  # the print stylesheet
    assert "Version 1, published on" in body
    assert "concierge" not in body
    assert "Dossier confidentiel" not in body


@pytest.mark.parametrize("role", ["direction", "oc", "isc", "admin", "tenant_b", "outsider"])
def test_published_minutes_stay_hidden_from_non_members(world, client, auth, role):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(getattr(world, role))
    assert client.get(f"/minutes/{minutes.id}").status_code == 404


def test_site_tenant_reads_published_minutes_when_the_body_opens_them(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    neighbour = f.make_user(name="Voisine du Parc")
    f.make_tenancy(user=neighbour, site=world.s1)
    db.session.commit()
    auth.login(neighbour)
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
    world.adl_a.minutes_audience = MinutesAudience.SITE_TENANTS
    db.session.commit()
    assert client.get(f"/minutes/{minutes.id}").status_code == 200


def test_site_tenant_never_sees_a_draft(world, client, auth):
    world.adl_a.minutes_audience = MinutesAudience.SITE_TENANTS
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    neighbour = f.make_user(name="Voisin du Parc")
    f.make_tenancy(user=neighbour, site=world.s1)
    db.session.commit()
    auth.login(neighbour)
    assert client.get(f"/minutes/{minutes.id}").status_code == 404


def _meeting_panel(app, meeting) -> str:
    """The minutes box the meeting page's hook gathers for the logged-in user ("" if none)."""
    from flask import render_template
    from flask_login import current_user

    from tenantvoice.minutes import panels

    panel = panels.meeting_minutes(app, meeting=meeting, user=current_user)
    if panel is None:
        return ""
    return render_template(panel.partial, panel=panel, meeting=meeting)


def test_meeting_link_partial_offers_drafting_to_officers(world, client, auth, app):
    from tests.minutes.helpers import board_meeting, in_request

    meeting = board_meeting(world.adl_a)
    db.session.commit()
    with in_request():
        from flask_login import login_user

        login_user(world.officer_a)
        html = _meeting_panel(app, meeting)
    assert f'action="/meetings/{meeting.id}/minutes"' in html
    with in_request():
        from flask_login import login_user

        login_user(world.tenant_a)
        html = _meeting_panel(app, meeting)
    assert html.strip() == ""  # no minutes yet, and a tenant may not draft them


def test_the_body_page_leads_members_to_the_minutes(world, client, auth):
    auth.login(world.tenant_a)
    body = client.get(f"/bodies/{world.adl_a.id}").get_data(as_text=True)
    assert f'href="/bodies/{world.adl_a.id}/minutes"' in body
    assert "Read and search the minutes" in body


def test_the_body_page_gives_the_housing_office_no_minutes_link(world, client, auth):
    auth.login(world.direction)
    response = client.get(f"/bodies/{world.adl_a.id}")
    assert f'href="/bodies/{world.adl_a.id}/minutes"' not in response.get_data(as_text=True)
