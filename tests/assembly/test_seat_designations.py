"""An association's officers link each CCR seat it designated to the resolution that designated
the person (issue 11, domain-rules 2.3 C2): they see their own delegates, never the CCR's
register, and only the association's adopted resolutions are offered."""

from datetime import date

import sqlalchemy as sa

from tenantvoice.assembly.models import ResolutionOutcome, SeatDesignation
from tenantvoice.extensions import db
from tenantvoice.orgs import services
from tenantvoice.orgs.models import MemberRole
from tests import factories as f
from tests.minutes.helpers import make_resolution


def _delegate(w):
    w.adl_a.recognized_on = date(2024, 5, 1)
    officer = f.make_tenant(body=w.ccr, role=MemberRole.SECRETARY, name="Chantal Lévesque")
    other = f.make_member(body=w.ccr, name="Appointée par l'office")
    entry = services.add_member(
        officer,
        w.ccr,
        {
            "name": "Déléguée du Parc",
            "site_id": w.s1.id,
            "role": "member",
            "seat_source": "designated",
            "designated_by_id": w.adl_a.id,
        },
    )
    meeting = f.make_meeting(body=w.adl_a)
    meeting.year_number = 3
    adopted = make_resolution(meeting, text="que Mme X soit déléguée au CCR")
    defeated = make_resolution(
        meeting, text="que M. Y soit délégué", outcome=ResolutionOutcome.DEFEATED
    )
    db.session.commit()
    return entry, other, adopted, defeated


def test_the_officer_sees_the_delegates_and_the_adopted_resolutions(world, client, auth):
    entry, other, adopted, defeated = _delegate(world)
    auth.login(world.officer_a)
    page = client.get(f"/bodies/{world.adl_a.id}/designations").text
    assert "Déléguée du Parc" in page
    assert "Appointée" not in page  # the CCR's register is not theirs
    assert adopted.number in page
    assert "M. Y" not in page


def test_the_officer_links_the_seat(world, client, auth):
    entry, _other, adopted, _defeated = _delegate(world)
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/designations/{entry.id}"
    response = client.post(url, data={f"m{entry.id}-resolution_id": adopted.id})
    assert response.status_code == 302
    assert db.session.get(SeatDesignation, entry.id).resolution_id == adopted.id


def test_a_defeated_resolution_is_refused(world, client, auth):
    entry, _other, _adopted, defeated = _delegate(world)
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/designations/{entry.id}"
    response = client.post(url, data={f"m{entry.id}-resolution_id": defeated.id})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeatDesignation)) == 0


def test_another_associations_officer_cannot_link(world, client, auth):
    entry, _other, adopted, _defeated = _delegate(world)
    auth.login(world.officer_b)
    url = f"/bodies/{world.adl_b.id}/designations/{entry.id}"
    response = client.post(url, data={f"m{entry.id}-resolution_id": adopted.id})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeatDesignation)) == 0


def test_the_association_page_links_to_the_designations(world, client, auth):
    _delegate(world)
    auth.login(world.officer_a)
    assert f"/bodies/{world.adl_a.id}/designations" in client.get(f"/bodies/{world.adl_a.id}").text
    auth.login(world.tenant_a)
    assert "/designations" not in client.get(f"/bodies/{world.adl_a.id}").text
