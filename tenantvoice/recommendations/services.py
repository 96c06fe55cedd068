"""Changes to recommendations. Services take the acting user first, flush, never commit (the
view commits once). Refusals: `RecommendationInvalidError` (422, messages per form field) and
`RecommendationStateError` (409)."""

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tenantvoice import audit, clock
from tenantvoice.accounts.models import User
from tenantvoice.assembly import resolutions
from tenantvoice.assembly.models import Resolution, ResolutionOutcome
from tenantvoice.ballots import counting
from tenantvoice.ballots import queries as ballot_queries
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.ballots.models import Kind, Mode, Outcome, Purpose, Question
from tenantvoice.consultations import services as consultations
from tenantvoice.consultations.models import Consultation
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.notifications.services import notify
from tenantvoice.orgs.models import Body, BodyKind, Site
from tenantvoice.recommendations import files
from tenantvoice.recommendations.models import (
    AWAITING_ANSWER,
    FOLLOWED,
    Amendment,
    AmendmentStatus,
    Answer,
    Attachment,
    Category,
    Comment,
    Event,
    EventKind,
    Recommendation,
    RecommendationStateError,
    Status,
    TakeUp,
    Target,
    Version,
)
from tenantvoice.recommendations.signals import transmitted

logger = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_TEXT = 5000
MAX_COMMENT = 2000
MAX_NOTE = 2000


class RecommendationInvalidError(Exception):
    """Bad input; `errors` maps form field → translated message (views answer 422)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def _text(value: str | None, field: str, errors: dict, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("At most %(max)d characters.", max=limit)
    return value


def _event(rec: Recommendation, kind: EventKind, actor: User | None = None, **values: Any) -> Event:
    event = Event(
        recommendation_id=rec.id, kind=kind, actor_id=getattr(actor, "id", None), **values
    )
    db.session.add(event)
    return event


def _sites(body: Body, site_ids: Iterable[int], errors: dict) -> list[Site]:
    ids = {int(i) for i in site_ids}
    if not ids:
        return []
    sites = list(db.session.scalars(sa.select(Site).where(Site.id.in_(ids))))
    if len(sites) != len(ids) or any(s.provider_id != body.provider_id for s in sites):
        errors["site_ids"] = _("Choose buildings of this housing provider.")
    return sites


def _check_text(
    title: str | None,
    situation: str | None,
    recommended: str | None,
    category: str | None,
    errors: dict,
) -> tuple[str, str, str]:
    title = _text(title, "title", errors, required=True, limit=MAX_TITLE)
    situation = _text(situation, "situation", errors, required=True, limit=MAX_TEXT)
    recommended = _text(recommended, "recommended", errors, required=True, limit=MAX_TEXT)
    if category not in {c.value for c in Category}:
        errors["category"] = _("Choose a category.")
    return title, situation, recommended


def _new_version(
    rec: Recommendation, actor: User | None, amendment: Amendment | None = None
) -> Version:
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Version.number)).where(Version.recommendation_id == rec.id)
        )
        or 0
    ) + 1
    version = Version(
        recommendation_id=rec.id,
        number=number,
        title=rec.title,
        situation=rec.situation,
        recommended=rec.recommended,
        created_by_id=getattr(actor, "id", None),
        amendment_id=amendment.id if amendment else None,
    )
    db.session.add(version)
    rec.version = number
    return version


def _require_status(rec: Recommendation, *statuses: Status) -> None:
    if rec.status not in statuses:
        raise RecommendationStateError(
            _("This recommendation changed meanwhile: this is no longer possible.")
        )


# --- drafting ---------------------------------------------------------------------------------


def draft(
    actor: User,
    body: Body,
    *,
    title: str,
    situation: str,
    recommended: str,
    category: str,
    site_ids: Iterable[int] = (),
    consultation: Consultation | None = None,
) -> Recommendation:
    """A new draft, version 1, by a member of `body`; `consultation`: the office consultation
    it answers (one submitted to this body, the CCR: the view checks the reader may see it)."""
    errors: dict[str, str] = {}
    title, situation, recommended = _check_text(title, situation, recommended, category, errors)
    sites = _sites(body, site_ids, errors)
    if consultation is not None and consultation.ccr_id != body.id:
        errors["title"] = _("This consultation was submitted to another committee.")
    if errors:
        raise RecommendationInvalidError(errors)
    rec = Recommendation(
        consultation=consultation,
        body=body,
        provider_id=body.provider_id,
        author_id=actor.id,
        title=title,
        situation=situation,
        recommended=recommended,
        category=Category(category),
        status=Status.DRAFT,
        sites=sites,
    )
    db.session.add(rec)
    db.session.flush()
    _new_version(rec, actor)
    _event(rec, EventKind.DRAFTED, actor)
    audit.record("recommendation.draft", actor=actor, body_id=body.id, obj=rec)
    db.session.flush()
    return rec


def edit(
    actor: User,
    rec: Recommendation,
    *,
    title: str,
    situation: str,
    recommended: str,
    category: str,
    site_ids: Iterable[int] = (),
) -> bool:
    """Change a draft; a new version when the text changed. True when it did."""
    _require_status(rec, Status.DRAFT)
    errors: dict[str, str] = {}
    title, situation, recommended = _check_text(title, situation, recommended, category, errors)
    sites = _sites(rec.body, site_ids, errors)
    if errors:
        raise RecommendationInvalidError(errors)
    rec.category = Category(category)
    rec.sites = sites
    changed = (title, situation, recommended) != (rec.title, rec.situation, rec.recommended)
    if changed:
        rec.title, rec.situation, rec.recommended = title, situation, recommended
        db.session.flush()
        _new_version(rec, actor)
        _event(rec, EventKind.VERSION, actor)
    db.session.flush()
    return changed


def comment(actor: User, rec: Recommendation, text: str) -> Comment:
    _require_status(rec, Status.DRAFT)
    errors: dict[str, str] = {}
    text = _text(text, "text", errors, required=True, limit=MAX_COMMENT)
    if errors:
        raise RecommendationInvalidError(errors)
    row = Comment(recommendation_id=rec.id, author_id=actor.id, text=text)
    db.session.add(row)
    db.session.flush()
    return row


def propose_amendment(
    actor: User, rec: Recommendation, recommended: str, reason: str = ""
) -> Amendment:
    """A member proposes new wording of what is recommended."""
    _require_status(rec, Status.DRAFT)
    errors: dict[str, str] = {}
    recommended = _text(recommended, "recommended", errors, required=True, limit=MAX_TEXT)
    reason = _text(reason, "reason", errors, required=False, limit=MAX_COMMENT)
    if not errors and recommended == rec.recommended:
        errors["recommended"] = _("The proposed wording is the same as the current text.")
    if errors:
        raise RecommendationInvalidError(errors)
    amendment = Amendment(
        recommendation_id=rec.id,
        author_id=actor.id,
        base_version=rec.version,
        recommended=recommended,
        reason=reason,
    )
    db.session.add(amendment)
    db.session.flush()
    return amendment


def decide_amendment(actor: User, rec: Recommendation, amendment: Amendment, accept: bool) -> None:
    """The author or an officer accepts the amendment into the text (a new version) or not."""
    _require_status(rec, Status.DRAFT)
    if amendment.recommendation_id != rec.id or amendment.status != AmendmentStatus.PROPOSED:
        raise RecommendationStateError(_("This amendment was already dealt with."))
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.DECLINED
    amendment.decided_at = clock.now()
    amendment.decided_by_id = actor.id
    if accept:
        rec.recommended = amendment.recommended
        db.session.flush()
        _new_version(rec, actor, amendment)
        _event(rec, EventKind.VERSION, actor)
    db.session.flush()


def add_attachment(actor: User, rec: Recommendation, filename: str, data: bytes) -> Attachment:
    """Attach a PDF, JPEG or PNG (by content), at most 5 MB, at most 5 per recommendation."""
    _require_status(rec, Status.DRAFT)
    errors: dict[str, str] = {}
    count = db.session.scalar(
        sa.select(sa.func.count()).where(Attachment.recommendation_id == rec.id)
    )
    sniffed = files.sniff(data or b"")
    if (count or 0) >= files.MAX_PER_RECOMMENDATION:
        errors["file"] = _(
            "A recommendation holds at most %(count)d attachments.",
            count=files.MAX_PER_RECOMMENDATION,
        )
    elif not data:
        errors["file"] = _("Choose a file.")
    elif len(data) > files.MAX_BYTES:
        errors["file"] = _("The file is larger than %(mb)d MB.", mb=files.MAX_BYTES // 1024 // 1024)
    elif sniffed is None:
        errors["file"] = _("Only PDF, JPEG and PNG files are accepted (checked by their content).")
    if errors or sniffed is None:
        raise RecommendationInvalidError(errors)
    content_type, ext = sniffed
    attachment = Attachment(
        recommendation_id=rec.id,
        filename=files.safe_filename(filename, ext),
        content_type=content_type,
        size=len(data),
        data=data,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(actor: User, rec: Recommendation, attachment: Attachment) -> None:
    _require_status(rec, Status.DRAFT)
    db.session.delete(attachment)
    db.session.flush()


# --- voting -------------------------------------------------------------------------------------


def open_vote(
    actor: User,
    rec: Recommendation,
    *,
    closes_at: datetime | None,
    mode: Mode | None = None,
    meeting: Meeting | None = None,
    confirm_small_electorate: bool = False,
) -> Question:
    """Put the current text to the body's vote (a motion: for / against / abstain)."""
    _require_status(rec, Status.DRAFT)
    try:
        question = ballots.create_question(
            actor,
            rec.body,
            purpose=Purpose.RECOMMENDATION,
            subject_id=rec.id,
            title=rec.title,
            explanation=rec.recommended,
            kind=Kind.MOTION,
            closes_at=closes_at,  # type: ignore[arg-type]
            mode=mode,
            meeting=meeting,
            confirm_small_electorate=confirm_small_electorate,
        )
    except BallotInvalidError as error:
        raise RecommendationInvalidError({error.field or "closes_at": str(error.message)}) from None
    rec.question_id = question.id
    rec.status = Status.VOTING
    _event(rec, EventKind.VOTE_OPENED, actor)
    db.session.flush()
    return question


def _counts_detail(question: Question) -> str:
    """ "for-against-abstain" when the counts may be published (secret: at least 5 ballots)."""
    view = ballot_queries.result_view(question)
    if view is None or not view.show_counts:
        return ""
    counts = view.result.counts
    by_code = {c.code: counts.get(c.id, 0) for c in question.choices}
    return f"{by_code.get('for', 0)}-{by_code.get('against', 0)}-{by_code.get('abstain', 0)}"


def on_result_final(
    _sender: object, *, question: Question, result: counting.Result, **_extra: Any
) -> None:
    """Handler of ballots.signals.result_final (connected by the factory): the recommendation
    records its vote's result and its timeline line."""
    if question.purpose != Purpose.RECOMMENDATION or question.subject_id is None:
        return
    rec = db.session.get(Recommendation, question.subject_id)
    if rec is None or rec.question_id != question.id or rec.status != Status.VOTING:
        return
    detail = _counts_detail(question)
    if result.outcome == Outcome.ADOPTED:
        rec.status = Status.ADOPTED
        rec.adopted_at = clock.now()
        _event(rec, EventKind.ADOPTED, public=True, detail=detail)
    elif result.outcome == Outcome.REJECTED:
        rec.status = Status.REJECTED
        _event(rec, EventKind.REJECTED, detail=detail)
    else:
        rec.status = Status.DRAFT
        _event(rec, EventKind.NO_QUORUM)
    db.session.flush()


def resolution_outcome(question: Question) -> tuple[ResolutionOutcome, dict]:
    """The outcome and counts of the resolution offered to the meeting: a secret vote with fewer
    than 5 ballots gives its outcome without counts."""
    view = ballot_queries.result_view(question)
    if view is None:
        raise RecommendationStateError(_("The vote's result is not final yet."))
    result = view.result
    if result.outcome == Outcome.NO_QUORUM:
        return ResolutionOutcome.NO_QUORUM, {}
    counts: dict = {}
    if view.show_counts:
        by_code = {c.code: result.counts.get(c.id, 0) for c in question.choices}
        counts = {
            "votes_for": by_code.get("for", 0),
            "votes_against": by_code.get("against", 0),
            "abstentions": by_code.get("abstain", 0),
        }
    if result.outcome == Outcome.ADOPTED:
        if counts:
            return ResolutionOutcome.CARRIED_MAJORITY, counts
        return ResolutionOutcome.CARRIED_ON_DIVISION, {}
    return ResolutionOutcome.DEFEATED, counts


def record_resolution(
    actor: User, rec: Recommendation, *, moved_by_id: int | None, seconded_by_id: int | None
) -> Resolution:
    """Record the vote held in a meeting as a resolution of that meeting (its number and the
    Québec wording land in the minutes)."""
    question = rec.question
    if question is None or question.meeting is None or rec.resolution_id is not None:
        raise RecommendationStateError(_("There is no meeting vote to record."))
    outcome, counts = resolution_outcome(question)
    text = _(
        "the recommendation “%(title)s” be adopted as follows: %(text)s",
        title=rec.title,
        text=rec.recommended,
    )
    try:
        resolution = resolutions.record_resolution(
            actor,
            question.meeting,
            text=text[: resolutions.MAX_TEXT],
            moved_by_id=moved_by_id,
            seconded_by_id=seconded_by_id,
            outcome=outcome,
            **counts,
        )
    except resolutions.ResolutionInvalidError as error:
        raise RecommendationInvalidError(error.errors) from None
    rec.resolution_id = resolution.id
    db.session.flush()
    return resolution


# --- transmission, answer, follow-up ----------------------------------------------------------


def provider_ccr(body: Body) -> Body | None:
    """The CCR of the body's provider, if it has one."""
    return db.session.scalar(
        sa.select(Body)
        .where(Body.provider_id == body.provider_id, Body.kind == BodyKind.CCR)
        .order_by(Body.id)
        .limit(1)
    )


def target_of(rec: Recommendation) -> tuple[Target, Body | None]:
    """Where an adopted recommendation goes (domain-rules R2): an association's goes to its
    provider's CCR when there is one; every other goes to the provider's direction."""
    if rec.body.kind != BodyKind.CCR:
        ccr = provider_ccr(rec.body)
        if ccr is not None:
            return Target.CCR, ccr
    return Target.DIRECTION, None


def _today() -> date:
    return clock.now().astimezone(clock.MONTREAL).date()


def transmit(actor: User, rec: Recommendation) -> None:
    """Transmit an adopted recommendation: to the direction (notified, answer due after the
    body's delay), or from an association to its provider's CCR."""
    _require_status(rec, Status.ADOPTED)
    target, target_body = target_of(rec)
    rec.status = Status.TRANSMITTED
    rec.target = target
    rec.target_body = target_body
    rec.transmitted_at = clock.now()
    if target == Target.DIRECTION:
        rec.answer_due_on = _today() + timedelta(days=rec.body.answer_delay_days)
        _event(rec, EventKind.TRANSMITTED, actor, public=True)
    else:
        _event(rec, EventKind.SENT_TO_CCR, actor, public=True)
    db.session.flush()
    audit.record("recommendation.transmit", actor=actor, body_id=rec.body_id, obj=rec)
    notify("recommendation.transmitted", rec, actor=actor)
    if target == Target.DIRECTION:
        if rec.consultation is not None:
            # The CCR answered the office's consultation with this recommendation (the first
            # one transmitted counts; the consultation tells whether it came before the decision).
            consultations.record_recommendation_answer(rec.consultation, rec.id, rec.transmitted_at)
        transmitted.send(rec)


def take_up(actor: User, origin: Recommendation) -> Recommendation:
    """The CCR takes up an association's recommendation: a CCR draft with the same text."""
    if origin.target != Target.CCR or origin.target_body is None:
        raise RecommendationStateError(_("This recommendation was not sent to a CCR."))
    _require_status(origin, Status.TRANSMITTED)
    known = db.session.scalar(
        sa.select(TakeUp.recommendation_id).where(TakeUp.origin_id == origin.id)
    )
    if known is not None:
        raise RecommendationStateError(_("The CCR already took this recommendation up."))
    rec = draft(
        actor,
        origin.target_body,
        title=origin.title,
        situation=origin.situation,
        recommended=origin.recommended,
        category=origin.category.value,
        site_ids=[s.id for s in origin.sites],
    )
    db.session.add(TakeUp(recommendation_id=rec.id, origin_id=origin.id))
    _event(origin, EventKind.TAKEN_UP, actor, public=True)
    db.session.flush()
    return rec


def answer(
    actor: User,
    rec: Recommendation,
    *,
    decision: str | None,
    explanation: str,
    plan: str = "",
    by: date | None = None,
) -> None:
    """The direction's answer: accepted, partly accepted, refused or under study, with an
    explanation; when accepted, what will be done and by when."""
    _require_status(rec, *AWAITING_ANSWER)
    errors: dict[str, str] = {}
    if decision not in {a.value for a in Answer}:
        errors["decision"] = _("Choose the answer.")
    explanation = _text(explanation, "explanation", errors, required=True, limit=MAX_TEXT)
    accepted = decision in (Answer.ACCEPTED, Answer.PARTLY_ACCEPTED)
    plan = _text(plan, "plan", errors, required=accepted, limit=MAX_TEXT)
    if accepted and by is None:
        errors["by"] = _("Say by when it will be done.")
    elif by is not None and by < _today():
        errors["by"] = _("This date is already past.")
    if errors:
        raise RecommendationInvalidError(errors)
    decided = Answer(str(decision))
    rec.answer = decided
    rec.answer_text = explanation
    rec.answer_plan = plan if accepted else ""
    rec.answer_by = by if accepted else None
    rec.answered_at = clock.now()
    rec.answered_by_id = actor.id
    rec.status = Status(decided.value)
    _event(
        rec,
        EventKind.ANSWERED,
        actor,
        public=True,
        status=rec.status,
        note=explanation,
        by_office=True,
    )
    db.session.flush()
    audit.record(
        "recommendation.answer", actor=actor, body_id=rec.body_id, obj=rec, detail=decided.value
    )
    notify("recommendation.answered", rec, actor=actor)


def follow_up(
    actor: User, rec: Recommendation, *, status: str | None, note: str, by_office: bool
) -> None:
    """A dated public progress line: in progress, or done."""
    _require_status(rec, *FOLLOWED)
    errors: dict[str, str] = {}
    if status not in (Status.IN_PROGRESS.value, Status.DONE.value):
        errors["status"] = _("Choose where the work stands.")
    note = _text(note, "note", errors, required=True, limit=MAX_NOTE)
    if errors:
        raise RecommendationInvalidError(errors)
    rec.status = Status(str(status))
    _event(
        rec,
        EventKind.FOLLOW_UP,
        actor,
        public=True,
        status=rec.status,
        note=note,
        by_office=by_office,
    )
    db.session.flush()


def flag_overdue(now: datetime | None = None) -> int:
    """The periodic job: recommendations waiting for the direction's answer past the body's
    delay are flagged once, to the direction, the body's officers and its organizer."""
    today = (now or clock.now()).astimezone(clock.MONTREAL).date()
    due = list(
        db.session.scalars(
            sa.select(Recommendation).where(
                Recommendation.status.in_(AWAITING_ANSWER),
                Recommendation.target == Target.DIRECTION,
                Recommendation.answer_due_on < today,
                Recommendation.overdue_notified_at.is_(None),
            )
        )
    )
    for rec in due:
        rec.overdue_notified_at = clock.now()
        _event(rec, EventKind.OVERDUE, public=True)
        db.session.flush()
        notify("recommendation.overdue", rec, once_key=f"recommendation.overdue:{rec.id}")
    return len(due)
