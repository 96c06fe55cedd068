"""A CCR answers an office consultation with a recommendation (issue 11, "Office
consultations"): drafted from the consultation's page, linked both ways, and recorded on the
consultation (in time or not) when it is transmitted to the direction."""

import uuid
from datetime import date, datetime, timedelta

import pytest

from tenantvoice import clock
from tenantvoice.consultations import services as consultations
from tenantvoice.consultations.models import ConsultationKind, Timeliness
from tenantvoice.extensions import db
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import Recommendation, Status
from tests import factories as f
from tests.minutes.helpers import in_request
from tests.recommendations.helpers import TEXT, ccr_seats

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _now():
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=clock.MONTREAL))


def _consultation(w, body=None, decision=date(2026, 3, 20)):
    with in_request():
        consultation = consultations.submit(
            w.direction,
            body or w.ccr,
            kind=ConsultationKind.POLICY,
            title="Politique de stationnement",
            text="Projet de politique.",
            decision_date=decision,
        )
    db.session.commit()
    return consultation


def _draft(client, w, consultation_id):
    data = {**TEXT, "form_key": uuid.uuid4().hex, "consultation_id": str(consultation_id)}
    return client.post(f"/bodies/{w.ccr.id}/recommendations/new", data=data, headers=EN)


def test_a_ccr_member_drafts_the_answer_from_the_consultation(world, client, auth):
    ccr_seats(world)
    consultation = _consultation(world)
    auth.login(world.tenant_a)
    page = client.get(f"/consultations/{consultation.id}", headers=EN).text
    link = f"/bodies/{world.ccr.id}/recommendations/new?consultation={consultation.id}"
    assert link in page.replace("&amp;", "&")
    form = client.get(link, headers=EN).text
    assert "In answer to the office's consultation “Politique de stationnement”." in form
    assert _draft(client, world, consultation.id).status_code == 302
    rec = db.session.query(Recommendation).one()
    assert rec.consultation_id == consultation.id
    page = client.get(f"/recommendations/{rec.id}", headers=EN).text
    assert f"/consultations/{consultation.id}" in page


def test_transmitting_it_answers_the_consultation_in_time(world, client, auth):
    ccr_seats(world)
    consultation = _consultation(world)
    with in_request():
        rec = services.draft(world.tenant_a, world.ccr, **TEXT, consultation=consultation)
        rec.status = Status.ADOPTED
        db.session.flush()
        clock.advance(timedelta(days=5))
        services.transmit(world.officer_a, rec)
    db.session.commit()
    db.session.refresh(consultation)
    assert consultation.recommendation_id == rec.id
    assert consultation.timeliness == Timeliness.IN_TIME
    auth.login(world.direction)
    page = client.get(f"/consultations/{consultation.id}", headers=EN).text
    assert f"/recommendations/{rec.id}" in page


def test_another_committees_consultation_cannot_be_answered(world, client, auth):
    ccr_seats(world)
    other_ccr = f.make_body(provider=world.p2, kind=f.BodyKind.CCR, name="CCR Solidaire")
    db.session.commit()
    consultation = _consultation(world)
    with in_request(), pytest.raises(services.RecommendationInvalidError):
        services.draft(world.tenant_a, other_ccr, **TEXT, consultation=consultation)
    db.session.rollback()
    auth.login(world.tenant_a)
    # A forged or foreign consultation id: nothing says it exists, nothing is drafted.
    assert _draft(client, world, 999999).status_code == 404
    assert db.session.query(Recommendation).count() == 0
