"""Meeting pages: scheduling, notice, agenda, RSVP, proposals, calendar, printed notice."""

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import policy
from tenantvoice.extensions import db
from tenantvoice.meetings import forms, ical, labels, queries, services
from tenantvoice.meetings.models import (
    AgendaItem,
    AgendaProposal,
    Meeting,
    MeetingStatus,
    RsvpAnswer,
)
from tenantvoice.orgs.models import Body
from tenantvoice.web import hooks, pagination
from tenantvoice.web.confirm import confirm_page
from tenantvoice.web.forms import StaleFormError, claim_form, renew_key, replay_response
from tenantvoice.web.headers import offline_readable
from tenantvoice.web.htmx import render_htmx, wants_partial
from tenantvoice.web.i18n import render_per_language
from tenantvoice.web.loading import child_or_404
from tenantvoice.web.urls import external_url

bp = Blueprint("meetings", __name__)

NOTICE_LANGUAGES = {"fr": "fr_CA", "en": "en"}


@bp.app_context_processor
def meeting_helpers():
    return {"meeting_labels": labels}


# --- loading ---------------------------------------------------------------------------------


def _meeting(meeting_id: int, *, manage: bool = False, agenda: bool = False) -> Meeting:
    """The meeting for who may see it (others: 404); `manage`: its officers (others: 403);
    `agenda`: its agenda items read in the same statement (the meeting page shows them)."""
    meeting = queries.meeting_by_id(meeting_id, agenda=agenda)
    if meeting is None:
        abort(404)
    policy.require(policy.can_see_meeting(current_user, meeting), hide=True)
    if manage:
        policy.require(policy.can_manage_meeting(current_user, meeting))
    return meeting


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return child_or_404(AgendaItem, item_id, parent="meeting_id", parent_id=meeting.id)


def _proposal(meeting: Meeting, proposal_id: int) -> AgendaProposal:
    return child_or_404(AgendaProposal, proposal_id, parent="meeting_id", parent_id=meeting.id)


def _back_to(meeting: Meeting, anchor: str = ""):
    return redirect(
        url_for("meetings.show", meeting_id=meeting.id) + (f"#{anchor}" if anchor else "")
    )


# --- list, create, edit ----------------------------------------------------------------------


@bp.get("/bodies/<int:body_id>/meetings")
@login_required
def body_list(body_id: int):
    """A body's coming and past meetings; drafts for its officers only."""
    body = db.get_or_404(Body, body_id)
    policy.require(policy.can_see_body(current_user, body), hide=True)
    can_schedule = policy.can_schedule_meeting(current_user, body)
    upcoming, past = queries.body_meetings(body, include_drafts=can_schedule)
    visible = lambda ms: [m for m in ms if policy.can_see_meeting(current_user, m)]  # noqa: E731
    return render_template(
        "meetings/list.html",
        body=body,
        upcoming=visible(upcoming),
        past=visible(past),
        can_schedule=can_schedule,
    )


@bp.get("/meetings/upcoming")
@login_required
def upcoming():
    """All my next meetings (the home page shows the first five), a page at a time."""
    listing = queries.upcoming_page(current_user, pagination.page_number())
    return render_template(
        "meetings/upcoming.html", listing=listing, pages=pagination.links(listing)
    )


def _load_body_to_schedule(body_id: int) -> Body:
    body = db.get_or_404(Body, body_id)
    policy.require(
        policy.can_see_body(current_user, body) or policy.is_member(current_user, body), hide=True
    )
    policy.require(policy.can_schedule_meeting(current_user, body))
    return body


@bp.route("/bodies/<int:body_id>/meetings/new", methods=["GET", "POST"])
@login_required
def create(body_id: int):
    """Schedule a meeting: a draft with the usual agenda of its kind."""
    body = _load_body_to_schedule(body_id)
    form = forms.MeetingForm()
    if form.validate_on_submit():
        try:
            claim = claim_form(form.form_key.data, current_user)
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
            return render_template("meetings/form.html", form=form, body=body, meeting=None), 422
        if claim.is_replay:
            db.session.rollback()
            return replay_response(claim, url_for("meetings.body_list", body_id=body.id))
        try:
            meeting = services.create_meeting(current_user, body, form.meeting_data())
        except services.MeetingRuleError as error:
            db.session.rollback()  # the form's key was claimed in this transaction: free again
            target = getattr(form, error.field or "day", form.day)
            target.errors = [*list(target.errors), str(error.message)]
            return render_template("meetings/form.html", form=form, body=body, meeting=None), 422
        done_url = url_for("meetings.show", meeting_id=meeting.id)
        claim.done(done_url)
        db.session.commit()
        flash(_("Draft saved. Check the agenda, then send the notice."), "success")
        return redirect(done_url)
    if not form.is_submitted():
        form.prefill(request.args)
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/form.html", form=form, body=body, meeting=None), status


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    """Change a meeting; after the notice, changes are recorded and shown to tenants."""
    meeting = _meeting(meeting_id, manage=True)
    if meeting.is_cancelled:
        abort(409)
    form = forms.MeetingForm()
    if meeting.is_published and meeting.is_past:
        form.held_at = meeting.starts_at  # completed from the paper record afterwards
    if request.method == "GET":
        form.fill_from(meeting)
    elif form.validate_on_submit():
        try:
            services.update_meeting(current_user, meeting, form.meeting_data())
        except services.MeetingRuleError as error:
            db.session.rollback()
            target = getattr(form, error.field or "day", form.day)
            target.errors = [*list(target.errors), str(error.message)]
        else:
            db.session.commit()
            flash(_("Meeting saved."), "success")
            return _back_to(meeting)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "meetings/form.html", form=form, body=meeting.body, meeting=meeting
    ), status


# --- the meeting page ------------------------------------------------------------------------


def _page_context(meeting: Meeting, *, whole_page: bool = False, **overrides) -> dict:
    """The meeting page's context; other domains' panels only when the whole page renders
    (`whole_page`, or a request that does not want an htmx partial). Only the forms the reader
    may use are built (a tenant never gets the publish or cancel form), and the quorum is
    counted once, for the page and its attendance panel."""
    user = current_user
    can_manage = policy.can_manage_meeting(user, meeting)
    can_rsvp = policy.can_rsvp(user, meeting)
    can_propose = policy.can_propose_item(user, meeting)
    manages_draft = can_manage and meeting.status == MeetingStatus.DRAFT
    rsvp = queries.rsvp_for(meeting, user) if can_rsvp else None
    rsvp_form = overrides.pop("rsvp_form", None)
    if rsvp_form is None and can_rsvp:
        rsvp_form = forms.RsvpForm(
            formdata=None,
            answer=rsvp.answer.value if rsvp else None,
            party_size=(rsvp.party_size or 1) if rsvp else 1,
        )
    proposal_form = overrides.pop("proposal_form", None)
    if proposal_form is None and can_propose and not can_manage:
        proposal_form = forms.ProposalForm(formdata=None)
    publish_form = overrides.pop("publish_form", None)
    if publish_form is None and manages_draft:
        publish_form = forms.PublishForm(formdata=None)
    cancel_form = overrides.pop("cancel_form", None)
    if cancel_form is None and can_manage and meeting.status == MeetingStatus.PUBLISHED:
        cancel_form = forms.CancelForm(formdata=None)
    see_in_camera = policy.can_see_in_camera_items(user, meeting)
    quorum = services.quorum_required(meeting.body, meeting)
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "can_manage": can_manage,
        "can_rsvp": can_rsvp,
        "can_propose": can_propose,
        "rsvp": rsvp,
        "rsvp_form": rsvp_form,
        "rsvp_counts": queries.rsvp_counts(meeting) if can_manage else None,
        "changes": queries.changes(meeting, user),
        "proposals": queries.proposals(meeting)
        if can_manage
        else (queries.proposals(meeting, author=user)),
        "proposal_form": proposal_form,
        "publish_form": publish_form,
        "cancel_form": cancel_form,
        "decline_forms": overrides.pop("decline_forms", {}),
        # The notice's rule: shown to the officers about to publish a draft, only.
        "late": manages_draft and not meeting.published_at and services.is_late(meeting),
        "notice_days": services.notice_days(meeting) if manages_draft else None,
        "notice_deadline": services.notice_deadline(meeting) if manages_draft else None,
        "quorum": quorum,
        # Those who may see in-camera items get them; the members' page leaves them out.
        "agenda_items": [i for i in meeting.agenda_items if see_in_camera or not i.in_camera],
        # Other domains' boxes, for the whole page only (an htmx partial does not show them).
        "panels": hooks.collect("meeting_panels", meeting=meeting, user=user, quorum=quorum)
        if whole_page or not wants_partial()
        else [],
    }
    context.update(overrides)
    return context


def _render_page(meeting: Meeting, status: int = 200, **overrides):
    return (
        render_template(
            "meetings/show.html", **_page_context(meeting, whole_page=True, **overrides)
        ),
        status,
    )


@bp.get("/meetings/<int:meeting_id>")
@login_required
def show(meeting_id: int):
    """The meeting page: what, when, where, agenda, who is convened, changes, RSVP."""
    meeting = _meeting(meeting_id, agenda=True)
    if meeting.status != MeetingStatus.DRAFT:
        offline_readable()
    return _render_page(meeting)


@bp.post("/meetings/<int:meeting_id>/publish")
@login_required
def publish(meeting_id: int):
    """Send the notice (avis de convocation)."""
    meeting = _meeting(meeting_id, manage=True)
    form = forms.PublishForm()
    try:
        services.publish(current_user, meeting, confirm_late=bool(form.confirm_late.data))
    except services.MeetingRuleError as error:
        if error.field == "confirm_late":
            form.confirm_late.errors = [error.message]
            return _render_page(meeting, 422, publish_form=form)
        return _render_page(meeting, 422, publish_form=form, publish_error=error.message)
    db.session.commit()
    flash(_("The notice is published."), "success")
    return _back_to(meeting)


@bp.post("/meetings/<int:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int):
    """Cancel a published meeting (kept, with its reason)."""
    meeting = _meeting(meeting_id, manage=True)
    form = forms.CancelForm()
    if not form.validate_on_submit():
        return _render_page(meeting, 422, cancel_form=form)
    services.cancel(current_user, meeting, form.reason.data)
    db.session.commit()
    flash(_("The meeting is cancelled. Everyone convened sees the reason."), "success")
    return _back_to(meeting)


@bp.route("/meetings/<int:meeting_id>/delete", methods=["GET", "POST"])
@login_required
def delete(meeting_id: int):
    """Delete a draft (a published meeting is cancelled, never deleted); GET asks first."""
    meeting = _meeting(meeting_id, manage=True)
    if request.method == "GET":
        meeting.check_deletable()
        return confirm_page(
            _("Delete the draft “%(title)s”?", title=meeting.title),
            [
                _("The draft and its agenda are deleted. This cannot be undone."),
                _("Nobody was convened to it: nobody is told."),
            ],
            _("Delete this draft"),
            url_for("meetings.show", meeting_id=meeting.id),
        )
    body_id = meeting.body_id
    services.delete_draft(current_user, meeting)
    db.session.commit()
    flash(_("Draft deleted."), "success")
    return redirect(url_for("meetings.body_list", body_id=body_id))


# --- agenda ----------------------------------------------------------------------------------


def _agenda_response(meeting: Meeting):
    """The agenda partial for htmx, else back to the page (PRG)."""
    if wants_partial():
        db.session.refresh(meeting)
        return render_htmx("meetings/show.html", "meetings/_agenda.html", **_page_context(meeting))
    return _back_to(meeting, f"meeting-agenda-{meeting.id}")


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@login_required
def item_add(meeting_id: int):
    meeting = _meeting(meeting_id, manage=True)
    form = forms.AgendaItemForm()
    if form.validate_on_submit():
        done = _back_to(meeting, f"meeting-agenda-{meeting.id}")
        try:
            claim = claim_form(form.form_key.data, current_user)
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
            return render_template(
                "meetings/item_form.html", form=form, meeting=meeting, item=None
            ), 422
        if claim.is_replay:
            db.session.rollback()
            return replay_response(claim, done.location)
        services.add_item(current_user, meeting, form.item_data())
        claim.done(done.location)
        db.session.commit()
        return done
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/item_form.html", form=form, meeting=meeting, item=None), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def item_edit(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, manage=True)
    item = _item(meeting, item_id)
    form = forms.AgendaItemForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = item.kind.value
    elif form.validate_on_submit():
        services.update_item(current_user, item, form.item_data())
        db.session.commit()
        return _back_to(meeting, f"meeting-agenda-{meeting.id}")
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/item_form.html", form=form, meeting=meeting, item=item), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def item_delete(meeting_id: int, item_id: int):
    """Remove an agenda item; GET asks first (the no-JavaScript confirmation)."""
    meeting = _meeting(meeting_id, manage=True)
    item = _item(meeting, item_id)
    if request.method == "GET":
        meeting.check_editable()
        return confirm_page(
            _("Remove “%(title)s” from the agenda?", title=item.title),
            [
                _(
                    "The item and its description are removed from the agenda of %(meeting)s.",
                    meeting=meeting.title,
                )
            ],
            _("Remove this item"),
            url_for("meetings.show", meeting_id=meeting.id, _anchor=f"agenda-item-{item.id}"),
        )
    services.delete_item(current_user, item)
    db.session.commit()
    return _agenda_response(meeting)


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/move")
@login_required
def item_move(meeting_id: int, item_id: int):
    """Move an item up or down (buttons; htmx swaps the agenda, without JS the page reloads)."""
    meeting = _meeting(meeting_id, manage=True)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    services.move_item(current_user, _item(meeting, item_id), -1 if direction == "up" else 1)
    db.session.commit()
    return _agenda_response(meeting)


# --- RSVP and proposals ----------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/rsvp")
@login_required
def rsvp(meeting_id: int):
    """I'll come / I can't / maybe, with how many people."""
    meeting = _meeting(meeting_id)
    policy.require(policy.can_rsvp(current_user, meeting))
    form = forms.RsvpForm()
    if not form.validate_on_submit():
        return render_htmx(
            "meetings/show.html",
            "meetings/_rsvp.html",
            422,
            **_page_context(meeting, rsvp_form=form),
        )
    services.answer_rsvp(meeting, current_user, RsvpAnswer(form.answer.data), form.party_size.data)
    db.session.commit()
    if wants_partial():
        return render_htmx(
            "meetings/show.html", "meetings/_rsvp.html", **_page_context(meeting, rsvp_saved=True)
        )
    flash(_("Thank you, your answer is saved."), "success")
    return _back_to(meeting, f"meeting-rsvp-{meeting.id}")


@bp.post("/meetings/<int:meeting_id>/proposals")
@login_required
def propose(meeting_id: int):
    """A member proposes an agenda item; the officers accept or decline it."""
    meeting = _meeting(meeting_id)
    policy.require(policy.can_propose_item(current_user, meeting))
    form = forms.ProposalForm()
    if not form.validate_on_submit():
        return _render_page(meeting, 422, proposal_form=form)
    try:
        # The same form sent twice (double tap, retry) proposes the item once.
        claim = claim_form(form.form_key.data, current_user)
    except StaleFormError:
        db.session.rollback()
        renew_key(form)
        return _render_page(meeting, 422, proposal_form=form)
    done = _back_to(meeting, "meeting-proposals")
    if claim.is_replay:
        db.session.rollback()
        return replay_response(claim, done.location)
    services.propose_item(meeting, current_user, form.title.data, form.description.data or "")
    claim.done(done.location)
    db.session.commit()
    flash(_("Thank you. The officers will tell you if your item is added."), "success")
    return done


@bp.post("/meetings/<int:meeting_id>/proposals/<int:proposal_id>/accept")
@login_required
def proposal_accept(meeting_id: int, proposal_id: int):
    meeting = _meeting(meeting_id, manage=True)
    services.accept_proposal(current_user, _proposal(meeting, proposal_id))
    db.session.commit()
    flash(_("The item is added to the agenda."), "success")
    return _back_to(meeting, "meeting-proposals")


@bp.post("/meetings/<int:meeting_id>/proposals/<int:proposal_id>/decline")
@login_required
def proposal_decline(meeting_id: int, proposal_id: int):
    meeting = _meeting(meeting_id, manage=True)
    proposal = _proposal(meeting, proposal_id)
    form = forms.DeclineForm(prefix=f"p{proposal.id}")
    if not form.validate_on_submit():
        return _render_page(meeting, 422, decline_forms={proposal.id: form})
    services.decline_proposal(current_user, proposal, form.reason.data)
    db.session.commit()
    flash(_("The proposal is declined. Its author sees your reason."), "success")
    return _back_to(meeting, "meeting-proposals")


# --- calendar --------------------------------------------------------------------------------


def _meeting_url(meeting: Meeting) -> str:
    return external_url("meetings.show", meeting_id=meeting.id)


def _ics(payload: bytes, filename: str, *, attachment: bool, cache: str = "no-store") -> Response:
    response = Response(payload, content_type="text/calendar; charset=utf-8")
    if attachment:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = cache
    return response


#: The feed's caching: kept by the calendar app only (private), asked again each time (no-cache)
#: and answered 304 while unchanged. The one exception to `no-store` (docs/security/caching.md).
FEED_CACHE = "private, no-cache"


def _matched_etag(etag: str) -> str | None:
    """The ETag the client already holds for this feed, as sent (Flask-Compress appends the
    algorithm to the ETag of a compressed response: "abc:gzip"), or None."""
    held = request.if_none_match
    if not held:
        return None
    algorithms = current_app.config.get("COMPRESS_ALGORITHM") or []
    for candidate in (etag, *(f"{etag}:{alg}" for alg in algorithms)):
        if held.contains(candidate):
            return candidate
    return None


@bp.get("/meetings/<int:meeting_id>/event.ics")
@login_required
def event_ics(meeting_id: int):
    """Add one meeting to the phone's calendar."""
    meeting = _meeting(meeting_id)
    payload = ical.calendar_for([meeting], _meeting_url)
    return _ics(payload, f"meeting-{meeting.id}.ics", attachment=True)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The user's feed of every meeting they may see. Calendar apps send no cookie: the secret in
    the URL is the only credential (unknown or revoked: 404). One statement for the meetings, one
    for their agendas; an unchanged feed is answered 304 before it is built."""
    user = services.user_for_feed_token(token)
    if user is None:
        abort(404)
    meetings = queries.feed_meetings(user)
    locale = user.locale or "fr_CA"
    etag = ical.fingerprint(meetings, locale, external_url("meetings.calendar_settings"))
    held = _matched_etag(etag)
    if held is not None:
        response = Response(status=304, content_type="text/calendar; charset=utf-8")
        response.set_etag(held)
        response.headers["Cache-Control"] = FEED_CACHE
        response.vary.add("Accept-Encoding")
        return response

    def build() -> bytes:
        with force_locale(locale):
            return ical.calendar_for(
                meetings, _meeting_url, name=_("TenantVoice meetings"), stable=True
            )

    payload = ical.built_once(etag, build)
    response = _ics(payload, "tenantvoice.ics", attachment=False, cache=FEED_CACHE)
    response.set_etag(etag)
    return response


def _feed_urls(token: str) -> dict:
    https = external_url("meetings.feed", token=token)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@bp.get("/calendar")
@login_required
def calendar_settings():
    """Where the person finds (and can renew) the address of their calendar feed."""
    urls = _feed_urls(services.feed_token(current_user))
    db.session.commit()  # the feed's random id, made at the first visit
    return render_template("meetings/calendar.html", urls=urls)


@bp.route("/calendar/regenerate", methods=["GET", "POST"])
@login_required
def calendar_regenerate():
    """A new address; the old one stops working at once. GET asks first."""
    if request.method == "GET":
        return confirm_page(
            _("Get a new calendar address?"),
            [
                _(
                    "The current address stops working at once: calendar apps that use it "
                    "stop showing your meetings."
                ),
                _("Then add the new address to each calendar app you use."),
            ],
            _("Get a new address"),
            url_for("meetings.calendar_settings"),
        )
    services.regenerate_feed_token(current_user)
    db.session.commit()
    flash(_("Your calendar has a new address. Add it again in your calendar app."), "success")
    return redirect(url_for("meetings.calendar_settings"))


# --- printed notice --------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>/notice")
@login_required
def notice(meeting_id: int):
    """The printed notice (avis de convocation): French, English, or both side by side."""
    meeting = _meeting(meeting_id)
    choice = request.args.get("lang", "")
    if choice not in ("fr", "en", "both"):
        choice = "fr" if str(get_locale()).startswith("fr") else "en"
    langs = ["fr", "en"] if choice == "both" else [choice]
    is_draft = meeting.status == MeetingStatus.DRAFT
    # A draft's page is a 404 to everyone but its officers: its sheet carries no QR code and
    # no address, only the PROJET / DRAFT mark, until the notice is published.
    url = None if is_draft else _meeting_url(meeting)
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4) if url else None,
        "is_draft": is_draft,
        "signatory": queries.notice_signatory(meeting),
        "quorum": services.quorum_required(meeting.body, meeting),
        "agenda": [item for item in meeting.agenda_items if not item.in_camera],
    }
    columns = render_per_language(
        "meetings/_notice_column.html", [NOTICE_LANGUAGES[lang] for lang in langs], **context
    )
    return render_template(
        "meetings/notice.html", meeting=meeting, columns=columns, choice=choice, is_draft=is_draft
    )
