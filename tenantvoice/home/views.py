"""Home (per role), language switch and help (the privacy page is the privacy domain's)."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from tenantvoice.extensions import db
from tenantvoice.home import queries
from tenantvoice.web import hooks, pagination
from tenantvoice.web.headers import offline_readable
from tenantvoice.web.ids import parse_id
from tenantvoice.web.redirects import safe_next

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Show the person what concerns them: their bodies, what is next, what to do."""
    offline_readable()
    context = queries.home_context(current_user)
    if context["support_providers"]:
        context.update(_support_list(context["support_providers"]))
    panels = hooks.collect("home_panels", user=current_user)
    return render_template("home/index.html", panels=panels, **context)


def _support_list(providers) -> dict:
    """An organizer's bodies, a page at a time, filtered by name and provider (GET form)."""
    q = request.args.get("q", "")[:80]
    provider_id = parse_id(request.args.get("provider"))
    listing = queries.support_bodies(providers, q, provider_id, pagination.page_number())
    chosen = [p for p in providers if p.id == provider_id] or providers
    return {
        # The alerts follow the provider filter: "this office's associations".
        "support_alerts": queries.support_alerts(chosen),
        "support": listing,
        "support_pages": pagination.links(listing),
        "support_q": q,
        "support_provider": provider_id,
    }


@bp.post("/language")
def set_language():
    """Switch the language (saved on the account when logged in)."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))


@bp.get("/help")
def help():  # noqa: A001 - the page is called help
    """How to use TenantVoice, and who to ask."""
    return render_template("home/help.html")
