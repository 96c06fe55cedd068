"""The notification centre, its badge, the settings page, push devices and one-click email
unsubscribe. Each view commits once."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError

from tenantvoice import policy
from tenantvoice.accounts import sessions
from tenantvoice.extensions import csrf, db
from tenantvoice.notifications import forms, queries, services
from tenantvoice.notifications.kinds import all_kinds
from tenantvoice.notifications.models import Channel, Notification
from tenantvoice.notifications.schemas import PushEndpointSchema, PushSubscriptionSchema
from tenantvoice.outbox import push
from tenantvoice.web.htmx import render_htmx, wants_partial
from tenantvoice.web.ids import parse_id
from tenantvoice.web.passive import passive

bp = Blueprint("notifications", __name__)


def _render(template, status=200, **context):
    return make_response(render_template(template, **context), status)


def _own(notification_id: int) -> Notification:
    notification = queries.notification_by_id(notification_id)
    if notification is None or not policy.can_manage_notification(current_user, notification):
        policy.deny(hide=True)
    return notification


@bp.get("/notifications")
@login_required
def index():
    """The person's notification centre, newest first."""
    before = request.args.get("before", type=int)
    items, more = queries.page_for(current_user, before_id=before)
    kinds = all_kinds()
    return render_htmx(
        "notifications/index.html",
        "notifications/_list.html",
        items=items,
        more=more,
        kinds=kinds,
    )


@bp.app_template_global()
def notification_headline(kind, body_name: str) -> str:
    """The centre's line, as push and email say it (`services.headline`)."""
    return services.headline(kind, body_name)


@bp.get("/notifications/badge")
@passive
def badge():
    """The unread count for the header (polled once a minute; never keeps a session alive)."""
    if not current_user.is_authenticated:
        return "", 204
    response = _render("notifications/_badge.html", oob=False)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_(notification_id):
    """Mark the notification read and go to what it is about."""
    notification = _own(notification_id)
    services.mark_read(current_user, notification)
    db.session.commit()
    return redirect(notification.event.url, code=303)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id):
    """Mark one notification read (the badge follows, out of band)."""
    notification = _own(notification_id)
    services.mark_read(current_user, notification)
    db.session.commit()
    if wants_partial():
        db.session.refresh(notification)
        return _render(
            "notifications/_item_oob.html", item=notification, kinds=all_kinds(), oob=True
        )
    return redirect(url_for("notifications.index"), code=303)


@bp.post("/notifications/read-all")
@login_required
def read_all():
    """Mark every notification read."""
    count = services.mark_all_read(current_user)
    db.session.commit()
    if count:
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"), code=303)


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Choose, per kind, how each channel tells you; quiet hours; fuller email content. Only the
    kinds that can reach the person are offered (a tenant is not asked about the organizer's
    inbox), and any kind they were ever told of."""
    kinds = services.kinds_offered(current_user)
    mine = services.settings_for(current_user)
    form = forms.settings_form(
        kinds,
        services.preferences_of(current_user),
        quiet_start=mine.quiet_start,
        quiet_end=mine.quiet_end,
        email_details=mine.email_details,
    )
    if form.validate_on_submit():
        services.set_preferences(current_user, forms.chosen(form, kinds))
        services.save_settings(
            current_user,
            quiet_start=form.quiet_start.data,
            quiet_end=form.quiet_end.data,
            email_details=bool(form.email_details.data),
        )
        services.keep_language(current_user, str(get_locale()))
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"), code=303)
    status = 422 if request.method == "POST" else 200
    return _render(
        "notifications/settings.html",
        status,
        form=form,
        rows=[
            (kind, [(channel, form[forms.field_name(key, channel)]) for channel in Channel])
            for key, kind in kinds.items()
        ],
        channel_labels=forms.CHANNEL_LABELS,
        short_labels={f.value: label for f, label in forms.SHORT_FREQUENCY_LABELS.items()},
        devices=services.devices_of(current_user),
        server_key=push.application_server_key(),
    )


def _json_error(message: str, status: int = 422):
    return jsonify({"error": message}), status


@bp.post("/notifications/push/subscribe")
@login_required
def push_subscribe():
    """Keep this phone's push subscription (sent by app.js as JSON)."""
    try:
        data = PushSubscriptionSchema().load(request.get_json(silent=True) or {})
    except ValidationError:
        return _json_error(_("This phone's subscription could not be read."))
    try:
        row = sessions.current_row()
        services.subscribe_push(
            current_user,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
            user_agent=request.user_agent.string or "",
            session_id=row.id if row is not None else None,
        )
    except services.PushRefusedError:
        return _json_error(_("Notifications from this browser's push service are not accepted."))
    old = data.get("old_endpoint") or ""
    if old and old != data["endpoint"]:
        # The service worker renewing a subscription the push service replaced
        # (pushsubscriptionchange): the old endpoint is dead, and only the person's own goes.
        services.unsubscribe_push(current_user, endpoint=old)
    services.keep_language(current_user, str(get_locale()))
    db.session.commit()
    return "", 204


@bp.get("/notifications/push/token")
@login_required
@passive
def push_token():
    """A CSRF token for the service worker, which has no page to read one from: it renews this
    phone's subscription when the push service replaces it (pushsubscriptionchange), through
    the same CSRF-checked POST as app.js. Only this origin can read the answer."""
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/notifications/push/unsubscribe")
@login_required
def push_unsubscribe():
    """Forget a device: this phone (JSON from app.js) or one listed in the settings (form)."""
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        try:
            endpoint = PushEndpointSchema().load(data)["endpoint"]
        except ValidationError:
            endpoint = ""  # nothing to forget
        services.unsubscribe_push(current_user, endpoint=endpoint)
        db.session.commit()
        return "", 204
    device_id = request.form.get("subscription_id", type=parse_id)
    if device_id is None:
        abort(400)
    services.unsubscribe_push(current_user, subscription_id=device_id)
    db.session.commit()
    flash(_("That device will no longer receive notifications."), "success")
    return redirect(url_for("notifications.settings") + "#devices", code=303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client posts without our form; the signed token is the key
def unsubscribe(token):
    """One-click unsubscribe from an email: GET asks, POST turns those emails off."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        return _render("notifications/unsubscribe.html", 404, state="invalid")
    user_id, keys = found
    kinds = all_kinds()
    labels = [str(kinds[k].label) for k in keys if k in kinds]
    if request.method == "GET":
        return _render("notifications/unsubscribe.html", state="ask", labels=labels, token=token)
    services.unsubscribe_email(user_id, keys)
    db.session.commit()
    return _render("notifications/unsubscribe.html", state="done", labels=labels)
