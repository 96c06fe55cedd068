"""Bodies: their page, member register, invitations."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tenantvoice import policy
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body

bp = Blueprint("orgs", __name__)


@bp.get("/bodies/<int:body_id>")
@login_required
def body(body_id: int):
    """Show a body's public page: name, sites, officers' roles, what it publishes."""
    body = db.get_or_404(Body, body_id)
    policy.require(policy.can_see_body(current_user, body), hide=True)
    return render_template("orgs/body.html", body=body,
                           is_officer=policy.can_manage_body(current_user, body))
