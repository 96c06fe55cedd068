"""Recommendation services: drafting and versions, amendments, attachments by content, the vote
through the ballots domain (its result recorded by the result_final handler), transmission,
the direction's answer, follow-up and the overdue job."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.assembly import attendance
from tenantvoice.assembly.models import ResolutionOutcome
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Choice, Mode
from tenantvoice.extensions import db
from tenantvoice.recommendations import diff, files, services
from tenantvoice.recommendations.models import (
    AmendmentStatus,
    Event,
    EventKind,
    RecommendationStateError,
    Status,
    Target,
    Version,
)
from tenantvoice.recommendations.services import RecommendationInvalidError
from tenantvoice.recommendations.signals import transmitted
from tests import factories as f
from tests.minutes.helpers import member_of
from tests.notifications.helpers import told
from tests.recommendations.helpers import TEXT, ccr_seats, make_rec

pytestmark = pytest.mark.usefixtures("request_ctx")

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
PDF = b"%PDF-1.7\n" + b"x" * 100


def test_a_draft_keeps_its_first_version_and_a_private_timeline(world):
    rec = make_rec(world)
    assert rec.status == Status.DRAFT
    assert [v.number for v in db.session.scalars(sa.select(Version))] == [1]
    event = db.session.scalar(sa.select(Event).where(Event.recommendation_id == rec.id))
    assert event.kind == EventKind.DRAFTED
    assert not event.public


def test_a_draft_without_its_text_is_refused_field_by_field(world):
    with pytest.raises(RecommendationInvalidError) as caught:
        services.draft(
            world.tenant_a, world.adl_a, title="", situation="", recommended="", category="x"
        )
    assert set(caught.value.errors) == {"title", "situation", "recommended", "category"}


def test_sites_of_another_provider_are_refused(world):
    with pytest.raises(RecommendationInvalidError) as caught:
        services.draft(world.tenant_a, world.adl_a, **TEXT, site_ids=[world.s3.id])
    assert "site_ids" in caught.value.errors


def test_an_accepted_amendment_makes_a_new_version_and_both_compare(world):
    rec = make_rec(world)
    amendment = services.propose_amendment(
        world.tenant_a, rec, "Que l'office répare l'éclairage d'ici Noël."
    )
    services.decide_amendment(world.officer_a, rec, amendment, accept=True)
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert rec.version == 2
    assert "Noël" in rec.recommended
    old, new = db.session.scalars(sa.select(Version).order_by(Version.number)).all()
    pieces = diff.word_diff(old.recommended, new.recommended)
    assert any(p.op == "added" and "Noël" in p.text for p in pieces)
    assert any(p.op == "removed" for p in pieces)


def test_an_amendment_dealt_with_cannot_be_dealt_with_again(world):
    rec = make_rec(world)
    amendment = services.propose_amendment(world.tenant_a, rec, "Autre texte.")
    services.decide_amendment(world.officer_a, rec, amendment, accept=False)
    with pytest.raises(RecommendationStateError):
        services.decide_amendment(world.officer_a, rec, amendment, accept=True)


@pytest.mark.parametrize("data", [PNG, PDF, b"\xff\xd8\xff\xe0" + b"\0" * 50])
def test_pdf_png_and_jpeg_are_accepted_by_content(world, data):
    rec = make_rec(world)
    attachment = services.add_attachment(world.officer_a, rec, "photo du stationnement.bin", data)
    assert attachment.filename.startswith("photo-du-stationnement.")
    assert attachment.content_type in ("image/png", "application/pdf", "image/jpeg")


def test_a_disguised_file_is_refused(world):
    rec = make_rec(world)
    with pytest.raises(RecommendationInvalidError) as caught:
        services.add_attachment(
            world.officer_a, rec, "plan.pdf", b"<html><script>alert(1)</script>"
        )
    assert "content" in caught.value.errors["file"]


def test_an_oversize_file_is_refused(world):
    rec = make_rec(world)
    with pytest.raises(RecommendationInvalidError):
        services.add_attachment(world.officer_a, rec, "plan.pdf", PDF + b"x" * (5 * 1024 * 1024))


def test_a_sixth_attachment_is_refused(world):
    rec = make_rec(world)
    for __ in range(5):
        services.add_attachment(world.officer_a, rec, "p.png", PNG)
    with pytest.raises(RecommendationInvalidError) as caught:
        services.add_attachment(world.officer_a, rec, "p.png", PNG)
    assert "at most 5" in caught.value.errors["file"]


def test_a_vote_closing_in_the_past_is_refused_next_to_the_date(world):
    rec = make_rec(world)
    with pytest.raises(RecommendationInvalidError) as caught:
        services.open_vote(world.officer_a, rec, closes_at=clock.now() - timedelta(hours=1))
    assert "closes_at" in caught.value.errors
    assert rec.status == Status.DRAFT


def _vote(world, rec, votes, mode=None):
    world.adl_a.quorum_minimum = 1
    world.adl_a.quorum_percent = 1
    question = services.open_vote(
        world.officer_a,
        rec,
        closes_at=clock.now() + timedelta(days=1),
        mode=mode,
        confirm_small_electorate=True,
    )
    assert question.mode == (mode or Mode.SECRET)  # the body's default: secret
    assert rec.status == Status.VOTING
    choices = {
        c.code: c.id
        for c in db.session.scalars(sa.select(Choice).where(Choice.question_id == question.id))
    }
    for user, code in votes:
        ballots.cast(user, question, choices[code])
    ballots.close_question(question)
    return question


def test_an_adopted_vote_opens_the_public_timeline(world):
    rec = make_rec(world)
    _vote(
        world,
        rec,
        [(world.tenant_a, "for"), (world.officer_a, "for"), (world.president_a, "against")],
    )
    assert rec.status == Status.ADOPTED
    assert rec.adopted_at is not None
    adopted = db.session.scalar(sa.select(Event).where(Event.kind == EventKind.ADOPTED))
    assert adopted.public
    assert adopted.detail == ""  # a secret vote with fewer than 5 ballots: no counts


def test_a_named_vote_publishes_its_counts(world):
    rec = make_rec(world)
    _vote(world, rec, [(world.tenant_a, "for"), (world.officer_a, "for")], mode=Mode.OPEN)
    adopted = db.session.scalar(sa.select(Event).where(Event.kind == EventKind.ADOPTED))
    assert adopted.detail == "2-0-0"


def test_a_rejected_vote_stays_with_the_members(world):
    rec = make_rec(world)
    _vote(world, rec, [(world.tenant_a, "against"), (world.officer_a, "against")])
    assert rec.status == Status.REJECTED
    event = db.session.scalar(sa.select(Event).where(Event.kind == EventKind.REJECTED))
    assert not event.public


def test_a_vote_without_quorum_sends_the_draft_back(world):
    rec = make_rec(world)
    world.adl_a.quorum_minimum = 5
    question = services.open_vote(
        world.officer_a,
        rec,
        closes_at=clock.now() + timedelta(days=1),
        confirm_small_electorate=True,
    )
    ballots.close_question(question)
    assert rec.status == Status.DRAFT


def test_an_association_with_a_ccr_sends_its_recommendation_to_the_ccr(world):
    rec = make_rec(world, status=Status.ADOPTED)
    services.transmit(world.officer_a, rec)
    assert rec.target == Target.CCR
    assert rec.target_body == world.ccr
    assert rec.answer_due_on is None


def test_the_ccr_takes_it_up_as_its_own_draft(world):
    ccr_seats(world)
    rec = make_rec(world, status=Status.ADOPTED)
    services.transmit(world.officer_a, rec)
    taken = services.take_up(world.officer_a, rec)
    assert taken.body == world.ccr
    assert taken.status == Status.DRAFT
    assert taken.recommended == rec.recommended
    with pytest.raises(RecommendationStateError):
        services.take_up(world.officer_a, rec)


def test_an_association_without_a_ccr_transmits_to_its_direction(world):
    rec = make_rec(world, body=world.adl_c, author=world.officer_c, status=Status.ADOPTED)
    services.transmit(world.officer_c, rec)
    assert rec.target == Target.DIRECTION


def test_transmitting_to_the_direction_notifies_it_and_fires_the_signal(world):
    # The due date is today (Montréal) + the delay, read by the service and again below: with
    # the clock running, a transmission at 23:59:59.999 read "tomorrow" in the assertion.
    clock.set(clock.now(), frozen=True)
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.ADOPTED)
    seen = []

    def receiver(sender, **_):
        seen.append(sender)

    transmitted.connect(receiver)
    try:
        services.transmit(world.officer_a, rec)
    finally:
        transmitted.disconnect(receiver)
    assert seen == [rec]
    assert rec.answer_due_on == clock.now().astimezone(clock.MONTREAL).date() + timedelta(
        days=world.ccr.answer_delay_days
    )
    assert world.direction.id in told("recommendation.transmitted")


def test_an_accepted_answer_needs_a_plan_and_a_date_not_past(world):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    with pytest.raises(RecommendationInvalidError) as caught:
        services.answer(
            world.direction,
            rec,
            decision="accepted",
            explanation="Oui.",
            plan="",
            by=clock.now().astimezone(clock.MONTREAL).date() - timedelta(days=1),
        )
    assert {"plan", "by"} <= set(caught.value.errors)
    assert rec.status == Status.TRANSMITTED


def test_the_answer_is_public_and_followed_to_the_end(world):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    services.answer(
        world.direction,
        rec,
        decision="accepted",
        explanation="Bonne idée.",
        plan="Remplacer les lampadaires.",
        by=clock.now().astimezone(clock.MONTREAL).date() + timedelta(days=30),
    )
    assert rec.status == Status.ACCEPTED
    services.follow_up(
        world.direction, rec, status="in_progress", note="Commandés.", by_office=True
    )
    services.follow_up(world.officer_a, rec, status="done", note="Installés.", by_office=False)
    assert rec.status == Status.DONE
    public = db.session.scalars(
        sa.select(Event.kind).where(Event.recommendation_id == rec.id, Event.public.is_(True))
    ).all()
    assert EventKind.ANSWERED in public
    assert public.count(EventKind.FOLLOW_UP) == 2


def test_the_overdue_job_flags_once(world):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    assert services.flag_overdue() == 0
    clock.advance(timedelta(days=world.ccr.answer_delay_days + 2))
    assert rec.is_overdue
    assert services.flag_overdue() == 1
    assert services.flag_overdue() == 0
    notified = told("recommendation.overdue")
    assert world.direction.id in notified
    assert world.officer_a.id in notified
    assert world.tenant_b.id not in notified
    assert world.tenant_a.id not in notified


def test_a_vote_held_in_a_meeting_is_recorded_as_its_resolution(world):
    world.adl_a.quorum_minimum = 1
    world.adl_a.quorum_percent = 1
    meeting = f.make_meeting(body=world.adl_a, starts_in=timedelta(minutes=-30))
    meeting.year_number = 3
    mover, seconder = (
        member_of(world.officer_a, world.adl_a),
        member_of(world.tenant_a, world.adl_a),
    )
    for member in (mover, seconder):
        attendance.mark_present(world.officer_a, meeting, member)
    rec = make_rec(world)
    question = services.open_vote(
        world.officer_a,
        rec,
        closes_at=clock.now() + timedelta(hours=1),
        mode=Mode.OPEN,
        meeting=meeting,
    )
    for_id = next(c.id for c in question.choices if c.code == "for")
    ballots.cast(world.officer_a, question, for_id)
    ballots.cast(world.tenant_a, question, for_id)
    ballots.close_question(question)
    assert rec.status == Status.ADOPTED
    resolution = services.record_resolution(
        world.officer_a, rec, moved_by_id=mover.id, seconded_by_id=seconder.id
    )
    assert resolution.outcome == ResolutionOutcome.CARRIED_MAJORITY
    assert (resolution.votes_for, resolution.votes_against) == (2, 0)
    assert rec.resolution_id == resolution.id


def test_a_small_secret_vote_gives_its_resolution_without_counts(world):
    rec = make_rec(world)
    _vote(world, rec, [(world.tenant_a, "for"), (world.officer_a, "for")])
    outcome, counts = services.resolution_outcome(rec.question)
    assert outcome == ResolutionOutcome.CARRIED_ON_DIVISION
    assert counts == {}


def test_a_download_name_keeps_only_ascii_letters_digits_and_dashes():
    assert files.safe_filename('../../Rapport d\'électricité "final".exe', "pdf") == (
        "Rapport-d-electricite-final.pdf"
    )
    assert files.safe_filename("照片.png", "png") == "document.png"
    assert files.sniff(b"GIF89a") is None
