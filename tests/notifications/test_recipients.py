"""Recipients per event and role: everyone who may open the object is told (but the person who
acted), nobody else. Expectations are written by hand per role, then checked once more against
the policy over every account of the world (nobody outside the audience is notified)."""

import pytest
import sqlalchemy as sa

from tenantvoice import policy
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.meetings import services as meeting_services
from tenantvoice.meetings.models import Audience, MeetingKind
from tenantvoice.minutes import services as minutes_services
from tenantvoice.minutes.models import MinutesState
from tenantvoice.notifications.models import Notification
from tests import factories as f
from tests.matrix.harness import ROLES
from tests.minutes.helpers import in_request, minutes_in_state
from tests.notifications.helpers import draft_meeting, publish, told


def _ids(w, *roles) -> set[int]:
    return {getattr(w, role).id for role in roles}


def _everyone(w):
    return [getattr(w, role) for role in ROLES if role != "anonymous"]


def test_a_members_notice_reaches_the_members_but_the_officer_who_sent_it(world):
    w = world
    publish(draft_meeting(w.adl_a), w.officer_a)
    assert told("meeting.notice") == _ids(w, "tenant_a", "president_a")


def test_a_notice_to_all_tenants_reaches_tenants_of_the_site_who_are_not_members(world):
    w = world
    neighbour = f.make_user(name="Voisine du Parc", email="voisine@example.org")
    f.make_tenancy(user=neighbour, site=w.s1)
    elsewhere = f.make_user(name="Locataire des Érables")
    f.make_tenancy(user=elsewhere, site=w.s2)
    publish(draft_meeting(w.adl_a, audience=Audience.SITE_TENANTS), w.officer_a)
    assert told("meeting.notice") == _ids(w, "tenant_a", "president_a") | {neighbour.id}


def test_the_organizer_is_told_only_when_invited_and_in_scope(world):
    w = world
    publish(draft_meeting(w.adl_a, oc_invited=True), w.officer_a)
    assert told("meeting.notice") == _ids(w, "tenant_a", "president_a", "oc")


def test_the_office_direction_is_told_only_of_joint_ccr_meetings(world):
    w = world
    ccr_officer = f.make_tenant(body=w.ccr, role=f.MemberRole.PRESIDENT, name="Présidence CCR")
    ccr_member = f.make_tenant(body=w.ccr, name="Membre CCR")
    publish(draft_meeting(w.ccr, kind=MeetingKind.CCR_JOINT), ccr_officer)
    assert told("meeting.notice") == {ccr_member.id, w.direction.id}
    publish(
        draft_meeting(w.ccr, kind=MeetingKind.CCR_TENANTS, title="Entre locataires"), ccr_officer
    )
    direction_notes = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == w.direction.id)
    ).all()
    assert len(direction_notes) == 1  # the joint meeting only


def test_a_disabled_account_is_never_told(world):
    w = world
    w.tenant_a.active = False
    db.session.commit()
    publish(draft_meeting(w.adl_a), w.officer_a)
    assert told("meeting.notice") == _ids(w, "president_a")


def test_changing_the_time_of_a_published_meeting_tells_the_same_people(world):
    w = world
    meeting = draft_meeting(w.adl_a)
    publish(meeting, w.officer_a)
    data = {
        k: getattr(meeting, k)
        for k in ("kind", "title", "starts_at", "ends_at", "place", "address", "video_url")
    }
    data.update(audience=meeting.audience, oc_invited=meeting.oc_invited)
    data["starts_at"] = meeting.starts_at.replace(hour=(meeting.starts_at.hour + 1) % 24)
    data["ends_at"] = data["starts_at"] + (meeting.ends_at - meeting.starts_at)
    with in_request():
        meeting_services.update_meeting(w.president_a, meeting, data)
    db.session.commit()
    assert told("meeting.changed") == _ids(w, "tenant_a", "officer_a")


def test_a_change_of_title_alone_tells_nobody(world):
    w = world
    meeting = draft_meeting(w.adl_a)
    publish(meeting, w.officer_a)
    data = {
        k: getattr(meeting, k)
        for k in ("kind", "starts_at", "ends_at", "place", "address", "video_url", "audience")
    }
    data.update(title="Nouveau titre", oc_invited=meeting.oc_invited)
    with in_request():
        meeting_services.update_meeting(w.officer_a, meeting, data)
    db.session.commit()
    assert told("meeting.changed") == set()


def test_a_cancelled_meeting_is_announced_to_the_people_convened(world):
    w = world
    meeting = draft_meeting(w.adl_a)
    publish(meeting, w.officer_a)
    with in_request():
        meeting_services.cancel(w.officer_a, meeting, "Salle inondée")
    db.session.commit()
    assert told("meeting.cancelled") == _ids(w, "tenant_a", "president_a")


def test_a_draft_meeting_tells_nobody(world):
    w = world
    draft_meeting(w.adl_a)
    db.session.commit()
    assert told("meeting.notice") == set()


def test_minutes_proposed_reach_the_members_who_approve_them(world):
    w = world
    minutes_in_state(w, MinutesState.PROPOSED)
    assert told("minutes.proposed") == _ids(w, "tenant_a", "president_a")


def test_minutes_to_sign_reach_the_signing_officers_only(world):
    w = world
    minutes_in_state(w, MinutesState.APPROVED)
    # officer_a (the secretary) recorded the approval: the president is asked to sign.
    assert told("minutes.to_sign") == _ids(w, "president_a")


def test_published_minutes_reach_the_bodys_readers(world):
    w = world
    minutes = minutes_in_state(w, MinutesState.SIGNED)
    with in_request():
        minutes_services.publish(w.officer_a, minutes)
    db.session.commit()
    assert told("minutes.published") == _ids(w, "tenant_a", "president_a")


@pytest.mark.parametrize(
    ("kind", "audience", "oc_invited"),
    [
        (MeetingKind.AGM, Audience.MEMBERS, False),
        (MeetingKind.AGM, Audience.SITE_TENANTS, True),
        (MeetingKind.CCR_JOINT, Audience.MEMBERS, False),
    ],
)
def test_nobody_outside_the_audience_is_notified(world, kind, audience, oc_invited):
    """Checked against the policy for every account: told ⇔ may open the meeting (not the actor)."""
    w = world
    body = w.ccr if kind == MeetingKind.CCR_JOINT else w.adl_a
    actor = (
        w.officer_a if body is w.adl_a else f.make_tenant(body=w.ccr, role=f.MemberRole.SECRETARY)
    )
    meeting = draft_meeting(body, kind=kind, audience=audience, oc_invited=oc_invited)
    publish(meeting, actor)
    people = db.session.scalars(sa.select(User)).all()
    with in_request():
        allowed = {u.id for u in people if policy.can_see_meeting(u, meeting)} - {actor.id}
    assert told("meeting.notice") == allowed
    assert allowed  # the check is not empty
