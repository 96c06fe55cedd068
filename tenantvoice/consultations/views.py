"""Office consultations' pages: the direction's list and its submission form, the consultation
page (the CCR's discussion for its members only), and the answer an officer records.

The direction reads the consultation and the CCR's answer, never the members' discussion
(domain-rules 5.3): the page's view gives the template the comments only when the reader may
discuss, and the comment form posts to a route the direction cannot use."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import policy
from tenantvoice.consultations import forms, labels, queries, services
from tenantvoice.consultations.models import Consultation
from tenantvoice.extensions import db

bp = Blueprint("consultations", __name__)


@bp.app_context_processor
def consultations_globals():
    return {"consultation_labels": labels}


def _load(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id)
    policy.require(policy.can_see_consultation(current_user, consultation), hide=True)
    return consultation


@bp.get("/office/consultations")
@login_required
def office_list():
    """The direction's consultations, with whether its CCR answered in time."""
    providers = queries.directed_providers(current_user)
    policy.require(any(policy.can_list_office_consultations(current_user, p) for p in providers))
    return render_template(
        "consultations/office_list.html",
        consultations=queries.office_consultations(providers),
        can_submit=bool(queries.ccrs_of(providers)),
    )


@bp.route("/office/consultations/new", methods=["GET", "POST"])
@login_required
def new():
    """The direction submits a draft to its CCR, at least 7 days before deciding."""
    providers = queries.directed_providers(current_user)
    ccrs = [
        b for b in queries.ccrs_of(providers) if policy.can_submit_consultation(current_user, b)
    ]
    policy.require(bool(ccrs))
    form = forms.ConsultationForm(ccrs=ccrs)
    if request.method == "GET":
        form.ccr_id.data = ccrs[0].id
    if form.validate_on_submit():
        ccr = next(b for b in ccrs if b.id == form.ccr_id.data)
        try:
            consultation = services.submit(
                current_user,
                ccr,
                kind=form.kind.data,
                title=form.title.data,
                text=form.text.data,
                decision_date=form.decision_date.data,
            )
        except services.ConsultationInvalidError as invalid:
            db.session.rollback()
            for name, message in invalid.errors.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
        else:
            db.session.commit()
            flash(_("The consultation was sent to the CCR."), "success")
            return redirect(url_for("consultations.show", consultation_id=consultation.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "consultations/form.html",
        form=form,
        earliest=services.earliest_decision_date(),
    ), status


def _show(consultation: Consultation, comment_form=None, status: int = 200):
    can_discuss = policy.can_discuss_consultation(current_user, consultation)
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        can_discuss=can_discuss,
        comments=services.comments_of(consultation) if can_discuss else [],
        comment_form=comment_form or (forms.CommentForm() if can_discuss else None),
        can_answer=policy.can_answer_consultation(current_user, consultation)
        and consultation.answered_at is None,
        is_office=policy.can_list_office_consultations(current_user, consultation.provider),
        # A CCR member drafts the committee's answer as a recommendation (recommendations domain).
        can_draft_answer=consultation.recommendation_id is None
        and policy.can_draft_recommendation(current_user, consultation.ccr),
    ), status


@bp.get("/consultations/<int:consultation_id>")
@login_required
def show(consultation_id: int):
    """The consultation, its dates and the CCR's answer; the discussion for the CCR's members."""
    return _show(_load(consultation_id))


@bp.post("/consultations/<int:consultation_id>/comments")
@login_required
def comment(consultation_id: int):
    """A CCR member adds a comment to the discussion."""
    consultation = _load(consultation_id)
    policy.require(policy.can_discuss_consultation(current_user, consultation))
    form = forms.CommentForm()
    if not form.validate_on_submit():
        return _show(consultation, comment_form=form, status=422)
    services.add_comment(current_user, consultation, form.text.data)
    db.session.commit()
    flash(_("Your comment was added."), "success")
    return redirect(url_for("consultations.show", consultation_id=consultation.id) + "#discussion")


@bp.route("/consultations/<int:consultation_id>/answer", methods=["GET", "POST"])
@login_required
def answer(consultation_id: int):
    """An officer of the CCR records the answer the CCR adopted; the office is told."""
    consultation = _load(consultation_id)
    policy.require(policy.can_answer_consultation(current_user, consultation))
    form = forms.AnswerForm()
    if form.validate_on_submit():
        services.record_answer(current_user, consultation, form.text.data)
        db.session.commit()
        flash(_("The CCR's answer was recorded and sent to the office."), "success")
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "consultations/answer.html", consultation=consultation, form=form
    ), status
