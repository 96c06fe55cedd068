"""Attendance sheet and live quorum: idempotent marking, register checks, quorum bases, window."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_login import login_user

from tenantvoice import clock
from tenantvoice.assembly import attendance, panels
from tenantvoice.assembly.models import Attendance
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingKind, MeetingStatus
from tenantvoice.orgs.models import QuorumBase, QuorumMode
from tests import factories as f

#: 18:30 in Montréal on a Tuesday of March 2026.
NOW = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
HX = {"HX-Request": "true"}


def special_meeting(
    body,
    *,
    starts_in=timedelta(0),
    hours=2,
    status=MeetingStatus.PUBLISHED,
    year_number=3,
    kind=MeetingKind.SPECIAL,
) -> Meeting:
    """A special assembly of `body` starting `starts_in` from now (the clock's now), no agenda."""
    return f.make_meeting(
        body=body,
        kind=kind,
        title="Assemblée spéciale",
        starts_in=starts_in,
        hours=hours,
        status=status,
        year_number=year_number if status != MeetingStatus.DRAFT else None,
        agenda=(),
        place="",
    )


def rows(meeting) -> list[Attendance]:
    return list(
        db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id))
    )


def mark(client, meeting, member_id, present="1", headers=None, **extra):
    return client.post(
        f"/meetings/{meeting.id}/attendance/mark",
        data={"member_id": member_id, "present": present, **extra},
        headers=headers or {},
    )


@pytest.fixture
def meeting(world):
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a)
    db.session.commit()
    return m


@pytest.fixture
def officer(world, auth):
    return auth.login(world.officer_a)


# --- the sheet ----------------------------------------------------------------------------------


def test_sheet_opens_search_first_with_the_quorum_box(world, meeting, officer, client):
    """No name and no form before a search (a 600-member register rendered a form each)."""
    response = client.get(f"/meetings/{meeting.id}/attendance")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Gérard Côté" not in page
    assert "/attendance/mark" not in page
    assert "4 people in the register: type three letters of a name" in page
    assert "Nobody is marked present yet." in page
    assert f'id="meeting-quorum-{meeting.id}"' in page
    assert 'hx-trigger="input changed delay:300ms"' in page


def test_sheet_lists_the_people_present_before_a_search(world, meeting, officer, client):
    mark(client, meeting, world.paper_member_a.id)
    page = client.get(f"/meetings/{meeting.id}/attendance").get_data(as_text=True)
    assert "People present now: 1" in page
    assert "Gérard Côté" in page
    assert "Remove Gérard Côté from the people present" in page
    assert "Lucie Tremblay" not in page


@pytest.mark.parametrize("q", ["gé", "G", "  "])
def test_fewer_than_three_letters_do_not_search(world, meeting, officer, client, q):
    page = client.get(f"/meetings/{meeting.id}/attendance", query_string={"q": q}).text
    assert "Gérard Côté" not in page
    if q.strip():
        assert "Type at least three letters of the name, or the unit number." in page


def test_one_digit_searches_the_units(world, meeting, officer, client):
    page = client.get(f"/meetings/{meeting.id}/attendance?q=2").get_data(as_text=True)
    assert "Gérard Côté" in page  # unit 112


def test_a_big_register_shows_a_page_of_matches_with_the_total(world, meeting, officer, client):
    for i in range(45):
        f.make_member(body=world.adl_a, name=f"Dupont {i:02d}", unit=str(300 + i))
    db.session.commit()
    page = client.get(f"/meetings/{meeting.id}/attendance?q=dupont").get_data(as_text=True)
    assert "45 people in the register · showing 1 to 20" in page
    assert page.count('id="attendance-row-') == 20
    assert page.count(f'action="/meetings/{meeting.id}/attendance/mark"') == 20
    assert f"/meetings/{meeting.id}/attendance?q=dupont&amp;page=2" in page
    third = client.get(f"/meetings/{meeting.id}/attendance?q=dupont&page=3").text
    assert "showing 41 to 45" in third


def test_marking_without_javascript_comes_back_to_the_search(world, meeting, officer, client):
    response = mark(client, meeting, world.paper_member_a.id, q="gerard")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}/attendance?q=gerard")


def test_search_by_unit_filters_without_javascript(world, meeting, officer, client):
    page = client.get(f"/meetings/{meeting.id}/attendance?q=112").get_data(as_text=True)
    assert "Gérard Côté" in page
    assert "Lucie Tremblay" not in page


def test_search_ignores_accents_and_case(world, meeting, officer, client):
    f.make_member(body=world.adl_a, name="Émilie Roy", unit="204")
    db.session.commit()
    for q in ("emilie", "ÉMILIE", "roy"):
        page = client.get(f"/meetings/{meeting.id}/attendance?q={q}").get_data(as_text=True)
        assert "Émilie Roy" in page, q
        assert "Lucie Tremblay" not in page, q


def test_search_with_htmx_returns_the_list_partial_only(world, meeting, officer, client):
    response = client.get(f"/meetings/{meeting.id}/attendance?q=gérard", headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<div id="attendance-list-{meeting.id}"')
    assert "<html" not in page
    assert "HX-Request" in response.headers["Vary"]


def test_a_member_who_is_not_an_officer_is_refused(world, meeting, auth, client):
    auth.login(world.tenant_a)
    assert client.get(f"/meetings/{meeting.id}/attendance").status_code == 403


def test_the_housing_office_cannot_see_that_the_sheet_exists(world, meeting, auth, client):
    auth.login(world.direction)
    assert client.get(f"/meetings/{meeting.id}/attendance").status_code == 404


# --- marking ------------------------------------------------------------------------------------


def test_marking_present_twice_keeps_one_row(world, meeting, officer, client):
    member = world.paper_member_a
    assert mark(client, meeting, member.id).status_code == 302
    assert mark(client, meeting, member.id).status_code == 302
    assert len(rows(meeting)) == 1


def test_two_officers_marking_at_once_keep_one_row(world, meeting, app, auth, client):
    auth.login(world.officer_a)
    other = app.test_client()
    type(auth)(other).login(world.president_a)
    assert mark(client, meeting, world.paper_member_a.id, headers=HX).status_code == 200
    assert mark(other, meeting, world.paper_member_a.id, headers=HX).status_code == 200
    found = rows(meeting)
    assert len(found) == 1
    assert found[0].recorded_by_id == world.officer_a.id


def test_htmx_mark_returns_the_row_and_the_quorum_out_of_band(world, meeting, officer, client):
    response = mark(client, meeting, world.paper_member_a.id, headers=HX)
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith(f'<li id="attendance-row-{world.paper_member_a.id}"')
    assert f'id="meeting-quorum-{meeting.id}"' in page
    assert 'hx-swap-oob="true"' in page


def test_an_unknown_member_is_refused_and_nothing_saved(world, meeting, officer, client):
    response = mark(client, meeting, 999_999)
    assert response.status_code == 422
    assert "not in the register" in response.get_data(as_text=True)
    assert rows(meeting) == []


def test_a_member_of_another_body_is_refused_and_nothing_saved(world, meeting, officer, client):
    other = next(m for m in world.adl_b.members if m.user_id == world.tenant_b.id)
    assert mark(client, meeting, other.id).status_code == 422
    assert rows(meeting) == []


def test_paper_sheet_signature_is_recorded(world, meeting, officer, client):
    mark(client, meeting, world.paper_member_a.id, on_paper="y")
    assert rows(meeting)[0].on_paper is True


def test_unmarking_after_the_start_keeps_the_row_as_left(world, meeting, officer, client):
    mark(client, meeting, world.paper_member_a.id)
    clock.set(NOW + timedelta(minutes=30), frozen=True)
    mark(client, meeting, world.paper_member_a.id, present="0")
    (row,) = rows(meeting)
    assert row.left_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=30)
    assert attendance.quorum_state(meeting).people == 0


def test_unmarking_before_the_start_is_a_correction(world, officer, client):
    clock.set(NOW, frozen=True)
    early = special_meeting(world.adl_a, starts_in=timedelta(hours=1))
    db.session.commit()
    mark(client, early, world.paper_member_a.id)
    mark(client, early, world.paper_member_a.id, present="0")
    assert rows(early) == []


def test_marking_again_after_leaving_brings_the_person_back(world, meeting, officer, client):
    mark(client, meeting, world.paper_member_a.id)
    clock.set(NOW + timedelta(minutes=10), frozen=True)
    mark(client, meeting, world.paper_member_a.id, present="0")
    mark(client, meeting, world.paper_member_a.id)
    (row,) = rows(meeting)
    assert row.left_at is None


# --- window -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_in", "hours", "message"),
    [
        (timedelta(hours=2, minutes=1), 2, "opens two hours before"),
    ],
)
def test_attendance_outside_its_window_is_refused(
    world, officer, client, starts_in, hours, message
):
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a, starts_in=starts_in, hours=hours)
    db.session.commit()
    response = mark(client, m, world.paper_member_a.id)
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert rows(m) == []


def test_attendance_opens_exactly_two_hours_before(world, officer, client):
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a, starts_in=timedelta(hours=2))
    db.session.commit()
    assert mark(client, m, world.paper_member_a.id).status_code == 302
    assert len(rows(m)) == 1


@pytest.mark.parametrize("status", [MeetingStatus.DRAFT, MeetingStatus.CANCELLED])
def test_attendance_needs_a_published_meeting(world, officer, client, status):
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a, status=status)
    db.session.commit()
    assert mark(client, m, world.paper_member_a.id).status_code == 409
    assert rows(m) == []


def test_htmx_mark_out_of_window_answers_409_with_the_row(world, officer, client):
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a, status=MeetingStatus.CANCELLED)
    db.session.commit()
    response = mark(client, m, world.paper_member_a.id, headers=HX)
    assert response.status_code == 409
    assert (
        response.get_data(as_text=True)
        .lstrip()
        .startswith(f'<li id="attendance-row-{world.paper_member_a.id}"')
    )


# --- guests -------------------------------------------------------------------------------------


def test_guests_are_counted(world, meeting, officer, client):
    response = client.post(f"/meetings/{meeting.id}/attendance/guests", data={"guests_count": "4"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.guests_count == 4


@pytest.mark.parametrize("value", ["-1", "abc", "5000"])
def test_a_bad_guest_count_is_refused_next_to_the_field(world, meeting, officer, client, value):
    response = client.post(
        f"/meetings/{meeting.id}/attendance/guests", data={"guests_count": value}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="guests_count-errors"' in page
    assert f'value="{value}"' in page
    db.session.refresh(meeting)
    assert meeting.guests_count == 0


# --- quorum -------------------------------------------------------------------------------------


def _rules(body, **rules):
    for k, v in rules.items():
        setattr(body, k, v)
    db.session.commit()


def test_adults_base_counts_adults_present_only(world, meeting):
    _rules(
        world.adl_a, quorum_mode=QuorumMode.NUMBER, quorum_number=2, quorum_base=QuorumBase.ADULTS
    )
    minor = f.make_member(body=world.adl_a, name="Léa Côté", unit="112", is_adult=False)
    attendance.mark_present(world.officer_a, meeting, world.paper_member_a)
    attendance.mark_present(world.officer_a, meeting, minor)
    state = attendance.quorum_state(meeting)
    assert (state.present, state.people, state.reached) == (1, 2, False)


def test_units_base_counts_two_adults_of_one_unit_once(world, meeting):
    _rules(
        world.adl_a, quorum_mode=QuorumMode.NUMBER, quorum_number=2, quorum_base=QuorumBase.UNITS
    )
    partner = f.make_member(body=world.adl_a, name="Jeanne Côté", unit="112")
    attendance.mark_present(world.officer_a, meeting, world.paper_member_a)
    attendance.mark_present(world.officer_a, meeting, partner)
    state = attendance.quorum_state(meeting)
    assert (state.present, state.people, state.missing) == (1, 2, 1)


def test_quorum_minimum_applies_to_a_small_register(world, meeting, officer, client):
    _rules(world.adl_a, quorum_mode=QuorumMode.PERCENT, quorum_percent=10, quorum_minimum=5)
    response = client.get(f"/meetings/{meeting.id}/quorum", headers=HX)
    page = response.get_data(as_text=True)
    assert attendance.quorum_state(meeting).required == 5
    assert "Quorum not reached: 5 more needed." in page


def test_quorum_reached_then_lost_shows_the_warning(world, meeting, officer, client):
    _rules(world.adl_a, quorum_mode=QuorumMode.NUMBER, quorum_number=1)
    mark(client, meeting, world.paper_member_a.id)
    assert "Quorum reached" in client.get(f"/meetings/{meeting.id}/quorum", headers=HX).get_data(
        as_text=True
    )
    clock.set(NOW + timedelta(minutes=45), frozen=True)
    mark(client, meeting, world.paper_member_a.id, present="0")
    page = client.get(f"/meetings/{meeting.id}/quorum", headers=HX).get_data(as_text=True)
    assert "Quorum lost: 1 more needed." in page


def test_quorum_never_reached_is_not_lost(world, meeting, officer, client):
    _rules(world.adl_a, quorum_mode=QuorumMode.NUMBER, quorum_number=3)
    mark(client, meeting, world.paper_member_a.id)
    page = client.get(f"/meetings/{meeting.id}/quorum", headers=HX).get_data(as_text=True)
    assert "Quorum not reached: 2 more needed." in page
    assert "lost" not in page


def test_quorum_partial_polls_and_is_announced_politely(world, meeting, officer, client):
    response = client.get(f"/meetings/{meeting.id}/quorum", headers=HX)
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith(f'<section id="meeting-quorum-{meeting.id}"')
    assert 'hx-trigger="every 5s"' in page
    assert 'aria-live="polite"' in page
    assert "<html" not in page
    assert "HX-Request" in response.headers["Vary"]


def test_quorum_without_htmx_is_a_page_with_a_refresh_link(world, meeting, officer, client):
    page = client.get(f"/meetings/{meeting.id}/quorum").get_data(as_text=True)
    assert "<html" in page
    assert f'href="/meetings/{meeting.id}/quorum"' in page


# --- members' view on the meeting page ----------------------------------------------------------


def _render_link(app, user, meeting) -> str:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        login_user(user)
        panel = panels.meeting_attendance(app, meeting=meeting, user=user)
        if panel is None:
            return ""
        return render_template(panel.partial, panel=panel, meeting=meeting)


def test_members_see_counts_but_never_names(world, meeting, app):
    attendance.mark_present(world.officer_a, meeting, world.paper_member_a)
    db.session.commit()
    html = _render_link(app, world.tenant_a, meeting)
    assert "1 member present" in html
    assert "Gérard" not in html
    assert "/attendance" not in html


def test_officers_get_the_links(world, meeting, app):
    html = _render_link(app, world.officer_a, meeting)
    assert f"/meetings/{meeting.id}/attendance" in html
    assert f"/meetings/{meeting.id}/resolutions" in html


@pytest.mark.parametrize("role", ["direction", "oc", "isc", "tenant_b"])
def test_others_see_nothing_of_attendance(world, meeting, app, role):
    attendance.mark_present(world.officer_a, meeting, world.paper_member_a)
    db.session.commit()
    assert _render_link(app, getattr(world, role), meeting).strip() == ""


# --- the paper sheet, after the meeting (issue 9) -----------------------------------------------


@pytest.fixture
def past(world):
    """A special assembly held three days ago, whose paper sheet the secretary types in."""
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a, starts_in=-timedelta(days=3))
    db.session.commit()
    return m


def test_the_paper_sheet_is_typed_in_after_the_meeting_and_marked_so(world, past, officer, client):
    """Attendance closed 12 h after the end: nothing could be typed in from paper."""
    page = client.get(f"/meetings/{past.id}/attendance").get_data(as_text=True)
    assert "complete its attendance from the paper sheet" in page
    response = mark(client, past, world.paper_member_a.id, on_paper="y")
    assert response.status_code == 302
    (row,) = rows(past)
    assert row.entered_afterwards
    assert row.left_at is None
    page = client.get(f"/meetings/{past.id}/attendance").get_data(as_text=True)
    assert "Entered after the meeting" in page


def test_a_mark_typed_in_by_mistake_afterwards_is_undone(world, past, officer, client):
    mark(client, past, world.paper_member_a.id)
    mark(client, past, world.paper_member_a.id, present="0")
    assert rows(past) == []


def test_marks_during_the_evening_are_not_marked_afterwards(world, officer, client):
    clock.set(NOW, frozen=True)
    m = special_meeting(world.adl_a, starts_in=-timedelta(hours=3), hours=2)  # ended 1 h ago
    db.session.commit()
    assert mark(client, m, world.paper_member_a.id).status_code == 302
    (row,) = rows(m)
    assert not row.entered_afterwards


def test_the_record_closes_once_the_minutes_are_proposed(world, past, officer, client):
    from tenantvoice.minutes.models import Minutes, MinutesState

    db.session.add(Minutes(meeting_id=past.id, body_id=past.body_id, state=MinutesState.PROPOSED))
    db.session.commit()
    response = mark(client, past, world.paper_member_a.id)
    assert response.status_code == 409
    assert "proposed for approval" in response.get_data(as_text=True)
    assert rows(past) == []
