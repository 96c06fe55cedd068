"""The pages a tenant reads run a CONSTANT number of SQL statements, whatever the number of
bodies, meetings, members, agenda items, answers or versions (no N+1 in views, context
processors or templates), and none while a template renders (templates only render what their
view gathered, page hooks included). Each test counts the statements of one page on a small
world, grows the data several-fold, and counts again. Counts only: timings are never asserted
(performance.md)."""

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import before_render_template, template_rendered
from sqlalchemy import event

from tenantvoice.extensions import db
from tenantvoice.meetings.models import (
    AgendaItem,
    AgendaProposal,
    Audience,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingStatus,
    Rsvp,
    RsvpAnswer,
)
from tenantvoice.minutes import services as minutes_services
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import MemberRole
from tests import factories as f
from tests.minutes.helpers import attend, in_request, member_of, minutes_in_state

#: A generous ceiling per page, so a new feature that adds a query or two does not fail here
#: (the equality between small and large data is what catches an N+1).
MAX_STATEMENTS = 20

#: The hottest pages have their own, exact budgets (the pages-at-scale issue): one statement of
#: fixed cost (session, user and the policy's facts), then the page's own. A page that needs
#: one more says so here, in the same commit.
BUDGET = {
    # fixed cost; the tenant's bodies; their next meetings with RSVPs; the housing providers
    # whose recommendations they follow (recommendations panel); the polls they may answer
    "tenant home": 5,
    "officer home": 9,
    # fixed cost; meeting, body and agenda; RSVP; quorum base; changes; own proposals; who
    # is present (attendance panel); minutes (minutes panel)
    "tenant meeting": 8,
    "officer meeting": 9,  # the RSVP counts too, and every proposal
    "past meeting": 7,  # no RSVP any more
}

#: The statements of the last `count_statements` call (to look for one in particular).
LAST_STATEMENTS: list[str] = []


def count_statements(client, path: str) -> int:
    """SQL statements run by one GET of `path` (a fresh ORM session, as in production). The
    test's objects are put back into the session afterwards so the test can go on using them."""
    db.session.commit()
    kept = list(db.session.identity_map.values())
    db.session.remove()
    statements = []
    rendering: list[str] = []  # the templates being rendered (no statement may run then)
    in_templates = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)
        if rendering:
            in_templates.append((rendering[-1], statement))

    def render_starts(sender, template, context, **extra):
        rendering.append(template.name)

    def render_ends(sender, template, context, **extra):
        rendering.pop()

    event.listen(db.engine, "before_cursor_execute", listener)
    before_render_template.connect(render_starts)
    template_rendered.connect(render_ends)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
        before_render_template.disconnect(render_starts)
        template_rendered.disconnect(render_ends)
        db.session.remove()
        for obj in kept:
            db.session.add(obj)
    LAST_STATEMENTS[:] = statements
    assert response.status_code == 200, path
    # Templates only render what they are given (page hooks, architecture.md).
    assert not in_templates, f"queries run while rendering {path}: {in_templates}"
    if os.environ.get("TV_SQL_DEBUG"):  # TV_SQL_DEBUG=1 pytest -s: print each statement
        print("----", path, len(statements))
        for st in statements:
            print("  ", " ".join(st.split())[:150])
    return len(statements)


def steady_count(client, path: str) -> int:
    count_statements(client, path)  # first request: caches that are per process, not per request
    return count_statements(client, path)


def assert_constant(small: int, large: int, budget: int = MAX_STATEMENTS) -> None:
    assert large == small, f"{small} statements on small data, {large} on large data"
    assert large <= budget, f"{large} statements, over the page's budget of {budget}"


def _meeting(
    body,
    *,
    starts_in=timedelta(days=10),
    audience=Audience.MEMBERS,
    items=2,
    status=None,
    title="Réunion",
):
    return f.make_meeting(
        body=body,
        starts_in=starts_in,
        audience=audience,
        status=status,
        title=title,
        agenda=[f"Point {n}" for n in range(1, items + 1)],
    )


def _grow_body(body, *, members=10, meetings=6):
    """More register entries (some with accounts) and more meetings, coming and past."""
    for _n in range(members):
        f.make_member(body=body)
    for _n in range(members // 3):
        f.make_tenant(body=body)
    for n in range(meetings):
        _meeting(body, starts_in=timedelta(days=3 + 7 * n), items=5)
        _meeting(body, starts_in=-timedelta(days=30 + 7 * n), items=5)
    _meeting(body, status=MeetingStatus.DRAFT, title="Brouillon")
    _meeting(body, status=MeetingStatus.CANCELLED, title="Annulée")


def test_tenant_home_is_constant(world, client, auth):
    """Home of a tenant who is a member of some bodies and lives at sites covered by others."""
    w = world
    _meeting(w.adl_a)
    db.session.commit()
    auth.login(w.tenant_a)
    small = steady_count(client, "/")

    # More bodies the tenant belongs to, bodies of their site open to all its tenants, more
    # meetings everywhere, RSVPs, other members and tenants.
    for n in range(4):
        body = f.make_body(provider=w.p1, name=f"Comité {n}", sites=[w.s1])
        f.make_member(body=body, user=w.tenant_a)
        _grow_body(body)
        _meeting(body, audience=Audience.SITE_TENANTS)
    for n in range(3):
        body = f.make_body(provider=w.p1, name=f"Comité du site {n}", sites=[w.s1])
        _meeting(body, audience=Audience.SITE_TENANTS, starts_in=timedelta(days=2 + n))
    _grow_body(w.adl_a)
    _grow_body(w.ccr)
    for meeting_id in db.session.scalars(
        sa.select(Meeting.id).where(
            Meeting.body_id == w.adl_a.id, Meeting.status == MeetingStatus.PUBLISHED
        )
    ):
        db.session.add(Rsvp(meeting_id=meeting_id, user_id=w.tenant_a.id, answer=RsvpAnswer.YES))
    db.session.commit()
    assert_constant(small, steady_count(client, "/"), BUDGET["tenant home"])


def test_officer_home_is_constant(world, client, auth):
    """An officer's home adds the to-do list: still constant with more bodies and members."""
    w = world
    db.session.commit()
    auth.login(w.officer_a)
    small = steady_count(client, "/")
    for n in range(4):
        body = f.make_body(provider=w.p1, name=f"Comité {n}", sites=[w.s1])
        f.make_member(body=body, user=w.officer_a, role=MemberRole.TREASURER)
        _grow_body(body, meetings=2)
    _grow_body(w.adl_a, meetings=2)
    db.session.commit()
    assert_constant(small, steady_count(client, "/"), BUDGET["officer home"])


@pytest.mark.parametrize("role", ["tenant_a", "officer_a"])
def test_meeting_page_is_constant(world, client, auth, role):
    w = world
    meeting = _meeting(w.adl_a, items=2)
    db.session.commit()
    user = getattr(w, role)
    auth.login(user)
    path = f"/meetings/{meeting.id}"
    small = steady_count(client, path)

    # More agenda items, members, answers, changes, proposals (the reader's and others').
    for n in range(3, 25):
        meeting.agenda_items.append(AgendaItem(position=n, title=f"Point {n}"))
    _grow_body(w.adl_a, members=30, meetings=3)
    for other in (f.make_tenant(body=w.adl_a) for _n in range(8)):
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=other.id, answer=RsvpAnswer.MAYBE))
        db.session.add(
            AgendaProposal(meeting_id=meeting.id, proposed_by_id=other.id, title="Le stationnement")
        )
    for n in range(5):
        db.session.add(
            AgendaProposal(
                meeting_id=meeting.id, proposed_by_id=user.id, title=f"Ma proposition {n}"
            )
        )
        db.session.add(
            MeetingChange(
                meeting_id=meeting.id,
                kind=ChangeKind.ITEM_ADDED,
                in_camera=n % 2 == 0,
                data={"title": f"Point {n}"},
            )
        )
    db.session.commit()
    assert_constant(small, steady_count(client, path), BUDGET[f"{role.split('_')[0]} meeting"])
    quorum_counts = [st for st in LAST_STATEMENTS if "count(members.id)" in st]
    assert len(quorum_counts) == 1, "the quorum is counted once per page"


def test_past_meeting_page_with_attendance_is_constant(world, client, auth):
    """A past meeting: the attendance counts and the minutes link for members."""
    w = world
    meeting = _meeting(w.adl_a, starts_in=-timedelta(days=7))
    attend(meeting, member_of(w.tenant_a, w.adl_a))
    db.session.commit()
    auth.login(w.tenant_a)
    path = f"/meetings/{meeting.id}"
    small = steady_count(client, path)
    attend(
        meeting,
        *[f.make_member(body=w.adl_a) for _n in range(25)],
        member_of(w.officer_a, w.adl_a),
        member_of(w.president_a, w.adl_a),
    )
    _grow_body(w.adl_a, meetings=3)
    db.session.commit()
    assert_constant(small, steady_count(client, path), BUDGET["past meeting"])
    quorum_counts = [st for st in LAST_STATEMENTS if "count(members.id)" in st]
    assert len(quorum_counts) == 1, "the quorum is counted once per page"


@pytest.mark.parametrize("role", ["tenant_a", "officer_a", "site_tenant"])
def test_body_meetings_list_is_constant(world, client, auth, role):
    w = world
    if role == "site_tenant":  # lives at the site, not in the register: sees open meetings
        user = f.make_user(name="Voisine du Parc")
        f.make_tenancy(user=user, site=w.s1)
    else:
        user = getattr(w, role)
    _meeting(w.adl_a, audience=Audience.SITE_TENANTS)
    _meeting(w.adl_a, starts_in=-timedelta(days=20), audience=Audience.SITE_TENANTS)
    db.session.commit()
    auth.login(user)
    path = f"/bodies/{w.adl_a.id}/meetings"
    small = steady_count(client, path)
    _grow_body(w.adl_a, members=20, meetings=10)
    for n in range(6):
        _meeting(w.adl_a, audience=Audience.SITE_TENANTS, starts_in=timedelta(days=40 + n))
        _meeting(w.adl_a, audience=Audience.SITE_TENANTS, starts_in=-timedelta(days=90 + n))
    db.session.commit()
    assert_constant(small, steady_count(client, path))


@pytest.mark.parametrize("role", ["tenant_a", "officer_a"])
def test_body_page_with_its_panels_is_constant(world, client, auth, role):
    """A body's page with the meetings and minutes panels its hook gathers."""
    w = world
    _meeting(w.adl_a)
    db.session.commit()
    auth.login(getattr(w, role))
    path = f"/bodies/{w.adl_a.id}"
    small = steady_count(client, path)
    _grow_body(w.adl_a, members=20, meetings=5)
    db.session.commit()
    assert_constant(small, steady_count(client, path))


def test_published_minutes_page_is_constant(world, client, auth):
    w = world
    small_minutes = minutes_in_state(w, MinutesState.PUBLISHED)
    auth.login(w.tenant_a)
    small = steady_count(client, f"/minutes/{small_minutes.id}")

    # Larger minutes (a meeting with many items), corrected several times, in a bigger body.
    _grow_body(w.adl_a, members=20, meetings=3)
    from tests.minutes import helpers

    big_meeting = helpers.board_meeting(
        w.adl_a,
        starts_at=helpers.T0 + timedelta(days=60),
        title="Assemblée longue",
        items=[(f"Point {n}", n % 5 == 0) for n in range(20)],
        year_number=3,
    )
    db.session.commit()
    large_minutes = _published(w, big_meeting)
    with in_request():
        for n in range(4):
            minutes_services.correct(
                w.officer_a, large_minutes, f"Texte corrigé {n}", f"Correction {n}"
            )
    db.session.commit()
    assert_constant(small, steady_count(client, f"/minutes/{large_minutes.id}"))


def _published(w, meeting, *, next_year_number=4):
    """Minutes of `meeting` brought to "published" through the services (as the helper does)."""
    from tests.minutes import helpers

    with in_request():
        sec_m, pres_m = member_of(w.officer_a, w.adl_a), member_of(w.president_a, w.adl_a)
        attend(meeting, sec_m, pres_m, *[f.make_member(body=w.adl_a) for _n in range(10)])
        minutes = minutes_services.create_draft(w.officer_a, meeting)
        nxt = helpers.board_meeting(
            w.adl_a,
            starts_at=meeting.starts_at + timedelta(days=30),
            title="Assemblée suivante",
            year_number=next_year_number,
        )
        minutes_services.propose(w.officer_a, minutes)
        attend(nxt, sec_m, pres_m)
        res = helpers.make_resolution(nxt, mover=sec_m, seconder=pres_m)
        minutes_services.approve(w.officer_a, minutes, res.id)
        minutes_services.sign(w.officer_a, minutes, sec_m)
        minutes_services.sign(w.president_a, minutes, pres_m)
        minutes_services.publish(w.officer_a, minutes)
        db.session.commit()
    return minutes


def test_minutes_search_results_are_constant(world, client, auth):
    """Each hit shows its meeting's date and title: read with the hits, not one query per hit."""
    w = world
    minutes_in_state(w, MinutesState.PUBLISHED)
    auth.login(w.tenant_a)
    path = f"/bodies/{w.adl_a.id}/minutes?q=communautaire"  # the place, in every opening
    small = steady_count(client, path)
    assert "1 result" in client.get(path).get_data(as_text=True)

    from tests.minutes import helpers

    for n in range(3):
        meeting = helpers.board_meeting(
            w.adl_a,
            starts_at=helpers.T0 + timedelta(days=60 + 60 * n),
            title=f"Assemblée {n}",
            year_number=10 + 2 * n,
        )
        db.session.commit()
        _published(w, meeting, next_year_number=11 + 2 * n)
    assert "4 results" in client.get(path).get_data(as_text=True)
    assert_constant(small, steady_count(client, path))


@pytest.mark.parametrize("role", ["tenant_a", "officer_a"])
def test_the_meeting_page_builds_only_the_forms_its_reader_may_use(
    world, client, auth, monkeypatch, role
):
    """A tenant never gets the officers' publish or cancel form built, an officer never the
    members' proposal form (they accept or decline proposals instead)."""
    from tenantvoice.meetings import forms as meeting_forms

    w = world
    meeting = _meeting(w.adl_a)
    db.session.commit()
    built = []
    for name in ("RsvpForm", "ProposalForm", "PublishForm", "CancelForm"):
        original = getattr(meeting_forms, name)
        monkeypatch.setattr(
            meeting_forms,
            name,
            lambda *a, _name=name, _original=original, **kw: (
                built.append(_name) or _original(*a, **kw)
            ),
        )
    auth.login(getattr(w, role))
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    if role == "tenant_a":
        assert sorted(built) == ["ProposalForm", "RsvpForm"]
    else:
        assert sorted(built) == ["CancelForm", "RsvpForm"]
