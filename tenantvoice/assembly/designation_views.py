"""An association's officers link each CCR seat it designated to the resolution that designated
the person (domain-rules 2.3 C2). The page lists their own delegates only (their names and the
CCR), never the CCR's register; the resolutions offered are the association's adopted ones."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice as Opt

from tenantvoice import policy
from tenantvoice.assembly import seats
from tenantvoice.assembly.forms import DesignationForm
from tenantvoice.assembly.models import Resolution
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Member

bp = Blueprint("designations", __name__)


def _load(body_id: int) -> Body:
    body = db.get_or_404(Body, body_id)
    policy.require(policy.is_member(current_user, body), hide=True)
    policy.require(policy.can_link_designations(current_user, body))
    return body


def _choices(resolutions: list[Resolution]) -> list[Opt]:
    return [Opt(r.id, f"{r.number} — {r.text[:80]}") for r in resolutions]


@bp.get("/bodies/<int:body_id>/designations")
@login_required
def index(body_id: int):
    """The CCR seats the association designated, each with its designating resolution."""
    body = _load(body_id)
    rows = seats.designated_seats(body)
    choices = _choices(seats.adopted_resolutions(body))
    forms = {}
    for member, resolution in rows:
        form = DesignationForm(prefix=f"m{member.id}", formdata=None)
        form.resolution_id.choices = choices
        form.resolution_id.data = resolution.id if resolution is not None else None
        forms[member.id] = form
    return render_template("assembly/designations.html", body=body, rows=rows, forms=forms)


@bp.post("/bodies/<int:body_id>/designations/<int:member_id>")
@login_required
def link(body_id: int, member_id: int):
    """Link one designated seat to the adopted resolution chosen."""
    body = _load(body_id)
    member = db.get_or_404(Member, member_id)
    if member.designated_by_id != body.id:
        policy.deny(hide=True)
    resolutions = seats.adopted_resolutions(body)
    form = DesignationForm(prefix=f"m{member.id}")
    form.resolution_id.choices = _choices(resolutions)
    if form.validate_on_submit():
        resolution = next(r for r in resolutions if r.id == form.resolution_id.data)
        seats.link_designation(current_user, member, resolution)
        db.session.commit()
        flash(_("The seat of %(name)s is linked to its resolution.", name=member.name), "success")
        return redirect(url_for("designations.index", body_id=body.id))
    rows = seats.designated_seats(body)
    forms = {}
    for other, linked in rows:
        other_form = (
            form if other.id == member.id else DesignationForm(prefix=f"m{other.id}", formdata=None)
        )
        other_form.resolution_id.choices = _choices(resolutions)
        if other.id != member.id:
            other_form.resolution_id.data = linked.id if linked is not None else None
        forms[other.id] = other_form
    status = 422 if request.method == "POST" else 200
    return render_template("assembly/designations.html", body=body, rows=rows, forms=forms), status
