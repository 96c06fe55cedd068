"""Tenant directors (domain-rules §5.2, "Draft minutes": own body): a tenant director of the CCR
reads the CCR's draft minutes (never their in-camera sections, never to edit them); an ordinary
CCR member does not, nor does a tenant director of another body."""

import pytest

from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import MemberRole
from tests import factories as f
from tests.minutes.helpers import minutes_in_state


@pytest.fixture
def ccr(world):
    w = world
    w.ccr_secretary = f.make_tenant(body=w.ccr, role=MemberRole.SECRETARY, name="Claudette Roy")
    w.ccr_president = f.make_tenant(body=w.ccr, role=MemberRole.PRESIDENT, name="Fatima B.")
    w.director = f.make_tenant(body=w.ccr, role=MemberRole.TENANT_DIRECTOR, name="Anna K.")
    w.ccr_member = f.make_tenant(body=w.ccr, name="Karim Haddad")
    w.director_elsewhere = f.make_tenant(body=w.adl_b, role=MemberRole.TENANT_DIRECTOR)
    db.session.commit()
    return w


def _draft(w):
    return minutes_in_state(
        w, MinutesState.DRAFT, body=w.ccr, officer=w.ccr_secretary, president=w.ccr_president
    )


def test_tenant_director_reads_the_draft_of_their_own_body(ccr, client, auth):
    """Fails on the old code: drafts were for officers alone (404 for the tenant director)."""
    minutes = _draft(ccr)
    auth.login(ccr.director)
    response = client.get(f"/minutes/{minutes.id}")
    assert response.status_code == 200
    assert "concierge" not in response.get_data(as_text=True)  # the in-camera section
    assert client.get(f"/minutes/{minutes.id}/edit").status_code == 403


@pytest.mark.parametrize("who", ["ccr_member", "director_elsewhere", "direction"])
def test_others_still_never_see_the_draft(ccr, client, auth, who):
    minutes = _draft(ccr)
    auth.login(getattr(ccr, who))
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
