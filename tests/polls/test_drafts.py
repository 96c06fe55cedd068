"""Poll drafts: an officer saves the form as typed (nothing checked, nothing asked), finds it in
the body's list, takes it up again, and creating the poll removes the draft."""

import sqlalchemy as sa

from tenantvoice.ballots.models import Purpose, Question
from tenantvoice.extensions import db
from tenantvoice.polls.models import PollDraft
from tests.polls.helpers import make_body_with_voters
from tests.polls.test_create import _form


def _drafts():
    return db.session.scalars(sa.select(PollDraft)).all()


def test_a_draft_keeps_the_form_as_typed_and_becomes_the_poll(app, client, auth):
    body, officer, voters, _ = make_body_with_voters(6)
    db.session.commit()
    auth.login(officer)
    saved = client.post(
        f"/bodies/{body.id}/polls/new",
        data=_form(action="draft", choice=["Mardi", ""], closes_at=""),
    )
    assert saved.status_code == 302
    (draft,) = _drafts()
    assert draft.fields["choice"] == ["Mardi", ""]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
    listing = client.get(f"/bodies/{body.id}/polls")
    assert "Drafts" in listing.text
    assert "Quel soir convient pour" in listing.text
    auth.login(voters[1])
    assert "Drafts" not in client.get(f"/bodies/{body.id}/polls").text
    auth.login(officer)
    again = client.get(f"/bodies/{body.id}/polls/new?draft={draft.id}")
    assert 'value="Mardi"' in again.text
    assert f'name="draft" value="{draft.id}"' in again.text
    done = client.post(f"/bodies/{body.id}/polls/new", data=_form(draft=str(draft.id)))
    assert done.status_code == 302
    assert _drafts() == []
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Question.purpose == Purpose.POLL)) == 1
    )


def test_a_draft_is_deleted_and_another_body_s_draft_is_not_found(app, client, auth):
    body, officer, _voters, _ = make_body_with_voters(6)
    other, other_officer, _v, _p = make_body_with_voters(2)
    db.session.commit()
    auth.login(other_officer)
    client.post(f"/bodies/{other.id}/polls/new", data=_form(action="draft"))
    (draft,) = _drafts()
    auth.login(officer)
    assert client.get(f"/bodies/{body.id}/polls/new?draft={draft.id}").status_code == 404
    assert client.post(f"/bodies/{body.id}/polls/drafts/{draft.id}/delete").status_code == 404
    auth.login(other_officer)
    gone = client.post(f"/bodies/{other.id}/polls/drafts/{draft.id}/delete")
    assert gone.status_code == 302
    assert _drafts() == []
