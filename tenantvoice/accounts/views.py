"""Log in and out, reset a password (link or code), second factor, account settings (signing up
with an invitation is the orgs domain's /join). Services flush; each view commits once."""

import logging

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tenantvoice import policy
from tenantvoice.accounts import services, sessions, throttle
from tenantvoice.accounts.forms import (
    ChangePasswordForm,
    DisableTwoFactorForm,
    EmptyForm,
    ForgotForm,
    LoginForm,
    ResetCodeForm,
    ResetPasswordForm,
    SettingsForm,
    TwoFactorForm,
    TwoFactorSetupForm,
    check_new_password,
)
from tenantvoice.extensions import db, limiter
from tenantvoice.outbox.delivery import queue_mail
from tenantvoice.web.redirects import safe_next
from tenantvoice.web.urls import external_url

logger = logging.getLogger(__name__)

bp = Blueprint("accounts", __name__)

#: Wrong codes (invitation, reset code) allowed per IP before 429 (ASVS 6.6.3).
WRONG_CODE_LIMIT = "5 per 15 minutes"
#: Server-side session key of a TOTP secret being set up (confirmed before it is stored).
PENDING_TOTP = "totp_pending"
#: Endpoints a staff member who has not passed the second factor may still reach.
SECOND_FACTOR_OPEN = {
    "accounts.two_factor",
    "accounts.two_factor_setup",
    "accounts.logout",
    "static",
    "home.set_language",
}


def wrong_code(response) -> bool:
    """Flask-Limiter deduct_when: count only the requests that gave a wrong code."""
    return bool(g.get("wrong_code"))


def has_errors(form) -> bool:
    return any(field.errors for field in form)


def _status() -> int:
    return 422 if request.method == "POST" else 200


def log_in(user) -> None:
    """A fresh server-side session (new id: no fixation) and Flask-Login's marker."""
    sessions.start(user)
    db.session.flush()
    login_user(user)


def _reset_code_notice(row) -> str:
    issuer = row.issued_by.name if row.issued_by is not None else _("your association")
    return _(
        "A reset code issued by %(name)s on %(date)s was used to change your password. "
        "If it was not you, ask your association for help right away.",
        name=issuer,
        date=format_date(row.created_at, "long"),
    )


def anonymous_only():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return None


# --- Log in / out ------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
# Keyed on the account named and the address: one meeting room's Wi-Fi (one address) is not one
# bucket for everyone; the per-address ceiling is loose for the same reason (issue 6).
@limiter.limit(
    "10 per minute; 50 per hour", methods=["POST"], key_func=throttle.account_and_address
)
@limiter.limit("100 per minute; 1000 per hour", methods=["POST"])
def login():
    """Log in with an email or phone number and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    valid = form.validate_on_submit()
    if valid and throttle.held_back(form.identifier.data):
        # Too many failures on this account, some from here: no password is checked from this
        # address for now. Another address (the owner's) is still answered.
        abort(429)
    if valid:
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is not None:
            log_in(user)
            notice = services.unacknowledged_reset_code(user)
            if notice is not None:
                flash(_reset_code_notice(notice), "warning")
                services.acknowledge_reset_codes(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        throttle.record_failure(form.identifier.data)
        error = _("That email or phone number and password do not match an account.")
    return render_template("accounts/login.html", form=form, error=error), _status()


@bp.post("/logout")
def logout():
    """End this session for good and empty what the phone kept."""
    if current_user.is_authenticated:
        # Without JavaScript the session's own subscriptions go; with it, app.js also sends
        # this browser's endpoint (and the service worker unsubscribes it).
        sessions.end_current(push_endpoint=request.form.get("push_endpoint", "", type=str))
        logout_user()
        db.session.commit()
    response = redirect(url_for("accounts.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


# --- Password reset by email link --------------------------------------------------------------


@bp.route("/forgot", methods=["GET", "POST"])
# Per account and address (A-01: the same email from elsewhere still works), and a looser
# ceiling per address so one shared Wi-Fi is not one bucket.
@limiter.limit(
    "5 per 15 minutes; 20 per day", methods=["POST"], key_func=throttle.account_and_address
)
@limiter.limit("50 per hour", methods=["POST"])
def forgot():
    """Ask for a reset link. The answer is the same whether or not an account matches."""
    if (redirect_home := anonymous_only()) is not None:
        return redirect_home
    form = ForgotForm()
    if request.method == "GET":
        return render_template(
            "accounts/forgot.html", form=form, sent=request.args.get("sent") == "1"
        )
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form, sent=False), 422
    user = services.find_by_identifier(form.identifier.data)
    if user is not None and user.email and user.active:
        token = services.create_reset_token(user)
        link = external_url("accounts.reset", token=token)
        with force_locale(user.locale or str(_current_locale())):
            subject = _("Choose a new password for TenantVoice")
            body = _(
                "Hello %(name)s,\n\nSomeone (probably you) asked to change your TenantVoice "
                "password. Open this link within one hour to choose a new one:\n\n%(link)s\n\n"
                "If you did not ask for it, ignore this message: your password stays the "
                "same.",
                name=user.name,
                link=link,
            )
        queue_mail(user.email, subject, body)  # same transaction as the token
        # The worker sends it: the answer never waits on the mail server, so it cannot tell
        # whether this account exists.
        db.session.commit()
    return redirect(url_for("accounts.forgot", sent=1))


def _current_locale():
    return get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset(token):
    """Choose a new password from a reset link. GET only shows the form; POST uses the token."""
    if (redirect_home := anonymous_only()) is not None:
        return redirect_home
    row = services.find_reset_token(token)
    if row is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = ResetPasswordForm()
    user = db.session.get_one(services.User, row.user_id)
    if (
        request.method == "POST"
        and form.validate_on_submit()
        and check_new_password(form, form.password, name=user.name, email=user.email or "")
    ):
        if not services.consume_reset_token(row):
            db.session.rollback()
            return render_template("accounts/reset_invalid.html"), 410
        services.set_password(user, form.password.data)
        sessions.end_all(user)
        log_in(user)
        db.session.commit()
        flash(_("Your password was changed. Every other device was logged out."), "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/reset.html", form=form, token=token), _status()


# --- Password reset with a code from the association ------------------------------------------


@bp.route("/reset-code", methods=["GET", "POST"])
@limiter.limit(WRONG_CODE_LIMIT, methods=["POST"], deduct_when=wrong_code)
def reset_with_code():
    """Email or phone + the code an officer handed over + a new password."""
    if (redirect_home := anonymous_only()) is not None:
        return redirect_home
    form = ResetCodeForm()
    if request.method == "POST" and form.validate_on_submit():
        # Nothing here depends on whether an account matches before the code is found to be
        # right: the password rule sees only what was typed (not the account's name), and the
        # code lookup runs the same statements either way (issue 6: no enumeration).
        identifier = form.identifier.data or ""
        typed_email = identifier if "@" in identifier else ""
        password_ok = check_new_password(form, form.password, email=typed_email)
        row = services.find_reset_code(identifier, form.code.data)
        if row is not None and not (
            password_ok
            and check_new_password(
                form, form.password, name=row.user.name, email=row.user.email or ""
            )
        ):
            db.session.rollback()  # a right code, a refused password: the code stays usable
        elif row is not None and services.consume_reset_code(row):
            services.set_password(row.user, form.password.data)
            sessions.end_all(row.user)
            log_in(row.user)
            db.session.commit()
            flash(_reset_code_notice(row), "warning")
            flash(_("Your password was changed. Every other device was logged out."), "success")
            return redirect(url_for("home.index"))
        else:
            g.wrong_code = True
            db.session.rollback()
            # Counted on the person's code (in the database, whatever the address), by the
            # same statements whether or not an account matches; one message for every case
            # (wrong, held back, unknown account), so it never tells whether an account exists.
            services.count_wrong_reset_code(identifier)
            db.session.commit()
            form.code.errors.append(
                ngettext(
                    "This code does not match that email or phone number, or it cannot be used "
                    "right now: after %(num)s wrong try, a code is held back for %(minutes)s "
                    "minutes or more. Check it and try again later, or ask your association "
                    "for a new code.",
                    "This code does not match that email or phone number, or it cannot be used "
                    "right now: after %(num)s wrong tries, a code is held back for %(minutes)s "
                    "minutes or more. Check it and try again later, or ask your association "
                    "for a new code.",
                    current_app.config["RESET_CODE_TRIES"],
                    minutes=int(current_app.config["RESET_CODE_LOCK"].total_seconds() // 60),
                )
            )
    return render_template("accounts/reset_code.html", form=form), _status()


# --- Second factor -----------------------------------------------------------------------------


@bp.before_app_request
def enforce_second_factor():
    """Until the second factor is passed, a user who needs one reaches only the 2FA pages."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in SECOND_FACTOR_OPEN or endpoint.startswith("pwa."):
        return None
    if not current_user.is_authenticated or not policy.needs_second_factor(current_user):
        return None
    if sessions.second_factor_passed():
        return None
    target = "accounts.two_factor" if current_user.has_totp else "accounts.two_factor_setup"
    nxt = request.full_path if request.method == "GET" else None
    return redirect(url_for(target, next=safe_next(nxt.rstrip("?")) if nxt else None))


def _after_second_factor():
    return redirect(safe_next(request.args.get("next")) or url_for("home.index"))


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
@limiter.limit(
    "10 per 15 minutes", methods=["POST"], key_func=lambda: f"2fa-{current_user.get_id()}"
)
def two_factor():
    """Enter the code of the authenticator app (or a recovery code) after the password."""
    if not current_user.has_totp:
        if policy.needs_second_factor(current_user):
            return redirect(url_for("accounts.two_factor_setup"))
        return redirect(url_for("home.index"))
    if sessions.second_factor_passed():
        return _after_second_factor()
    form = TwoFactorForm()
    if form.validate_on_submit():
        try:
            passed = services.check_second_factor(current_user, form.code.data)
        except services.TotpReplayError:
            db.session.rollback()
            form.code.errors.append(
                _("This code was already used. Wait for the next code in your app, then enter it.")
            )
        else:
            if passed:
                sessions.mark_second_factor()
                db.session.commit()
                return _after_second_factor()
            form.code.errors.append(
                _(
                    "This code is not right. Check the time on your phone, "
                    "or use one of your recovery codes."
                )
            )
    return render_template("accounts/two_factor.html", form=form), _status()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@login_required
@limiter.limit(
    "10 per 15 minutes", methods=["POST"], key_func=lambda: f"2fa-setup-{current_user.get_id()}"
)
def two_factor_setup():
    """Turn on the authenticator app: scan or type the key, confirm with a code, keep the
    recovery codes (shown once)."""
    if current_user.has_totp:
        return redirect(url_for("accounts.two_factor", next=request.args.get("next")))
    # Kept in the session's row (encrypted), never in the cookie, which its holder can read.
    secret = sessions.stashed(PENDING_TOTP)
    if not secret:
        secret = services.new_totp_secret()
        sessions.stash(PENDING_TOTP, secret)
        db.session.commit()
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        step = services.totp_step(secret, form.code.data)
        if step is not None:
            codes = services.enable_totp(current_user, secret, step)
            sessions.unstash(PENDING_TOTP)
            sessions.mark_second_factor()
            db.session.commit()
            return render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                next_url=safe_next(request.args.get("next")) or url_for("home.index"),
            )
        form.code.errors.append(
            _("This code is not right. Check the time on your phone and try the new code.")
        )
    qr = segno.make(services.totp_uri(current_user, secret), error="m")
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        required=policy.needs_second_factor(current_user),
        secret_grouped=_grouped(secret),
        qr_data_uri=qr.svg_data_uri(scale=5, border=2),
    ), _status()


# --- Account settings --------------------------------------------------------------------------


def _settings_page(settings_form=None, password_form=None, totp_form=None, status=200):
    user = current_user
    if settings_form is None:
        settings_form = SettingsForm(
            formdata=None,
            name=user.name,
            email=user.email or "",
            phone=user.phone or "",
            locale=user.locale or "",
        )
    current = sessions.current_row()
    devices = [
        {
            "id": row.id,
            "label": device_label(row.user_agent),
            "created_at": row.created_at,
            "last_seen_at": row.last_seen_at,
            "current": current is not None and row.id == current.id,
        }
        for row in sessions.list_for(user)
    ]
    return render_template(
        "accounts/settings.html",
        form=settings_form,
        password_form=password_form or ChangePasswordForm(formdata=None),
        sessions_form=EmptyForm(),
        devices=devices,
        other_sessions=sum(1 for d in devices if not d["current"]),
        totp_form=totp_form or DisableTwoFactorForm(formdata=None),
        can_turn_off_totp=policy.can_turn_off_second_factor(user),
        can_leave=policy.can_delete_own_account(user),
    ), status


def device_label(user_agent: str) -> str:
    """ "Firefox on Android", or what the user agent gives, for the "My devices" list."""
    browser, system = sessions.device_parts(user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser or system:
        return browser or system
    user_agent = (user_agent or "").strip()
    if user_agent:
        return user_agent if len(user_agent) <= 40 else user_agent[:39] + "…"
    return _("Unknown device")


@bp.route("/account", methods=["GET", "POST"])
@login_required
@limiter.limit(
    "10 per 15 minutes", methods=["POST"], key_func=lambda: f"account-{current_user.get_id()}"
)
def settings():
    """Name, email, phone and language; the password and other devices below."""
    user = current_user
    if request.method == "GET":
        form = SettingsForm(
            formdata=None,
            name=user.name,
            email=user.email or "",
            phone=user.phone or "",
            locale=user.locale or "",
        )
        return _settings_page(form)
    form = SettingsForm()
    if form.validate_on_submit():
        new_email = services.normalize_email(form.email.data or "") or None
        new_phone = services.normalize_phone(form.phone.data or "") or None
        # Whether an email or phone number belongs to another account is told only to someone
        # who gave this account's password (and the route is rate-limited): a stolen session
        # alone cannot test addresses one by one (issue 6).
        changing = new_email != user.email or new_phone != (user.phone or None)
        if changing and not services.check_password(user, form.current_password.data or ""):
            form.current_password.errors.append(
                _("Enter your current password to change your email or phone number.")
            )
        else:
            if new_email and services.email_taken(new_email, exclude=user):
                form.email.errors.append(_("This email is already used by another account."))
            if new_phone and services.phone_taken(new_phone, exclude=user):
                form.phone.errors.append(_("This phone number is already used by another account."))
        if not new_email and not new_phone:
            form.email.errors.append(_("Keep an email or a phone number: you use it to log in."))
        if not has_errors(form):
            user.name = form.name.data.strip()
            user.email = new_email
            user.phone = new_phone
            user.locale = form.locale.data or None
            if form.locale.data:
                session["locale"] = form.locale.data
            db.session.commit()
            flash(_("Your account was updated."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(form, status=422)


@bp.post("/account/password")
@login_required
@limiter.limit("10 per 15 minutes", key_func=lambda: f"pw-{current_user.get_id()}")
def change_password():
    """Current password + a new one; every other device is logged out."""
    user = current_user
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not services.check_password(user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        elif check_new_password(form, form.new_password, name=user.name, email=user.email or ""):
            services.set_password(user, form.new_password.data)
            sessions.end_all_others(user)
            db.session.commit()
            flash(_("Your password was changed. Your other devices were logged out."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(password_form=form, status=422)


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    """ "Log out everywhere else": every session of this user but this one ends."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    count = sessions.end_all_others(current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d other device was logged out.", "%(num)d other devices were logged out.", count
        ),
        "success",
    )
    return redirect(url_for("accounts.settings"))


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id):
    """ "My devices": end one of my sessions; its cookie stops working at once (S-07). Ending
    this device's own session logs out here. Someone else's session answers 404."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    current = sessions.current_row()
    is_current = current is not None and current.id == session_id
    if sessions.end_one(current_user, session_id) is None:
        abort(404)
    logger.info("user %s ended session %s", current_user.id, session_id)
    if is_current:
        sessions.end_current()
        logout_user()
        db.session.commit()
        response = redirect(url_for("accounts.login"))
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response
    db.session.commit()
    flash(_("That device was logged out."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/account/two-factor/disable")
@login_required
@limiter.limit("10 per 15 minutes", key_func=lambda: f"totp-off-{current_user.get_id()}")
def disable_two_factor():
    """Turn off the authenticator app with one's password. Tenants may; staff may not while
    REQUIRE_STAFF_2FA is on (403)."""
    if not current_user.has_totp:
        return redirect(url_for("accounts.settings"))
    policy.require(policy.can_turn_off_second_factor(current_user))
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        if services.check_password(current_user, form.current_password.data):
            services.disable_totp(current_user)
            db.session.commit()
            flash(
                _("Two-step verification is off. Your password alone now opens your account."),
                "success",
            )
            return redirect(url_for("accounts.settings"))
        form.current_password.errors.append(_("This is not your current password."))
    return _settings_page(totp_form=form, status=422)
