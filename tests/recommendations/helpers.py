"""Builders for the recommendations tests: a recommendation of a body, put in a given state."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.orgs.models import MemberRole
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import Answer, Status, Target
from tests import factories as f

TEXT = {
    "title": "Réparer l'éclairage du stationnement",
    "situation": "Depuis septembre, trois lampadaires sont éteints dans le stationnement.",
    "recommended": "Que l'office répare l'éclairage du stationnement avant le 1er février.",
    "category": "safety",
}


def ccr_seats(w):
    """officer_a chairs the CCR and tenant_a sits on it (both live at the provider's sites)."""
    f.make_member(body=w.ccr, user=w.officer_a, role=MemberRole.PRESIDENT, name="Jean Gagnon")
    f.make_member(body=w.ccr, user=w.tenant_a, name="Lucie Tremblay")
    db.session.flush()


def make_rec(w, body=None, author=None, status=Status.DRAFT, **text):
    """A recommendation of `body` (ADL A by default) set to `status` directly (the vote and the
    answer have their own tests)."""
    body = body or w.adl_a
    author = author or w.officer_a
    rec = services.draft(author, body, **{**TEXT, **text})
    if status == Status.DRAFT:
        return rec
    rec.status = status
    if status == Status.VOTING:
        return rec
    rec.adopted_at = clock.now()
    if status in (Status.ADOPTED, Status.REJECTED):
        return rec
    target, target_body = services.target_of(rec)
    rec.target, rec.target_body = target, target_body
    rec.transmitted_at = clock.now()
    if target == Target.DIRECTION:
        rec.answer_due_on = clock.now().astimezone(clock.MONTREAL).date() + timedelta(
            days=body.answer_delay_days
        )
    if status in (Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.REFUSED, Status.UNDER_STUDY):
        rec.answer = Answer(status.value)
        rec.answer_text = "Nous avons mandaté un électricien."
        rec.answered_at = clock.now()
    if status in (Status.IN_PROGRESS, Status.DONE):
        rec.answer = Answer.ACCEPTED
        rec.answer_text = "Travaux prévus."
        rec.answered_at = clock.now()
    db.session.flush()
    return rec
