"""The housing office's staff never sit in any of its tenants' bodies (domain-rules §5.3, C2):
not only its CCR but its associations and committees, at every door into a register entry or
an officer seat (an invitation code, an in-app invitation, the setup naming first officers, an
officer editing a linked entry) and the other way round (the admin giving a staff role to
someone already seated). The decision is `policy.can_sit_in` / `policy.can_take_office_role`.

As for the CCR: the refusal is told to the staff member alone, whoever invited or named them
sees the same as for anyone, and nothing is recorded when it is refused."""

import html
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock, policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations, seats, services
from tenantvoice.orgs.models import Body, Invitation, Member, MemberRole, StaffAssignment, Tenancy
from tests import factories as f
from tests.orgs.setup_helpers import seen_after_setup as _seen
from tests.orgs.setup_helpers import set_up_body

MSG_EN = "Office staff cannot be members of its tenants' associations and committees."
MSG_FR = (
    "Le personnel de l'office ne peut pas être membre de ses associations et comités de locataires."
)


def _office_staff(w, role):
    """A staff member of office P1 (the world's associations A and B, its CCR)."""
    if role == "direction":
        return w.direction
    if role == "isc":
        return w.isc
    # An OC assigned to the office itself (the OMHM model), not to the region.
    return f.make_staff(role=StaffRole.OC, provider=w.p1, user=f.make_user(name="Océane OC")).user


def _counts():
    """What a refused door must leave as it was."""
    db.session.expire_all()
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in (AuditEvent, Tenancy, Member)
    )


def _offer(w, user, body=None):
    """The in-app invitation the setup gives an account named as a first officer."""
    body = body or w.adl_a
    entry = services.name_officer(w.oc, body, "president", user=user, name="Dana Dubé")
    offer = db.session.scalar(sa.select(Invitation).where(Invitation.member_id == entry.id))
    db.session.commit()
    return entry, offer


# --- the policy ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["direction", "isc", "oc"])
def test_office_staff_sit_in_none_of_its_bodies(world, role):
    staff = _office_staff(world, role)
    for body in (world.adl_a, world.adl_b, world.ccr):
        assert not policy.can_sit_in(staff, body)
    # Another office's bodies are not theirs.
    assert policy.can_sit_in(staff, world.adl_d)


def test_regional_staff_and_other_offices_staff_may_sit(world):
    # A regional OC (a CISSS's) is not the office's staff; nor is another office's direction.
    assert policy.can_sit_in(world.oc, world.adl_a)
    assert policy.can_sit_in(world.direction_other, world.adl_a)
    assert policy.can_sit_in(world.tenant_a, world.adl_a)


# --- accepting an in-app invitation ----------------------------------------------------------


@pytest.mark.parametrize("role", ["direction", "isc", "oc"])
def test_office_staff_cannot_accept_a_seat_in_an_association(world, client, auth, role):
    staff = _office_staff(world, role)
    entry, offer = _offer(world, staff)
    before = _counts()
    auth.login(staff)
    response = client.post(f"/invitations/{offer.id}/accept")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/invitations")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert MSG_EN in page
    # Nothing recorded: no link, no use of the invitation, no tenancy, no audit line.
    assert _counts() == before
    assert db.session.get(Member, entry.id).user_id is None
    assert db.session.get(Invitation, offer.id).used_at is None
    assert not policy.is_member(staff, world.adl_a)


def test_the_refusal_is_said_in_french(world, client, auth):
    _entry, offer = _offer(world, world.direction, body=world.adl_b)
    auth.login(world.direction)
    response = client.post(f"/invitations/{offer.id}/accept", headers={"Accept-Language": "fr-CA"})
    page = html.unescape(
        client.get(response.headers["Location"], headers={"Accept-Language": "fr-CA"}).text
    )
    assert MSG_FR in page


def test_the_ccr_keeps_its_own_message(world, client, auth):
    _entry, offer = _offer(world, world.isc, body=world.ccr)
    auth.login(world.isc)
    response = client.post(f"/invitations/{offer.id}/accept")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Office staff cannot be members of its CCR." in page


def test_other_staff_accept_a_seat_as_anyone(world, client, auth):
    entry, offer = _offer(world, world.direction_other)
    auth.login(world.direction_other)
    response = client.post(f"/invitations/{offer.id}/accept")
    assert response.status_code == 302
    assert db.session.get(Member, entry.id).user_id == world.direction_other.id


def test_an_offer_made_by_any_other_caller_is_refused_at_once(world):
    entry = f.make_member(body=world.adl_a, name="Denis")
    with pytest.raises(seats.SeatRefusedError) as refused:
        invitations.offer_to_account(world.officer_a, world.adl_a, world.direction, entry)
    assert refused.value.errors == {"name": seats.MSG_STAFF_BODY}


# --- an invitation code (a register entry's, or a body's) ------------------------------------


@pytest.mark.parametrize("with_entry", [True, False])
def test_office_staff_cannot_redeem_a_code(world, with_entry):
    entry = world.paper_member_a if with_entry else None
    invitation, _code = invitations.create_invitation(world.officer_a, world.adl_a, member=entry)
    db.session.commit()
    before = _counts()
    with pytest.raises(seats.SeatRefusedError) as refused:
        invitations.redeem(invitation, world.isc)
    assert refused.value.errors == {"name": seats.MSG_STAFF_BODY}
    db.session.rollback()
    assert _counts() == before
    assert db.session.get(Invitation, invitation.id).used_at is None
    assert db.session.get(Member, world.paper_member_a.id).user_id is None


# --- the setup names first officers: it tells nobody who is staff ----------------------------


def _setup(client, w, name, *, email):
    return set_up_body(client, w.p1, w.s2, name, kind="adl", email=email)


@pytest.fixture
def dana(world):
    """The office's direction, with an email the organizer may type."""
    user = f.make_user(name="Dana Direction", email="dana@example.org")
    f.make_staff(role=StaffRole.DIRECTION, provider=world.p1, user=user)
    db.session.commit()
    return user


@pytest.mark.parametrize("organizer", ["admin", "oc"])
def test_an_association_setup_answers_the_same_for_office_staff(
    world, client, auth, dana, organizer
):
    auth.login(getattr(world, organizer))
    staff = _seen(client, _setup(client, world, "ADL Alpha", email=dana.email), "ADL Alpha")
    other = _seen(
        client, _setup(client, world, "ADL Beta", email="inconnu@example.org"), "ADL Beta"
    )
    assert staff[0] == 302
    assert staff == other


def test_office_staff_named_at_setup_never_sit_in_the_association(world, client, auth, dana):
    auth.login(world.oc)
    _setup(client, world, "ADL Alpha", email=dana.email)
    body = db.session.scalar(sa.select(Body).where(Body.name == "ADL Alpha"))
    offer = db.session.scalar(sa.select(Invitation).where(Invitation.body_id == body.id))
    assert offer.invitee_id == dana.id
    auth.login(dana)
    response = client.post(f"/invitations/{offer.id}/accept")
    assert MSG_EN in html.unescape(client.get(response.headers["Location"]).text)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Member.user_id).where(Member.body_id == body.id)) is None


# --- an officer editing an entry linked to office staff (a seat taken before this rule) -----


def _edit(client, w, member, role, **headers):
    return client.post(
        f"/bodies/{w.adl_a.id}/members/{member.id}/edit",
        data={
            "form_key": uuid.uuid4().hex,
            "name": member.name,
            "site_id": str(w.s1.id),
            "unit": member.unit,
            "phone": "",
            "is_adult": "y",
            "role": role,
            "seat_source": "elected",
            "since": "",
            "until": "",
        },
        headers=headers,
    )


@pytest.mark.parametrize(
    ("language", "message"), [("en", MSG_EN), ("fr-CA", MSG_FR)], ids=["en", "fr"]
)
def test_office_staff_already_seated_cannot_be_made_officer(world, client, auth, language, message):
    legacy = f.make_member(body=world.adl_a, user=world.isc, name="Inès ISC", unit="120")
    db.session.commit()
    auth.login(world.officer_a)
    response = _edit(client, world, legacy, "treasurer", **{"Accept-Language": language})
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    db.session.expire_all()
    assert db.session.get(Member, legacy.id).role == MemberRole.MEMBER


def test_the_officers_can_still_end_that_membership(world, client, auth):
    legacy = f.make_member(body=world.adl_a, user=world.isc, name="Inès ISC", unit="120")
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/bodies/{world.adl_a.id}/members/{legacy.id}/end")
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Member, legacy.id).is_current


# --- the staff form: giving a staff role to someone already seated ---------------------------


def _give(client, w, email, role, *, provider=None, region=None, **headers):
    return client.post(
        "/admin/staff",
        data={
            "form_key": uuid.uuid4().hex,
            "email": email,
            "role": role,
            "provider_id": str(provider.id) if provider else "",
            "region_id": str(region.id) if region else "",
            "employer": "",
        },
        headers=headers,
    )


def _roles(user):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(StaffAssignment.role).where(StaffAssignment.user_id == user.id)
    ).all()


@pytest.mark.parametrize("role", ["direction", "isc", "oc"])
def test_the_admin_cannot_make_a_seated_officer_the_offices_staff(world, client, auth, role):
    auth.login(world.admin)
    before = _counts()
    # Jean is an officer of association A; Marie of association B: both of office P1.
    for person in (world.officer_a, world.officer_b):
        response = _give(client, world, person.email, role, provider=world.p1)
        assert response.status_code == 422
        assert "sits in an association or committee of this housing office" in html.unescape(
            response.text
        )
        assert _roles(person) == []
    assert _counts() == before


def test_the_staff_form_refusal_is_said_in_french(world, client, auth):
    auth.login(world.admin)
    response = _give(
        client,
        world,
        world.tenant_a.email,
        "direction",
        provider=world.p1,
        **{"Accept-Language": "fr-CA"},
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Cette personne siège dans une association ou un comité de cet office" in page
    assert "une fois qu'elle en est sortie\u00a0: les dirigeantes et dirigeants" in page


@pytest.mark.parametrize(
    ("role", "scope"),
    [("direction", "p3"), ("oc", "r1"), ("isc", "r1"), ("admin", None)],
)
def test_other_roles_and_scopes_are_given_as_before(world, client, auth, role, scope):
    auth.login(world.admin)
    target = getattr(world, scope) if scope else None
    response = _give(
        client,
        world,
        world.officer_a.email,
        role,
        provider=target if scope and scope.startswith("p") else None,
        region=target if scope and scope.startswith("r") else None,
    )
    assert response.status_code == 302
    assert _roles(world.officer_a) == [StaffRole(role)]


def test_a_former_member_may_become_the_offices_staff(world, client, auth):
    entry = db.session.scalar(sa.select(Member).where(Member.user_id == world.tenant_b.id))
    entry.until = clock.today() - timedelta(days=1)
    db.session.commit()
    auth.login(world.admin)
    response = _give(client, world, world.tenant_b.email, "direction", provider=world.p1)
    assert response.status_code == 302
    assert _roles(world.tenant_b) == [StaffRole.DIRECTION]


def test_the_command_line_refuses_it_too(world, runner):
    result = runner.invoke(
        args=[
            "admin",
            "assign-staff",
            "--email",
            world.president_a.email,
            "--role",
            "direction",
            "--provider",
            world.p1.name,
        ]
    )
    assert result.exit_code != 0
    assert "sits in an association or committee" in result.output
    assert _roles(world.president_a) == []


# --- office staff seated from before the rule: shown to the admin, who may withdraw the role ---

SEATED_EN = "Staff who sit in their own office's tenants' bodies"
SEATED_FR = "Personnel qui siège dans les instances de locataires de son propre office"


def _seated_before_the_rule(w, user=None, body=None):
    """A seat taken before the rule (the doors refuse it now): written straight in."""
    entry = f.make_member(body=body or w.adl_a, user=user or w.isc, name="Inès ISC", unit="120")
    db.session.commit()
    return entry


def test_the_admin_sees_office_staff_seated_in_its_bodies(world, client, auth):
    entry = _seated_before_the_rule(world)
    assignment = db.session.scalar(
        sa.select(StaffAssignment).where(StaffAssignment.user_id == world.isc.id)
    )
    auth.login(world.admin)
    page = html.unescape(client.get("/admin/staff").text)
    section = page.split(SEATED_EN, 1)[1].split("</section>", 1)[0]
    assert world.isc.name in section
    assert world.p1.name in section
    assert f"/admin/staff/{assignment.id}/remove" in section
    # Only what withdrawing the role needs: never which body nor what seat.
    assert world.adl_a.name not in page
    assert entry.unit not in section
    # The staff list and the direction of the same office (not seated) are not in it.
    assert world.direction.name not in section


def test_the_section_is_said_in_french(world, client, auth):
    _seated_before_the_rule(world, body=world.ccr)
    auth.login(world.admin)
    page = html.unescape(client.get("/admin/staff", headers={"Accept-Language": "fr-CA"}).text)
    assert SEATED_FR in page
    assert "le registre est celui de l'instance" in page


def test_no_section_for_seats_the_rule_allows_or_that_ended(world, client, auth):
    # A regional OC and another office's direction sit as anyone; a seat that ended is gone.
    _seated_before_the_rule(world, user=world.oc)
    _seated_before_the_rule(world, user=world.direction_other)
    ended = _seated_before_the_rule(world, user=world.isc)
    ended.until = clock.today() - timedelta(days=1)
    db.session.commit()
    auth.login(world.admin)
    assert SEATED_EN not in html.unescape(client.get("/admin/staff").text)


def test_withdrawing_the_role_leaves_the_seat_to_the_body(world, client, auth):
    entry = _seated_before_the_rule(world)
    assignment = db.session.scalar(
        sa.select(StaffAssignment).where(StaffAssignment.user_id == world.isc.id)
    )
    auth.login(world.admin)
    response = client.post(f"/admin/staff/{assignment.id}/remove")
    assert response.status_code == 302
    assert SEATED_EN not in html.unescape(client.get("/admin/staff").text)
    assert _roles(world.isc) == []
    member = db.session.get(Member, entry.id)
    assert member.user_id == world.isc.id
    assert member.is_current


def test_only_the_admin_sees_the_section(world, client, auth):
    _seated_before_the_rule(world)
    for someone in (world.direction, world.oc, world.officer_a):
        auth.login(someone)
        assert client.get("/admin/staff").status_code == 403
        auth.logout()
