"""Officers' contacts for the organizer (issue 9; trust-and-safety Q-05): each officer gives,
for themselves, a consent of its own (apart from consent to be contacted by the body), off by
default, withdrawn in one click; the region's OC then sees their phone and email, nobody else."""

import sqlalchemy as sa

from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import MemberRole
from tests.minutes.helpers import member_of

PHONE = "418-555-0101"


def _body_page(client, world) -> str:
    response = client.get(f"/bodies/{world.adl_a.id}")
    assert response.status_code == 200
    return response.text


def _give(client, world, share="1"):
    return client.post(f"/bodies/{world.adl_a.id}/my-contact-for-organizer", data={"share": share})


def test_no_contact_is_shared_by_default_even_with_consent_to_be_contacted(world, client, auth):
    entry = member_of(world.officer_a, world.adl_a)
    entry.phone = PHONE
    entry.consent_contact = True  # consent toward the body: not toward the organizer
    db.session.commit()
    auth.login(world.oc)
    page = _body_page(client, world)
    assert "Jean Gagnon" in page
    assert PHONE not in page
    assert "jean@example.org" not in page


def test_an_officer_shares_then_withdraws_their_contact(world, client, auth):
    member_of(world.officer_a, world.adl_a).phone = PHONE
    db.session.commit()
    auth.login(world.officer_a)
    assert "Share my phone and email with the organizer" in _body_page(client, world)
    assert _give(client, world).status_code == 302
    entry = member_of(world.officer_a, world.adl_a)
    assert entry.consent_share_with_organizer is True
    assert entry.consent_organizer_recorded_at is not None
    auth.logout()

    auth.login(world.oc)
    page = _body_page(client, world)
    assert PHONE in page
    assert "jean@example.org" in page
    assert "fatima@example.org" not in page  # the president did not consent
    for user in (world.oc_other, world.isc, world.direction, world.admin, world.tenant_a):
        auth.logout()
        auth.login(user)
        response = client.get(f"/bodies/{world.adl_a.id}")
        assert "jean@example.org" not in response.text, user.name

    auth.logout()
    auth.login(world.officer_a)
    assert "Stop sharing my contact with the organizer" in _body_page(client, world)
    assert _give(client, world, share="0").status_code == 302
    auth.logout()
    auth.login(world.oc)
    assert "jean@example.org" not in _body_page(client, world)  # withdrawn: at once
    actions = db.session.scalars(
        sa.select(AuditEvent.detail)
        .where(AuditEvent.action == "member.consent_organizer")
        .order_by(AuditEvent.id)  # PostgreSQL returns rows in any order without it
    ).all()
    assert actions == ["given", "withdrawn"]


def test_a_former_officer_no_longer_shows_a_contact(world, client, auth):
    auth.login(world.officer_a)
    _give(client, world)
    member_of(world.officer_a, world.adl_a).role = MemberRole.MEMBER
    db.session.commit()
    auth.logout()
    auth.login(world.oc)
    assert "jean@example.org" not in _body_page(client, world)


def test_nobody_consents_for_someone_else(world, client, auth):
    # A plain member has no consent to give; staff cannot reach the route at all.
    auth.login(world.tenant_a)
    assert _give(client, world).status_code == 403
    auth.logout()
    auth.login(world.oc)
    assert _give(client, world).status_code == 404
    assert member_of(world.officer_a, world.adl_a).consent_share_with_organizer is False
    assert member_of(world.president_a, world.adl_a).consent_share_with_organizer is False
