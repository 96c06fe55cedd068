"""Log in and out (sign-up, resets and the second factor build on these)."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tenantvoice.accounts import services, sessions
from tenantvoice.accounts.forms import LoginForm
from tenantvoice.extensions import db, limiter
from tenantvoice.web.redirects import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    """Log in with an email or phone number and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is not None:
            sessions.start(user)
            db.session.flush()
            login_user(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        error = _("That email or phone number and password do not match an account.")
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """End this session for good and empty what the phone kept."""
    if current_user.is_authenticated:
        sessions.end_current()
        logout_user()
        db.session.commit()
    response = redirect(url_for("accounts.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
