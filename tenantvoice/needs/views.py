"""Tenants' pages of collective needs (raise, list, "me too", comments, the need's timeline),
the ISC's de-identified record, and the reviewing body's queue (confirm, merge, forward).

The need's page answers 404 to whoever may not see it (existence is private): a sensitive need
is seen only by its author and the reviewing body's officers; the organizer and the direction
read what was forwarded on their own pages (organizing).
"""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tenantvoice import policy
from tenantvoice.accounts import consents
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.needs import forms, queries, services, taxonomy
from tenantvoice.needs.models import Need, NeedError
from tenantvoice.orgs.models import Body, Provider, Site
from tenantvoice.submissions import StaleFormError
from tenantvoice.web.forms import claim_form, renew_key, replay_response
from tenantvoice.web.htmx import render_htmx

bp = Blueprint("needs", __name__)


@bp.app_context_processor
def needs_globals():
    return {"need_labels": taxonomy}


def _load(need_id: int) -> Need:
    need = queries.need_for_page(need_id)
    if need is None:
        abort(404)
    return need


def _need(need_id: int) -> Need:
    need = _load(need_id)
    policy.require(policy.can_see_need(current_user, need), hide=True)
    return need


def _int_arg(name: str) -> int:
    """A whole number from the URL, 0 when absent or malformed."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _officer_bodies() -> list[Body]:
    ids = policy.body_ids_as_officer(current_user)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Body).where(Body.id.in_(ids)).order_by(Body.name)))


@bp.get("/needs")
@login_required
def index():
    """The needs of my building(s), and mine."""
    sites = queries.sites_of(current_user)
    return render_template(
        "needs/index.html",
        rows=queries.needs_for_tenant(current_user),
        sites=sites,
        bodies=_officer_bodies(),
        can_record=bool(policy.staff_scope(current_user, {StaffRole.ISC})),
    )


def _need_page(need: Need, **extra):
    user = current_user
    can_review = policy.can_review_need(user, need)
    # Merges both ways: a link only to a need the viewer may open (else "another need").
    into = queries.merged_into(need)
    merged_into = (into, policy.can_see_need(user, into)) if into is not None else None
    merged_from = [(n, policy.can_see_need(user, n)) for n in queries.merged_from(need)]
    return dict(
        need=need,
        merged_into=merged_into,
        merged_from=merged_from,
        events=queries.timeline(need),
        comments=queries.comments(need),
        forwards=queries.forwards(need) if can_review else [],
        supported=queries.supports(user, need),
        can_support=policy.can_support_need(user, need),
        can_comment=policy.can_comment_need(user, need),
        can_review=can_review,
        show_author=policy.can_see_need_author(user, need) and not need.anonymous,
        is_author=policy.is_need_author(user, need),
        comment_form=extra.pop("comment_form", None) or forms.CommentForm(formdata=None),
        **extra,
    )


@bp.get("/needs/<int:need_id>")
@login_required
def show(need_id: int):
    """A need and its timeline in plain words."""
    need = _need(need_id)
    return render_template("needs/show.html", **_need_page(need))


def _site_choices(form, sites: list[Site]) -> None:
    form.site_id.choices = [SelectChoice(s.id, s.name) for s in sites]


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def new():
    """Raise a need: anonymous by default, the text kept from the organizer unless shared."""
    sites = queries.sites_of(current_user)
    policy.require(bool(sites))
    form = forms.NeedForm()
    _site_choices(form, sites)
    if request.method == "GET" and _int_arg("site_id"):
        form.site_id.data = _int_arg("site_id")
    if request.method == "GET":
        # The box stays per need; the person's consent (privacy settings) ticks it by default.
        form.share_text.data = consents.given(current_user, consents.NEED_TEXT_TO_ORGANIZER)
    error = None
    if form.validate_on_submit():
        site = next((s for s in sites if s.id == form.site_id.data), None)
        if site is None or not policy.can_raise_need(current_user, site.id):
            abort(403)
        try:
            claim = claim_form(form.form_key.data, current_user)
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
            return _new_page(form, None), 422
        if claim.is_replay:
            db.session.rollback()
            return replay_response(claim, url_for("needs.index"))
        try:
            need = services.raise_need(
                current_user,
                site,
                title=form.title.data,
                description=form.description.data,
                codes=form.categories.data,
                populations=form.populations.data,
                urgency=form.urgency.data,
                anonymous=not form.signed.data,
                share_text=form.share_text.data,
            )
        except NeedError as exc:
            db.session.rollback()
            error = exc.message
        else:
            done = url_for("needs.show", need_id=need.id)
            claim.done(done)
            db.session.commit()
            flash(_("Your need was recorded. Your association will review it."), "success")
            return redirect(done)
    status = 422 if form.is_submitted() else 200
    return _new_page(form, error), status


def _new_page(form, error):
    similar = []
    if form.title.data and form.site_id.data:
        similar = queries.similar(
            form.site_id.data, f"{form.title.data} {form.description.data or ''}"
        )
    return render_template("needs/new.html", form=form, error=error, similar=similar)


@bp.get("/needs/similar")
@login_required
def similar():
    """Similar needs of the site while typing (htmx; without JavaScript, a page)."""
    site_id = _int_arg("site_id")
    policy.require(policy.can_raise_need(current_user, site_id))
    text = (request.args.get("title", "") + " " + request.args.get("description", ""))[:400]
    return render_htmx(
        "needs/similar.html",
        "needs/_similar.html",
        similar=queries.similar(site_id, text),
        site_id=site_id,
    )


@bp.post("/needs/<int:need_id>/support")
@login_required
def support(need_id: int):
    need = _need(need_id)
    policy.require(policy.can_support_need(current_user, need))
    try:
        services.support(current_user, need)
    except NeedError as exc:
        db.session.rollback()
        return render_template("needs/show.html", **_need_page(need, error=exc.message)), exc.status
    db.session.commit()
    flash(_("Thank you: your support was counted."), "success")
    return redirect(url_for("needs.show", need_id=need.id))


@bp.post("/needs/<int:need_id>/comments")
@login_required
def comment(need_id: int):
    need = _need(need_id)
    policy.require(policy.can_comment_need(current_user, need))
    form = forms.CommentForm()
    if form.validate_on_submit():
        try:
            services.comment(current_user, need, form.text.data)
        except NeedError as exc:
            db.session.rollback()
            page = _need_page(need, comment_form=form, error=exc.message)
            return render_template("needs/show.html", **page), exc.status
        db.session.commit()
        flash(_("Your comment was added."), "success")
        return redirect(url_for("needs.show", need_id=need.id) + "#comments")
    return render_template("needs/show.html", **_need_page(need, comment_form=form)), 422


@bp.route("/needs/record", methods=["GET", "POST"])
@login_required
def record():
    """The ISC records, without any name, a problem several residents of a site live."""
    scope = policy.staff_scope(current_user, {StaffRole.ISC})
    policy.require(bool(scope))
    sites = list(
        db.session.scalars(
            sa.select(Site)
            .join(Provider, Provider.id == Site.provider_id)
            .where(scope.providers_clause(), Site.active.is_(True))
            .order_by(Site.name)
            .limit(500)
        )
    )
    form = forms.RecordForm()
    _site_choices(form, sites)
    error = None
    if form.validate_on_submit():
        site = next((s for s in sites if s.id == form.site_id.data), None)
        if site is None:
            abort(403)
        try:
            claim = claim_form(form.form_key.data, current_user)
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
            return render_template("needs/record.html", form=form, error=None), 422
        if claim.is_replay:
            db.session.rollback()
            return replay_response(claim, url_for("needs.index"))
        try:
            services.record_isc(
                current_user,
                site,
                title=form.title.data,
                description=form.description.data,
                codes=form.categories.data,
                populations=form.populations.data,
            )
        except NeedError as exc:
            db.session.rollback()
            error = exc.message
        else:
            claim.done(url_for("needs.index"))
            db.session.commit()
            flash(_("The problem was recorded for the community organizer."), "success")
            return redirect(url_for("needs.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("needs/record.html", form=form, error=error), status


# --- the reviewing body -----------------------------------------------------------------------


@bp.get("/bodies/<int:body_id>/needs")
@login_required
def queue(body_id: int):
    """The needs the body reviews, those waiting first."""
    body = db.get_or_404(Body, body_id)
    policy.require(policy.can_review_needs_of(current_user, body), hide=True)
    return render_template("needs/queue.html", body=body, needs=queries.review_queue(body))


def _reviewable(need_id: int) -> Need:
    need = _load(need_id)
    policy.require(policy.can_review_need(current_user, need), hide=True)
    return need


def _review_page(need: Need, status: int = 200, **extra):
    body = need.reviewing_body
    confirm_form = extra.pop("confirm_form", None) or forms.ConfirmForm(formdata=None)
    confirm_form.resolution_id.choices = [SelectChoice(0, _("No resolution"))] + [
        SelectChoice(r.id, _("Resolution %(number)s", number=r.number))
        for r in queries.resolutions_of(body)
    ]
    forward_form = extra.pop("forward_form", None) or forms.ForwardForm(formdata=None)
    merge_form = extra.pop("merge_form", None) or forms.MergeForm(formdata=None)
    page = render_template(
        "needs/review.html",
        need=need,
        body=body,
        confirm_form=confirm_form,
        forward_form=forward_form,
        merge_form=merge_form,
        targets=queries.merge_targets(need),
        forwards=queries.forwards(need),
        **extra,
    )
    return page, status


@bp.get("/needs/<int:need_id>/review")
@login_required
def review(need_id: int):
    return _review_page(_reviewable(need_id))


@bp.post("/needs/<int:need_id>/confirm")
@login_required
def confirm(need_id: int):
    need = _reviewable(need_id)
    # The resolution is checked by the service against the body's own meetings.
    resolution_id = request.form.get("resolution_id", type=int) or None
    try:
        services.confirm(current_user, need, resolution_id)
    except NeedError as exc:
        db.session.rollback()
        return _review_page(need, exc.status, error=exc.message)
    db.session.commit()
    flash(_("The need is confirmed."), "success")
    return redirect(url_for("needs.review", need_id=need.id))


@bp.post("/needs/<int:need_id>/forward")
@login_required
def forward(need_id: int):
    need = _reviewable(need_id)
    form = forms.ForwardForm()
    if not form.validate_on_submit():
        return _review_page(need, 422, forward_form=form)
    try:
        services.forward(
            current_user,
            need,
            wording=form.wording.data,
            priority=form.priority.data,
            note=form.note.data,
            to_organizer=form.to_organizer.data,
            to_direction=form.to_direction.data,
        )
    except NeedError as exc:
        db.session.rollback()
        return _review_page(need, exc.status, forward_form=form, error=exc.message)
    db.session.commit()
    flash(_("The need was forwarded."), "success")
    return redirect(url_for("needs.queue", body_id=need.reviewing_body_id))


@bp.post("/needs/<int:need_id>/merge")
@login_required
def merge(need_id: int):
    need = _reviewable(need_id)
    form = forms.MergeForm()
    if not form.validate_on_submit():
        return _review_page(need, 422, merge_form=form)
    target = db.session.get(Need, form.target_id.data)
    if target is None or not policy.can_review_need(current_user, target):
        db.session.rollback()
        return _review_page(
            need, 422, merge_form=form, error=_("Choose a need your association reviews.")
        )
    try:
        services.merge(current_user, need, target)
    except NeedError as exc:
        db.session.rollback()
        return _review_page(need, exc.status, merge_form=form, error=exc.message)
    db.session.commit()
    flash(_("The needs were merged; their supporters are counted once."), "success")
    return redirect(url_for("needs.review", need_id=target.id))
