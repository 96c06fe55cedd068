"""The organizers' logbook: record an intervention, one's own records, the coordinator's
records of the region, and the statistics (page, print view, CSV).

Nobody but ISCs and OCs ever reaches these pages (403); a record is seen only by its author
and the coordinator of its region (404 for anyone else: its existence is private).
"""

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tenantvoice import clock, policy
from tenantvoice.extensions import db
from tenantvoice.logbook import forms, labels, queries, services
from tenantvoice.logbook.models import Intervention
from tenantvoice.needs import taxonomy
from tenantvoice.orgs.models import Site
from tenantvoice.submissions import StaleFormError
from tenantvoice.web.confirm import confirm_page
from tenantvoice.web.forms import claim_form, renew_key, replay_response

bp = Blueprint("logbook", __name__, url_prefix="/logbook")


@bp.app_context_processor
def logbook_globals():
    return {"logbook_labels": labels}


def _scope():
    policy.require(policy.can_use_logbook(current_user))
    return policy.logbook_scope(current_user)


def _intervention(intervention_id: int, edit: bool = False) -> Intervention:
    _scope()
    found = queries.intervention(intervention_id)
    if found is None or not policy.can_see_intervention(current_user, found):
        abort(404)
    if edit:
        policy.require(policy.can_edit_intervention(current_user, found))
    return found


@bp.get("/")
@login_required
def index():
    _scope()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, more = queries.own_records(current_user.id, page)
    return render_template(
        "logbook/index.html",
        rows=rows,
        page=page,
        more=more,
        coordinator=bool(policy.coordinator_region_ids(current_user)),
    )


def _prepare(form, scope, found: Intervention | None = None) -> dict[int, Site]:
    """Fill the form's choices from the worker's scope (and, when editing, the record's own
    need and association, even if no longer among the recent ones); the sites by id."""
    sites = queries.sites_of(scope)
    form.site_id.choices = [SelectChoice(s.id, f"{s.name} ({s.provider.name})") for s in sites]
    region_ids = {s.provider.region_id for s in sites}
    form.partners.choices = [
        SelectChoice(p.id, f"{p.name} ({taxonomy.PARTNER_KIND[p.kind]})")
        for p in queries.partners_of(region_ids)
    ]
    needs = [n for n in queries.linkable_needs(scope) if policy.can_link_need(current_user, n)]
    if found is not None and found.need is not None and found.need not in needs:
        needs.append(found.need)
    form.need_id.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(n.id, _("Need %(number)s: %(title)s", number=n.id, title=n.title))
        for n in needs
    ]
    bodies = queries.bodies_of(scope)
    if found is not None and found.body is not None and found.body not in bodies:
        bodies.append(found.body)
    form.body_id.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(b.id, b.name) for b in bodies
    ]
    return {s.id: s for s in sites}


def _entry(form) -> services.Entry:
    return services.Entry(
        day=form.day.data,
        kinds=list(form.kinds.data or []),
        populations=list(form.populations.data or []),
        people=form.people.data,
        duration_minutes=form.duration_minutes.data,
        themes=list(form.themes.data or []),
        partner_ids=list(form.partners.data or []),
        unlisted=list(form.unlisted.data or []),
        need_id=form.need_id.data or None,
        body_id=form.body_id.data or None,
        note=form.note.data or "",
    )


def _form_page(form, intervention: Intervention | None, status: int):
    return render_template("logbook/form.html", form=form, intervention=intervention), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    scope = _scope()
    form = forms.InterventionForm()
    sites = _prepare(form, scope)
    if request.method == "GET":
        form.day.data = clock.now().astimezone(clock.MONTREAL).date()
        form.duration_minutes.data = 30
        if len(sites) == 1:
            form.site_id.data = next(iter(sites))
        return _form_page(form, None, 200)
    if not form.validate_on_submit():
        return _form_page(form, None, 422)
    site = sites.get(form.site_id.data)
    if site is None or not policy.can_record_intervention(current_user, site.provider):
        abort(403)
    try:
        claim = claim_form(form.form_key.data, current_user)
    except StaleFormError:
        db.session.rollback()
        renew_key(form)
        return _form_page(form, None, 422)
    if claim.is_replay:
        db.session.rollback()
        return replay_response(claim, url_for("logbook.index"))
    try:
        services.record(current_user, site, _entry(form))
    except services.LogbookError:
        db.session.rollback()
        abort(422)
    done = url_for("logbook.index")
    claim.done(done)
    db.session.commit()
    flash(_("The intervention was recorded."), "success")
    return redirect(done)


@bp.get("/<int:intervention_id>")
@login_required
def show(intervention_id: int):
    found = _intervention(intervention_id)
    return render_template(
        "logbook/show.html",
        i=found,
        can_edit=policy.can_edit_intervention(current_user, found),
    )


@bp.route("/<int:intervention_id>/edit", methods=["GET", "POST"])
@login_required
def edit(intervention_id: int):
    found = _intervention(intervention_id, edit=True)
    scope = policy.logbook_scope(current_user)
    if request.method == "GET":
        form = forms.InterventionForm(formdata=None)
        form.day.data = found.day
        form.site_id.data = found.site_id
        form.kinds.data = [int(k) for k in found.kind_list]
        form.populations.data = [p.value for p in found.population_list]
        form.themes.data = [t.code for t in found.themes]
        form.people.data = found.people
        form.duration_minutes.data = found.duration_minutes
        form.partners.data = [r.partner_id for r in found.referrals if r.partner_id]
        form.unlisted.data = [r.partner_kind.value for r in found.referrals if not r.partner_id]
        form.need_id.data = found.need_id or 0
        form.body_id.data = found.body_id or 0
        form.note.data = found.note
        _prepare(form, scope, found)
        return _form_page(form, found, 200)
    form = forms.InterventionForm()
    sites = _prepare(form, scope, found)
    if not form.validate_on_submit():
        return _form_page(form, found, 422)
    site = sites.get(form.site_id.data)
    if site is None:
        abort(403)
    try:
        services.update(current_user, found, site, _entry(form))
    except services.LogbookError:
        db.session.rollback()
        abort(422)
    db.session.commit()
    flash(_("The intervention was updated."), "success")
    return redirect(url_for("logbook.show", intervention_id=found.id))


@bp.route("/<int:intervention_id>/delete", methods=["GET", "POST"])
@login_required
def delete(intervention_id: int):
    found = _intervention(intervention_id, edit=True)
    if request.method == "GET":
        return confirm_page(
            _("Delete this intervention?"),
            [_("It is removed from your logbook and from the statistics. This cannot be undone.")],
            _("Delete the intervention"),
            url_for("logbook.show", intervention_id=found.id),
        )
    services.delete(current_user, found)
    db.session.commit()
    flash(_("The intervention was deleted."), "success")
    return redirect(url_for("logbook.index"))


@bp.get("/region")
@login_required
def region():
    """The coordinator's reading of every record of the region (never editable here)."""
    _scope()
    region_ids = policy.coordinator_region_ids(current_user)
    policy.require(bool(region_ids))
    period = queries.Period.parse(request.args)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, more = queries.region_records(set(region_ids), period, page)
    return render_template("logbook/region.html", rows=rows, period=period, page=page, more=more)


def _territory() -> tuple[queries.Territory, list[Any], int | None]:
    """My own records, or a region I coordinate (`?region=`); the regions offered."""
    _scope()
    coordinated = policy.coordinator_region_ids(current_user)
    chosen = request.args.get("region", type=int)
    regions = queries.regions(set(coordinated)) if coordinated else []
    if chosen is not None:
        policy.require(chosen in coordinated)
        return queries.Territory(region_ids=frozenset({chosen})), regions, chosen
    return queries.Territory(worker_id=current_user.id), regions, None


def _statistics(template: str):
    territory, regions, chosen = _territory()
    stats = queries.statistics(territory, queries.Period.parse(request.args))
    return render_template(template, stats=stats, regions=regions, chosen=chosen)


@bp.get("/statistics")
@login_required
def statistics():
    return _statistics("logbook/statistics.html")


@bp.get("/statistics/print")
@login_required
def statistics_print():
    """The committee's annual report: the same figures, for paper."""
    return _statistics("logbook/statistics_print.html")


def _csv_safe(text: str) -> str:
    """A spreadsheet must not run a label as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(shown) -> str:
    if shown is None:
        return ""
    return str(shown.value) if not shown.hidden else _("fewer than 5")


@bp.get("/statistics.csv")
@login_required
def statistics_csv():
    territory, _regions, _chosen = _territory()
    stats = queries.statistics(territory, queries.Period.parse(request.args))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Figure"), _("Line"), _("Count"), _("Share (%)"), _("A year before")])
    writer.writerow([_("Interventions"), "", _cell(stats.total), "", _cell(stats.previous_total)])
    for figure in [*stats.figures, *stats.categories]:
        title = str(labels.FIGURE[figure.key])
        for line in figure.lines:
            writer.writerow(
                [
                    _csv_safe(title),
                    _csv_safe(str(line.label)),
                    _cell(line.shown),
                    "" if line.percent is None else line.percent,
                    _cell(line.previous),
                ]
            )
    filename = f"logbook-{stats.period.start.isoformat()}-{stats.period.end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
