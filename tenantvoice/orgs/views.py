"""Bodies: their page, member register, rules, invitations and joining with one (/join), reset
codes, setting up a body."""

import logging
from datetime import datetime
from typing import Any

import segno
import sqlalchemy as sa
import sqlalchemy.orm as so
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
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import clock, policy
from tenantvoice.accounts import consents, sessions
from tenantvoice.accounts import services as account_services
from tenantvoice.accounts.codes import canonical_code
from tenantvoice.accounts.forms import InvitationCodeForm, JoinForm
from tenantvoice.accounts.views import (
    WRONG_CODE_LIMIT,
    anonymous_only,
    has_errors,
    log_in,
    wrong_code,
)
from tenantvoice.extensions import db, limiter
from tenantvoice.orgs import forms, invitations, labels, queries, seats, services
from tenantvoice.orgs.models import Body, Invitation, Member, Provider, Region, Site
from tenantvoice.outbox.delivery import queue_mail
from tenantvoice.submissions import FormSubmission
from tenantvoice.web import hooks, pagination
from tenantvoice.web.confirm import confirm_page
from tenantvoice.web.forms import StaleFormError, claim_form, renew_key, replay_response
from tenantvoice.web.htmx import render_htmx
from tenantvoice.web.i18n import of_name, render_per_language
from tenantvoice.web.ids import parse_id
from tenantvoice.web.loading import child_or_404
from tenantvoice.web.urls import external_url

logger = logging.getLogger(__name__)

bp = Blueprint("orgs", __name__)

#: Server-side session key (accounts.sessions.stash: encrypted in the session's row, never in
#: the cookie) holding the codes of the last invitation batch, until the next batch, "forget"
#: or logout. The invitations table keeps only their keyed digests.
SHEET_KEY = "invitation_sheet"
#: Beside it, what each recent batch was (how many codes, when; never the codes), kept after the
#: codes are gone: a batch form sent again then says its codes were made and where they are,
#: rather than "no codes" (invitation_sheet).
BATCHES_KEY = "invitation_batches"
#: How many batches that record remembers (a session makes a few at most).
BATCHES_KEPT = 20


@bp.app_context_processor
def org_labels():
    return {"org_labels": labels}


def _load_body_for_officers(body_id: int, predicate) -> Body:
    """The body, for its officers: 404 for whoever is not a member, 403 for other members."""
    body = db.get_or_404(Body, body_id)
    policy.require(policy.is_member(current_user, body), hide=True)
    policy.require(predicate(current_user, body))
    return body


def _member_of(body: Body, member_id: int) -> Member:
    return child_or_404(Member, member_id, parent="body_id", parent_id=body.id)


@bp.get("/bodies/<int:body_id>")
@login_required
def body(body_id: int):
    """Show a body's page: kind, provider, sites, recognition, officers (names and roles)."""
    # The provider and the sites the page shows come with the body (templates never load).
    body = db.get_or_404(
        Body, body_id, options=[so.joinedload(Body.provider), so.selectinload(Body.sites)]
    )
    policy.require(policy.can_see_body(current_user, body), hide=True)
    is_officer = policy.can_manage_body(current_user, body)
    officers = queries.officers(body)
    contacts = {}
    if policy.can_see_officer_contacts(current_user, body):
        by_id = {m.id: m for m in officers}
        contacts = {
            mid: c
            for mid, c in queries.officer_contacts(body).items()
            if mid in by_id and policy.shares_contact_with(by_id[mid])
        }
    my_entry = policy.member_entry(current_user, body)
    return render_template(
        "orgs/body.html",
        body=body,
        is_officer=is_officer,
        officers=officers,
        contacts=contacts,
        can_see_contacts=policy.can_see_officer_contacts(current_user, body),
        my_entry=my_entry if policy.can_share_own_contact(current_user, body) else None,
        can_record_recognition=policy.can_record_recognition(current_user, body),
        board_too_small=queries.board_too_small(body) if is_officer else False,
        panels=hooks.collect("body_panels", body=body, user=current_user),
    )


@bp.post("/bodies/<int:body_id>/my-contact-for-organizer")
@login_required
def organizer_consent(body_id: int):
    """An officer gives or withdraws, for themselves, consent that the organizer sees their
    contact (phone and email)."""
    body = db.get_or_404(Body, body_id)
    policy.require(policy.is_member(current_user, body), hide=True)
    policy.require(policy.can_share_own_contact(current_user, body))
    entry = policy.member_entry(current_user, body)
    share = request.form.get("share") == "1"
    # Reload the entry in this session (the policy's copy may come from another statement).
    member = db.session.get(Member, entry.id) if entry is not None else None
    if member is None:
        policy.deny()
    services.set_organizer_consent(current_user, member, share)
    db.session.commit()
    policy.core.forget_facts()
    flash(
        _("The organizer now sees your phone and email.")
        if share
        else _("The organizer no longer sees your phone and email."),
        "success",
    )
    return redirect(url_for("orgs.body", body_id=body.id) + "#body-officers")


# --- member register -----------------------------------------------------------------------


@bp.get("/bodies/<int:body_id>/members")
@login_required
def register(body_id: int):
    """List the register a page at a time, searchable by name or unit in the database (a GET
    form and page links; htmx swaps the rows as the officer types)."""
    body = _load_body_for_officers(body_id, policy.can_view_register)
    q = request.args.get("q", "")[:60]
    former = request.args.get("former") == "1"
    listing = queries.register(body, q, include_former=former, page=pagination.page_number())
    members = listing.items
    # Whether each linked person is staff, for the reset-code buttons: facts in bulk.
    with policy.facts_preloaded([m.user for m in members if m.linked_at is not None]):
        reset_allowed = {m.id for m in members if policy.can_issue_reset_code(current_user, m)}
    return render_htmx(
        "orgs/register.html",
        "orgs/_register_rows.html",
        body=body,
        members=members,
        listing=listing,
        pages=pagination.links(listing),
        q=q,
        former=former,
        reset_allowed=reset_allowed,
    )


def _member_form_data(form: forms.MemberForm) -> dict:
    return {name: getattr(form, name).data for name in services.MEMBER_FIELDS}


@bp.route("/bodies/<int:body_id>/members/new", methods=["GET", "POST"])
@login_required
def member_new(body_id: int):
    """Enter a person in the register."""
    body = _load_body_for_officers(body_id, policy.can_manage_register)
    form = forms.MemberForm(sites=body.sites, designators=_designators(body))
    if form.validate_on_submit():
        done = url_for("orgs.register", body_id=body.id)
        try:
            # The same form sent twice (double tap, retry) enters the person once.
            claim = claim_form(form.form_key.data, current_user)
            if claim.is_replay:
                db.session.rollback()
                return replay_response(claim, done)
            member = services.add_member(current_user, body, _member_form_data(form))
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
        except seats.SeatRefusedError as refused:
            db.session.rollback()  # the key too: the corrected form is sent with it again
            _show_refusal(form, refused)
        else:
            claim.done(done)
            db.session.commit()
            flash(_("%(name)s was added to the register.", name=member.name), "success")
            return redirect(done)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "orgs/member_form.html", body=body, form=form, member=None, is_ccr=seats.is_ccr(body)
    ), status


def _designators(body: Body) -> list[Body]:
    return seats.designating_bodies(body) if seats.is_ccr(body) else []


def _show_refusal(form: Any, refused: seats.SeatRefusedError) -> None:
    """A CCR seat rule refused the entry: each message next to its field (422)."""
    for name, message in refused.errors.items():
        target = getattr(form, name, None) or form.name
        target.errors = [*target.errors, str(message)]


@bp.route("/bodies/<int:body_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@login_required
def member_edit(body_id: int, member_id: int):
    """Change a register entry."""
    body = _load_body_for_officers(body_id, policy.can_manage_register)
    member = _member_of(body, member_id)
    form = forms.MemberForm(obj=member, sites=body.sites, designators=_designators(body))
    if request.method == "GET":
        form.role.data = member.role.value
        form.seat_source.data = member.seat_source.value
    if form.validate_on_submit():
        try:
            services.update_member(current_user, member, _member_form_data(form))
        except seats.SeatRefusedError as refused:
            db.session.rollback()
            _show_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("The register entry was saved."), "success")
            return redirect(url_for("orgs.register", body_id=body.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "orgs/member_form.html", body=body, form=form, member=member, is_ccr=seats.is_ccr(body)
    ), status


@bp.route("/bodies/<int:body_id>/members/<int:member_id>/end", methods=["GET", "POST"])
@login_required
def member_end(body_id: int, member_id: int):
    """End a membership today (the entry is kept so past minutes still name the person);
    GET asks first."""
    body = _load_body_for_officers(body_id, policy.can_manage_register)
    member = _member_of(body, member_id)
    if request.method == "GET":
        return confirm_page(
            _("End the membership of %(name)s?", name=of_name(member.name)),
            [
                _(
                    "From today, %(name)s is no longer convened to meetings and no longer votes.",
                    name=member.name,
                ),
                _("The entry stays in the register, so past minutes still name this person."),
            ],
            _("End membership"),
            url_for("orgs.register", body_id=body.id),
        )
    services.end_membership(current_user, member)
    db.session.commit()
    flash(_("%(name)s is no longer a member.", name=member.name), "success")
    return redirect(url_for("orgs.register", body_id=body.id))


@bp.post("/bodies/<int:body_id>/members/<int:member_id>/reset-code")
@login_required
def member_reset_code(body_id: int, member_id: int):
    """Issue a one-time reset code for a member with an account, to hand over in person."""
    body = _load_body_for_officers(body_id, policy.can_view_register)
    member = _member_of(body, member_id)
    user = member.user
    if user is None or not policy.can_issue_reset_code(current_user, member):
        policy.deny()
    code = account_services.issue_reset_code(current_user, user)
    db.session.commit()
    return render_template("orgs/reset_code.html", body=body, member=member, code=code)


# --- rules ---------------------------------------------------------------------------------


@bp.route("/bodies/<int:body_id>/rules", methods=["GET", "POST"])
@login_required
def rules(body_id: int):
    """Record the rules of the body's by-laws (notice, quorum, vote, minutes)."""
    body = _load_body_for_officers(body_id, policy.can_manage_body)
    form = forms.RulesForm(obj=body)
    if request.method == "GET":
        for name in ("quorum_mode", "quorum_base", "franchise", "minutes_audience"):
            getattr(form, name).data = getattr(body, name).value
    if form.validate_on_submit():
        services.update_rules(
            current_user, body, {name: getattr(form, name).data for name in services.RULE_FIELDS}
        )
        db.session.commit()
        flash(_("The rules were saved."), "success")
        return redirect(url_for("orgs.body", body_id=body.id))
    status = 422 if request.method == "POST" else 200
    return render_template("orgs/rules.html", body=body, form=form), status


@bp.route("/bodies/<int:body_id>/recognition", methods=["GET", "POST"])
@login_required
def recognition(body_id: int):
    """The housing office's direction records its recognition of an association and its end."""
    body = db.get_or_404(Body, body_id, options=[so.joinedload(Body.provider)])
    policy.require(policy.can_see_body(current_user, body), hide=True)
    policy.require(policy.can_record_recognition(current_user, body))
    form = forms.RecognitionForm(obj=body)
    if form.validate_on_submit():
        services.record_recognition(
            current_user,
            body,
            recognized_on=form.recognized_on.data,
            reference=form.recognition_reference.data or "",
            ended_on=form.recognition_ended_on.data,
        )
        db.session.commit()
        flash(_("The recognition status was saved."), "success")
        return redirect(url_for("orgs.body", body_id=body.id))
    status = 422 if form.is_submitted() else 200
    return render_template("orgs/recognition.html", body=body, form=form), status


# --- invitations ---------------------------------------------------------------------------


@bp.get("/bodies/<int:body_id>/invitations")
@login_required
def invitation_list(body_id: int):
    """List the body's invitations and their state (never their codes)."""
    body = _load_body_for_officers(body_id, policy.can_manage_invitations)
    return render_template(
        "orgs/invitations.html", body=body, invitations=queries.invitations(body)
    )


@bp.route("/bodies/<int:body_id>/invitations/new", methods=["GET", "POST"])
@login_required
def invitation_new(body_id: int):
    """Create one or many invitations at once, then show their printable sheet."""
    body = _load_body_for_officers(body_id, policy.can_manage_invitations)
    form = forms.InvitationBatchForm(
        members=queries.members_without_account(body), sites=body.sites
    )
    if request.method == "GET" and parse_id(request.args.get("member")):
        form.member_id.data = parse_id(request.args.get("member"))
    if form.validate_on_submit():
        member = _member_of(body, form.member_id.data) if form.member_id.data else None
        site = db.session.get(Site, form.site_id.data) if form.site_id.data else None
        items = []
        try:
            # A double tap or a retry makes one batch; it is answered with that batch's sheet
            # (the key is this person's only, and the sheet is kept in their own session).
            claim = claim_form(form.form_key.data, current_user)
            if claim.is_replay:
                db.session.rollback()
                return replay_response(claim, url_for("orgs.invitation_sheet", body_id=body.id))
            for _n in range(form.count.data):
                invitation, code = invitations.create_invitation(
                    current_user,
                    body,
                    member=member,
                    site=site,
                    unit=form.unit.data or "",
                    label=form.label.data or "",
                )
                items.append([invitation.id, code])
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
        except seats.SeatRefusedError as refused:
            db.session.rollback()
            _show_refusal(form, refused)
        else:
            batch = claim.row.id if claim.row is not None else None
            _remember_sheet(body, items, batch=batch)
            sheet = url_for("orgs.invitation_sheet", body_id=body.id, batch=batch)
            claim.done(sheet)
            db.session.commit()
            return redirect(sheet)
    status = 422 if request.method == "POST" else 200
    return render_template("orgs/invitation_new.html", body=body, form=form), status


def _remember_sheet(body: Body, items: list, batch: int | None = None) -> None:
    """Keep this batch's codes for the printable sheet (replaces any previous batch). `batch`
    (the batch form's claimed key, tenantvoice.submissions) names it in the sheet's address, so
    the same form sent again leads to this sheet, never to a later batch's."""
    sessions.stash(
        SHEET_KEY,
        {"user_id": current_user.id, "body_id": body.id, "batch": batch, "items": items},
    )
    if batch is not None:
        made = dict(sessions.stashed(BATCHES_KEY) or {})
        made[str(batch)] = {"body_id": body.id, "count": len(items), "at": clock.now().isoformat()}
        sessions.stash(BATCHES_KEY, dict(list(made.items())[-BATCHES_KEPT:]))


def _batch_made(body: Body, batch: str | None) -> dict | None:
    """When this person's batch `batch` of this body was made and how many codes it had, once
    its codes are no longer shown (a replayed form; None if it is not theirs or unknown). The
    time comes from the batch form's key (tenantvoice.submissions, kept two days), else from
    this session's record; the count from that record only (None from another session)."""
    batch_id = parse_id(batch)
    if batch_id is None:
        return None
    record = (sessions.stashed(BATCHES_KEY) or {}).get(str(batch_id))
    if record is not None and record.get("body_id") != body.id:
        record = None
    key = db.session.get(FormSubmission, batch_id)
    sheet = url_for("orgs.invitation_sheet", body_id=body.id, batch=batch_id)
    # The key names the person, the form and (by its result) the body: another officer's
    # batch number tells nothing.
    if key is not None and (key.user_id != current_user.id or key.result_url != sheet):
        key = None
    if key is not None:
        at = key.created_at
    elif record is not None:
        at = datetime.fromisoformat(record["at"])
    else:
        return None
    return {"count": record["count"] if record else None, "at": at}


def _sheet_items(body: Body, batch: str | None = None) -> list:
    sheet = sessions.stashed(SHEET_KEY)
    if not sheet or sheet.get("user_id") != current_user.id or sheet.get("body_id") != body.id:
        return []
    if batch is not None and str(sheet.get("batch")) != batch:
        return []  # that batch's codes are gone (a later batch, or "forget"): not shown again
    return sheet.get("items", [])


@bp.get("/bodies/<int:body_id>/invitations/sheet")
@login_required
def invitation_sheet(body_id: int):
    """The printable sheet of the last batch: one card per code, with a QR code."""
    body = db.get_or_404(Body, body_id)
    items = _sheet_items(body, request.args.get("batch"))
    made = None
    if not items:
        policy.require(policy.is_member(current_user, body), hide=True)
        policy.require(policy.can_manage_invitations(current_user, body))
        made = _batch_made(body, request.args.get("batch"))
    by_id = {
        inv.id: inv
        for inv in db.session.scalars(
            sa.select(Invitation).where(Invitation.id.in_([i for i, _c in items]))
        )
    }
    cards = []
    for invitation_id, code in items:
        invitation = by_id.get(invitation_id)
        if invitation is None or invitation.body_id != body.id:
            continue
        url = external_url("orgs.join", code=code)
        cards.append(
            {
                "invitation": invitation,
                "code": code,
                "url": url,
                "qr": segno.make(url, error="m").svg_data_uri(scale=4),
                # The card's instructions in both languages (with its expiry date), rendered
                # like the notice of meeting's columns.
                "instructions": render_per_language(
                    "orgs/_invitation_instructions.html",
                    ["fr_CA", "en"],
                    expires_at=invitation.expires_at,
                ),
            }
        )
    return render_template("orgs/invitation_sheet.html", body=body, cards=cards, made=made)


@bp.post("/bodies/<int:body_id>/invitations/sheet/forget")
@login_required
def invitation_sheet_forget(body_id: int):
    """Forget the codes of the last batch once they are printed."""
    body = db.get_or_404(Body, body_id)
    if _sheet_items(body):
        sessions.unstash(SHEET_KEY)
        db.session.commit()
    else:
        policy.require(policy.is_member(current_user, body), hide=True)
        policy.require(policy.can_manage_invitations(current_user, body))
    flash(_("The codes were removed from this screen."), "success")
    return redirect(url_for("orgs.body", body_id=body.id))


@bp.route("/bodies/<int:body_id>/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
@login_required
def invitation_revoke(body_id: int, invitation_id: int):
    """Cancel an unused invitation (a lost sheet); GET asks first."""
    body = _load_body_for_officers(body_id, policy.can_manage_invitations)
    invitation = child_or_404(Invitation, invitation_id, parent="body_id", parent_id=body.id)
    if request.method == "GET":
        return confirm_page(
            _("Cancel this invitation?"),
            [
                _(
                    "Its code stops working at once: nobody can join with it. "
                    "This cannot be undone."
                ),
            ],
            _("Cancel this invitation"),
            url_for("orgs.invitation_list", body_id=body.id),
        )
    invitations.revoke(current_user, invitation)
    db.session.commit()
    flash(_("The invitation was cancelled."), "success")
    return redirect(url_for("orgs.invitation_list", body_id=body.id))


# --- setting up a body (admin, or the region's OC) -----------------------------------------


def _setup_providers(user) -> list[Provider]:
    """Providers in which the user may set up a body."""
    stmt = (
        sa.select(Provider)
        .where(Provider.active, Provider.region_id.in_(sa.select(Region.id).where(Region.active)))
        .order_by(Provider.name)
    )
    scope = policy.setup_body_scope(user)
    if scope is not None:
        stmt = stmt.where(scope.providers_clause())
    return list(db.session.scalars(stmt))


def _mail_officer_invitation(email: str, body: Body, invitation: Invitation, code: str) -> None:
    """Send a first officer named by an email without an account their invitation code (in the
    same transaction as the invitation; the worker sends it). The code is in the text, never in
    the link: links end up in access logs."""
    with force_locale(str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])):
        subject = _("Invitation to join %(body)s on TenantVoice", body=body.name)
        text = _(
            "Hello %(name)s,\n\n%(actor)s named you one of the first officers of %(body)s on "
            "TenantVoice, the app of its tenants' association or committee. To accept, sign up "
            "before %(date)s with this invitation code:\n\n%(code)s\n\n%(link)s\n\n"
            "If you do not know this association or committee, ignore this message.",
            name=invitation.label,
            actor=current_user.name,
            body=body.name,
            date=format_date(invitation.expires_at, "long"),
            code=code,
            link=external_url("orgs.join"),
        )
    queue_mail(email, subject, text)


@bp.route("/bodies/new", methods=["GET", "POST"])
@login_required
def setup_body():
    """Set up a new body and name its first officers (platform admin or the region's OC)."""
    providers = _setup_providers(current_user)
    policy.require(
        bool(providers) and any(policy.can_setup_body(current_user, p) for p in providers)
    )
    provider_ids = [p.id for p in providers]
    sites = list(
        db.session.scalars(
            sa.select(Site)
            .where(Site.provider_id.in_(provider_ids), Site.active)
            .options(so.selectinload(Site.provider))
            .order_by(Site.name)
        )
    )
    form = forms.SetupBodyForm(providers=providers, sites=sites)
    if request.method == "GET" and parse_id(request.args.get("provider")):
        form.provider_id.data = parse_id(request.args.get("provider"))
    if form.validate_on_submit():
        provider = next(p for p in providers if p.id == form.provider_id.data)
        policy.require(policy.can_setup_body(current_user, provider))
        chosen = [s for s in sites if s.id in form.site_ids.data]
        body = services.create_body(
            current_user,
            provider,
            form.kind.data,
            form.name.data,
            chosen,
            recognized_on=form.recognized_on.data,
            minutes_shared_with_organizer=form.minutes_shared_with_organizer.data,
        )
        items = []
        by_email = False
        for entry in form.officers:
            email = entry.form.email.data
            name = entry.form.name.data
            if not name:
                continue  # the form asks for a name whenever an email is given
            # An email with an account gets an invitation in the app; one without gets an
            # invitation code by email. Staff see the same answer either way (issue 6: the
            # form must not tell whether someone has an account).
            user = services.user_by_email(email) if email else None
            try:
                member = services.name_officer(
                    current_user, body, entry.form.role.data, user=user, name=name
                )
            except seats.SeatRefusedError as refused:
                db.session.rollback()
                entry.form.email.errors.extend(str(m) for m in refused.errors.values())
                return render_template("orgs/setup_body.html", form=form), 422
            if email:
                by_email = True
                if user is None:
                    invitation, code = invitations.create_invitation(
                        current_user, body, member=member, label=member.name
                    )
                    _mail_officer_invitation(email, body, invitation, code)
            else:
                invitation, code = invitations.create_invitation(
                    current_user, body, member=member, label=member.name
                )
                items.append([invitation.id, code])
        if items:
            _remember_sheet(body, items)
        db.session.commit()
        flash(_("%(name)s was set up.", name=body.name), "success")
        if by_email:
            flash(
                _(
                    "The people named with an email were invited: in the app if they already "
                    "use it, otherwise by email with a code to sign up. Each one becomes an "
                    "officer when they accept."
                ),
                "info",
            )
        if items:
            return redirect(url_for("orgs.invitation_sheet", body_id=body.id))
        return redirect(url_for("orgs.body", body_id=body.id))
    status = 422 if request.method == "POST" else 200
    return render_template("orgs/setup_body.html", form=form), status


# --- Sign up with an invitation code -----------------------------------------------------------


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(WRONG_CODE_LIMIT, methods=["POST"], deduct_when=wrong_code)
def join():
    """Step 1: the invitation code. Step 2 (behind a valid code): name, contact, password."""
    if (redirect_home := anonymous_only()) is not None:
        return redirect_home
    if request.method == "GET":
        form = InvitationCodeForm(formdata=None, code=canonical_code(request.args.get("code", "")))
        return render_template("orgs/join_code.html", form=form)

    code_form = InvitationCodeForm()
    if not code_form.validate_on_submit():
        return render_template("orgs/join_code.html", form=code_form), 422
    invitation = invitations.find_usable(code_form.code.data)
    if invitation is None:
        g.wrong_code = True
        logger.info("sign-up refused: unusable invitation code")
        code_form.code.errors.append(
            _(
                "This code is not valid: it may be mistyped, already "
                "used, expired or cancelled. Check it or ask your "
                "association for a new one."
            )
        )
        return render_template("orgs/join_code.html", form=code_form), 422
    body_name = invitation.body.name
    code = canonical_code(code_form.code.data)

    if request.form.get("step") != "details":
        form = JoinForm(formdata=None, code=code, step="details")
        if invitation.member is not None:
            form.name.data = invitation.member.name
        return render_template("orgs/join.html", form=form, body_name=body_name)

    form = JoinForm()
    form.code.data = code
    taken = {}
    if form.validate():
        if form.email.data and account_services.email_taken(form.email.data):
            form.email.errors.append(_("This email is already used by an account."))
            taken["email"] = True
        if form.phone.data and account_services.phone_taken(form.phone.data):
            form.phone.errors.append(_("This phone number is already used by an account."))
            taken["phone"] = True
    if has_errors(form):
        return render_template("orgs/join.html", form=form, body_name=body_name, taken=taken), 422

    user = account_services.create_user(
        name=form.name.data,
        email=form.email.data or "",
        phone=form.phone.data or "",
        password=form.password.data,
        locale=session.get("locale"),
    )
    try:
        member = invitations.redeem(invitation, user)
    except invitations.InvitationUnusable:
        db.session.rollback()
        form.code.errors.append(_("This code was just used. Ask your association for a new one."))
        return render_template("orgs/join_code.html", form=form), 422
    except seats.SeatRefusedError as refused:
        db.session.rollback()
        form.code.errors.extend(str(message) for message in refused.errors.values())
        return render_template("orgs/join_code.html", form=form), 422
    on_paper = bool(member.consent_contact)  # what the entry's paper form said, if any
    member.consent_contact = bool(form.consent_contact.data)
    if member.consent_contact:
        member.consent_recorded_at = clock.now()
        consents.record(user, consents.CONTACT_BY_BODY, True, body_id=member.body_id)
    elif on_paper:
        # Unticked when joining: the paper consent (now in the person's log) is withdrawn.
        member.consent_recorded_at = None
        consents.record(user, consents.CONTACT_BY_BODY, False, body_id=member.body_id)
    log_in(user)
    db.session.commit()
    flash(
        _(
            "Welcome, %(name)s! You are now a member of %(body)s.",
            name=user.name,
            body=of_name(body_name, "body"),
        ),
        "success",
    )
    return redirect(url_for("home.index"))


# --- invitations addressed to my account (accept or decline) -------------------------------


def _my_invitation(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    policy.require(policy.can_answer_invitation(current_user, invitation), hide=True)
    return invitation


@bp.get("/invitations")
@login_required
def my_invitations():
    """Invitations to join a body addressed to my account: nobody links it for me."""
    return render_template("orgs/my_invitations.html", offers=invitations.offers_for(current_user))


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def invitation_accept(invitation_id: int):
    """Take the register entry I was invited to (and its role)."""
    invitation = _my_invitation(invitation_id)
    body_name = invitation.body.name
    try:
        invitations.redeem(invitation, current_user)
    except invitations.InvitationUnusable:
        db.session.rollback()
        flash(_("This invitation is no longer valid."), "warning")
        return redirect(url_for("orgs.my_invitations"))
    except seats.SeatRefusedError as refused:
        db.session.rollback()
        for message in refused.errors.values():
            flash(str(message), "warning")
        return redirect(url_for("orgs.my_invitations"))
    db.session.commit()
    flash(_("You are now a member of %(body)s.", body=of_name(body_name, "body")), "success")
    return redirect(url_for("orgs.body", body_id=invitation.body_id))


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def invitation_decline(invitation_id: int):
    """Say no: my account stays out of that body."""
    invitation = _my_invitation(invitation_id)
    try:
        invitations.decline(current_user, invitation)
    except invitations.InvitationUnusable:
        db.session.rollback()
        flash(_("This invitation is no longer valid."), "warning")
        return redirect(url_for("orgs.my_invitations"))
    db.session.commit()
    flash(_("You declined the invitation."), "success")
    return redirect(url_for("orgs.my_invitations"))
