"""The housing office records its recognition of an association and its end (issue 9; domain-
rules A4, §5.2 "Recognition status of ADL": the office writes it, everyone else reads it), and
the organizer's alert "recognition lapsed" rests on that record."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingKind
from tenantvoice.orgs.models import MemberRole
from tests import factories as f


@pytest.fixture(autouse=True)
def _the_day_stands_still():
    """The tests write dates from today (tomorrow is refused, today is not) and the app reads
    today again: with the clock running, a run crossing midnight in Montréal between the two
    reads saw "tomorrow" become today."""
    clock.set(clock.now(), frozen=True)


def _today():
    return clock.now().astimezone(clock.MONTREAL).date()


def _save(client, world, **data):
    return client.post(f"/bodies/{world.adl_a.id}/recognition", data=data)


def test_the_direction_records_a_recognition_and_its_end(world, client, auth):
    auth.login(world.direction)
    start = _today() - timedelta(days=700)
    response = _save(
        client, world, recognized_on=start.isoformat(), recognition_reference="CA-2024-12"
    )
    assert response.status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.recognized_on == start
    assert world.adl_a.recognition_reference == "CA-2024-12"
    assert not world.adl_a.recognition_ended
    end = _today() - timedelta(days=10)
    response = _save(
        client,
        world,
        recognized_on=start.isoformat(),
        recognition_reference="CA-2024-12",
        recognition_ended_on=end.isoformat(),
    )
    assert response.status_code == 302
    db.session.refresh(world.adl_a)
    assert world.adl_a.recognition_ended_on == end
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.body_id == world.adl_a.id)
    ).all()
    assert actions.count("body.recognition") == 2
    # Every reader of the body page reads the status; only the direction gets the button.
    page = client.get(f"/bodies/{world.adl_a.id}").text
    assert "recognition ended" in page
    assert "Record the recognition" in page
    auth.logout()
    auth.login(world.tenant_a)
    page = client.get(f"/bodies/{world.adl_a.id}").text
    assert "recognition ended" in page
    assert "CA-2024-12" in page
    assert "Record the recognition" not in page


def test_bad_dates_are_refused_next_to_the_field(world, client, auth):
    auth.login(world.direction)
    tomorrow = _today() + timedelta(days=1)
    response = _save(client, world, recognized_on=tomorrow.isoformat())
    assert response.status_code == 422
    assert "Choose a date that has passed." in response.text
    response = _save(client, world, recognition_ended_on=_today().isoformat())
    assert response.status_code == 422
    assert "Give the date of the recognition first." in response.text
    response = _save(
        client,
        world,
        recognized_on=_today().isoformat(),
        recognition_ended_on=(_today() - timedelta(days=3)).isoformat(),
    )
    assert response.status_code == 422
    assert "The end cannot come before the recognition." in response.text
    response = _save(
        client, world, recognized_on=_today().isoformat(), recognition_reference="x" * 81
    )
    assert response.status_code == 422
    db.session.refresh(world.adl_a)
    assert world.adl_a.recognized_on is None  # nothing recorded


def test_a_ccr_is_not_recognized_and_another_office_cannot_record(world, client, auth):
    auth.login(world.direction)
    assert client.get(f"/bodies/{world.ccr.id}/recognition").status_code == 403
    auth.logout()
    auth.login(world.direction_other)
    assert client.get(f"/bodies/{world.adl_a.id}/recognition").status_code == 404


def test_the_french_page_reads_well(world, client, auth):
    world.adl_a.recognized_on = _today() - timedelta(days=30)
    world.adl_a.recognition_ended_on = _today() - timedelta(days=2)
    db.session.commit()
    auth.login(world.direction)
    page = client.get(
        f"/bodies/{world.adl_a.id}/recognition", headers={"Accept-Language": "fr-CA"}
    ).text
    assert "Reconnaissance par l'office d'habitation" in page
    assert "Aujourd'hui\u00a0: Reconnue du" in page
    assert "(reconnaissance terminée)." in page


def test_the_organizer_is_alerted_when_a_recognition_ended(world, client, auth):
    # ADL B would call for no support (3 elected, an AGA 200 days ago, recognized), until the
    # office records that its recognition ended.
    world.adl_b.recognized_on = _today() - timedelta(days=400)
    for role in (MemberRole.PRESIDENT, MemberRole.TREASURER):
        f.make_member(body=world.adl_b, name=f"Élu {role}", role=role)
    f.make_meeting(
        body=world.adl_b, kind=MeetingKind.AGM, title="AGA", starts_in=-timedelta(days=200)
    )
    db.session.commit()
    auth.login(world.oc)
    assert f'id="home-alert-{world.adl_b.id}"' not in client.get("/").text
    world.adl_b.recognition_ended_on = _today() - timedelta(days=5)
    db.session.commit()
    page = client.get("/").text
    start = page.index(f'id="home-alert-{world.adl_b.id}"')
    alert = page[start : page.index("</section>", start)]
    assert "Its recognition by the office ended on" in alert
    assert "No recognition by the office is recorded." not in alert
