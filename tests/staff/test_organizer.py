"""What an organizer (OC) sees (issue 9, "What each staff role needs to see"): the region named,
the upcoming meetings that invite them, the associations that call for support, the minutes a
body shares with its organizer (off by default, offered at setup), and buildings chosen with
checkboxes at setup."""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingKind, MeetingStatus
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import Body, MemberRole
from tests import factories as f
from tests.minutes.helpers import minutes_in_state


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.text


def test_home_names_the_organizers_region(world, client, auth):
    auth.login(world.oc)
    assert "Region: Région des Etchemins" in _home(client)


def test_an_oc_scoped_to_one_provider_sees_its_region_named(world, client, auth):
    user = f.make_staff(role=f.StaffRole.OC, provider=world.p3).user
    db.session.commit()
    auth.login(user)
    assert "Region: Région du Littoral" in _home(client)


def test_home_lists_the_upcoming_meetings_that_invite_the_organizer(world, client, auth):
    f.make_meeting(body=world.adl_a, title="AGA du Parc", oc_invited=True)
    f.make_meeting(
        body=world.adl_c, title="AGA Solidaire", oc_invited=True, starts_in=timedelta(days=3)
    )
    f.make_meeting(body=world.adl_b, title="Réunion interne", oc_invited=False)
    f.make_meeting(body=world.adl_d, title="AGA d'une autre région", oc_invited=True)
    f.make_meeting(body=world.adl_a, title="Brouillon", oc_invited=True, status=MeetingStatus.DRAFT)
    f.make_meeting(body=world.adl_a, title="Passée", oc_invited=True, starts_in=-timedelta(days=3))
    db.session.commit()
    auth.login(world.oc)
    page = _home(client)
    assert page.index("AGA Solidaire") < page.index("AGA du Parc")  # soonest first
    for hidden in ("Réunion interne", "AGA d'une autre région", "Brouillon", "Passée"):
        assert hidden not in page


def test_the_organizers_meetings_are_bounded_with_the_total(world, client, auth):
    for n in range(12):
        f.make_meeting(
            body=world.adl_a,
            title=f"Rencontre {n:02d}",
            oc_invited=True,
            starts_in=timedelta(days=10 + n),
        )
    db.session.commit()
    auth.login(world.oc)
    page = _home(client)
    assert "Rencontre 09" in page
    assert "Rencontre 10" not in page
    assert "The next 10 of 12 meetings." in page


def test_home_statements_do_not_grow_with_meetings_and_alerts(world, client, auth):
    from sqlalchemy import event

    auth.login(world.oc)
    p1_id, adl_a_id = world.p1.id, world.adl_a.id

    def count() -> int:
        db.session.remove()
        statements = []

        def listener(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    f.make_meeting(body=world.adl_a, title="Une", oc_invited=True)
    db.session.commit()
    count()
    before = count()
    provider = db.session.get(f.Provider, p1_id)
    assert adl_a_id
    for n in range(8):
        body = f.make_body(provider=provider, name=f"Nouvelle {n}")
        f.make_meeting(body=body, title=f"AGA {n}", oc_invited=True)
    db.session.commit()
    assert count() == before
    print(f"organizer home: {before} statements")


def test_alerts_call_for_support(world, client, auth):
    # ADL A: a secretary and a president (2 elected), no AGA, no recognition recorded.
    # ADL B: 3 elected, an AGA 200 days ago, recognized: no alert.
    world.adl_b.recognized_on = clock.today() - timedelta(days=400)
    for role in (MemberRole.PRESIDENT, MemberRole.TREASURER):
        f.make_member(body=world.adl_b, name=f"Élu {role}", role=role)
    f.make_meeting(
        body=world.adl_b, kind=MeetingKind.AGM, title="AGA", starts_in=-timedelta(days=200)
    )
    db.session.commit()
    auth.login(world.oc)
    page = _home(client)
    start = page.index(f'id="home-alert-{world.adl_a.id}"')
    alert_a = page[start : page.index("</section>", start)]
    assert "No annual general meeting held or called in the last 12 months." in alert_a
    assert "The elected board has 2 people (at least 3 are needed)." in alert_a
    assert "No recognition by the office is recorded." in alert_a
    assert f'id="home-alert-{world.adl_b.id}"' not in page  # AGA 200 days ago, 3 elected
    assert f'id="home-alert-{world.ccr.id}"' not in page  # a CCR holds no AGA
    assert f'id="home-alert-{world.adl_d.id}"' not in page  # another region
    # Counts only: no name from a register.
    assert "Gérard Côté" not in page


def test_an_old_agm_and_a_cancelled_one_do_not_count(world, client, auth):
    world.adl_b.recognized_on = clock.today()
    for role in (MemberRole.PRESIDENT, MemberRole.TREASURER):
        f.make_member(body=world.adl_b, name=f"Élu {role}", role=role)
    f.make_meeting(body=world.adl_b, title="AGA", starts_in=-timedelta(days=400))
    f.make_meeting(body=world.adl_b, title="AGA", status=MeetingStatus.CANCELLED)
    db.session.commit()
    auth.login(world.oc)
    assert f'id="home-alert-{world.adl_b.id}"' in _home(client)


def test_a_tenant_and_the_direction_see_no_alerts(world, client, auth):
    for user in (world.tenant_a, world.officer_a, world.direction):
        auth.login(user)
        assert "home-alerts" not in _home(client)
        auth.logout()


# --- minutes shared with the organizer ------------------------------------------------------


def test_minutes_are_not_shared_with_the_organizer_by_default(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.oc)
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
    assert client.get(f"/bodies/{world.adl_a.id}/minutes").status_code == 404


def test_shared_published_minutes_are_read_by_the_organizer_only(world, client, auth):
    world.adl_a.minutes_shared_with_organizer = True
    published = minutes_in_state(world, MinutesState.PUBLISHED)
    draft = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.oc)
    page = client.get(f"/minutes/{published.id}")
    assert page.status_code == 200
    assert "plainte contre le concierge" not in page.text  # in camera: never published
    assert client.get(f"/minutes/{draft.id}").status_code == 404
    assert client.get(f"/bodies/{world.adl_a.id}/minutes").status_code == 200
    for user in (world.oc_other, world.isc, world.direction, world.admin):
        auth.logout()
        auth.login(user)
        assert client.get(f"/minutes/{published.id}").status_code == 404, user.name


def test_officers_share_or_stop_sharing_in_the_rules(world, client, auth):
    auth.login(world.officer_a)
    page = client.get(f"/bodies/{world.adl_a.id}/rules").text
    assert "Share our published minutes with our community organizer" in page
    assert "housing office" not in page.split("Sharing with staff")[1]  # an ADL: never the office
    data = {
        "notice_days_general": "10",
        "notice_days_board": "3",
        "quorum_mode": "percent",
        "quorum_number": "5",
        "quorum_percent": "10",
        "quorum_base": "adults",
        "quorum_minimum": "5",
        "franchise": "adult",
        "minutes_audience": "members",
        "answer_delay_days": "45",
        "minutes_shared_with_organizer": "y",
        "minutes_shared_with_office": "y",
    }
    assert client.post(f"/bodies/{world.adl_a.id}/rules", data=data).status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.minutes_shared_with_organizer is True
    assert world.adl_a.minutes_shared_with_office is False  # an ADL never shares with the office
    del data["minutes_shared_with_organizer"]
    assert client.post(f"/bodies/{world.adl_a.id}/rules", data=data).status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.minutes_shared_with_organizer is False


# --- the setup form ---------------------------------------------------------------------------


def _setup(client, world, **extra):
    data = {
        "provider_id": str(world.p1.id),
        "kind": "adl",
        "name": "Association nouvelle",
        "site_ids": [str(world.s1.id), str(world.s2.id)],
        "officers-0-role": "president",
        "officers-0-name": "Nadia Haddad",
        "officers-1-role": "secretary",
        "officers-2-role": "treasurer",
    }
    data.update(extra)
    return client.post("/bodies/new", data=data)


def test_setup_offers_buildings_as_checkboxes_and_sharing_off(world, client, auth):
    auth.login(world.oc)
    page = client.get("/bodies/new").text
    assert 'name="site_ids" type="checkbox"' in page  # never required: one box is enough
    assert 'name="site_ids" required' not in page
    assert "Hold Ctrl" not in page
    assert "<select multiple" not in page
    assert 'multiple id="site_ids"' not in page
    assert "Share the body's published minutes with its community organizer" in page
    assert _setup(client, world).status_code == 302
    body = db.session.scalar(sa.select(Body).where(Body.name == "Association nouvelle"))
    assert {s.id for s in body.sites} == {world.s1.id, world.s2.id}
    assert body.minutes_shared_with_organizer is False


def test_setup_can_share_minutes_with_the_organizer(world, client, auth):
    auth.login(world.oc)
    assert _setup(client, world, minutes_shared_with_organizer="y").status_code == 302
    body = db.session.scalar(sa.select(Body).where(Body.name == "Association nouvelle"))
    assert body.minutes_shared_with_organizer is True


def test_setup_without_a_building_says_so_next_to_the_checkboxes(world, client, auth):
    auth.login(world.oc)
    response = _setup(client, world, site_ids=[])
    assert response.status_code == 422
    assert 'id="site_ids-errors"' in response.text
    assert "Choose at least one building." in response.text
