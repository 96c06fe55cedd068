"""The body page and the body's rules."""

from tenantvoice.extensions import db
from tenantvoice.orgs.models import MemberRole, QuorumMode
from tests import factories as f


def test_body_page_shows_officers_without_units_or_phones(world, client, auth):
    auth.login(world.tenant_a)
    response = client.get(f"/bodies/{world.adl_a.id}")
    assert response.status_code == 200
    assert "Fatima Benali" in response.text
    assert "Jean Gagnon" in response.text
    assert "Gérard Côté" not in response.text  # plain members are not listed
    assert "Run this body" not in response.text
    assert "Habitations du Parc" in response.text


def test_officer_sees_run_panel_and_small_board_warning(world, client, auth):
    auth.login(world.officer_a)
    response = client.get(f"/bodies/{world.adl_a.id}")
    assert "Run this body" in response.text
    assert f"/bodies/{world.adl_a.id}/members" in response.text
    assert "at least 3 elected people" in response.text


def test_no_warning_with_three_officers(world, client, auth):
    f.make_member(body=world.adl_a, name="Trésorière", role=MemberRole.TREASURER)
    db.session.commit()
    auth.login(world.officer_a)
    assert "at least 3 elected people" not in client.get(f"/bodies/{world.adl_a.id}").text


def test_direction_sees_recognition_but_not_warning(world, client, auth):
    auth.login(world.direction)
    response = client.get(f"/bodies/{world.adl_a.id}")
    assert response.status_code == 200
    assert "Run this body" not in response.text
    assert "at least 3 elected people" not in response.text


def test_rules_saved_by_officer(world, client, auth):
    auth.login(world.officer_a)
    data = {
        "notice_days_general": "12",
        "notice_days_board": "2",
        "quorum_mode": "number",
        "quorum_number": "7",
        "quorum_percent": "10",
        "quorum_base": "units",
        "quorum_minimum": "5",
        "franchise": "unit",
        "minutes_audience": "site_tenants",
        "answer_delay_days": "30",
    }
    response = client.post(f"/bodies/{world.adl_a.id}/rules", data=data)
    assert response.status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.quorum_mode == QuorumMode.NUMBER
    assert world.adl_a.quorum_number == 7
    assert world.adl_a.secret_ballot_default is False


def test_rules_out_of_range_is_422(world, client, auth):
    auth.login(world.officer_a)
    data = {
        "notice_days_general": "0",
        "notice_days_board": "2",
        "quorum_mode": "number",
        "quorum_number": "7",
        "quorum_percent": "150",
        "quorum_base": "units",
        "quorum_minimum": "5",
        "franchise": "unit",
        "minutes_audience": "members",
        "answer_delay_days": "30",
    }
    response = client.post(f"/bodies/{world.adl_a.id}/rules", data=data)
    assert response.status_code == 422
    assert "Between 1 and 100." in response.text
    assert 'value="150"' in response.text
    db.session.refresh(world.adl_a)
    assert world.adl_a.notice_days_general == 10


def test_rules_page_forbidden_to_plain_member(world, client, auth):
    auth.login(world.tenant_a)
    assert client.get(f"/bodies/{world.adl_a.id}/rules").status_code == 403
