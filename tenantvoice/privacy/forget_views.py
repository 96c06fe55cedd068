"""Leave and be forgotten: the person deletes their own account from /account (issue 15).

The page says, in plain words, what goes and what stays and why; the person gives their password
and ticks that they understand. One transaction; a second submit (double tap) finds no session
and lands on the login page.
"""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from tenantvoice import policy
from tenantvoice.accounts import services as accounts
from tenantvoice.extensions import db, limiter
from tenantvoice.privacy import forget
from tenantvoice.web.forms import AppForm

bp = Blueprint("leaving", __name__)


class DeleteAccountForm(AppForm):
    current_password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that my account is deleted for good."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(
    "10 per 15 minutes", methods=["POST"], key_func=lambda: f"forget-{current_user.get_id()}"
)
def delete_account():
    policy.require(policy.can_delete_own_account(current_user))
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if accounts.check_password(current_user, form.current_password.data or ""):
            user = current_user._get_current_object()
            logout_user()
            forget.forget(user)
            db.session.commit()
            session.clear()
            flash(_("Your account was deleted. Thank you for taking part."), "success")
            response = redirect(url_for("accounts.login"))
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
            return response
        form.current_password.errors.append(_("This password is not right."))
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/leave.html", form=form), status
