"""The member register: officers list, add, edit and end entries; others never see it."""

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Member, MemberRole, Site
from tests import factories as f


def _url(w, suffix=""):
    return f"/bodies/{w.adl_a.id}/members{suffix}"


def _valid(w, **over):
    data = {
        "form_key": uuid.uuid4().hex,  # adding is claimed once (editing ignores it)
        "name": "Amina Haddad",
        "site_id": str(w.s1.id),
        "unit": "204",
        "phone": "418 555-0199",
        "is_adult": "y",
        "role": "member",
        "seat_source": "registered",
        "since": "",
        "until": "",
    }
    data.update(over)
    return data


def test_officer_sees_register_with_paper_member(world, client, auth):
    auth.login(world.officer_a)
    response = client.get(_url(world))
    assert response.status_code == 200
    assert "Gérard Côté" in response.text
    assert "Lucie Tremblay" in response.text


def test_search_filters_by_name_and_unit(world, client, auth):
    auth.login(world.officer_a)
    response = client.get(_url(world, "?q=112"))
    assert "Gérard Côté" in response.text
    assert "Lucie Tremblay" not in response.text


def test_htmx_search_returns_rows_partial(world, client, auth):
    auth.login(world.officer_a)
    response = client.get(_url(world, "?q=c%C3%B4t"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="register-rows">')
    assert "<html" not in response.text


def test_plain_member_gets_403(world, client, auth):
    auth.login(world.tenant_a)
    assert client.get(_url(world)).status_code == 403


@pytest.mark.parametrize("role", ["direction", "oc", "isc", "admin", "officer_b"])
def test_direction_oc_isc_admin_get_404(world, client, auth, role):
    auth.login(getattr(world, role))
    assert client.get(_url(world)).status_code == 404


def test_add_member_records_consent_time(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(_url(world, "/new"), data=_valid(world, consent_contact="y"))
    assert response.status_code == 302
    member = db.session.scalar(sa.select(Member).where(Member.name == "Amina Haddad"))
    assert member.phone == "4185550199"
    assert member.consent_contact is True
    assert member.consent_recorded_at is not None
    assert member.since is not None


def test_consent_is_off_by_default(world, client, auth):
    auth.login(world.officer_a)
    page = client.get(_url(world, "/new")).text
    assert 'name="consent_contact"' in page
    assert 'name="consent_contact" type="checkbox" value="y" checked' not in page
    client.post(_url(world, "/new"), data=_valid(world))
    member = db.session.scalar(sa.select(Member).where(Member.name == "Amina Haddad"))
    assert member.consent_contact is False
    assert member.consent_recorded_at is None


def test_bad_input_is_422_with_messages_and_values_kept(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(
        _url(world, "/new"),
        data=_valid(world, name="", unit="x" * 21, phone="555-12", role="emperor"),
    )
    assert response.status_code == 422
    assert "Enter the person" in response.text
    assert "At most 20 characters." in response.text
    assert "Enter a 10-digit phone number" in response.text
    assert "555-12" in response.text
    assert (
        db.session.scalar(sa.select(sa.func.count(Member.id)).where(Member.unit == "x" * 21)) == 0
    )


def test_site_must_be_one_of_the_body(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(_url(world, "/new"), data=_valid(world, site_id=str(world.s3.id)))
    assert response.status_code == 422


def test_edit_member_changes_role(world, client, auth):
    auth.login(world.officer_a)
    paper = world.paper_member_a
    page = client.get(_url(world, f"/{paper.id}/edit"))
    assert page.status_code == 200
    assert 'value="112"' in page.text
    response = client.post(
        _url(world, f"/{paper.id}/edit"),
        data=_valid(
            world, name="Gérard Côté", unit="112", phone="", role="treasurer", seat_source="elected"
        ),
    )
    assert response.status_code == 302
    db.session.refresh(paper)
    assert paper.role == MemberRole.TREASURER


def test_end_membership_keeps_the_entry(world, client, auth):
    auth.login(world.officer_a)
    paper_id = world.paper_member_a.id
    response = client.post(_url(world, f"/{paper_id}/end"))
    assert response.status_code == 302
    member = db.session.get(Member, paper_id)
    assert member is not None
    assert member.until is not None
    client.get(_url(world))  # shows the flash message once
    assert f'id="member-{paper_id}"' not in client.get(_url(world)).text
    assert f'id="member-{paper_id}"' in client.get(_url(world, "?former=1")).text


def test_cannot_touch_entry_of_another_body(world, client, auth):
    auth.login(world.officer_a)
    other = f.make_member(body=world.adl_b, name="Autre Personne")
    db.session.commit()
    assert client.post(_url(world, f"/{other.id}/end")).status_code == 404


def test_register_list_query_count_is_constant(world, client, auth):
    auth.login(world.officer_a)
    url = _url(world)
    body_id, site_id = world.adl_a.id, world.s1.id

    def count_for_request():
        db.session.remove()  # a fresh session: nothing already loaded
        statements = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    count_for_request()  # warm up: the first request of a session does more
    before = count_for_request()
    body = db.session.get(Body, body_id)
    site = db.session.get(Site, site_id)
    for n in range(15):
        f.make_member(body=body, name=f"Membre {n}", site=site)
    db.session.commit()
    assert count_for_request() == before


def test_search_ignores_accents_and_case(world, client, auth):
    auth.login(world.officer_a)
    html = client.get(f"/bodies/{world.adl_a.id}/members?q=GERARD COTE").text
    assert "Gérard Côté" in html
    assert "Lucie Tremblay" not in html


# --- a big register: pages, counted and filtered by the database (issue 8) ---------------------


def _many(world, n: int, prefix: str = "Membre") -> None:
    for i in range(n):
        f.make_member(body=world.adl_a, name=f"{prefix} {i:03d}", unit=f"{700 + i}")
    db.session.commit()


def test_a_big_register_is_cut_into_pages_with_the_total(world, client, auth):
    auth.login(world.officer_a)
    _many(world, 60)  # + the 4 entries of the world: pages of 25
    first = client.get(_url(world)).text
    assert "64 entries · showing 1 to 25" in first
    assert first.count('class="card" id="member-') == 25
    assert f'href="/bodies/{world.adl_a.id}/members?page=2"' in first
    assert 'rel="prev"' not in first
    last = client.get(_url(world, "?page=3")).text
    assert last.count('class="card" id="member-') == 14
    assert 'rel="next"' not in last
    assert "Page 3 of 3" in last


def test_page_links_keep_the_search_and_the_filter(world, client, auth):
    auth.login(world.officer_a)
    _many(world, 30)
    page = client.get(_url(world, "?q=MEMBRE&former=1")).text
    assert "30 entries" in page
    assert "Gérard Côté" not in page
    assert "members?q=MEMBRE&amp;former=1&amp;page=2" in page


@pytest.mark.parametrize(("asked", "shown"), [("99", "Page 2 of 2"), ("abc", "Page 1 of 2")])
def test_a_page_past_the_end_or_not_a_number_still_shows_a_page(world, client, auth, asked, shown):
    auth.login(world.officer_a)
    _many(world, 30)
    response = client.get(_url(world, f"?page={asked}"))
    assert response.status_code == 200
    assert shown in response.text


def test_the_search_follows_a_renamed_entry(world, client, auth):
    """The folded copy the database searches is kept in step with the name and the unit."""
    auth.login(world.officer_a)
    paper = world.paper_member_a
    client.post(
        _url(world, f"/{paper.id}/edit"),
        data=_valid(world, name="Éloïse Béland", unit="B-9", phone="", role="member"),
    )
    assert "Éloïse Béland" in client.get(_url(world, "?q=eloise BELAND")).text
    assert "Éloïse Béland" in client.get(_url(world, "?q=b-9")).text
    assert "Éloïse Béland" not in client.get(_url(world, "?q=gerard")).text


def test_like_wildcards_in_a_search_are_plain_characters(world, client, auth):
    auth.login(world.officer_a)
    assert "No one matches." in client.get(_url(world, "?q=%25")).text
    assert "No one matches." in client.get(_url(world, "?q=_")).text
