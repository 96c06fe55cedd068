"""Minutes pages: drafting with autosave and conflict resolution, approval, signatures,
publication, versions, reading and search."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import clock, policy
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.minutes import queries, services
from tenantvoice.minutes.forms import ApproveForm, CorrectForm, parse_editor
from tenantvoice.minutes.markdown import render
from tenantvoice.minutes.models import Minutes, MinutesState, MinutesStateError
from tenantvoice.orgs.models import Body
from tenantvoice.submissions import STALE_FORM
from tenantvoice.web.forms import StaleFormError, claim_form, renew_key, replay_response
from tenantvoice.web.headers import offline_readable
from tenantvoice.web.htmx import render_htmx

bp = Blueprint("minutes", __name__)

#: Longest search query kept (longer ones are cut, not refused).
MAX_QUERY = 200
#: Highest page number read from a search link (a larger one shows the last page).
MAX_PAGE = 10_000


@bp.app_context_processor
def minutes_globals():
    return {"render_minutes": render}


def _load(minutes_id: int, options=()) -> Minutes:
    """Load minutes the user may read; everyone else is told they do not exist (404)."""
    minutes = db.get_or_404(Minutes, minutes_id, options=list(options))
    policy.require(policy.can_read_minutes(current_user, minutes), hide=True)
    return minutes


def _load_for_writing(minutes_id: int) -> Minutes:
    minutes = _load(minutes_id)
    policy.require(policy.can_write_minutes(current_user, minutes.meeting))
    return minutes


@bp.post("/meetings/<int:meeting_id>/minutes")
@login_required
def create(meeting_id: int):
    """Draft the minutes from the meeting's agenda, attendance and resolutions."""
    meeting = db.get_or_404(Meeting, meeting_id)
    policy.require(policy.can_see_meeting(current_user, meeting), hide=True)
    policy.require(policy.can_write_minutes(current_user, meeting))
    try:
        # The same button pressed twice (double tap, retry) drafts the minutes once.
        claim = claim_form(request.form.get("form_key"), current_user)
    except StaleFormError:
        db.session.rollback()
        flash(str(STALE_FORM), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    if claim.is_replay:
        db.session.rollback()
        return replay_response(claim, url_for("meetings.show", meeting_id=meeting.id))
    minutes = services.create_draft(current_user, meeting)
    done_url = url_for("minutes.edit", minutes_id=minutes.id)
    claim.done(done_url)
    db.session.commit()
    return redirect(done_url)


def _editor_context(minutes, *, errors=None, values=None, adjourned_raw=None, version=None):
    values = values or {}
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "errors": errors or {},
        "values": {s.id: values.get(s.id, s.body_markdown) for s in minutes.sections},
        "adjourned_raw": (
            adjourned_raw
            if adjourned_raw is not None
            else (minutes.adjourned_at.strftime("%H:%M") if minutes.adjourned_at else "")
        ),
        "version": version if version is not None else minutes.version,
        "max_text": services.MAX_TEXT,
    }


@bp.route("/minutes/<int:minutes_id>/edit", methods=["GET", "POST"])
@login_required
def edit(minutes_id: int):
    """Edit the draft, section by section; without JavaScript, Save posts the whole form."""
    minutes = _load_for_writing(minutes_id)
    if request.method == "GET":
        if not minutes.is_editable:
            return redirect(url_for("minutes.detail", minutes_id=minutes.id))
        return render_template("minutes/edit.html", **_editor_context(minutes))
    minutes.check_editable()
    data = parse_editor(minutes, request.form)
    ctx = {"values": data.texts, "adjourned_raw": data.adjourned_raw, "version": data.version}
    if data.errors or data.version is None:  # no version is one of the errors
        return render_template(
            "minutes/edit.html", **_editor_context(minutes, errors=data.errors, **ctx)
        ), 422
    try:
        services.save(
            current_user,
            minutes,
            expected_version=data.version,
            texts=data.texts,
            adjourned_at=data.adjourned_at,
        )
    except services.MinutesInvalidError as exc:
        db.session.rollback()
        return render_template(
            "minutes/edit.html", **_editor_context(minutes, errors=exc.errors, **ctx)
        ), 422
    except services.MinutesConflictError:
        db.session.rollback()
        return render_template(
            "minutes/conflict.html", **_conflict_context(minutes, data.texts, data.version)
        ), 409
    db.session.commit()
    flash(_("Minutes saved."), "success")
    return redirect(url_for("minutes.edit", minutes_id=minutes.id))


def _conflict_context(minutes, mine: dict[int, str], my_version: int | None):
    db.session.refresh(minutes)
    rows = []
    for section in minutes.sections:
        theirs = section.body_markdown
        my_text = mine.get(section.id, theirs)
        merged = theirs if my_text == theirs else f"{my_text}\n\n{theirs}"
        rows.append(
            {
                "section": section,
                "mine": my_text,
                "theirs": theirs,
                "differs": my_text != theirs,
                "merged": merged,
            }
        )
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "rows": rows,
        "my_version": my_version,
        "their_version": minutes.version,
        "their_author": minutes.updated_by,
    }


@bp.post("/minutes/<int:minutes_id>/autosave")
@login_required
def autosave(minutes_id: int):
    """Store the draft every few seconds (htmx); answer the status line or the conflict."""
    minutes = _load_for_writing(minutes_id)
    minutes.check_editable()
    data = parse_editor(minutes, request.form)
    if data.errors or data.version is None:  # no version is one of the errors
        return render_htmx(
            "minutes/status_page.html",
            "minutes/_status.html",
            status=422,
            minutes=minutes,
            errors=data.errors,
            saved_at=None,
            version=data.version or minutes.version,
        )
    try:
        services.save(
            current_user,
            minutes,
            expected_version=data.version,
            texts=data.texts,
            adjourned_at=data.adjourned_at,
        )
    except services.MinutesInvalidError as exc:
        db.session.rollback()
        return render_htmx(
            "minutes/status_page.html",
            "minutes/_status.html",
            status=422,
            minutes=minutes,
            errors=exc.errors,
            saved_at=None,
            version=data.version,
        )
    except services.MinutesConflictError:
        db.session.rollback()
        return render_htmx(
            "minutes/conflict.html",
            "minutes/_conflict.html",
            status=409,
            **_conflict_context(minutes, data.texts, data.version),
        )
    db.session.commit()
    return render_htmx(
        "minutes/status_page.html",
        "minutes/_status.html",
        minutes=minutes,
        errors={},
        saved_at=format_time(clock.now(), "short"),
        version=minutes.version,
    )


@bp.post("/minutes/<int:minutes_id>/resolve")
@login_required
def resolve(minutes_id: int):
    """Settle a conflict: keep my text, keep theirs, or save the merge I edited."""
    minutes = _load_for_writing(minutes_id)
    minutes.check_editable()
    choice = request.form.get("resolution", "")
    if choice == "theirs":
        flash(_("You kept the text saved by the other person."), "success")
        return redirect(url_for("minutes.edit", minutes_id=minutes.id))
    if choice not in ("mine", "merge"):
        return redirect(url_for("minutes.edit", minutes_id=minutes.id))
    prefix = "mine-" if choice == "mine" else "merge-"
    texts = {
        s.id: request.form[f"{prefix}{s.id}"].replace("\r\n", "\n")
        for s in minutes.sections
        if f"{prefix}{s.id}" in request.form
    }
    data = parse_editor(minutes, request.form)
    if data.version is None:
        return redirect(url_for("minutes.edit", minutes_id=minutes.id))
    try:
        services.save(
            current_user,
            minutes,
            expected_version=data.version,
            texts=texts,
            adjourned_at=data.adjourned_at if not data.errors else minutes.adjourned_at,
        )
    except services.MinutesInvalidError as exc:
        db.session.rollback()
        ctx = _conflict_context(minutes, texts, data.version)
        return render_template("minutes/conflict.html", errors=exc.errors, **ctx), 422
    except services.MinutesConflictError:
        db.session.rollback()
        return render_template(
            "minutes/conflict.html", **_conflict_context(minutes, texts, data.version)
        ), 409
    db.session.commit()
    flash(_("Minutes saved."), "success")
    return redirect(url_for("minutes.edit", minutes_id=minutes.id))


def _detail_context(minutes):
    latest = minutes.latest_version
    published = minutes.state == MinutesState.PUBLISHED and latest is not None
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "version": latest if published else None,
        "html": latest.rendered_html if published else render(services.compose_markdown(minutes)),
        "can_write": policy.can_write_minutes(current_user, minutes.meeting),
        "can_sign": policy.can_sign_minutes(current_user, minutes),
        "versions": minutes.versions,
    }


@bp.get("/minutes/<int:minutes_id>")
@login_required
def detail(minutes_id: int):
    """Read the minutes: the published version, or the projet for those who approve it."""
    minutes = queries.minutes_for_page(minutes_id)
    if minutes is None:
        abort(404)
    policy.require(policy.can_read_minutes(current_user, minutes), hide=True)
    ctx = _detail_context(minutes)
    if ctx["version"] is not None:
        offline_readable()
    return render_template("minutes/detail.html", **ctx)


@bp.post("/minutes/<int:minutes_id>/propose")
@login_required
def propose(minutes_id: int):
    """Propose the draft for approval at the next meeting of the body."""
    minutes = _load_for_writing(minutes_id)
    services.propose(current_user, minutes)
    db.session.commit()
    flash(_("The draft minutes are proposed for approval at the next meeting."), "success")
    return redirect(url_for("minutes.detail", minutes_id=minutes.id))


@bp.route("/minutes/<int:minutes_id>/approve", methods=["GET", "POST"])
@login_required
def approve(minutes_id: int):
    """Record the resolution of a later meeting that approved the minutes."""
    minutes = _load_for_writing(minutes_id)
    if minutes.state != MinutesState.PROPOSED:
        raise MinutesStateError(_("Only minutes proposed for approval can be approved."))
    form = ApproveForm()
    choices = services.approval_choices(minutes)
    form.resolution_id.choices = [(0, _("Choose…"))] + [
        (r.id, _("Resolution %(number)s: %(text)s", number=r.number, text=r.text[:80]))
        for r in choices
    ]
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.approve(current_user, minutes, form.resolution_id.data)
            except services.MinutesInvalidError as exc:
                db.session.rollback()
                form.resolution_id.errors = [exc.errors["resolution_id"]]
            else:
                db.session.commit()
                flash(_("The approval of the minutes is recorded."), "success")
                return redirect(url_for("minutes.detail", minutes_id=minutes.id))
        return render_template(
            "minutes/approve.html", minutes=minutes, form=form, meeting=minutes.meeting
        ), 422
    return render_template(
        "minutes/approve.html", minutes=minutes, form=form, meeting=minutes.meeting
    )


@bp.post("/minutes/<int:minutes_id>/sign")
@login_required
def sign(minutes_id: int):
    """Sign approved minutes as the president or the secretary, from one's own account."""
    minutes = _load(minutes_id)
    member = policy.member_entry(current_user, minutes.body)
    if member is None or not policy.is_signing_officer(current_user, minutes.body):
        policy.deny()
    services.sign(current_user, minutes, member)
    db.session.commit()
    flash(_("Your signature is recorded."), "success")
    return redirect(url_for("minutes.detail", minutes_id=minutes.id))


@bp.post("/minutes/<int:minutes_id>/publish")
@login_required
def publish(minutes_id: int):
    """Publish signed minutes to the body's audience (version 1)."""
    minutes = _load_for_writing(minutes_id)
    services.publish(current_user, minutes)
    db.session.commit()
    flash(_("The minutes are published."), "success")
    return redirect(url_for("minutes.detail", minutes_id=minutes.id))


@bp.route("/minutes/<int:minutes_id>/correct", methods=["GET", "POST"])
@login_required
def correct(minutes_id: int):
    """Correct published minutes through a new version with a change note."""
    minutes = _load_for_writing(minutes_id)
    minutes.check_correctable()
    form = CorrectForm()
    if request.method == "GET":
        latest = minutes.latest_version  # published minutes always have one
        form.text.data = latest.text_markdown if latest is not None else ""
        return render_template(
            "minutes/correct.html", minutes=minutes, form=form, meeting=minutes.meeting
        )
    if form.validate_on_submit():
        done_url = url_for("minutes.detail", minutes_id=minutes.id)
        try:
            # The same correction sent twice (double tap, retry) makes one version.
            claim = claim_form(form.form_key.data, current_user)
        except StaleFormError:
            db.session.rollback()
            renew_key(form)
            return render_template(
                "minutes/correct.html", minutes=minutes, form=form, meeting=minutes.meeting
            ), 422
        if claim.is_replay:
            db.session.rollback()
            return replay_response(claim, done_url)
        try:
            version = services.correct(current_user, minutes, form.text.data, form.change_note.data)
        except services.MinutesInvalidError as exc:
            db.session.rollback()
            for name, message in exc.errors.items():
                getattr(form, name).errors = [message]
        else:
            claim.done(done_url)
            db.session.commit()
            flash(_("Version %(number)d is published.", number=version.number), "success")
            return redirect(done_url)
    return render_template(
        "minutes/correct.html", minutes=minutes, form=form, meeting=minutes.meeting
    ), 422


@bp.get("/minutes/<int:minutes_id>/versions/<int:number>")
@login_required
def version(minutes_id: int, number: int):
    """Read an earlier published version, with its date, author and change note."""
    minutes = _load(minutes_id)
    found = next((v for v in minutes.versions if v.number == number), None)
    if found is None or minutes.state != MinutesState.PUBLISHED:
        policy.deny(hide=True)
    offline_readable()
    return render_template(
        "minutes/version.html",
        minutes=minutes,
        meeting=minutes.meeting,
        version=found,
        latest=minutes.latest_version,
    )


@bp.get("/bodies/<int:body_id>/minutes")
@login_required
def body_index(body_id: int):
    """List and search the body's published minutes."""
    body = db.get_or_404(Body, body_id)
    officer = policy.is_officer(current_user, body)
    policy.require(officer or policy.can_list_minutes(current_user, body), hide=True)
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    ctx: dict[str, Any] = {"body": body, "q": q, "results": None, "minutes_list": None}
    if q:
        # Showing results: one page of hits, never the full list of minutes.
        page = request.args.get("page", 1, type=int) or 1
        ctx["results"] = queries.search_body_minutes(body, q, page=min(max(page, 1), MAX_PAGE))
    else:
        ctx["minutes_list"] = queries.body_minutes(body, include_unpublished=officer)
    return render_htmx("minutes/index.html", "minutes/_results.html", **ctx)
