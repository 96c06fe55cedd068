"""Officer, admin and organizer lists for big bodies run a CONSTANT number of SQL statements,
whatever the number of members, accounts or bodies (issue 8): each is counted at two sizes,
with and without a search, and none may run while a template renders. Counts only: the
server times are printed by benchmarks/lists.py."""

from datetime import timedelta

import pytest

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole
from tenantvoice.assembly import attendance
from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingKind
from tests import factories as f
from tests.perf.test_query_counts import assert_constant, steady_count


def _grow_register(body, n: int, *, meeting=None, present_every: int = 3) -> None:
    """`n` more entries (a third with accounts), a third of them marked present at `meeting`."""
    for i in range(n):
        if i % 3 == 0:
            user = f.make_tenant(body=body, name=f"Dupont {i:03d} C")
            member = next(m for m in body.members if m.user_id == user.id)
        else:
            member = f.make_member(body=body, name=f"Dupont {i:03d} P", unit=str(500 + i))
        if meeting is not None and i % present_every == 0:
            db.session.flush()
            attendance.mark_present(meeting.body.members[0].user or user, meeting, member)
    db.session.commit()


@pytest.mark.parametrize("query", ["", "?q=dupont", "?q=dupont&page=2", "?q=5&former=1"])
def test_register_is_constant(world, client, auth, query):
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/members{query}"
    _grow_register(world.adl_a, 60)
    small = steady_count(client, url)
    _grow_register(world.adl_a, 180)
    assert_constant(small, steady_count(client, url))


@pytest.fixture
def door(world):
    """A general assembly under way at ADL A: the sheet is open."""
    clock.set(clock.now(), frozen=True)
    meeting = f.make_meeting(
        body=world.adl_a, kind=MeetingKind.SPECIAL, starts_in=-timedelta(minutes=10), agenda=()
    )
    db.session.commit()
    return meeting


@pytest.mark.parametrize("query", ["", "?q=dup", "?q=dupont&page=2", "?q=5", "?q=du"])
def test_attendance_sheet_is_constant(world, client, auth, door, query):
    auth.login(world.officer_a)
    url = f"/meetings/{door.id}/attendance{query}"
    _grow_register(world.adl_a, 60, meeting=door)
    small = steady_count(client, url)
    _grow_register(world.adl_a, 180, meeting=door)
    assert_constant(small, steady_count(client, url))


def test_attendance_sheet_partial_is_constant(world, client, auth, door):
    auth.login(world.officer_a)
    url = f"/meetings/{door.id}/attendance?q=dupont"
    _grow_register(world.adl_a, 60, meeting=door)
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    small = steady_count(client, url)
    _grow_register(world.adl_a, 180, meeting=door)
    assert_constant(small, steady_count(client, url))


def _grow_accounts(n: int, world) -> None:
    """`n` more accounts: some staff, some logged in on a device."""
    for i in range(n):
        user = f.make_user(name=f"Zoé {i:03d}")
        if i % 10 == 0:
            f.make_staff(user=user, role=StaffRole.ISC, region=world.r1)
    db.session.commit()


@pytest.mark.parametrize("query", ["", "?q=zoe", "?q=zoe&page=2", "?role=isc", "?role=tenant"])
def test_admin_users_is_constant(world, client, auth, query):
    auth.login(world.admin)
    url = f"/admin/users{query}"
    _grow_accounts(60, world)
    small = steady_count(client, url)
    _grow_accounts(180, world)
    assert_constant(small, steady_count(client, url))


def _grow_bodies(world, n: int) -> None:
    for i in range(n):
        body = f.make_body(provider=world.p1 if i % 2 else world.p2, name=f"Comité {i:03d}")
        f.make_member(body=body)
    db.session.commit()


@pytest.mark.parametrize("query", ["", "?q=comite", "?q=comite&page=2", "?provider=P2"])
def test_organizer_home_is_constant(world, client, auth, query):
    auth.login(world.oc)
    url = "/" + query.replace("P2", str(world.p2.id))
    _grow_bodies(world, 60)
    small = steady_count(client, url)
    _grow_bodies(world, 180)
    assert_constant(small, steady_count(client, url))
