"""The organizer's dashboard of collective needs, the organizer's page of a need and its
actions, the partner directory, statistics (page and CSV), and the direction's page.

Filters live in the URL (shareable; the back button works); the list region updates with htmx
(`#needs-results`) and the same URL without JavaScript renders the whole page. The organizer
never reads an author's or a supporter's identity here: the rows carry none.
"""

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tenantvoice import policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.needs import queries as needs_queries
from tenantvoice.needs import taxonomy
from tenantvoice.needs.models import Need, NeedError, Origin
from tenantvoice.organizing import forms, queries, services
from tenantvoice.organizing.signals import small_cells_shown
from tenantvoice.web.htmx import render_htmx

bp = Blueprint("organizing", __name__, url_prefix="/organizing")


def _scope():
    policy.require(policy.can_see_needs_dashboard(current_user))
    return policy.organizer_scope(current_user)


@bp.get("/needs")
@login_required
def dashboard():
    scope = _scope()
    f = queries.Filters.parse(request.args)
    context: dict[str, Any] = {
        "f": f,
        "listing": queries.dashboard_page(scope, f),
        "facets": queries.facets(scope, f),
        "cards": queries.sensitive_cards(scope, f),
        "ages": list(queries.AGES) + ["older"],
        "supporter_steps": queries.SUPPORTERS,
    }
    return render_htmx("organizing/dashboard.html", "organizing/_results.html", **context)


@bp.get("/needs/all/<name>")
@login_required
def places(name: str):
    """Every provider or building in scope with needs under the other filters (the filter
    lists offer the busiest 50), by name, a page at a time; each links to the dashboard."""
    scope = _scope()
    if name not in queries.PLACES:
        abort(404)
    f = queries.Filters.parse(request.args)
    page = request.args.get("page", 1, type=int) or 1
    rows, pages = queries.places(scope, f, name, page)
    return render_template(
        "organizing/places.html",
        name=name,
        f=f,
        rows=rows,
        page=min(max(page, 1), pages),
        pages=pages,
    )


def _need(need_id: int) -> Need:
    need = needs_queries.need_for_page(need_id)
    if need is None:
        abort(404)
    policy.require(policy.can_act_on_need(current_user, need), hide=True)
    return need


def _action_form(region_ids: set[int], form=None):
    form = form or forms.ActionForm(formdata=None)
    form.partner_id.choices = [SelectChoice(0, _("No partner"))] + [
        SelectChoice(p.id, f"{p.name} ({taxonomy.PARTNER_KIND[p.kind]})")
        for p in queries.partners_of(region_ids)
    ]
    return form


def _need_page(need: Need, status: int = 200, form=None, error=None):
    shared = need.share_text or need.origin == Origin.ISC
    page = render_template(
        "organizing/need.html",
        need=need,
        shared=shared,
        forwards=queries.organizer_forwards(need),
        events=queries.organizer_timeline(need),
        form=_action_form({need.region_id}, form),
        error=error,
    )
    return page, status


@bp.get("/needs/<int:need_id>")
@login_required
def need(need_id: int):
    return _need_page(_need(need_id))


@bp.post("/needs/<int:need_id>/act")
@login_required
def act(need_id: int):
    need = _need(need_id)
    form = _action_form({need.region_id}, forms.ActionForm())
    if not form.validate_on_submit():
        return _need_page(need, 422, form)
    try:
        services.act(
            current_user,
            need,
            form.action.data,
            public_text=form.public_text.data,
            staff_note=form.staff_note.data,
            partner_id=form.partner_id.data or None,
        )
    except NeedError as exc:
        db.session.rollback()
        return _need_page(need, exc.status, form, exc.message)
    db.session.commit()
    flash(
        _("The action was recorded; the tenants of the building see it in plain words."), "success"
    )
    return redirect(url_for("organizing.need", need_id=need.id))


@bp.route("/cards/<int:site_id>/<code>", methods=["GET", "POST"])
@login_required
def card(site_id: int, code: str):
    """Act on every need behind a sensitive card (site × category), without reading them."""
    scope = _scope()
    if code not in taxonomy.SENSITIVE:
        abort(404)
    needs = queries.card_needs(scope, site_id, code)
    if not needs:
        abort(404)
    region_ids = {n.region_id for n in needs}
    form = _action_form(region_ids, forms.ActionForm() if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            count = services.act_on_card(
                current_user,
                needs,
                form.action.data,
                public_text=form.public_text.data,
                staff_note=form.staff_note.data,
                partner_id=form.partner_id.data or None,
            )
        except NeedError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("The action was recorded on %(n)s needs.", n=count), "success")
            return redirect(url_for("organizing.dashboard"))
    status = 422 if request.method == "POST" else 200
    site = needs[0].site
    return render_template(
        "organizing/card.html", site=site, code=code, form=form, error=error
    ), status


@bp.route("/partners", methods=["GET", "POST"])
@login_required
def partners():
    policy.require(policy.can_see_partners(current_user))
    scope = policy.staff_scope(current_user, {StaffRole.OC, StaffRole.ISC})
    region_ids = queries.scope_region_ids(scope)
    manage_ids = {r for r in region_ids if policy.can_manage_partners(current_user, r)}
    form = forms.PartnerForm() if request.method == "POST" else forms.PartnerForm(formdata=None)
    form.region_id.choices = [SelectChoice(r.id, r.name) for r in queries.regions(manage_ids)]
    error = None
    if request.method == "POST":
        policy.require(bool(manage_ids))
        if form.validate_on_submit():
            if not policy.can_manage_partners(current_user, form.region_id.data):
                abort(403)
            try:
                services.add_partner(
                    current_user,
                    form.region_id.data,
                    name=form.name.data,
                    kind=form.kind.data,
                    service=form.service.data,
                    phone=form.phone.data,
                    website=form.website.data,
                )
            except NeedError as exc:
                db.session.rollback()
                error = exc.message
            else:
                db.session.commit()
                flash(_("The partner was added to the directory."), "success")
                return redirect(url_for("organizing.partners"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organizing/partners.html",
        partners=queries.partners_of(region_ids),
        form=form,
        can_manage=bool(manage_ids),
        error=error,
    ), status


@bp.get("/statistics")
@login_required
def statistics():
    scope = _scope()
    stats = queries.statistics(scope, queries.Period.parse(request.args))
    return render_template("organizing/statistics.html", stats=stats)


def _cell(shown) -> str:
    return str(shown.value) if not shown.hidden else _("fewer than 5")


@bp.get("/statistics.csv")
@login_required
def statistics_csv():
    scope = _scope()
    stats = queries.statistics(scope, queries.Period.parse(request.args))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Table"), _("Value"), _("Needs")])
    titles = {
        "category": _("By category"),
        "kind": _("By kind of provider"),
        "population": _("By population"),
        "status": _("By status"),
        "partner": _("Referred, by kind of partner"),
    }
    for chart in [*stats.charts, stats.partner_kinds]:
        for bar in chart.bars:
            writer.writerow([titles[chart.key], bar.label, _cell(bar.shown)])
    writer.writerow([_("Referred to a partner"), "", _cell(stats.referred)])
    writer.writerow([_("Median time to first response (hours)"), "", stats.median_hours or ""])
    for site, _units, people, rate in stats.participation:
        writer.writerow([_("Participation"), site, _cell(people), rate if rate is not None else ""])
    filename = f"needs-{stats.period.start.isoformat()}-{stats.period.end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.get("/direction")
@login_required
def direction():
    """What the associations and CCRs forwarded to the housing office's direction."""
    policy.require(policy.can_see_direction_needs(current_user))
    scope = policy.staff_scope(current_user, {StaffRole.DIRECTION})
    rows, counts = queries.direction_page(set(scope.provider_ids))
    # Rendered first: the commit below expires what the page reads (the user, the scope).
    page = render_template("organizing/direction.html", rows=rows, counts=counts)
    if any(row.people.hidden for row in rows):
        # Counted by the privacy domain (repeated views could single someone out); one commit.
        small_cells_shown.send(None, user=current_user, view="organizing.direction")
        db.session.commit()
    return page
