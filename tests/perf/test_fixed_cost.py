"""The logged-in request's fixed cost: the session row, its user and the policy's facts
(memberships, tenancies, staff scopes) come in ONE statement, and nothing of them is kept
between requests, so a change of membership, role, tenancy or staff scope shows on the very
next request (never stale)."""

from datetime import timedelta

from flask import g

from tenantvoice import clock
from tenantvoice.accounts import sessions
from tenantvoice.accounts.models import StaffRole, token_digest
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Audience
from tenantvoice.orgs.models import MemberRole
from tenantvoice.policy import core
from tests import factories as f
from tests.perf.test_query_counts import count_statements


def test_a_logged_in_page_that_reads_nothing_runs_one_statement(world, client, auth):
    """/help reads nothing of its own: the session, the user and the facts (the menu asks the
    policy) are the one statement every logged-in request pays."""
    auth.login(world.tenant_a)
    count_statements(client, "/help")
    assert count_statements(client, "/help") == 1


def test_the_session_statement_loads_the_same_facts_as_the_facts_alone(world, app):
    """A person with several entries, tenancies and staff roles: the joined rows (one per
    combination) give exactly the facts the facts' own statement gives."""
    w = world
    user = w.officer_a
    f.make_member(body=w.ccr, user=user, role=MemberRole.TREASURER)
    f.make_member(body=w.adl_b, user=user, until=clock.today() - timedelta(days=1))
    f.make_tenancy(user=user, site=w.s2)
    f.make_staff(user=user, role=StaffRole.OC, region=w.r1)
    f.make_staff(user=user, role=StaffRole.ISC, provider=w.p1)
    token = "a-session-token"
    db.session.add(sessions.UserSession(user_id=user.id, token_hash=token_digest(token)))
    db.session.commit()
    with app.test_request_context():
        row = core.load_session(token_digest(token))
        assert row is not None
        assert row.user is user
        joined = g._policy_facts[user.id]
        alone = core._load_facts(user)
        assert joined.members == alone.members
        assert set(joined.members) == {w.adl_a.id, w.ccr.id}
        assert joined.site_ids == alone.site_ids == {w.s1.id, w.s2.id}
        assert [a.id for a in joined.staff] == [a.id for a in alone.staff]
        assert {a.role for a in joined.staff} == {StaffRole.OC, StaffRole.ISC}
        assert core.load_session(token_digest("not-a-session")) is None


def _meeting(body, audience=Audience.MEMBERS):
    return f.make_meeting(body=body, starts_in=timedelta(days=10), audience=audience)


def test_an_officer_who_steps_down_loses_the_officer_forms_at_the_next_request(world, client, auth):
    w = world
    meeting = _meeting(w.adl_a)
    db.session.commit()
    auth.login(w.officer_a)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Run this meeting" in page
    assert f"/meetings/{meeting.id}/cancel" in page
    entry = db.session.scalar(
        db.select(core.Member).where(
            core.Member.user_id == w.officer_a.id, core.Member.body_id == w.adl_a.id
        )
    )
    entry.role = MemberRole.MEMBER
    db.session.commit()
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Run this meeting" not in page
    assert f"/meetings/{meeting.id}/cancel" not in page
    assert client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "x"}).status_code == 403


def test_a_member_who_leaves_the_register_loses_the_members_meeting_at_once(world, client, auth):
    w = world
    meeting = _meeting(w.adl_a)
    db.session.commit()
    auth.login(w.tenant_a)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    entry = db.session.scalar(
        db.select(core.Member).where(
            core.Member.user_id == w.tenant_a.id, core.Member.body_id == w.adl_a.id
        )
    )
    entry.until = clock.today() - timedelta(days=1)
    db.session.commit()
    assert client.get(f"/meetings/{meeting.id}").status_code == 404


def test_a_tenant_who_moves_out_loses_the_site_meeting_at_once(world, client, auth):
    """A site tenant (no register entry) sees the meetings open to the site's tenants until
    the tenancy ends."""
    w = world
    meeting = _meeting(w.adl_a, audience=Audience.SITE_TENANTS)
    neighbour = f.make_user(name="Voisine du Parc")
    tenancy = f.make_tenancy(user=neighbour, site=w.s1)
    db.session.commit()
    auth.login(neighbour)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    tenancy.ended_on = clock.today()
    db.session.commit()
    assert client.get(f"/meetings/{meeting.id}").status_code == 404


def test_a_staff_role_taken_away_closes_its_pages_at_once(world, client, auth):
    w = world
    auth.login(w.admin)
    assert client.get("/admin/").status_code == 200
    for assignment in db.session.scalars(
        db.select(core.StaffAssignment).where(core.StaffAssignment.user_id == w.admin.id)
    ):
        db.session.delete(assignment)
    db.session.commit()
    assert client.get("/admin/").status_code == 403
