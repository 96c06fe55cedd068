"""Tenant directors read the attendance sheet of the body they sit on (domain-rules 5.2,
"Attendance / quorum sheets": own body), read only; other members keep the counts alone."""

from datetime import timedelta

import pytest

from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingKind
from tenantvoice.orgs.models import MemberRole
from tests import factories as f


@pytest.fixture
def ccr(world):
    w = world
    w.ccr_secretary = f.make_tenant(body=w.ccr, role=MemberRole.SECRETARY, name="Claudette Roy")
    w.director = f.make_tenant(body=w.ccr, role=MemberRole.TENANT_DIRECTOR, name="Anna K.")
    w.ccr_member = f.make_tenant(body=w.ccr, name="Karim Haddad")
    w.meeting = f.make_meeting(  # under way: the sheet is open for marking
        body=w.ccr, kind=MeetingKind.CCR_JOINT, title="Rencontre", starts_in=-timedelta(minutes=5)
    )
    db.session.commit()
    return w


def test_tenant_director_reads_the_sheet_without_marking(ccr, client, auth):
    """Fails on the old code: the sheet was the officers' alone (403)."""
    auth.login(ccr.director)
    url = f"/meetings/{ccr.meeting.id}/attendance"
    page = client.get(f"{url}?q=karim")  # search first: the register shows what is searched
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Karim Haddad" in text
    assert "/attendance/mark" not in text
    assert client.get(f"/meetings/{ccr.meeting.id}/quorum").status_code == 200
    member = next(m for m in ccr.ccr.members if m.user_id == ccr.ccr_member.id)
    mark = client.post(f"{url}/mark", data={"member_id": str(member.id), "present": "1"})
    assert mark.status_code == 403


def test_the_secretary_still_marks(ccr, client, auth):
    auth.login(ccr.ccr_secretary)
    assert "/attendance/mark" in client.get(f"/meetings/{ccr.meeting.id}/attendance?q=kar").text


@pytest.mark.parametrize(("who", "status"), [("ccr_member", 403), ("direction", 404)])
def test_others_do_not_read_the_sheet(ccr, client, auth, who, status):
    auth.login(getattr(ccr, who))
    assert client.get(f"/meetings/{ccr.meeting.id}/attendance").status_code == status
