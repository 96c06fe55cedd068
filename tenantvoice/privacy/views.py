"""Privacy pages (issue 15): the privacy policy with its officer, the person's own privacy page
(consents per purpose, download my data), the downloads and the export's published schema."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import clock
from tenantvoice.extensions import db, limiter
from tenantvoice.privacy import consents, export
from tenantvoice.privacy.forms import ConsentForm, ExportForm
from tenantvoice.privacy.models import DataExport

bp = Blueprint("privacy", __name__)


@bp.get("/confidentialite")  # the French address; decorators apply bottom-up,
@bp.get("/privacy")  # so links are built on /privacy, the one registered first
def policy():
    """The privacy policy in plain words, its version, and the person in charge of privacy
    (Law 25 s. 3.1 and 3.2; trust-and-safety Q-01, Q-02). Linked from every page's footer."""
    return render_template(
        "privacy/policy.html",
        officer_title=current_app.config["PRIVACY_OFFICER_TITLE"]
        or _("Person in charge of the protection of personal information"),
        officer_email=current_app.config["PRIVACY_OFFICER_EMAIL"],
        version=current_app.config["PRIVACY_POLICY_VERSION"],
    )


@bp.get(export.SCHEMA_URL)
def export_schema():
    """The published JSON Schema of "download my data" (the file kept in the repository)."""
    return Response(
        json.dumps(export.schema(), indent=2, ensure_ascii=False) + "\n",
        mimetype="application/schema+json",
    )


def _page(status: int = 200):
    row = export.latest_for(current_user)
    return render_template(
        "privacy/mine.html",
        settings=consents.settings_for(current_user),
        consent_form=ConsentForm(formdata=None),
        export_form=ExportForm(formdata=None),
        export=row,
        lifetime_hours=int(current_app.config["DATA_EXPORT_LIFETIME"].total_seconds() // 3600),
    ), status


@bp.get("/account/privacy")
@login_required
def mine():
    """The person's privacy: each consent with its one-tap switch, and "download my data"."""
    return _page()


@bp.post("/account/privacy/consent")
@login_required
def consent():
    """Give or withdraw one consent, in force at once (PRG; the same tap twice changes nothing)."""
    form = ConsentForm()
    if not form.validate_on_submit():
        abort(400)
    body_id = int(form.body_id.data) if (form.body_id.data or "").isdigit() else None
    given = form.given.data == "1"
    try:
        consents.set_consent(current_user, form.purpose.data or "", given, body_id=body_id)
    except consents.ConsentError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(
        _("Your consent was recorded.") if given else _("Your consent was withdrawn, from now on."),
        "success",
    )
    return redirect(url_for("privacy.mine") + "#consents")


@bp.post("/account/privacy/export")
@login_required
@limiter.limit("10 per hour", key_func=lambda: f"export-{current_user.get_id()}")
def request_export():
    """Ask for "download my data": the worker builds it within a minute or two."""
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    export.request_export(current_user)
    db.session.commit()
    flash(_("Your file is being prepared. Come back to this page in a minute or two."), "success")
    return redirect(url_for("privacy.mine") + "#export")


@bp.get("/account/privacy/export/<int:export_id>.<fmt>")
@login_required
def download(export_id: int, fmt: str):
    """The file, for its owner alone, until it expires (anyone else: not found)."""
    row = db.session.get(DataExport, export_id)
    if (
        fmt not in ("json", "zip")
        or row is None
        or row.user_id != current_user.id
        or row.ready_at is None
        or row.expires_at <= clock.now()
    ):
        abort(404)
    stamp = row.ready_at.strftime("%Y%m%d")
    if fmt == "json":
        body: str | bytes = row.json_text or ""
        mimetype = "application/json"
    else:
        body = export.zip_bytes(row)
        mimetype = "application/zip"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="tenantvoice-my-data-{stamp}.{fmt}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
