"""RSVP (one row per person, updated), proposals accepted or declined with a reason."""

import uuid

import pytest
import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaProposal, ProposalStatus, Rsvp, RsvpAnswer
from tests import factories as f


def test_rsvp_double_submit_updates_one_row(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    assert (
        client.post(
            f"/meetings/{meeting.id}/rsvp", data={"answer": "yes", "party_size": "2"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/meetings/{meeting.id}/rsvp", data={"answer": "maybe", "party_size": "3"}
        ).status_code
        == 302
    )
    rows = db.session.scalars(sa.select(Rsvp)).all()
    assert len(rows) == 1
    assert (rows[0].answer, rows[0].party_size) == (RsvpAnswer.MAYBE, 3)


def test_rsvp_party_size_out_of_range_is_422(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.post(
        f"/meetings/{meeting.id}/rsvp",
        data={"answer": "yes", "party_size": "11"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert f'id="meeting-rsvp-{meeting.id}"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Rsvp.id))) == 0


def test_officers_see_answer_counts(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.add(
        Rsvp(meeting_id=meeting.id, user_id=world.tenant_a.id, answer=RsvpAnswer.YES, party_size=3)
    )
    db.session.commit()
    auth.login(world.officer_a)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "3 people expected in all" in page  # the test client asks for English


def test_declined_proposal_shows_the_reason_to_its_author(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    assert (
        client.post(
            f"/meetings/{meeting.id}/proposals",
            data={"title": "Punaises de lit", "form_key": uuid.uuid4().hex},
        ).status_code
        == 302
    )
    proposal = db.session.scalar(sa.select(AgendaProposal))
    auth.login(world.officer_a)
    url = f"/meetings/{meeting.id}/proposals/{proposal.id}/decline"
    assert client.post(url, data={f"p{proposal.id}-reason": ""}).status_code == 422
    response = client.post(url, data={f"p{proposal.id}-reason": "Déjà traité au CCR"})
    assert response.status_code == 302
    auth.login(world.tenant_a)
    assert "Déjà traité au CCR" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_accepted_proposal_goes_before_the_adjournment(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    proposal = AgendaProposal(
        meeting_id=meeting.id, proposed_by_id=world.tenant_a.id, title="Stationnement"
    )
    db.session.add(proposal)
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/meetings/{meeting.id}/proposals/{proposal.id}/accept").status_code == 302
    db.session.refresh(meeting)
    assert [i.title for i in meeting.agenda_items] == [
        "Ouverture de l'assemblée",
        "Stationnement",
        "Levée de l'assemblée",
    ]
    assert meeting.sequence == 1
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.ACCEPTED


def test_move_item_down_swaps_and_returns_the_partial(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, agenda=("Un", "Deux", "Trois"))
    db.session.commit()
    first = meeting.agenda_items[0]
    auth.login(world.officer_a)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{first.id}/move",
        data={"direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert (
        response.get_data(as_text=True)
        .lstrip()
        .startswith(f'<section id="meeting-agenda-{meeting.id}"')
    )
    db.session.refresh(meeting)
    assert [i.title for i in meeting.agenda_items] == ["Deux", "Un", "Trois"]


def test_a_proposal_decided_meanwhile_is_refused_and_added_once(world):
    """Two officers accept the same proposal at once: the one whose session still reads it as
    pending is refused by the database's conditional update, not by its stale copy."""
    from tenantvoice.meetings import services
    from tenantvoice.meetings.models import AgendaItem, MeetingStateError

    meeting = f.make_meeting(body=world.adl_a)
    proposal = AgendaProposal(
        meeting_id=meeting.id, proposed_by_id=world.tenant_a.id, title="Stationnement"
    )
    db.session.add(proposal)
    db.session.commit()
    items = db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem))
    assert proposal.status == ProposalStatus.PENDING  # this session's copy: pending
    # the other officer's request, committed in between
    db.session.execute(
        sa.update(AgendaProposal)
        .where(AgendaProposal.id == proposal.id)
        .values(status=ProposalStatus.ACCEPTED)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(MeetingStateError):
        services.accept_proposal(world.president_a, proposal)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == items
