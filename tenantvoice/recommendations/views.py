"""Recommendation pages: a body's list and its provider's public list, the recommendation with
its timeline, drafting, amendments, comments, attachments, the vote (the ballots domain's page,
linked and partly embedded), transmission, the direction's answer and the follow-up.

A GET never writes (an overdue answer is flagged by the clock on the page, and by the worker's
job in the database). Bad input re-renders the form with its errors next to the fields (422).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tenantvoice import clock, policy
from tenantvoice.assembly.attendance import members_present_now
from tenantvoice.ballots import queries as ballot_queries
from tenantvoice.ballots import views as ballot_views
from tenantvoice.ballots.models import Mode, Purpose, Question
from tenantvoice.consultations.models import Consultation
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingStatus
from tenantvoice.orgs.models import Body, Provider, Site
from tenantvoice.recommendations import diff, files, forms, labels, queries, services
from tenantvoice.recommendations.models import Amendment, Attachment, Recommendation
from tenantvoice.recommendations.services import RecommendationInvalidError
from tenantvoice.web import pagination
from tenantvoice.web.confirm import confirm_page
from tenantvoice.web.forms import StaleFormError, claim_form, renew_key, replay_response

bp = Blueprint("recommendations", __name__)

#: Uploads: a 5 MB file and its form fit; larger requests get the 413 page.
UPLOAD_LIMIT = files.MAX_BYTES + 512 * 1024


@bp.record_once
def _vote_links_back(_state) -> None:
    """A recommendation's vote links back to it (ballots.views.SUBJECT_LINKS)."""
    ballot_views.SUBJECT_LINKS[Purpose.RECOMMENDATION] = _recommendation_of


def _recommendation_of(question: Question) -> str | None:
    """The page of the recommendation a question votes on, if the reader may see it. One
    statement: the recommendation with the bodies and provider its policy reads."""
    if question.subject_id is None:
        return None
    rec = db.session.scalar(
        sa.select(Recommendation)
        .where(Recommendation.id == question.subject_id)
        .options(
            so.joinedload(Recommendation.body).joinedload(Body.provider),
            so.joinedload(Recommendation.target_body),
        )
    )
    if rec is None or not policy.can_see_recommendation(current_user, rec):
        return None
    return url_for("recommendations.show", rec_id=rec.id)


@bp.app_context_processor
def recommendations_globals():
    return {"rec_labels": labels}


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values):
    # Runs before the app's before_request handlers (CSRF reads the form there).
    if endpoint == "recommendations.attach":
        request.max_content_length = UPLOAD_LIMIT


def _apply(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        target = form._fields.get(name)
        if target is None:
            target = next(iter(form._fields.values()))
        target.errors = [*list(target.errors), message]


def _load(rec_id: int) -> Recommendation:
    rec = db.get_or_404(Recommendation, rec_id)
    policy.require(policy.can_see_recommendation(current_user, rec), hide=True)
    return rec


def _site_choices(body: Body) -> list[SelectChoice]:
    return [
        SelectChoice(s.id, s.name)
        for s in db.session.scalars(
            sa.select(Site).where(Site.provider_id == body.provider_id).order_by(Site.name)
        )
    ]


# --- lists ----------------------------------------------------------------------------------------


def _list(title_body, page, *, endpoint_args, waiting, filters, body=None, provider=None, **extra):
    return render_template(
        "recommendations/list.html",
        page=page,
        links=pagination.links(page),
        waiting=waiting,
        filters=filters,
        body=body,
        provider=provider,
        heading=title_body,
        **extra,
    )


@bp.get("/bodies/<int:body_id>/recommendations")
@login_required
def body_list(body_id: int):
    """A body's recommendations, drafts included (its members)."""
    body = db.get_or_404(Body, body_id)
    policy.require(policy.can_list_body_recommendations(current_user, body), hide=True)
    filters = queries.Filters.from_args(request.args)
    page = queries.body_page(body, filters, pagination.page_number())
    return _list(
        body.name,
        page,
        endpoint_args={"body_id": body.id},
        waiting=queries.waiting(where_body=body),
        filters=filters,
        body=body,
        can_draft=policy.can_draft_recommendation(current_user, body),
        received=queries.sent_to_ccr(body) if policy.is_officer(current_user, body) else [],
    )


@bp.get("/providers/<int:provider_id>/recommendations")
@login_required
def provider_list(provider_id: int):
    """The provider's public list: adopted onward (the direction: what was sent to it)."""
    provider = db.get_or_404(Provider, provider_id)
    policy.require(policy.can_list_provider_recommendations(current_user, provider), hide=True)
    filters = queries.Filters.from_args(request.args)
    direction = policy.is_provider_direction(current_user, provider)
    page = queries.provider_page(
        provider, filters, pagination.page_number(), direction_only=direction
    )
    return _list(
        provider.name,
        page,
        endpoint_args={"provider_id": provider.id},
        waiting=queries.waiting(provider=provider),
        filters=filters,
        provider=provider,
    )


# --- drafting -------------------------------------------------------------------------------------


def _consultation_answered(body: Body, raw) -> Consultation | None:
    """The office consultation a new draft answers: one submitted to this body that the reader
    may see (otherwise 404: nothing tells of another committee's consultations)."""
    if not isinstance(raw, int):
        return None  # the form's filter reads anything but a whole number as none
    consultation = db.session.get(Consultation, raw)
    if consultation is None or consultation.ccr_id != body.id:
        abort(404)
    policy.require(policy.can_see_consultation(current_user, consultation), hide=True)
    return consultation


def _draft_form(body: Body, form=None):
    form = form or forms.RecommendationForm()
    form.site_ids.choices = _site_choices(body)
    return form


@bp.route("/bodies/<int:body_id>/recommendations/new", methods=["GET", "POST"])
@login_required
def new(body_id: int):
    body = db.get_or_404(Body, body_id)
    policy.require(policy.is_member(current_user, body), hide=True)
    policy.require(policy.can_draft_recommendation(current_user, body))
    form = _draft_form(body)
    if request.method == "GET":
        form.consultation_id.data = request.args.get("consultation", type=int)
    consultation = _consultation_answered(body, form.consultation_id.data)
    if request.method == "POST":
        if form.validate():
            try:
                # The same form sent twice (double tap, retry) drafts one recommendation.
                claim = claim_form(form.form_key.data, current_user)
            except StaleFormError:
                db.session.rollback()
                renew_key(form)
                return render_template(
                    "recommendations/form.html",
                    form=form,
                    body=body,
                    rec=None,
                    consultation=consultation,
                ), 422
            if claim.is_replay:
                db.session.rollback()
                return replay_response(claim, url_for("recommendations.body_list", body_id=body.id))
            try:
                rec = services.draft(
                    current_user,
                    body,
                    title=form.title.data,
                    situation=form.situation.data,
                    recommended=form.recommended.data,
                    category=form.category.data,
                    site_ids=form.site_ids.data or [],
                    consultation=consultation,
                )
            except RecommendationInvalidError as error:
                db.session.rollback()
                _apply(form, error.errors)
            else:
                done_url = url_for("recommendations.show", rec_id=rec.id)
                claim.done(done_url)
                db.session.commit()
                flash(_("Your draft recommendation was saved."), "success")
                return redirect(done_url)
        return render_template(
            "recommendations/form.html", form=form, body=body, rec=None, consultation=consultation
        ), 422
    return render_template(
        "recommendations/form.html", form=form, body=body, rec=None, consultation=consultation
    )


@bp.route("/recommendations/<int:rec_id>/edit", methods=["GET", "POST"])
@login_required
def edit(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_edit_recommendation(current_user, rec))
    form = _draft_form(
        rec.body, forms.RecommendationForm(obj=rec if request.method == "GET" else None)
    )
    if request.method == "GET":
        form.category.data = rec.category.value
        form.site_ids.data = [s.id for s in rec.sites]
        return render_template("recommendations/form.html", form=form, body=rec.body, rec=rec)
    if form.validate():
        try:
            services.edit(
                current_user,
                rec,
                title=form.title.data,
                situation=form.situation.data,
                recommended=form.recommended.data,
                category=form.category.data,
                site_ids=form.site_ids.data or [],
            )
        except RecommendationInvalidError as error:
            db.session.rollback()
            _apply(form, error.errors)
        else:
            db.session.commit()
            flash(_("The recommendation was saved."), "success")
            return redirect(url_for("recommendations.show", rec_id=rec.id))
    return render_template("recommendations/form.html", form=form, body=rec.body, rec=rec), 422


# --- the recommendation's page --------------------------------------------------------------------


def _consultation_shown(rec: Recommendation) -> Consultation | None:
    """The consultation this recommendation answers, for a reader who may see it."""
    c = rec.consultation if rec.consultation_id is not None else None
    return c if c is not None and policy.can_see_consultation(current_user, c) else None


def _show_context(rec: Recommendation, **forms_given) -> dict:
    user = current_user
    internals = policy.can_see_recommendation_internals(user, rec)
    question = rec.question
    ctx = {
        "rec": rec,
        "sites": list(rec.sites),  # read here: templates never query
        "internals": internals,
        "timeline": queries.timeline(rec, internals=internals),
        "attachments": queries.attachments(rec),
        "can_edit": policy.can_edit_recommendation(user, rec),
        "can_discuss": policy.can_discuss_recommendation(user, rec),
        "can_decide": policy.can_decide_amendment(user, rec),
        "can_open_vote": policy.can_open_recommendation_vote(user, rec),
        "can_transmit": policy.can_transmit_recommendation(user, rec),
        "can_take_up": policy.can_take_up_recommendation(user, rec),
        "can_answer": policy.can_answer_recommendation(user, rec),
        "can_follow_up": policy.can_follow_up_recommendation(user, rec),
        "can_record": policy.can_record_recommendation_resolution(user, rec),
        "origin": queries.origin_of(rec) if internals or rec.is_public else None,
        "taken_up_as": queries.taken_up_as(rec),
        "consultation": _consultation_shown(rec) if internals or rec.is_public else None,
        "question": question if internals else None,
        "participation": None,
        "result": None,
        "versions": [],
        "amendments": [],
        "comments": [],
        "comment_form": forms_given.get("comment_form") or forms.CommentForm(None),
        "amendment_form": forms_given.get("amendment_form") or forms.AmendmentForm(None),
        "attachment_form": forms_given.get("attachment_form") or forms.AttachmentForm(None),
        "follow_up_form": forms_given.get("follow_up_form") or forms.FollowUpForm(None),
    }
    if internals:
        ctx["versions"] = queries.versions(rec)
        ctx["amendments"] = queries.amendments(rec)
        ctx["comments"] = queries.comments(rec)
        if question is not None:
            ctx["choices"] = list(question.choices)
            ctx["participation"] = ballot_queries.participation(question)
            ctx["result"] = ballot_queries.result_view(question) if question.is_over else None
    return ctx


@bp.get("/recommendations/<int:rec_id>")
@login_required
def show(rec_id: int):
    rec = _load(rec_id)
    return render_template("recommendations/show.html", **_show_context(rec))


def _show_again(rec: Recommendation, **forms_given):
    db.session.rollback()
    return render_template("recommendations/show.html", **_show_context(rec, **forms_given)), 422


@bp.post("/recommendations/<int:rec_id>/comments")
@login_required
def comment(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_discuss_recommendation(current_user, rec))
    form = forms.CommentForm()
    if form.validate():
        try:
            services.comment(current_user, rec, form.text.data)
        except RecommendationInvalidError as error:
            _apply(form, error.errors)
        else:
            db.session.commit()
            return redirect(url_for("recommendations.show", rec_id=rec.id) + "#comments")
    return _show_again(rec, comment_form=form)


@bp.post("/recommendations/<int:rec_id>/amendments")
@login_required
def amend(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_discuss_recommendation(current_user, rec))
    form = forms.AmendmentForm()
    if form.validate():
        try:
            services.propose_amendment(current_user, rec, form.recommended.data, form.reason.data)
        except RecommendationInvalidError as error:
            _apply(form, error.errors)
        else:
            db.session.commit()
            flash(_("Your amendment was proposed."), "success")
            return redirect(url_for("recommendations.show", rec_id=rec.id) + "#amendments")
    return _show_again(rec, amendment_form=form)


@bp.post("/recommendations/<int:rec_id>/amendments/<int:amendment_id>")
@login_required
def decide_amendment(rec_id: int, amendment_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_decide_amendment(current_user, rec))
    amendment = db.get_or_404(Amendment, amendment_id)
    if amendment.recommendation_id != rec.id:
        policy.deny(hide=True)
    accept = request.form.get("decision") == "accept"
    services.decide_amendment(current_user, rec, amendment, accept)
    db.session.commit()
    flash(
        _("The amendment is now in the text.") if accept else _("The amendment was not kept."),
        "success",
    )
    return redirect(url_for("recommendations.show", rec_id=rec.id) + "#amendments")


@bp.get("/recommendations/<int:rec_id>/compare")
@login_required
def compare(rec_id: int):
    """Two versions side by side as a word diff (members only: drafts are theirs)."""
    rec = _load(rec_id)
    policy.require(policy.can_see_recommendation_internals(current_user, rec), hide=True)
    versions = queries.versions(rec)
    numbers = [v.number for v in versions]

    def _number(name: str, default: int) -> int:
        raw = request.args.get(name, "")
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    old_n = _number("a", numbers[0] if numbers else 1)
    new_n = _number("b", numbers[-1] if numbers else 1)
    old = next((v for v in versions if v.number == old_n), None)
    new_v = next((v for v in versions if v.number == new_n), None)
    pieces = {}
    if old is not None and new_v is not None:
        for name in ("title", "situation", "recommended"):
            pieces[name] = diff.word_diff(getattr(old, name), getattr(new_v, name))
    return render_template(
        "recommendations/compare.html",
        rec=rec,
        versions=versions,
        old=old,
        new=new_v,
        pieces=pieces,
    )


# --- attachments ----------------------------------------------------------------------------------


@bp.post("/recommendations/<int:rec_id>/attachments")
@login_required
def attach(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_edit_recommendation(current_user, rec))
    form = forms.AttachmentForm()
    upload = request.files.get("file")
    data = upload.read(files.MAX_BYTES + 1) if upload else b""
    if form.validate():
        try:
            services.add_attachment(
                current_user, rec, (upload.filename or "") if upload else "", data
            )
        except RecommendationInvalidError as error:
            _apply(form, error.errors)
        else:
            db.session.commit()
            flash(_("The file was attached."), "success")
            return redirect(url_for("recommendations.show", rec_id=rec.id) + "#attachments")
    return _show_again(rec, attachment_form=form)


def _attachment(rec: Recommendation, attachment_id: int) -> Attachment:
    attachment = db.get_or_404(Attachment, attachment_id)
    if attachment.recommendation_id != rec.id:
        policy.deny(hide=True)
    return attachment


@bp.get("/recommendations/<int:rec_id>/attachments/<int:attachment_id>")
@login_required
def download(rec_id: int, attachment_id: int):
    """The file as a download, never rendered inline (nosniff, attachment)."""
    rec = _load(rec_id)
    attachment = _attachment(rec, attachment_id)
    response = Response(attachment.data, mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{attachment.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(
    "/recommendations/<int:rec_id>/attachments/<int:attachment_id>/delete", methods=["GET", "POST"]
)
@login_required
def remove_attachment(rec_id: int, attachment_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_edit_recommendation(current_user, rec))
    attachment = _attachment(rec, attachment_id)
    back = url_for("recommendations.show", rec_id=rec.id)
    if request.method == "GET":
        return confirm_page(
            _("Remove the file “%(name)s”?", name=attachment.filename),
            [_("The file is deleted from the recommendation.")],
            _("Remove the file"),
            back,
        )
    services.remove_attachment(current_user, rec, attachment)
    db.session.commit()
    flash(_("The file was removed."), "success")
    return redirect(back + "#attachments")


# --- the vote -------------------------------------------------------------------------------------


def _meeting_choices(body: Body) -> list[SelectChoice]:
    now = clock.now()
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.body_id == body.id,
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at >= now - timedelta(days=1),
        )
        .order_by(Meeting.starts_at)
        .limit(20)
    )
    return [SelectChoice("", _("Not in a meeting (remote vote)"))] + [
        SelectChoice(m.id, m.title) for m in meetings
    ]


@bp.route("/recommendations/<int:rec_id>/vote", methods=["GET", "POST"])
@login_required
def open_vote(rec_id: int):
    """An officer opens the vote on the current text (secret by the body's default)."""
    rec = _load(rec_id)
    policy.require(policy.can_open_recommendation_vote(current_user, rec))
    form = forms.VoteForm()
    form.meeting_id.choices = _meeting_choices(rec.body)
    if request.method == "GET":
        form.mode.data = "secret" if rec.body.secret_ballot_default else "open"
        tomorrow = (clock.now() + timedelta(days=7)).astimezone(clock.MONTREAL)
        form.close_day.data = tomorrow.date()
        form.close_time.data = tomorrow.time().replace(hour=20, minute=0, second=0, microsecond=0)
        return render_template("recommendations/vote.html", form=form, rec=rec)
    if form.validate():
        closes_at = datetime.combine(
            form.close_day.data, form.close_time.data, tzinfo=clock.MONTREAL
        ).astimezone(ZoneInfo("UTC"))
        meeting = db.session.get(Meeting, form.meeting_id.data) if form.meeting_id.data else None
        try:
            question = services.open_vote(
                current_user,
                rec,
                closes_at=closes_at,
                mode=Mode(form.mode.data) if form.mode.data else None,
                meeting=meeting,
                confirm_small_electorate=form.confirm_small_electorate.data,
            )
        except RecommendationInvalidError as error:
            db.session.rollback()
            errors = dict(error.errors)
            if "closes_at" in errors:
                errors["close_day"] = errors.pop("closes_at")
            if "meeting" in errors:
                errors["meeting_id"] = errors.pop("meeting")
            _apply(form, errors)
        else:
            db.session.commit()
            flash(_("The vote is open."), "success")
            return redirect(url_for("ballots.question", question_id=question.id))
    return render_template("recommendations/vote.html", form=form, rec=rec), 422


@bp.route("/recommendations/<int:rec_id>/resolution", methods=["GET", "POST"])
@login_required
def resolution(rec_id: int):
    """Record the meeting's vote as a resolution of that meeting (its minutes)."""
    rec = _load(rec_id)
    policy.require(policy.can_record_recommendation_resolution(current_user, rec))
    question = rec.question
    if question is None or question.meeting is None:  # the policy checked it
        policy.deny(hide=True)
    meeting = question.meeting
    form = forms.ResolutionForm()
    people = [SelectChoice("", "—")] + [
        SelectChoice(m.id, m.name) for m in members_present_now(meeting)
    ]
    form.moved_by_id.choices = people
    form.seconded_by_id.choices = people
    outcome, counts = services.resolution_outcome(question)
    ctx = {"form": form, "rec": rec, "meeting": meeting, "outcome": outcome, "counts": counts}
    if request.method == "GET":
        return render_template("recommendations/resolution.html", **ctx)
    if form.validate():
        try:
            services.record_resolution(
                current_user,
                rec,
                moved_by_id=form.moved_by_id.data,
                seconded_by_id=form.seconded_by_id.data,
            )
        except RecommendationInvalidError as error:
            db.session.rollback()
            _apply(form, error.errors)
        else:
            db.session.commit()
            flash(_("The resolution was recorded in the meeting."), "success")
            return redirect(url_for("recommendations.show", rec_id=rec.id))
    return render_template("recommendations/resolution.html", **ctx), 422


# --- transmission, answer, follow-up -----------------------------------------------------------


@bp.route("/recommendations/<int:rec_id>/transmit", methods=["GET", "POST"])
@login_required
def transmit(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_transmit_recommendation(current_user, rec))
    back = url_for("recommendations.show", rec_id=rec.id)
    target, target_body = services.target_of(rec)
    if request.method == "GET":
        if target_body is not None:
            consequence = _(
                "It is sent to %(ccr)s, which takes it up and transmits it to the office.",
                ccr=target_body.name,
            )
        else:
            consequence = _(
                "The housing office's direction is notified and can read it; an answer is "
                "expected within %(days)d days.",
                days=rec.body.answer_delay_days,
            )
        return confirm_page(
            _("Transmit this recommendation?"),
            [consequence, _("The text can no longer be changed.")],
            _("Transmit"),
            back,
        )
    services.transmit(current_user, rec)
    db.session.commit()
    flash(_("The recommendation was transmitted."), "success")
    return redirect(back)


@bp.post("/recommendations/<int:rec_id>/take-up")
@login_required
def take_up(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_take_up_recommendation(current_user, rec))
    new_rec = services.take_up(current_user, rec)
    db.session.commit()
    flash(_("The CCR took the recommendation up as a draft."), "success")
    return redirect(url_for("recommendations.show", rec_id=new_rec.id))


@bp.route("/recommendations/<int:rec_id>/answer", methods=["GET", "POST"])
@login_required
def answer(rec_id: int):
    """The direction of the body's provider answers (nobody else: 403)."""
    rec = _load(rec_id)
    policy.require(policy.can_answer_recommendation(current_user, rec))
    form = forms.AnswerForm()
    if request.method == "GET":
        return render_template("recommendations/answer.html", form=form, rec=rec)
    if form.validate():
        try:
            services.answer(
                current_user,
                rec,
                decision=form.decision.data,
                explanation=form.explanation.data,
                plan=form.plan.data,
                by=form.by.data,
            )
        except RecommendationInvalidError as error:
            db.session.rollback()
            _apply(form, error.errors)
        else:
            db.session.commit()
            flash(_("Your answer was recorded and the body was told."), "success")
            return redirect(url_for("recommendations.show", rec_id=rec.id))
    return render_template("recommendations/answer.html", form=form, rec=rec), 422


@bp.post("/recommendations/<int:rec_id>/follow-up")
@login_required
def follow_up(rec_id: int):
    rec = _load(rec_id)
    policy.require(policy.can_follow_up_recommendation(current_user, rec))
    form = forms.FollowUpForm()
    if form.validate():
        try:
            services.follow_up(
                current_user,
                rec,
                status=form.status.data,
                note=form.note.data,
                by_office=not policy.is_officer(current_user, rec.body),
            )
        except RecommendationInvalidError as error:
            _apply(form, error.errors)
        else:
            db.session.commit()
            flash(_("The follow-up was added to the timeline."), "success")
            return redirect(url_for("recommendations.show", rec_id=rec.id) + "#timeline")
    return _show_again(rec, follow_up_form=form)
