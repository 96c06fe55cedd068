"""Office consultations (issue 11, domain-rules C7, R1, 5.3): the direction submits a draft to its
CCR at least 7 days before deciding; the CCR's members discuss it where the office never reads;
an officer records the CCR's answer; the page says whether the CCR answered in time."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock, seed
from tenantvoice.consultations import services
from tenantvoice.consultations.models import (
    Consultation,
    ConsultationComment,
    ConsultationKind,
    Timeliness,
)
from tenantvoice.extensions import db
from tenantvoice.notifications.models import NotificationEvent
from tenantvoice.orgs.models import MemberRole
from tests import factories as f
from tests.minutes.helpers import in_request
from tests.notifications.helpers import told


@pytest.fixture(autouse=True)
def _now():
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=clock.MONTREAL))


@pytest.fixture
def ccr(world):
    """The CCR's register: a secretary (officer) and a member, both with accounts."""
    world.ccr_officer = f.make_tenant(
        body=world.ccr, role=MemberRole.SECRETARY, name="Chantal Lévesque"
    )
    world.ccr_member = f.make_tenant(body=world.ccr, name="Karim Haddad")
    db.session.commit()
    return world


def _form(**over):
    data = {
        "kind": "lease_clause",
        "title": "Clause sur les climatiseurs",
        "text": "Projet de clause : un climatiseur exige l'autorisation de l'office.",
        "decision_date": "2026-03-09",
    }
    data.update(over)
    return data


def _submit(w, decision=date(2026, 3, 20), kind=ConsultationKind.POLICY) -> Consultation:
    with in_request():
        consultation = services.submit(
            w.direction,
            w.ccr,
            kind=kind,
            title="Politique de stationnement",
            text="Projet de politique.",
            decision_date=decision,
        )
    db.session.commit()
    return consultation


def test_the_direction_submits_a_consultation_7_days_ahead(ccr, client, auth):
    auth.login(ccr.direction)
    data = _form(ccr_id=ccr.ccr.id)
    response = client.post("/office/consultations/new", data=data)
    assert response.status_code == 302
    consultation = db.session.scalar(sa.select(Consultation))
    assert consultation.decision_date == date(2026, 3, 9)
    assert consultation.kind == ConsultationKind.LEASE_CLAUSE
    assert consultation.ccr_id == ccr.ccr.id


def test_a_decision_less_than_7_days_ahead_is_refused_next_to_the_date(ccr, client, auth):
    auth.login(ccr.direction)
    data = _form(ccr_id=ccr.ccr.id, decision_date="2026-03-08")
    response = client.post("/office/consultations/new", data=data)
    assert response.status_code == 422
    assert 'id="decision_date-errors"' in response.text
    assert "at least 7 days" in response.text
    assert "Clause sur les climatiseurs" in response.text  # the values are kept
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


def test_the_refusal_is_translated(ccr, client, auth):
    auth.login(ccr.direction)
    data = _form(ccr_id=ccr.ccr.id, decision_date="2026-03-03")
    response = client.post(
        "/office/consultations/new", data=data, headers={"Accept-Language": "fr-CA"}
    )
    assert response.status_code == 422
    assert "au moins 7 jours" in response.text


def test_a_missing_title_is_refused(ccr, client, auth):
    auth.login(ccr.direction)
    response = client.post("/office/consultations/new", data=_form(ccr_id=ccr.ccr.id, title=""))
    assert response.status_code == 422


def test_the_yearly_budget_consultation_is_a_kind(ccr, client, auth):
    auth.login(ccr.direction)
    page = client.get("/office/consultations/new").text
    assert "budget and the capital plan" in page
    data = _form(ccr_id=ccr.ccr.id, kind="budget")
    assert client.post("/office/consultations/new", data=data).status_code == 302


def test_another_office_cannot_submit_to_this_ccr(ccr, client, auth):
    auth.login(ccr.direction_other)
    response = client.post("/office/consultations/new", data=_form(ccr_id=ccr.ccr.id))
    assert response.status_code == 403  # its office has no CCR at all
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


def test_the_ccr_members_are_told_of_a_submission(ccr):
    _submit(ccr)
    assert told("consultation.submitted") == {ccr.ccr_officer.id, ccr.ccr_member.id}


def test_a_member_comments_and_the_office_never_reads_the_discussion(ccr, client, auth):
    consultation = _submit(ccr)
    auth.login(ccr.ccr_member)
    url = f"/consultations/{consultation.id}"
    assert client.post(f"{url}/comments", data={"text": "Trop vague."}).status_code == 302
    assert "Trop vague." in client.get(url).text
    auth.login(ccr.direction)
    page = client.get(url)
    assert page.status_code == 200
    assert "Trop vague." not in page.text
    assert "Karim Haddad" not in page.text
    assert client.post(f"{url}/comments", data={"text": "Moi aussi"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ConsultationComment.id))) == 1


def test_a_tenant_reads_the_consultation_but_not_the_discussion(ccr, client, auth):
    consultation = _submit(ccr)
    with in_request():
        services.add_comment(ccr.ccr_member, consultation, "Entre nous.")
    db.session.commit()
    auth.login(ccr.tenant_a)
    page = client.get(f"/consultations/{consultation.id}")
    assert page.status_code == 200
    assert "Entre nous." not in page.text


def test_an_empty_comment_is_refused(ccr, client, auth):
    consultation = _submit(ccr)
    auth.login(ccr.ccr_member)
    response = client.post(f"/consultations/{consultation.id}/comments", data={"text": " "})
    assert response.status_code == 422
    assert 'id="text-errors"' in response.text


def test_an_officer_records_the_answer_and_the_direction_reads_it(ccr, client, auth):
    consultation = _submit(ccr)
    auth.login(ccr.ccr_officer)
    url = f"/consultations/{consultation.id}"
    response = client.post(f"{url}/answer", data={"text": "Le CCR appuie le projet."})
    assert response.status_code == 302
    assert told("consultation.answered") == {ccr.direction.id}
    auth.login(ccr.direction)
    page = client.get(url).text
    assert "Le CCR appuie le projet." in page
    assert "Answered in time" in page


def test_a_member_who_is_not_an_officer_cannot_record_the_answer(ccr, client, auth):
    consultation = _submit(ccr)
    auth.login(ccr.ccr_member)
    response = client.post(f"/consultations/{consultation.id}/answer", data={"text": "Oui"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).answered_at is None


def test_a_second_answer_is_refused(ccr, client, auth):
    consultation = _submit(ccr)
    auth.login(ccr.ccr_officer)
    url = f"/consultations/{consultation.id}/answer"
    assert client.post(url, data={"text": "Premier"}).status_code == 302
    assert client.post(url, data={"text": "Second"}).status_code in (403, 409)
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).answer_text == "Premier"


def test_an_answer_after_the_decision_date_shows_as_late(ccr, client, auth):
    consultation = _submit(ccr, decision=date(2026, 3, 9))
    clock.set(datetime(2026, 3, 9, 10, 0, tzinfo=clock.MONTREAL))
    with in_request():
        services.record_answer(ccr.ccr_officer, consultation, "Trop tard.")
    db.session.commit()
    assert consultation.timeliness == Timeliness.LATE
    auth.login(ccr.direction)
    assert "Answered after the decision" in client.get("/office/consultations").text


def test_no_answer_shows_as_such(ccr, client, auth):
    consultation = _submit(ccr)
    assert consultation.timeliness == Timeliness.NONE
    auth.login(ccr.direction)
    assert "No answer" in client.get("/office/consultations").text


def test_a_recommendation_answers_by_plain_reference(ccr):
    consultation = _submit(ccr, decision=date(2026, 3, 20))
    at = datetime(2026, 3, 15, 12, 0, tzinfo=clock.MONTREAL)
    with in_request():
        services.record_recommendation_answer(consultation, 4242, at)
        services.record_recommendation_answer(consultation, 99, at + timedelta(days=1))
    db.session.commit()
    assert consultation.recommendation_id == 4242
    assert consultation.timeliness == Timeliness.IN_TIME
    assert told("consultation.answered") == {ccr.direction.id}


def test_the_direction_is_told_once_whatever_answers_first(ccr):
    consultation = _submit(ccr)
    with in_request():
        services.record_recommendation_answer(consultation, 7, clock.now())
        services.record_answer(ccr.ccr_officer, consultation, "Et par écrit.")
    db.session.commit()
    events = db.session.scalars(
        sa.select(NotificationEvent).where(NotificationEvent.kind == "consultation.answered")
    ).all()
    assert len(events) == 1


def test_the_ccr_page_lists_its_consultations_for_its_members(ccr, client, auth):
    _submit(ccr)
    auth.login(ccr.ccr_member)
    page = client.get(f"/bodies/{ccr.ccr.id}").text
    assert "Politique de stationnement" in page
    auth.login(ccr.tenant_a)
    assert "Politique de stationnement" not in client.get(f"/bodies/{ccr.ccr.id}").text


def test_the_direction_lists_only_its_offices_consultations(ccr, client, auth):
    _submit(ccr)
    auth.login(ccr.direction)
    assert "Politique de stationnement" in client.get("/office/consultations").text
    auth.login(ccr.direction_other)
    assert "Politique de stationnement" not in client.get("/office/consultations").text


def test_timeliness_uses_the_montreal_date():
    c = Consultation(decision_date=date(2026, 3, 10))
    c.answered_at = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 9 March, 22 h in Montréal
    assert c.timeliness == Timeliness.IN_TIME
    c.answered_at = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert c.timeliness == Timeliness.LATE


def test_the_demo_has_an_answer_in_time_and_one_after(app):
    seed.seed_demo()
    found = {c.timeliness for c in db.session.scalars(sa.select(Consultation))}
    assert {Timeliness.IN_TIME, Timeliness.LATE} <= found


def test_the_directions_home_leads_to_its_consultations(ccr, client, auth):
    _submit(ccr)
    auth.login(ccr.direction)
    page = client.get("/").text
    assert "/office/consultations" in page
    assert "1 consultation awaits the CCR" in page
    auth.login(ccr.tenant_a)
    assert "/office/consultations" not in client.get("/").text
