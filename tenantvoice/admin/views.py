"""Platform administration pages: regions, providers, sites, bodies, staff, accounts (platform
admin)."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import policy
from tenantvoice.accounts.forms import EmptyForm
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.admin import forms, mail_folder, queries
from tenantvoice.admin import services as account_services
from tenantvoice.extensions import db
from tenantvoice.orgs import services
from tenantvoice.orgs.models import Body, Provider, Region, Site, StaffAssignment
from tenantvoice.outbox.delivery import queue_mail
from tenantvoice.web import pagination
from tenantvoice.web.confirm import confirm_page
from tenantvoice.web.forms import StaleFormError, claim_form, renew_key, replay_response
from tenantvoice.web.htmx import render_htmx
from tenantvoice.web.i18n import of_name

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    """Every page here is for the platform admin only."""
    policy.require(policy.can_admin_platform(current_user))


def _regions():
    return list(db.session.scalars(sa.select(Region).order_by(Region.name)))


def _providers():
    return list(
        db.session.scalars(
            sa.select(Provider).options(so.selectinload(Provider.region)).order_by(Provider.name)
        )
    )


def _done(message: str, endpoint: str, claim: Any = None):
    url = url_for(endpoint)
    if claim is not None:
        claim.done(url)
    db.session.commit()
    flash(message, "success")
    return redirect(url)


def _claim(form: Any) -> Any:
    """Claim a create form's key (tenantvoice.submissions) before anything is written: the
    same form sent twice (double tap, retry) creates once, and the second is answered with
    the first's result. None for a stale or foreign key: the form comes back (422) with a
    fresh key and STALE_FORM next to it, nothing stored."""
    try:
        claim = claim_form(form.form_key.data, current_user)
    except StaleFormError:
        db.session.rollback()
        renew_key(form)
        return None
    if claim.is_replay:
        db.session.rollback()
    return claim


@bp.get("/")
def index():
    """Show what the installation holds and where to manage it."""
    counts = {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for name, model in (
            ("regions", Region),
            ("providers", Provider),
            ("sites", Site),
            ("bodies", Body),
            ("staff", StaffAssignment),
            ("users", User),
        )
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/regions", methods=["GET", "POST"])
def regions():
    """List and create regions."""
    form = forms.RegionForm()
    if form.validate_on_submit() and (claim := _claim(form)):
        if claim.is_replay:
            return replay_response(claim, url_for("admin.regions"))
        try:
            services.create_region(current_user, form.name.data)
        except services.SetupError:
            db.session.rollback()
            form.name.errors.append(_("This region already exists."))
        else:
            return _done(_("The region was created."), "admin.regions", claim)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/regions.html", form=form, regions=_regions()), status


@bp.route("/providers", methods=["GET", "POST"])
def providers():
    """List and create housing providers."""
    regions = [r for r in _regions() if r.active]
    form = forms.ProviderForm(regions=regions)
    if form.validate_on_submit() and (claim := _claim(form)):
        if claim.is_replay:
            return replay_response(claim, url_for("admin.providers"))
        region = db.get_or_404(Region, form.region_id.data)
        try:
            services.create_provider(current_user, region, form.kind.data, form.name.data)
        except services.SetupError:
            db.session.rollback()
            form.name.errors.append(_("This housing provider already exists in the region."))
        else:
            return _done(_("The housing provider was created."), "admin.providers", claim)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/providers.html", form=form, providers=_providers()), status


@bp.route("/sites", methods=["GET", "POST"])
def sites():
    """List and create sites (buildings, housing complexes)."""
    providers = [p for p in _providers() if p.active and p.region.active]
    form = forms.SiteForm(providers=providers)
    if form.validate_on_submit() and (claim := _claim(form)):
        if claim.is_replay:
            return replay_response(claim, url_for("admin.sites"))
        provider = db.get_or_404(Provider, form.provider_id.data)
        services.create_site(
            current_user,
            provider,
            form.name.data,
            form.address.data,
            form.units_count.data,
            form.program.data or "HLM",
        )
        return _done(_("The building was created."), "admin.sites", claim)
    rows = list(
        db.session.scalars(
            sa.select(Site).options(so.selectinload(Site.provider)).order_by(Site.name)
        )
    )
    status = 422 if request.method == "POST" else 200
    return render_template("admin/sites.html", form=form, sites=rows), status


# --- editing regions, providers, buildings and bodies ----------------------------------------

#: kind → (model, list endpoint, form builder)
_EDIT = {
    "region": (Region, "admin.regions", forms.region_edit_form),
    "provider": (Provider, "admin.providers", forms.provider_edit_form),
    "site": (Site, "admin.sites", forms.site_edit_form),
    "body": (Body, "admin.bodies", forms.body_edit_form),
}


def _edit(kind: str, record_id: int):
    model, back, build = _EDIT[kind]
    record = db.get_or_404(model, record_id)
    policy.require(policy.can_admin_platform(current_user))
    form: Any = build(record)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in services.EDITABLE[kind]}
        try:
            services.update_record(current_user, kind, record, data)
        except services.SetupError:
            db.session.rollback()
            form.name.errors.append(_("This name is already taken."))
        else:
            return _done(_("The changes were saved."), back)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/edit.html", form=form, record=record, kind=kind, back=back
    ), status


#: What the admin may retire (a body is never retired by the platform: it belongs to its
#: members, domain-rules A4).
_RETIRABLE: dict[str, Any] = {"regions": Region, "providers": Provider, "sites": Site}


@bp.post("/<any(regions, providers, sites):kind>/<int:record_id>/active")
def set_active(kind: str, record_id: int):
    """Retire a region, provider or building (kept, no longer offered for new setups), or bring
    it back."""
    record: Any = db.get_or_404(_RETIRABLE[kind], record_id)
    policy.require(policy.can_admin_platform(current_user))
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.set_active(current_user, kind.rstrip("s"), record, request.form.get("active") == "1")
    message = (
        _("%(name)s is offered again.", name=record.name)
        if record.active
        else _("%(name)s is retired: kept, no longer offered for new setups.", name=record.name)
    )
    return _done(message, f"admin.{kind}")


@bp.route("/regions/<int:record_id>/edit", methods=["GET", "POST"])
def region_edit(record_id: int):
    """Rename a region."""
    return _edit("region", record_id)


@bp.route("/providers/<int:record_id>/edit", methods=["GET", "POST"])
def provider_edit(record_id: int):
    """Correct a housing provider's name or kind (never its region)."""
    return _edit("provider", record_id)


@bp.route("/sites/<int:record_id>/edit", methods=["GET", "POST"])
def site_edit(record_id: int):
    """Correct a building's name, address, units or program (never its provider)."""
    return _edit("site", record_id)


@bp.route("/bodies/<int:record_id>/edit", methods=["GET", "POST"])
def body_edit(record_id: int):
    """Correct a body's name or recognition date (never its buildings, members or rules)."""
    return _edit("body", record_id)


@bp.get("/bodies")
def bodies():
    """List the bodies; new ones are set up on the shared set-up page."""
    rows = list(
        db.session.scalars(
            sa.select(Body)
            .options(so.selectinload(Body.provider), so.selectinload(Body.sites))
            .order_by(Body.name)
        )
    )
    return render_template("admin/bodies.html", bodies=rows)


@bp.route("/staff", methods=["GET", "POST"])
def staff():
    """List staff assignments and give a person a role with its scope."""
    regions = [r for r in _regions() if r.active]
    providers = [p for p in _providers() if p.active and p.region.active]
    form = forms.StaffForm(regions=regions, providers=providers)
    if form.validate_on_submit() and (claim := _claim(form)):
        if claim.is_replay:
            return replay_response(claim, url_for("admin.staff"))
        user = services.user_by_email(form.email.data)
        if user is None:
            db.session.rollback()
            form.email.errors.append(_("No account has this email address."))
        else:
            try:
                services.assign_staff(
                    current_user,
                    user,
                    form.role.data,
                    region=db.session.get(Region, form.region_id.data)
                    if form.region_id.data
                    else None,
                    provider=db.session.get(Provider, form.provider_id.data)
                    if form.provider_id.data
                    else None,
                    employer=form.employer.data or "",
                )
            except services.SeatedInOfficeError:
                # Never office staff inside a tenants' body (policy.can_sit_in): the admin is
                # told which way out there is, never which body nor what seat.
                db.session.rollback()  # the form's key too: the same form may be sent again
                form.email.errors.append(
                    _(
                        "This person sits in an association or committee of this housing "
                        "office (or its CCR), and the office's staff cannot. Give the role once "
                        "they have left it: its officers end their membership."
                    )
                )
            else:
                return _done(_("The role was given."), "admin.staff", claim)
    rows = list(
        db.session.scalars(
            sa.select(StaffAssignment)
            .options(
                so.selectinload(StaffAssignment.user),
                so.selectinload(StaffAssignment.region),
                so.selectinload(StaffAssignment.provider),
            )
            .order_by(StaffAssignment.id)
        )
    )
    status = 422 if request.method == "POST" else 200
    coordinator_ids = {a.id for a in rows if policy.can_grant_coordinator(current_user, a)}
    # Office staff seated in their office's bodies from before the rule: the admin may withdraw
    # the role; their seats are never ended from here.
    seated_ids = queries.seated_office_staff()
    return render_template(
        "admin/staff.html",
        form=form,
        assignments=rows,
        seated=[a for a in rows if a.id in seated_ids],
        coordinator_ids=coordinator_ids,
        coordinator_form=EmptyForm(),
    ), status


def _assignment(assignment_id: int) -> tuple[StaffAssignment, int]:
    assignment = db.get_or_404(
        StaffAssignment,
        assignment_id,
        options=[
            so.joinedload(StaffAssignment.user),
            so.joinedload(StaffAssignment.region),
            so.joinedload(StaffAssignment.provider),
        ],
    )
    admins_left = (
        db.session.scalar(
            sa.select(sa.func.count(StaffAssignment.id)).where(
                StaffAssignment.role == StaffRole.ADMIN, StaffAssignment.id != assignment.id
            )
        )
        or 0
    )
    policy.require(policy.can_remove_staff_role(current_user, assignment, admins_left))
    return assignment, admins_left


@bp.route("/staff/<int:assignment_id>/remove", methods=["GET", "POST"])
def staff_remove(assignment_id: int):
    """Take a staff role away, after a confirmation page (works without JavaScript)."""
    assignment, _left = _assignment(assignment_id)
    form = EmptyForm()
    if form.validate_on_submit():
        name = assignment.user.name
        services.remove_staff(current_user, assignment)
        return _done(_("The role of %(name)s was removed.", name=of_name(name)), "admin.staff")
    return render_template("admin/staff_remove.html", assignment=assignment, form=form)


@bp.post("/staff/<int:assignment_id>/coordinator")
def staff_coordinator(assignment_id: int):
    """Make a regional ISC or OC the coordinator of the region's logbook, or no longer
    (issue 14: only an admin grants it; audited)."""
    assignment = db.get_or_404(StaffAssignment, assignment_id)
    policy.require(policy.can_grant_coordinator(current_user, assignment))
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    grant = request.form.get("coordinator") == "1"
    services.set_coordinator(current_user, assignment, grant)
    message = (
        _("The person now coordinates the region's logbook.")
        if grant
        else _("The person no longer coordinates the region's logbook.")
    )
    return _done(message, "admin.staff")


# --- Accounts (S-04, S-07): find a person, end their sessions, disable or re-enable -----------


def _users_page(args) -> str:
    """The list as the admin left it (search, role filter, page), after an action."""
    kept = {
        "q": args.get("q", "")[:80],
        "role": args.get("role", "") if args.get("role", "") in queries.ROLE_FILTERS else "",
        "page": pagination.page_number(args),
    }
    if kept["page"] == 1:
        del kept["page"]
    return url_for("admin.users", **{k: v for k, v in kept.items() if v})


@bp.get("/users")
def users():
    """Find accounts by name, email or phone (accents and case ignored) and by staff role, a
    page at a time (filtered, counted and cut by the database): contact, staff roles, active or
    not, live sessions. Never register data (units, buildings)."""
    q = request.args.get("q", "")[:80]
    role = request.args.get("role", "")
    role = role if role in queries.ROLE_FILTERS else ""
    listing = queries.users(q, role, pagination.page_number())
    return render_htmx(
        "admin/users.html",
        "admin/_user_rows.html",
        rows=listing.items,
        listing=listing,
        pages=pagination.links(listing),
        q=q,
        role=role,
        role_filters=queries.ROLE_FILTERS,
        form=EmptyForm(),
        me=current_user.id,
    )


def _target(user_id: int) -> User:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _back():
    return redirect(_users_page(request.form))


@bp.post("/users/<int:user_id>/sessions/end")
def user_end_sessions(user_id):
    """End every session of the account: each of its cookies stops working at once (S-07)."""
    user = _target(user_id)
    policy.require(policy.can_end_sessions_of(current_user, user))
    count = account_services.end_sessions(current_user, user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d session of %(name)s was ended.",
            "%(num)d sessions of %(name)s were ended.",
            count,
            name=of_name(user.name),
        ),
        "success",
    )
    return _back()


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
def user_disable(user_id):
    """Disable the account: it can no longer log in and its sessions end at once (S-04).
    GET asks first (the list's search and page carry on to the POST)."""
    if request.method == "GET":
        user = db.get_or_404(User, user_id)
        policy.require(policy.can_disable_account(current_user, user))
        return confirm_page(
            _("Disable the account of %(name)s?", name=of_name(user.name)),
            [
                _(
                    "%(name)s is logged out everywhere at once and can no longer log in.",
                    name=user.name,
                ),
                _("Nothing is deleted: you can enable the account again."),
            ],
            _("Disable account"),
            _users_page(request.args),
            keep=("q", "role", "page"),
        )
    user = _target(user_id)
    policy.require(policy.can_disable_account(current_user, user))
    account_services.disable(current_user, user)
    db.session.commit()
    flash(
        _("The account of %(name)s is disabled: it can no longer log in.", name=of_name(user.name)),
        "success",
    )
    return _back()


@bp.post("/users/<int:user_id>/enable")
def user_enable(user_id):
    """Re-enable a disabled account: the person logs in again with their password."""
    user = _target(user_id)
    policy.require(policy.can_disable_account(current_user, user))
    account_services.enable(current_user, user)
    db.session.commit()
    flash(_("The account of %(name)s is enabled again.", name=of_name(user.name)), "success")
    return _back()


# --- audit and outbox health -------------------------------------------------------------------


@bp.get("/audit")
def audit():
    """The audit trail, a page at a time: when, what kind, the actor's role, the object. Never
    an actor's name or an event's detail (domain-rules 5.2 gives the admin no attendance)."""
    policy.require(policy.can_read_audit_summary(current_user))
    listing = queries.audit_events(pagination.page_number())
    return render_template("admin/audit.html", listing=listing, pages=pagination.links(listing))


@bp.get("/outbox")
def outbox():
    """Mail and push delivery health: counts by channel and state, the oldest waiting message."""
    policy.require(policy.can_see_outbox_health(current_user))
    return render_template("admin/outbox.html", health=queries.outbox_health())


@bp.route("/users/<int:user_id>/second-factor/reset", methods=["GET", "POST"])
def user_reset_second_factor(user_id: int):
    """A staff member lost their authenticator and recovery codes: after checking who asks,
    the admin turns the second factor off; the person enrols again at their next login and is
    told by email."""
    user = db.get_or_404(User, user_id)
    policy.require(policy.can_reset_second_factor(current_user, user))
    form = forms.SecondFactorResetForm()
    if form.validate_on_submit():
        account_services.reset_second_factor(current_user, user)
        if user.email:
            with force_locale(user.locale or str(get_locale())):
                subject = _("Your TenantVoice second factor was reset")
                body = _(
                    "Hello %(name)s,\n\nThe platform administrator turned off your "
                    "TenantVoice second factor, as you asked, and ended your sessions. At your "
                    "next login, set up your authenticator app again.\n\nIf you did not ask "
                    "for this, tell the administrator at once.",
                    name=user.name,
                )
            queue_mail(user.email, subject, body)
        db.session.commit()
        flash(
            _(
                "The second factor of %(name)s was reset: they set it up again at their next "
                "login.",
                name=user.name,
            ),
            "success",
        )
        return redirect(url_for("admin.users", q=user.email or user.name))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/second_factor_reset.html", user=user, form=form), status


# --- the development mail folder ---------------------------------------------------------------


@bp.get("/mail")
def mail():
    """The messages the "file" mail backend kept (development and demo: nothing leaves)."""
    policy.require(policy.can_read_mail_folder(current_user))
    return render_template(
        "admin/mail.html",
        backend=current_app.config.get("MAIL_BACKEND"),
        messages=mail_folder.list_messages(),
    )


@bp.get("/mail/<name>")
def mail_message(name):
    """One kept message: its headers and plain text."""
    policy.require(policy.can_read_mail_folder(current_user))
    message = mail_folder.read_message(name)
    if message is None:
        abort(404)
    return render_template("admin/mail_message.html", message=message)
