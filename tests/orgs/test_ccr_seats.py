"""A CCR as a body (issue 11, domain-rules 2.3 C2): at most 25 members, residents of the office's
buildings, tenant directors ex officio, the others designated by a recognized association or
appointed by the office, never the office's staff. Every path that enters a register entry of
a CCR keeps these rules: the register form, invitations and joining, the admin's setup, the
seeders."""

import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from tenantvoice import seed
from tenantvoice.accounts.models import StaffRole
from tenantvoice.assembly import seats as assembly_seats
from tenantvoice.assembly.models import ResolutionOutcome, SeatDesignation
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations, seats, services
from tenantvoice.orgs.models import Body, BodyKind, Invitation, Member, MemberRole, SeatSource
from tests import factories as f
from tests.minutes.helpers import make_resolution


def _officer(w):
    user = f.make_tenant(body=w.ccr, role=MemberRole.SECRETARY, name="Chantal Lévesque")
    db.session.commit()
    return user


def _url(w):
    return f"/bodies/{w.ccr.id}/members/new"


def _valid(w, **over):
    data = {
        "form_key": uuid.uuid4().hex,
        "name": "Amina Haddad",
        "site_id": str(w.s1.id),
        "unit": "204",
        "phone": "",
        "is_adult": "y",
        "role": "member",
        "seat_source": "appointed",
        "designated_by_id": "",
        "since": "",
        "until": "",
    }
    data.update(over)
    return data


def _entries(w, name="Amina Haddad"):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Member).where(Member.body_id == w.ccr.id, Member.name == name)
    ).all()


def _fill(w, n):
    for i in range(n):
        f.make_member(body=w.ccr, name=f"Délégué {i}")
    db.session.commit()


def test_an_appointed_resident_is_entered(world, client, auth):
    auth.login(_officer(world))
    response = client.post(_url(world), data=_valid(world))
    assert response.status_code == 302
    (entry,) = _entries(world)
    assert entry.seat_source == SeatSource.APPOINTED


def test_the_26th_member_is_refused_next_to_the_name(world, client, auth):
    auth.login(_officer(world))
    _fill(world, 24)  # with the officer: 25
    response = client.post(_url(world), data=_valid(world))
    assert response.status_code == 422
    assert "already has 25 members" in response.text
    assert 'id="name-errors"' in response.text
    assert _entries(world) == []


def test_the_25th_member_is_accepted(world, client, auth):
    auth.login(_officer(world))
    _fill(world, 23)
    assert client.post(_url(world), data=_valid(world)).status_code == 302
    assert len(_entries(world)) == 1


def test_a_former_member_does_not_count(world, client, auth):
    auth.login(_officer(world))
    _fill(world, 23)
    f.make_member(body=world.ccr, name="Ancienne", until=date(2020, 1, 1))
    db.session.commit()
    assert client.post(_url(world), data=_valid(world)).status_code == 302


def test_bringing_back_a_former_member_over_25_is_refused(world, client, auth):
    officer = _officer(world)
    _fill(world, 24)
    former = f.make_member(body=world.ccr, name="Ancienne", until=date(2020, 1, 1))
    db.session.commit()
    with pytest.raises(seats.SeatRefusedError):
        services.update_member(
            officer,
            former,
            {"seat_source": SeatSource.APPOINTED, "until": None, "site_id": world.s1.id},
        )
    assert former.until == date(2020, 1, 1)


def test_a_member_without_a_building_is_refused(world, client, auth):
    auth.login(_officer(world))
    response = client.post(_url(world), data=_valid(world, site_id=""))
    assert response.status_code == 422
    assert "live in the office" in response.text
    assert 'id="site_id-errors"' in response.text
    assert _entries(world) == []


def test_a_building_of_another_office_is_refused(world, client, auth):
    officer = _officer(world)
    with pytest.raises(seats.SeatRefusedError) as refused:
        services.add_member(
            officer,
            world.ccr,
            {"name": "X", "site_id": world.s3.id, "role": "member", "seat_source": "appointed"},
        )
    assert "site_id" in refused.value.errors


def test_a_tenant_director_sits_ex_officio(world, client, auth):
    auth.login(_officer(world))
    refused = client.post(
        _url(world), data=_valid(world, role="tenant_director", seat_source="appointed")
    )
    assert refused.status_code == 422
    assert "ex officio" in refused.text
    accepted = client.post(
        _url(world), data=_valid(world, role="tenant_director", seat_source="ex_officio")
    )
    assert accepted.status_code == 302
    (entry,) = _entries(world)
    assert entry.seat_source == SeatSource.EX_OFFICIO


def test_only_a_tenant_director_sits_ex_officio(world, client, auth):
    auth.login(_officer(world))
    response = client.post(_url(world), data=_valid(world, seat_source="ex_officio"))
    assert response.status_code == 422
    assert 'id="seat_source-errors"' in response.text
    assert _entries(world) == []


@pytest.mark.parametrize("source", ["elected", "coopted", "registered"])
def test_other_seat_sources_are_refused(world, client, auth, source):
    auth.login(_officer(world))
    response = client.post(_url(world), data=_valid(world, seat_source=source))
    assert response.status_code == 422
    assert _entries(world) == []


def test_a_designated_seat_names_a_recognized_association(world, client, auth):
    auth.login(_officer(world))
    no_adl = client.post(_url(world), data=_valid(world, seat_source="designated"))
    assert no_adl.status_code == 422
    assert 'id="designated_by_id-errors"' in no_adl.text
    world.adl_a.recognized_on = date(2024, 5, 1)
    db.session.commit()
    ok = client.post(
        _url(world), data=_valid(world, seat_source="designated", designated_by_id=world.adl_a.id)
    )
    assert ok.status_code == 302
    (entry,) = _entries(world)
    assert entry.designated_by_id == world.adl_a.id


def test_an_unrecognized_or_foreign_association_cannot_designate(world):
    officer = _officer(world)
    world.adl_c.recognized_on = date(2024, 5, 1)  # recognized, but by another provider
    for adl in (world.adl_b, world.adl_c):
        with pytest.raises(seats.SeatRefusedError) as refused:
            services.add_member(
                officer,
                world.ccr,
                {
                    "name": "X",
                    "site_id": world.s1.id,
                    "role": "member",
                    "seat_source": "designated",
                    "designated_by_id": adl.id,
                },
            )
        assert "designated_by_id" in refused.value.errors


def test_the_form_offers_the_recognized_associations(world, client, auth):
    world.adl_a.recognized_on = date(2024, 5, 1)
    auth.login(_officer(world))
    page = client.get(_url(world)).text
    assert world.adl_a.name in page
    assert world.adl_b.name not in page


def test_an_adl_register_keeps_its_own_rules(world, client, auth):
    auth.login(world.officer_a)
    data = _valid(world, seat_source="registered", site_id="")
    response = client.post(f"/bodies/{world.adl_a.id}/members/new", data=data)
    assert response.status_code == 302


def test_office_staff_cannot_accept_a_ccr_seat(world):
    officer = _officer(world)
    entry = services.add_member(
        officer,
        world.ccr,
        {"name": "Denis", "site_id": world.s1.id, "role": "member", "seat_source": "appointed"},
    )
    with pytest.raises(seats.SeatRefusedError) as refused:
        invitations.offer_to_account(officer, world.ccr, world.direction, entry)
    assert refused.value.errors == {"name": seats.MSG_STAFF}


def test_office_staff_cannot_take_a_seat_from_a_pending_invitation(world, client, auth):
    officer = _officer(world)
    entry = f.make_member(body=world.ccr, name="Denis")
    # An invitation made before the person became office staff.
    invitation = invitations.offer_to_account(officer, world.ccr, world.tenant_a, entry)
    invitation.invitee_id = world.isc.id
    db.session.commit()
    auth.login(world.isc)
    response = client.post(f"/invitations/{invitation.id}/accept")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Member, entry.id).user_id is None
    assert db.session.get(Invitation, invitation.id).used_at is None


def test_staff_of_another_office_is_not_office_staff(world):
    other = f.make_staff(role=StaffRole.DIRECTION, provider=world.p3).user
    assert not seats.is_office_staff(world.ccr, other.id)
    assert seats.is_office_staff(world.ccr, world.direction.id)


def test_a_ccr_invitation_needs_a_register_entry(world, client, auth):
    auth.login(_officer(world))
    response = client.post(
        f"/bodies/{world.ccr.id}/invitations/new",
        data={
            "form_key": uuid.uuid4().hex,
            "count": "1",
            "member_id": "",
            "site_id": "",
            "unit": "",
            "label": "",
        },
    )
    assert response.status_code == 422
    assert "register first" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_a_legacy_ccr_code_without_entry_is_refused_at_joining(world, client):
    invitation, code = invitations.create_invitation(None, world.adl_a)
    invitation.body_id = world.ccr.id
    db.session.commit()
    page = client.post("/join", data={"code": code})
    assert page.status_code == 200
    response = client.post(
        "/join",
        data={
            "code": code,
            "step": "details",
            "name": "Nouvelle",
            "email": "nouvelle@example.org",
            "phone": "",
            "password": "un mot de passe assez long",
            "password_confirm": "un mot de passe assez long",
        },
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert _entries(world, "Nouvelle") == []


def test_the_setup_names_a_ccr_officer_as_appointed_and_refuses_staff(world):
    officer = _officer(world)
    entry = services.name_officer(officer, world.ccr, "president", name="Paul Ouellet")
    assert entry.seat_source == SeatSource.APPOINTED
    director = services.name_officer(officer, world.ccr, "tenant_director", name="Anna K")
    assert director.seat_source == SeatSource.EX_OFFICIO
    # Named like anyone (the setup's answer must not tell who is staff), refused at acceptance.
    named = services.name_officer(officer, world.ccr, "president", user=world.direction)
    assert named.user_id is None
    offer = db.session.scalar(sa.select(Invitation).where(Invitation.member_id == named.id))
    with pytest.raises(seats.SeatRefusedError):
        invitations.redeem(offer, world.direction)


def test_the_demo_ccr_keeps_the_rules(app):
    seed.seed_demo()
    ccr = db.session.scalar(sa.select(Body).where(Body.kind == BodyKind.CCR))
    entries = db.session.scalars(sa.select(Member).where(Member.body_id == ccr.id)).all()
    assert 0 < len(entries) <= seats.CCR_CAP
    for entry in entries:
        assert entry.seat_source in seats.CCR_SEAT_SOURCES
        assert entry.site.provider_id == ccr.provider_id


def test_a_designated_seat_links_to_the_adopted_resolution(world):
    officer = _officer(world)
    world.adl_a.recognized_on = date(2024, 5, 1)
    entry = services.add_member(
        officer,
        world.ccr,
        {
            "name": "Déléguée",
            "site_id": world.s1.id,
            "role": "member",
            "seat_source": "designated",
            "designated_by_id": world.adl_a.id,
        },
    )
    meeting = f.make_meeting(body=world.adl_a)
    other = f.make_meeting(body=world.adl_b)
    meeting.year_number = other.year_number = 1
    adopted = make_resolution(meeting, outcome=ResolutionOutcome.CARRIED_UNANIMOUSLY)
    defeated = make_resolution(meeting, outcome=ResolutionOutcome.DEFEATED)
    foreign = make_resolution(other, outcome=ResolutionOutcome.CARRIED_MAJORITY)
    assert assembly_seats.designating_resolutions(entry) == [adopted]
    for wrong in (defeated, foreign):
        with pytest.raises(assembly_seats.SeatLinkError):
            assembly_seats.link_designation(officer, entry, wrong)
    assembly_seats.link_designation(officer, entry, adopted)
    db.session.commit()
    assert db.session.get(SeatDesignation, entry.id).resolution_id == adopted.id
    assert assembly_seats.designation_of(entry) == adopted


def test_the_setup_form_names_office_staff_like_anyone_but_never_seats_them(world, client, auth):
    """The form no longer refuses them next to the email (that told who is office staff, see
    tests/orgs/test_setup_no_enumeration.py); the entry stays without an account."""
    staff = f.make_staff(
        role=StaffRole.DIRECTION,
        provider=world.p1,
        user=f.make_user(name="Dana Direction", email="dana@example.org"),
    ).user
    db.session.commit()
    auth.login(world.admin)
    response = client.post(
        "/bodies/new",
        data={
            "provider_id": str(world.p1.id),
            "kind": "ccr",
            "name": "CCR de l'Anse",
            "site_ids": [str(world.s1.id)],
            "officers-0-role": "president",
            "officers-0-name": "Dana Direction",
            "officers-0-email": staff.email,
            "officers-1-role": "member",
            "officers-2-role": "member",
        },
    )
    assert response.status_code == 302
    assert "Office staff cannot be members" not in client.get(response.headers["Location"]).text
    body = db.session.scalar(sa.select(Body).where(Body.name == "CCR de l'Anse"))
    entry = db.session.scalar(sa.select(Member).where(Member.body_id == body.id))
    assert entry.user_id is None
    assert staff.id not in {m.user_id for m in body.members}


def test_an_association_whose_recognition_ended_no_longer_designates(world):
    officer = _officer(world)
    world.adl_a.recognized_on = date(2020, 5, 1)
    world.adl_a.recognition_ended_on = date(2025, 9, 30)
    data = {
        "name": "X",
        "site_id": world.s1.id,
        "role": "member",
        "seat_source": "designated",
        "designated_by_id": world.adl_a.id,
    }
    with pytest.raises(seats.SeatRefusedError):
        services.add_member(officer, world.ccr, data)
    # A seat it designated while it was recognized stays valid.
    entry = services.add_member(officer, world.ccr, {**data, "since": date(2024, 1, 15)})
    assert entry.designated_by_id == world.adl_a.id
