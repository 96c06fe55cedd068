"""Recommendation pages (domain-rules §5.2 "CCR recommendations": tenants of the provider read
them once adopted; the body's members write them; the OC reads; the ISC and the platform admin
never; the office's direction reads them once transmitted to it and answers; §5.3: never a
draft, a comment, an amendment's author or a vote roll for the office).

ADL A's recommendations (author officer_a); officer_a chairs and tenant_a sits on the CCR of
P1 for the CCR's recommendations (the ones the direction receives). Everyone who may not learn
that a recommendation exists gets 404.
"""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.extensions import db
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import Status
from tests import factories as f
from tests.matrix.harness import Case, make_matrix_test
from tests.recommendations.helpers import ccr_seats, make_rec

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
A = {"anonymous": 302, "tenant_a": 200, "officer_a": 200}
A_OFFICER = {"anonymous": 302, "tenant_a": 403}
PUBLIC_P1 = {**A, "tenant_b": 200, "officer_b": 200, "oc": 200}
SEEN_PUBLIC = {"tenant_b": 403, "officer_b": 403, "oc": 403}


def _draft(w, suffix=""):
    rec = make_rec(w)
    db.session.commit()
    w.rec = rec
    return f"/recommendations/{rec.id}{suffix}"


def _adopted(suffix=""):
    def url(w):
        rec = make_rec(w, status=Status.ADOPTED)
        db.session.commit()
        return f"/recommendations/{rec.id}{suffix}"

    return url


def _ccr(status, suffix=""):
    def url(w):
        ccr_seats(w)
        rec = make_rec(w, body=w.ccr, status=status)
        db.session.commit()
        w.rec = rec
        return f"/recommendations/{rec.id}{suffix}"

    return url


def _sent_to_ccr(w):
    ccr_seats(w)
    rec = make_rec(w, status=Status.TRANSMITTED)
    db.session.commit()
    return f"/recommendations/{rec.id}/take-up"


def _amendment(w):
    url = _draft(w)
    amendment = services.propose_amendment(w.tenant_a, w.rec, "Que l'office répare tout.")
    db.session.commit()
    return f"{url}/amendments/{amendment.id}"


def _attachment(make, suffix=""):
    def url(w):
        base = make(w)
        attachment = services.add_attachment(w.officer_a, w.rec, "plan.png", PNG)
        db.session.commit()
        return f"{base}/attachments/{attachment.id}{suffix}"

    return url


def _ccr_with_attachment(w):
    ccr_seats(w)
    rec = make_rec(w, body=w.ccr)
    attachment = services.add_attachment(w.officer_a, rec, "plan.png", PNG)
    rec.status = Status.ADOPTED
    db.session.flush()
    services.transmit(w.officer_a, rec)
    db.session.commit()
    return f"/recommendations/{rec.id}/attachments/{attachment.id}"


def _voted_in_meeting(w):
    """A secret vote held in a meeting, closed without ballots (no quorum): the officers may
    record it as a resolution of that meeting."""
    rec = make_rec(w)
    meeting = f.make_meeting(body=w.adl_a, starts_in=timedelta(hours=-1))
    meeting.year_number = 1
    question = services.open_vote(
        w.officer_a,
        rec,
        closes_at=clock.now() + timedelta(hours=1),
        meeting=meeting,
        confirm_small_electorate=True,
    )
    ballots.close_question(question)
    db.session.commit()
    return f"/recommendations/{rec.id}/resolution"


def _vote_data(_w):
    day = (clock.now() + timedelta(days=3)).astimezone(clock.MONTREAL)
    return {
        "close_day": day.date().isoformat(),
        "close_time": "20:00",
        "mode": "secret",
        "meeting_id": "",
        "confirm_small_electorate": "y",
    }


TEXT = {
    "title": "Bancs dans la cour",
    "situation": "Il n'y a aucun banc.",
    "recommended": "Installer quatre bancs.",
    "category": "quality_of_life",
}

CASES = [
    Case(
        "recommendations.body_list",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/recommendations",
        expect=A,
        default=404,
    ),
    Case(
        "recommendations.provider_list",
        "GET",
        lambda w: f"/providers/{w.p1.id}/recommendations",
        expect={**PUBLIC_P1, "direction": 200},
        default=404,
    ),
    Case(
        "recommendations.new",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/recommendations/new",
        expect=A,
        default=404,
    ),
    Case(
        "recommendations.new",
        "POST",
        lambda w: f"/bodies/{w.adl_a.id}/recommendations/new",
        data={**TEXT, "form_key": "0123456789abcdef0123456789abcdef"},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case("recommendations.show", "GET", _draft, expect=A, default=404, label="draft"),
    Case("recommendations.show", "GET", _adopted(), expect=PUBLIC_P1, default=404, label="adopted"),
    Case(
        "recommendations.show",
        "GET",
        _ccr(Status.TRANSMITTED),
        expect={**PUBLIC_P1, "direction": 200},
        default=404,
        label="transmitted",
    ),
    Case(
        "recommendations.edit",
        "GET",
        lambda w: _draft(w, "/edit"),
        expect={**A_OFFICER, "officer_a": 200},
        default=404,
    ),
    Case(
        "recommendations.edit",
        "POST",
        lambda w: _draft(w, "/edit"),
        data=TEXT,
        expect={**A_OFFICER, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.comment",
        "POST",
        lambda w: _draft(w, "/comments"),
        data={"text": "D'accord."},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.amend",
        "POST",
        lambda w: _draft(w, "/amendments"),
        data={"recommended": "Installer six bancs.", "reason": ""},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.decide_amendment",
        "POST",
        _amendment,
        data={"decision": "accept"},
        expect={**A_OFFICER, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.compare",
        "GET",
        lambda w: _draft(w, "/compare?a=1&b=1"),
        expect=A,
        default=404,
    ),
    Case(
        "recommendations.compare",
        "GET",
        _adopted("/compare"),
        expect={**A, "tenant_b": 404, "officer_b": 404, "oc": 404},
        default=404,
        label="adopted",
    ),
    Case(
        "recommendations.attach",
        "POST",
        lambda w: _draft(w, "/attachments"),
        data=lambda w: {"file": (__import__("io").BytesIO(PNG), "plan.png")},
        expect={**A_OFFICER, "officer_a": 302},
        default=404,
    ),
    Case("recommendations.download", "GET", _attachment(_draft), expect=A, default=404),
    Case(
        "recommendations.download",
        "GET",
        _ccr_with_attachment,
        expect={**PUBLIC_P1, "direction": 200},
        default=404,
        label="transmitted",
    ),
    Case(
        "recommendations.remove_attachment",
        "GET",
        _attachment(_draft, "/delete"),
        expect={**A_OFFICER, "officer_a": 200},
        default=404,
    ),
    Case(
        "recommendations.remove_attachment",
        "POST",
        _attachment(_draft, "/delete"),
        expect={**A_OFFICER, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.open_vote",
        "GET",
        lambda w: _draft(w, "/vote"),
        expect={**A_OFFICER, "officer_a": 200},
        default=404,
    ),
    Case(
        "recommendations.open_vote",
        "POST",
        lambda w: _draft(w, "/vote"),
        data=_vote_data,
        expect={**A_OFFICER, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.resolution",
        "GET",
        _voted_in_meeting,
        expect={**A_OFFICER, "officer_a": 200},
        default=404,
    ),
    Case(
        "recommendations.resolution",
        "POST",
        _voted_in_meeting,
        data={"moved_by_id": "", "seconded_by_id": ""},
        expect={**A_OFFICER, "officer_a": 422},
        default=404,
    ),
    Case(
        "recommendations.transmit",
        "GET",
        _adopted("/transmit"),
        expect={**A_OFFICER, **SEEN_PUBLIC, "officer_a": 200},
        default=404,
    ),
    Case(
        "recommendations.transmit",
        "POST",
        _adopted("/transmit"),
        expect={**A_OFFICER, **SEEN_PUBLIC, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.take_up",
        "POST",
        _sent_to_ccr,
        expect={**A_OFFICER, **SEEN_PUBLIC, "officer_a": 302},
        default=404,
    ),
    Case(
        "recommendations.answer",
        "GET",
        _ccr(Status.TRANSMITTED, "/answer"),
        expect={**A_OFFICER, **SEEN_PUBLIC, "officer_a": 403, "direction": 200},
        default=404,
    ),
    Case(
        "recommendations.answer",
        "POST",
        _ccr(Status.TRANSMITTED, "/answer"),
        data={"decision": "refused", "explanation": "Pas de budget cette année."},
        expect={**A_OFFICER, **SEEN_PUBLIC, "officer_a": 403, "direction": 302},
        default=404,
    ),
    Case(
        "recommendations.follow_up",
        "POST",
        _ccr(Status.ACCEPTED, "/follow-up"),
        data={"status": "in_progress", "note": "Électricien mandaté."},
        expect={**A_OFFICER, **SEEN_PUBLIC, "officer_a": 302, "direction": 302},
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
