"""What the housing office's direction sees (issue 9; domain-rules 5.2–5.3): a calendar of the
joint CCR meetings it is convened to, a CCR's minutes only where the CCR shares them with the
office (off by default), and nothing of an association's internal life."""

from datetime import timedelta

from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingKind, MeetingStatus
from tenantvoice.minutes.models import MinutesState
from tests import factories as f
from tests.minutes.helpers import member_of, minutes_in_state


def _ccr_officer(world):
    return f.make_tenant(body=world.ccr, role=f.MemberRole.SECRETARY, name="Chantal Lévesque")


def test_home_lists_the_joint_ccr_meetings_of_its_office(world, client, auth):
    f.make_meeting(body=world.ccr, kind=MeetingKind.CCR_JOINT, title="Rencontre conjointe")
    f.make_meeting(body=world.ccr, kind=MeetingKind.CCR_TENANTS, title="Locataires seulement")
    f.make_meeting(body=world.adl_a, kind=MeetingKind.AGM, title="AGA du Parc", oc_invited=True)
    f.make_meeting(
        body=world.ccr, kind=MeetingKind.CCR_JOINT, title="Projet", status=MeetingStatus.DRAFT
    )
    other = f.make_body(provider=world.p2, kind=f.BodyKind.CCR, name="CCR Solidaire")
    f.make_meeting(body=other, kind=MeetingKind.CCR_JOINT, title="Conjointe ailleurs")
    db.session.commit()
    auth.login(world.direction)
    page = client.get("/").text
    assert "Upcoming meetings I am invited to" in page
    assert "Rencontre conjointe" in page
    for hidden in ("Locataires seulement", "AGA du Parc", "Projet", "Conjointe ailleurs"):
        assert hidden not in page
    assert "home-alerts" not in page  # support alerts are the organizer's


def test_a_ccrs_minutes_reach_the_office_only_when_it_shares_them(world, client, auth):
    officer = _ccr_officer(world)
    president = f.make_tenant(body=world.ccr, role=f.MemberRole.PRESIDENT, name="Paul Ouellet")
    db.session.commit()
    minutes = minutes_in_state(
        world, MinutesState.PUBLISHED, body=world.ccr, officer=officer, president=president
    )
    auth.login(world.direction)
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
    world.ccr.minutes_shared_with_office = True
    db.session.commit()
    assert client.get(f"/minutes/{minutes.id}").status_code == 200
    assert client.get(f"/bodies/{world.ccr.id}/minutes").status_code == 200
    auth.logout()
    auth.login(world.direction_other)  # another provider's office
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
    assert member_of(officer, world.ccr) is not None


def test_an_associations_minutes_never_reach_the_office_whatever_its_setting(world, client, auth):
    # Set behind the form's back (the form never offers it to an ADL): the policy still refuses.
    world.adl_a.minutes_shared_with_office = True
    world.adl_a.minutes_shared_with_organizer = True
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.direction)
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
    assert client.get(f"/bodies/{world.adl_a.id}/minutes").status_code == 404


def test_the_office_sees_nothing_of_an_associations_internal_life(world, client, auth):
    meeting = f.make_meeting(
        body=world.adl_a,
        title="AGA du Parc",
        oc_invited=True,
        starts_in=-timedelta(days=2),
    )
    db.session.commit()
    auth.login(world.direction)
    home = client.get("/").text
    body = client.get(f"/bodies/{world.adl_a.id}").text
    for page in (home, body):
        assert "Lucie Tremblay" not in page  # a member
        assert "Gérard Côté" not in page  # a paper member
        assert "AGA du Parc" not in page  # its meetings
    for url in (
        f"/meetings/{meeting.id}",
        f"/bodies/{world.adl_a.id}/members",
        f"/bodies/{world.adl_a.id}/minutes",
    ):
        assert client.get(url).status_code in (403, 404), url


def test_the_ccr_rules_offer_sharing_with_the_office(world, client, auth):
    officer = _ccr_officer(world)
    db.session.commit()
    auth.login(officer)
    page = client.get(f"/bodies/{world.ccr.id}/rules").text
    assert "Share our published minutes with the housing office" in page
