"""Account takeover by staff (issue 6, item 1), end to end.

The attack that worked: an organizer sets up a body naming a tenant's email as a member (and
their own as president), issues the tenant an in-person reset code from the new body's register,
and redeems it anonymously at /reset-code, logged in as the tenant. Each step must now fail:
linking needs the owner's consent (an invitation accepted in the app), a reset code is issued
only by an officer who is not staff, for a non-staff account that joined the body itself, and
/reset-code answers the same whether or not an account exists."""

import sqlalchemy as sa

from tenantvoice.accounts.models import ResetCode
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Invitation, Member, MemberRole
from tests import factories as f
from tests.notifications.helpers import told
from tests.same_page import page_told


def _set_up_body_naming(client, w):
    return client.post(
        "/bodies/new",
        data={
            "provider_id": str(w.p1.id),
            "kind": "committee",
            "name": "Comité piège",
            "site_ids": [str(w.s1.id)],
            "officers-0-role": "president",
            "officers-0-name": "Olivier OC",
            "officers-0-email": "olivier@example.org",
            "officers-1-role": "member",
            "officers-1-name": "Lucie Tremblay",
            "officers-1-email": "lucie@example.org",
            "officers-2-role": "member",
        },
    )


def _entry(body, name):
    return db.session.scalar(
        sa.select(Member).where(Member.body_id == body.id, Member.name == name)
    )


def _offer(body, user):
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.body_id == body.id, Invitation.invitee_id == user.id)
    )


def test_staff_cannot_take_over_a_tenant_account(world, client, auth):
    """Fails on the old code at the first step: the tenant's account was linked at once."""
    w = world
    w.oc.email = "olivier@example.org"
    db.session.commit()

    # 1. The organizer sets up a body naming the tenant: the tenant is invited, not linked.
    auth.login(w.oc)
    assert _set_up_body_naming(client, w).status_code == 302
    body = db.session.scalar(sa.select(Body).where(Body.name == "Comité piège"))
    tenant_entry = _entry(body, "Lucie Tremblay")
    assert tenant_entry.user_id is None
    assert (
        db.session.scalar(
            sa.select(Member).where(Member.body_id == body.id, Member.user_id == w.tenant_a.id)
        )
        is None
    )
    assert _offer(body, w.tenant_a) is not None
    assert w.tenant_a.id in told("orgs.invitation")

    # 2. The organizer accepts their own invitation and is now the body's president...
    own = _offer(body, w.oc)
    assert client.post(f"/invitations/{own.id}/accept").status_code == 302
    assert _entry(body, "Olivier OC").role == MemberRole.PRESIDENT
    # ...but cannot accept the tenant's invitation for them.
    tenant_offer = _offer(body, w.tenant_a)
    assert client.post(f"/invitations/{tenant_offer.id}/accept").status_code == 404

    # 3. No reset code for an entry the tenant never took, nor once they took it: staff never.
    url = f"/bodies/{body.id}/members/{tenant_entry.id}/reset-code"
    assert client.post(url).status_code == 403
    auth.login(w.tenant_a)
    assert client.post(f"/invitations/{tenant_offer.id}/accept").status_code == 302
    db.session.refresh(tenant_entry)
    assert tenant_entry.user_id == w.tenant_a.id
    auth.login(w.oc)
    assert client.post(url).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ResetCode.id))) == 0

    # 4. /reset-code with the tenant's email and a guessed code: the unknown-account answer.
    auth.logout()
    guess = {"code": "ABCD-EFGH", "password": "Lucie Tremblay"}
    known = client.post("/reset-code", data={"identifier": "lucie@example.org", **guess})
    unknown = client.post("/reset-code", data={"identifier": "nobody@example.org", **guess})
    assert known.status_code == unknown.status_code == 422

    assert page_told(known) == page_told(unknown)


def test_no_reset_code_for_a_staff_account(world, client, auth):
    """A staff member who is also a register member: the officers cannot reset their password."""
    w = world
    f.make_member(body=w.adl_a, user=w.oc)
    db.session.commit()
    entry = db.session.scalar(
        sa.select(Member).where(Member.body_id == w.adl_a.id, Member.user_id == w.oc.id)
    )
    auth.login(w.officer_a)
    assert client.post(f"/bodies/{w.adl_a.id}/members/{entry.id}/reset-code").status_code == 403


def test_no_reset_code_issued_by_an_officer_who_is_staff(world, client, auth):
    w = world
    f.make_staff(user=w.officer_a, region=w.r1)
    db.session.commit()
    entry = db.session.scalar(sa.select(Member).where(Member.user_id == w.tenant_a.id))
    auth.login(w.officer_a)
    assert client.post(f"/bodies/{w.adl_a.id}/members/{entry.id}/reset-code").status_code == 403


def test_no_reset_code_for_an_account_linked_without_consent(world, client, auth):
    """Entries linked for someone else before consent was required (linked_at empty)."""
    w = world
    entry = db.session.scalar(sa.select(Member).where(Member.user_id == w.tenant_a.id))
    entry.linked_at = None
    db.session.commit()
    auth.login(w.officer_a)
    assert client.post(f"/bodies/{w.adl_a.id}/members/{entry.id}/reset-code").status_code == 403


def test_declining_leaves_the_account_out(world, client, auth):
    w = world
    w.oc.email = "olivier@example.org"
    db.session.commit()
    auth.login(w.oc)
    _set_up_body_naming(client, w)
    body = db.session.scalar(sa.select(Body).where(Body.name == "Comité piège"))
    offer = _offer(body, w.tenant_a)
    auth.login(w.tenant_a)
    page = client.get("/invitations")
    assert "Comité piège" in page.text
    assert client.post(f"/invitations/{offer.id}/decline").status_code == 302
    assert client.post(f"/invitations/{offer.id}/accept").status_code == 302  # no longer valid
    assert _entry(body, "Lucie Tremblay").user_id is None
    assert "Comité piège" not in client.get("/invitations").text
