"""The administrators' confidentiality incident register and its small-cell alerts (Q-08)."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import BooleanField, DateField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tenantvoice import policy
from tenantvoice.extensions import db
from tenantvoice.privacy import incidents
from tenantvoice.privacy.incidents import TEXT_MAX, Incident
from tenantvoice.web.forms import AppForm

bp = Blueprint("incidents", __name__, url_prefix="/admin/privacy")


def _text(label):
    return TextAreaField(
        label, validators=[DataRequired(_l("Fill in this field.")), Length(max=TEXT_MAX)]
    )


class IncidentForm(AppForm):
    occurred_on = DateField(
        _l("Date of the incident, or start of the period"),
        validators=[InputRequired(_l("Enter a date."))],
    )
    occurred_until = DateField(_l("End of the period (if it lasted)"), validators=[Optional()])
    discovered_on = DateField(
        _l("Date the incident was learned of"), validators=[InputRequired(_l("Enter a date."))]
    )
    information = _text(_l("Personal information concerned"))
    circumstances = _text(_l("Circumstances of the incident"))
    persons_count = IntegerField(
        _l("Number of persons concerned"),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=0, max=10_000_000, message=_l("Enter a number.")),
        ],
    )
    risk_assessment = _text(_l("Assessment of the risk of serious injury"))
    serious_risk = BooleanField(_l("There is a risk of serious injury"))
    commission_notified_on = DateField(
        _l("Date the Commission d'accès à l'information was notified"), validators=[Optional()]
    )
    persons_notified_on = DateField(
        _l("Date the persons concerned were notified"), validators=[Optional()]
    )
    measures = _text(_l("Measures taken"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        start, end = self.occurred_on.data, self.occurred_until.data
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.occurred_until.errors = [_("The end of the period comes after its start.")]
            ok = False
        return ok

    def values(self) -> dict:
        data = {name: getattr(self, name).data for name in incidents.FIELDS}
        for name in ("information", "circumstances", "risk_assessment", "measures"):
            data[name] = (data[name] or "").strip()
        data["serious_risk"] = bool(data["serious_risk"])
        return data


def _require():
    policy.require(policy.can_manage_incidents(current_user))


@bp.get("/incidents")
@login_required
def index():
    _require()
    return render_template(
        "privacy/incidents.html", incidents=incidents.incidents(), alerts=incidents.alerts()
    )


@bp.route("/incidents/new", methods=["GET", "POST"])
@login_required
def new():
    _require()
    form = IncidentForm()
    if form.validate_on_submit():
        incident = incidents.create_incident(current_user, form.values())
        db.session.commit()
        flash(_("The incident was recorded."), "success")
        return redirect(url_for("incidents.index", _anchor=f"incident-{incident.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/incident_form.html", form=form, incident=None), status


@bp.route("/incidents/<int:incident_id>/edit", methods=["GET", "POST"])
@login_required
def edit(incident_id: int):
    _require()
    incident = db.get_or_404(Incident, incident_id)
    form = IncidentForm(obj=incident)
    if form.validate_on_submit():
        incidents.update_incident(current_user, incident, form.values())
        db.session.commit()
        flash(_("The incident was updated."), "success")
        return redirect(url_for("incidents.index", _anchor=f"incident-{incident.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/incident_form.html", form=form, incident=incident), status
