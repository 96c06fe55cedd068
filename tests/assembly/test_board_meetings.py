"""Board meetings (issue 9): each meeting kind has its own electorate and quorum. A board
meeting of an association convenes and counts its board (president, vice-president, secretary,
treasurer; not a body administrator), with the board quorum of the by-laws (default: a
majority of the board); the other members neither see it nor are counted at it."""

from datetime import timedelta

import pytest

from tenantvoice import clock, policy
from tenantvoice.assembly import attendance, resolutions
from tenantvoice.extensions import db
from tenantvoice.meetings import queries
from tenantvoice.meetings.models import MeetingKind
from tenantvoice.meetings.services import quorum_required
from tenantvoice.orgs.models import BodyKind, MemberRole
from tests import factories as f
from tests.assembly.test_attendance import NOW, special_meeting
from tests.minutes.helpers import member_of


@pytest.fixture
def board(world):
    """ADL A's board: Jean (secretary) and Fatima (president), plus a treasurer; a body
    administrator who is not elected; Lucie and Gérard are plain members."""
    clock.set(NOW, frozen=True)
    w = world
    w.treasurer_a = f.make_tenant(
        body=w.adl_a, role=MemberRole.TREASURER, name="Tom Trésorier", email="tom@example.org"
    )
    w.admin_a = f.make_tenant(
        body=w.adl_a, role=MemberRole.BODY_ADMIN, name="Ada Admin", email="ada@example.org"
    )
    meeting = special_meeting(w.adl_a, kind=MeetingKind.BOARD, starts_in=timedelta(0))
    db.session.commit()
    return meeting


def test_the_board_quorum_is_a_majority_of_the_board_not_the_assemblys(world, board):
    """The board of 3 used the assembly's quorum of 5."""
    assert quorum_required(world.adl_a, board) == 2
    world.adl_a.board_quorum = 3
    assert quorum_required(world.adl_a, board) == 3
    assembly = special_meeting(world.adl_a, kind=MeetingKind.SPECIAL)
    assert quorum_required(world.adl_a, assembly) == 5  # unchanged for the assembly


def test_only_directors_are_marked_and_counted(world, board):
    jean = member_of(world.officer_a, world.adl_a)
    fatima = member_of(world.president_a, world.adl_a)
    lucie = member_of(world.tenant_a, world.adl_a)
    admin = member_of(world.admin_a, world.adl_a)
    attendance.mark_present(world.officer_a, board, jean)
    attendance.mark_present(world.officer_a, board, fatima)
    for outsider in (lucie, admin):
        with pytest.raises(attendance.UnknownMemberError):
            attendance.mark_present(world.officer_a, board, outsider)
    state = attendance.quorum_state(board)
    assert (state.present, state.required, state.reached) == (2, 2, True)
    assert attendance.register_size(board) == 3
    assert resolutions.voters_present(board) == 2


def test_the_sheet_finds_only_directors(world, board, client, auth):
    auth.login(world.officer_a)
    page = client.get(f"/meetings/{board.id}/attendance?q=Lucie").get_data(as_text=True)
    assert "Lucie Tremblay" not in page
    page = client.get(f"/meetings/{board.id}/attendance?q=Fatima").get_data(as_text=True)
    assert "Fatima Benali" in page


def test_a_member_off_the_board_does_not_see_board_meetings(world, board, client, auth):
    assert not policy.can_see_meeting(world.tenant_a, board)
    assert not policy.can_rsvp(world.tenant_a, board)
    assert [u.meeting.id for u in queries.upcoming_for(world.tenant_a)] == []
    assert [u.meeting.id for u in queries.upcoming_for(world.president_a)] == [board.id]
    assert [u.meeting.id for u in queries.upcoming_for(world.treasurer_a)] == [board.id]
    assert queries.upcoming_page(world.tenant_a, 1).total == 0  # the "see all" list too
    assert queries.upcoming_page(world.treasurer_a, 1).total == 1
    auth.login(world.tenant_a)
    assert client.get(f"/meetings/{board.id}").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert board.title not in home


def test_the_body_administrator_runs_it_but_is_not_convened(world, board):
    assert policy.can_see_meeting(world.admin_a, board)  # schedules and manages it
    assert not policy.can_rsvp(world.admin_a, board)


def test_a_committees_own_meeting_convenes_the_whole_committee(world):
    clock.set(NOW, frozen=True)
    committee = f.make_body(provider=world.p1, kind=BodyKind.COMMITTEE, name="Comité des loisirs")
    member = f.make_tenant(body=committee, name="Carole Comité", email="carole@example.org")
    meeting = special_meeting(committee, kind=MeetingKind.BOARD)
    db.session.commit()
    assert not meeting.convenes_board
    assert policy.can_see_meeting(member, meeting)


def test_the_by_laws_set_the_board_quorum_or_leave_the_majority(world, client, auth):
    auth.login(world.officer_a)
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
    }
    page = client.get(f"/bodies/{world.adl_a.id}/rules").get_data(as_text=True)
    assert "Quorum of a board meeting" in page
    assert client.post(f"/bodies/{world.adl_a.id}/rules", data={**data, "board_quorum": "3"})
    db.session.refresh(world.adl_a)
    assert world.adl_a.board_quorum == 3
    response = client.post(f"/bodies/{world.adl_a.id}/rules", data={**data, "board_quorum": ""})
    assert response.status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.board_quorum is None
