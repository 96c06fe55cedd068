"""Records that must not double (issue 6): 50 identical submissions released together by a
barrier against a live threaded server, on a SQLite file (and on PostgreSQL with
TEST_DATABASE_URL). A form that creates a record carries one idempotency key: one record, and
every request answered with the first one's result. A state change (sign, publish) has one
winner; the others are told plainly (409 with a translated message), never a 500."""

import html
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import UserSession
from tenantvoice.assembly.models import Resolution
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, AgendaProposal
from tenantvoice.minutes.models import Minutes, MinutesState, MinutesVersion
from tenantvoice.orgs.models import (
    Invitation,
    Member,
    MemberRole,
    Provider,
    Region,
    Site,
    StaffAssignment,
)
from tenantvoice.submissions import FormSubmission
from tests import factories as f
from tests.live import all_at_once, race_fixtures, session_cookie
from tests.minutes.helpers import (
    T0,
    attend,
    board_meeting,
    make_resolution,
    member_of,
    minutes_in_state,
)

N = 50


database_url, server = race_fixtures()


@pytest.fixture
def after_t0():
    """The meeting of the minutes helpers (T0) is over."""
    clock.set(T0 + timedelta(days=1))


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _statuses(results) -> Counter:
    return Counter(r[0] if isinstance(r, tuple) else r for r in results)


def test_the_same_resolution_sent_50_times_is_recorded_once(app, world, server, after_t0):
    meeting = board_meeting(world.adl_a, items=[("Sécurité", False)])
    # A board meeting counts and hears the board only (issue 9): the secretary and the president.
    jean, fatima = (
        member_of(world.officer_a, world.adl_a),
        member_of(world.president_a, world.adl_a),
    )
    attend(meeting, jean, fatima)
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    data = {
        "form_key": uuid.uuid4().hex,
        "agenda_item_id": meeting.agenda_items[0].id,
        "amends_id": "None",
        "text": "que l'association demande de nouvelles serrures",
        "moved_by_id": jean.id,
        "seconded_by_id": fatima.id,
        "outcome": "carried_unanimously",
    }
    url = f"/meetings/{meeting.id}/resolutions"
    results = all_at_once(N, lambda i: server.post(url, data, cookie))
    assert _statuses(results) == {302: N}, results
    assert {r[1] for r in results} == {url}  # every answer is the first one's result
    assert _count(Resolution, Resolution.meeting_id == meeting.id) == 1


def test_the_same_agenda_proposal_sent_50_times_is_proposed_once(app, world, server):
    meeting = f.make_meeting(body=world.adl_a)
    cookie = session_cookie(app, world.tenant_a)
    db.session.commit()
    data = {"form_key": uuid.uuid4().hex, "title": "Punaises de lit", "description": "Urgent"}
    url = f"/meetings/{meeting.id}/proposals"
    results = all_at_once(N, lambda i: server.post(url, data, cookie))
    assert _statuses(results) == {302: N}, results
    assert len({r[1] for r in results}) == 1
    assert _count(AgendaProposal, AgendaProposal.meeting_id == meeting.id) == 1


@pytest.mark.parametrize("keys", ["one key", "a key per tab"])
def test_minutes_drafted_50_times_at_once_exist_once(app, world, server, after_t0, keys):
    """One key: the key store answers. A key per tab (two officers, two tabs): the UNIQUE
    meeting of the minutes does, and every request lands on the same minutes."""
    meeting = board_meeting(world.adl_a)
    attend(meeting, member_of(world.officer_a, world.adl_a))
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    shared = uuid.uuid4().hex
    url = f"/meetings/{meeting.id}/minutes"
    results = all_at_once(
        N,
        lambda i: server.post(
            url,
            {"form_key": shared if keys == "one key" else uuid.uuid4().hex},
            cookie,
        ),
    )
    assert _statuses(results) == {302: N}, results
    assert _count(Minutes, Minutes.meeting_id == meeting.id) == 1
    minutes_id = db.session.scalar(sa.select(Minutes.id).where(Minutes.meeting_id == meeting.id))
    assert {r[1] for r in results} == {f"/minutes/{minutes_id}/edit"}
    assert _count(AuditEvent, AuditEvent.action == "minutes.draft") == 1


def test_minutes_signed_50_times_at_once_carry_one_signature(app, world, server, after_t0):
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    cookie = session_cookie(app, world.president_a)
    db.session.commit()
    url = f"/minutes/{minutes.id}/sign"
    results = all_at_once(N, lambda i: server.post(url, {}, cookie))
    assert _statuses(results) == {302: 1, 409: N - 1}, results
    assert _count(AuditEvent, AuditEvent.action == "minutes.sign") == 1
    db.session.refresh(minutes)
    assert minutes.president_signed_by_id == world.president_a.id
    assert minutes.secretary_signed_at is None
    assert minutes.state == MinutesState.APPROVED


def test_president_and_secretary_signing_at_once_both_count(app, world, server, after_t0):
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    cookies = [session_cookie(app, world.president_a), session_cookie(app, world.officer_a)]
    db.session.commit()
    url = f"/minutes/{minutes.id}/sign"
    results = all_at_once(N, lambda i: server.post(url, {}, cookies[i % 2]))
    assert _statuses(results) == {302: 2, 409: N - 2}, results
    assert _count(AuditEvent, AuditEvent.action == "minutes.sign") == 2
    db.session.refresh(minutes)
    assert minutes.state == MinutesState.SIGNED


def test_minutes_published_50_times_at_once_have_one_version(app, world, server, after_t0):
    minutes = minutes_in_state(world, MinutesState.SIGNED)
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    url = f"/minutes/{minutes.id}/publish"
    results = all_at_once(N, lambda i: server.post(url, {}, cookie))
    assert _statuses(results) == {302: 1, 409: N - 1}, results
    assert _count(MinutesVersion, MinutesVersion.minutes_id == minutes.id) == 1
    assert _count(AuditEvent, AuditEvent.action == "minutes.publish") == 1


def test_a_losing_signature_is_told_plainly(app, world, client, auth, after_t0):
    """What the 49 losers read: a translated sentence (here in French), not an error page."""
    minutes = minutes_in_state(world, MinutesState.APPROVED)
    auth.login(world.president_a)
    assert client.post(f"/minutes/{minutes.id}/sign").status_code == 302
    again = client.post(f"/minutes/{minutes.id}/sign", headers={"Accept-Language": "fr-CA"})
    assert again.status_code == 409
    assert "La présidence a déjà signé ce procès-verbal." in again.get_data(as_text=True)


def test_a_form_without_its_key_is_refused_and_stores_nothing(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.post(f"/meetings/{meeting.id}/proposals", data={"title": "Punaises"})
    assert response.status_code == 422
    assert "This form is out of date" in response.get_data(as_text=True)
    assert _count(AgendaProposal) == 0


def test_a_key_is_never_honoured_on_another_form(world, client, auth):
    """A key already used by someone else (or on another form) is refused, not replayed."""
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    key = uuid.uuid4().hex
    auth.login(world.tenant_a)
    url = f"/meetings/{meeting.id}/proposals"
    assert client.post(url, data={"title": "Punaises", "form_key": key}).status_code == 302
    auth.login(world.officer_a)
    response = client.post(url, data={"title": "Autre chose", "form_key": key})
    assert response.status_code in (403, 422)
    assert _count(AgendaProposal) == 1
    assert _count(AgendaItem, AgendaItem.title == "Autre chose") == 0


def test_minutes_approved_50_times_at_once_are_approved_once(app, world, server, after_t0):
    minutes = minutes_in_state(world, MinutesState.PROPOSED)
    sec_m, pres_m = (
        member_of(world.officer_a, world.adl_a),
        member_of(world.president_a, world.adl_a),
    )
    attend(minutes.approving_meeting, sec_m, pres_m)
    resolution = make_resolution(minutes.approving_meeting, mover=sec_m, seconder=pres_m)
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    url, data = f"/minutes/{minutes.id}/approve", {"resolution_id": str(resolution.id)}
    results = all_at_once(N, lambda i: server.post(url, data, cookie))
    assert _statuses(results) == {302: 1, 409: N - 1}, results
    assert _count(AuditEvent, AuditEvent.action == "minutes.approve") == 1


def test_an_outcome_recorded_50_times_at_once_is_recorded_once(app, world, server, after_t0):
    meeting = board_meeting(world.adl_a, items=[("Sécurité", False)])
    # A board meeting counts and hears the board only (issue 9): the secretary and the president.
    jean, fatima = (
        member_of(world.officer_a, world.adl_a),
        member_of(world.president_a, world.adl_a),
    )
    attend(meeting, jean, fatima)
    motion = make_resolution(meeting, mover=jean, seconder=fatima, outcome=None)
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    url = f"/meetings/{meeting.id}/resolutions/{motion.id}/outcome"
    data = {f"r{motion.id}-outcome": "carried_unanimously"}
    results = all_at_once(N, lambda i: server.post(url, data, cookie))
    assert _statuses(results) == {302: 1, 409: N - 1}, results
    assert _count(AuditEvent, AuditEvent.action == "resolution.decide") == 1


@pytest.mark.parametrize("keys", ["one key", "a key per tab"])
def test_corrections_sent_at_once_number_their_versions(app, world, server, after_t0, keys):
    """One key: one correction (version 2). A key per tab: every correction is its own version,
    numbered one after the other, none lost and no 500."""
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    url, shared, n = f"/minutes/{minutes.id}/correct", uuid.uuid4().hex, 20
    results = all_at_once(
        n,
        lambda i: server.post(
            url,
            {
                "text": f"Texte corrigé {i}.",
                "change_note": "Coquille",
                "form_key": shared if keys == "one key" else uuid.uuid4().hex,
            },
            cookie,
        ),
    )
    assert _statuses(results) == {302: n}, results
    numbers = db.session.scalars(
        sa.select(MinutesVersion.number).where(MinutesVersion.minutes_id == minutes.id)
    ).all()
    expected = 2 if keys == "one key" else n + 1
    assert sorted(numbers) == list(range(1, expected + 1))


# --- the create forms of the register, invitations and the admin --------------------------------


def _member_data(w) -> dict:
    return {
        "name": "Amina Haddad",
        "site_id": str(w.s1.id),
        "unit": "204",
        "is_adult": "y",
        "role": "member",
        "seat_source": "registered",
    }


#: form → (who posts it, its address, a valid submission without its key, what it records)
CREATE_FORMS = {
    "member": (
        "officer_a",
        lambda w: f"/bodies/{w.adl_a.id}/members/new",
        _member_data,
        lambda w: _count(Member, Member.name == "Amina Haddad"),
    ),
    "invitations": (
        "officer_a",
        lambda w: f"/bodies/{w.adl_a.id}/invitations/new",
        lambda w: {"count": "2", "label": "Hall"},
        lambda w: _count(Invitation, Invitation.body_id == w.adl_a.id),
    ),
    "region": (
        "admin",
        lambda w: "/admin/regions",
        lambda w: {"name": "Région de Lotbinière"},
        lambda w: _count(Region, Region.name == "Région de Lotbinière"),
    ),
    "provider": (
        "admin",
        lambda w: "/admin/providers",
        lambda w: {"region_id": str(w.r1.id), "kind": "obnl", "name": "OBNL des Monts"},
        lambda w: _count(Provider, Provider.name == "OBNL des Monts"),
    ),
    "site": (
        "admin",
        lambda w: "/admin/sites",
        lambda w: {
            "provider_id": str(w.p1.id),
            "name": "Les Pins",
            "address": "3, rue des Pins",
            "units_count": "20",
            "program": "HLM",
        },
        lambda w: _count(Site, Site.name == "Les Pins"),
    ),
    "staff": (
        "admin",
        lambda w: "/admin/staff",
        # Carlos lives with P2 (Lucie, seated in P1's association, cannot be P1's staff).
        lambda w: {"email": "carlos@example.org", "role": "isc", "provider_id": str(w.p1.id)},
        lambda w: _count(StaffAssignment, StaffAssignment.user_id == w.tenant_c.id),
    ),
}
#: What each form records once.
RECORDED = {"invitations": 2}


@pytest.mark.parametrize("form", CREATE_FORMS)
def test_a_create_form_sent_twice_records_once_and_answers_alike(world, client, auth, form):
    """A double tap, a retry: the second is answered with the first's redirect, and the same
    form from a second tab (a new key) is a new submission."""
    role, url, data, recorded = CREATE_FORMS[form]
    auth.login(getattr(world, role))
    sent = {**data(world), "form_key": uuid.uuid4().hex}
    first = client.post(url(world), data=sent)
    again = client.post(url(world), data=sent, headers={"Accept-Language": "fr-CA"})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert recorded(world) == RECORDED.get(form, 1)
    landing = client.get(again.headers["Location"], headers={"Accept-Language": "fr-CA"})
    assert "Ce formulaire avait déjà été envoyé" in landing.get_data(as_text=True)


@pytest.mark.parametrize("form", CREATE_FORMS)
@pytest.mark.parametrize("key", ["none", "malformed", "another form's"])
def test_a_create_form_with_a_stale_key_is_refused_and_stores_nothing(
    world, client, auth, form, key
):
    role, url, data, recorded = CREATE_FORMS[form]
    user = getattr(world, role)
    sent = data(world)
    if key == "malformed":
        sent["form_key"] = "not-a-key"
    elif key == "another form's":
        used = uuid.uuid4().hex
        db.session.add(FormSubmission(key=used, user_id=user.id, scope="meetings.propose"))
        db.session.commit()
        sent["form_key"] = used
    auth.login(user)
    response = client.post(url(world), data=sent, headers={"Accept-Language": "fr-CA"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Ce formulaire n'est plus à jour. Rechargez la page" in page  # next to the form
    assert "Form Key" not in page  # a hidden field is not listed as one to correct
    assert 'name="form_key"' in page
    assert recorded(world) == 0


@pytest.mark.parametrize("form", ["member", "invitations"])
def test_another_persons_key_is_never_answered(world, client, auth, form):
    """The key of one officer's form, posted by another officer of the body: refused, and the
    first one's result (a sheet of codes) is not shown to the other."""
    _role, url, data, recorded = CREATE_FORMS[form]
    other = f.make_tenant(body=world.adl_a, role=MemberRole.PRESIDENT, name="Denise Roy")
    db.session.commit()
    sent = {**data(world), "form_key": uuid.uuid4().hex}
    auth.login(world.officer_a)
    assert client.post(url(world), data=sent).status_code == 302
    auth.login(other)
    response = client.post(url(world), data=sent)
    assert response.status_code == 422
    assert recorded(world) == RECORDED.get(form, 1)


def _sheet_codes() -> list[str]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(UserSession)).all()
    return [
        code
        for row in rows
        if row.scratch and "invitation_sheet" in row.scratch
        for _id, code in row.scratch["invitation_sheet"]["items"]
    ]


def test_a_batch_sent_again_shows_its_own_sheet_never_a_later_one(world, client, auth):
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/invitations/new"
    first_batch = {"count": "2", "label": "Hall", "form_key": uuid.uuid4().hex}
    first = client.post(url, data=first_batch)
    codes = _sheet_codes()
    assert len(codes) == 2
    again = client.post(url, data=first_batch)
    assert again.headers["Location"] == first.headers["Location"]
    sheet = client.get(again.headers["Location"]).get_data(as_text=True)
    assert all(code in sheet for code in codes)  # the same sheet, not new codes
    assert _count(Invitation) == 2
    # A later batch replaces the sheet; the first form sent again no longer shows any codes
    # (they are not kept), and never the later batch's.
    client.post(url, data={"count": "1", "form_key": uuid.uuid4().hex})
    later = _sheet_codes()
    replay = client.post(url, data=first_batch)
    assert replay.headers["Location"] == first.headers["Location"]
    sheet = client.get(replay.headers["Location"]).get_data(as_text=True)
    assert not any(code in sheet for code in [*codes, *later])
    assert "This batch was already created" in sheet  # said, not a bare "no codes"
    assert _count(Invitation) == 3


def test_the_same_member_sent_50_times_is_entered_once(app, world, server):
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    url = f"/bodies/{world.adl_a.id}/members/new"
    data = {**_member_data(world), "form_key": uuid.uuid4().hex}
    results = all_at_once(N, lambda i: server.post(url, data, cookie))
    assert _statuses(results) == {302: N}, results
    assert {r[1] for r in results} == {f"/bodies/{world.adl_a.id}/members"}
    assert _count(Member, Member.name == "Amina Haddad") == 1
    assert _count(AuditEvent, AuditEvent.action == "member.add") == 1


def test_the_same_batch_sent_50_times_makes_one_batch_of_codes(app, world, server):
    cookie = session_cookie(app, world.officer_a)
    db.session.commit()
    url = f"/bodies/{world.adl_a.id}/invitations/new"
    data = {"count": "3", "label": "Porte-à-porte", "form_key": uuid.uuid4().hex}
    results = all_at_once(N, lambda i: server.post(url, data, cookie))
    assert _statuses(results) == {302: N}, results
    (location,) = {r[1] for r in results}
    assert location.startswith(f"/bodies/{world.adl_a.id}/invitations/sheet?batch=")
    assert _count(Invitation, Invitation.body_id == world.adl_a.id) == 3
    assert len(_sheet_codes()) == 3  # the session keeps the one batch's codes


@pytest.mark.parametrize("form", ["region", "provider"])
def test_one_name_from_many_forms_at_once_is_created_once(app, world, server, form):
    """A key per tab: not the same submission, so the name's UNIQUE constraint decides; the
    others are told the name exists (422), never a 500."""
    _role, url, data, recorded = CREATE_FORMS[form]
    cookie = session_cookie(app, world.admin)
    db.session.commit()
    address, sent, n = url(world), data(world), 20
    results = all_at_once(
        n, lambda i: server.post(address, {**sent, "form_key": uuid.uuid4().hex}, cookie)
    )
    assert _statuses(results) == {302: 1, 422: n - 1}, results
    assert recorded(world) == 1
