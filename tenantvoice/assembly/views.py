"""At the meeting: the attendance sheet, the live quorum box and the resolutions (officers only;
members see counts on the meeting page through the meeting_panels hook, assembly/panels.py)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import policy
from tenantvoice.assembly import attendance, resolutions
from tenantvoice.assembly.forms import (
    CorrectForm,
    DecideForm,
    GuestsForm,
    MarkForm,
    ResolutionForm,
)
from tenantvoice.assembly.models import Resolution
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingStatus
from tenantvoice.web import pagination
from tenantvoice.web.forms import StaleFormError, claim_form, renew_key, replay_response
from tenantvoice.web.htmx import render_htmx, wants_partial
from tenantvoice.web.loading import child_or_404

bp = Blueprint("assembly", __name__)


def _meeting_for_officers(meeting_id: int) -> Meeting:
    """The meeting, for the officers of its body: 404 for non-members, 403 for members."""
    meeting = db.get_or_404(Meeting, meeting_id)
    policy.require(policy.can_see_attendance_counts(current_user, meeting), hide=True)
    policy.require(policy.can_take_attendance(current_user, meeting))
    return meeting


def _meeting_for_readers(meeting_id: int) -> Meeting:
    """The meeting, for whoever may read its attendance sheet (officers, tenant directors)."""
    meeting = db.get_or_404(Meeting, meeting_id)
    policy.require(policy.can_see_attendance_counts(current_user, meeting), hide=True)
    policy.require(policy.can_see_attendance_sheet(current_user, meeting))
    return meeting


def _sheet_context(meeting: Meeting, q: str = "", page: int = 1, **extra) -> dict:
    """The sheet, search first: a page of the matches once three letters (or a digit) are
    typed, else a page of the people present; never the whole register with a form each."""
    searching = attendance.search_ready(q)
    listing = (
        attendance.search_register(meeting, q, page)
        if searching
        else attendance.present_page(meeting, page)
    )
    return dict(
        meeting=meeting,
        q=q,
        searching=searching,
        too_short=bool(q.strip()) and not searching,
        listing=listing,
        pages=pagination.links(listing, "assembly.sheet", {"q": q}),
        register_size=attendance.register_size(meeting),
        quorum=attendance.quorum_state(meeting),
        problem=attendance.attendance_problem(meeting),
        afterwards=attendance.is_afterwards(meeting),
        guests_form=extra.pop("guests_form", None)
        or GuestsForm(guests_count=meeting.guests_count, formdata=None),
        # A tenant director reads the sheet; only the officers mark it.
        read_only=not policy.can_take_attendance(current_user, meeting),
        **extra,
    )


def _back_to_sheet(meeting: Meeting, q: str = ""):
    return redirect(url_for("assembly.sheet", meeting_id=meeting.id, q=q or None))


# --- attendance sheet ---------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>/attendance")
@login_required
def sheet(meeting_id: int):
    """Show the attendance sheet: the register, searchable by name or unit, and the quorum."""
    meeting = _meeting_for_readers(meeting_id)
    q = request.args.get("q", "")[:60]
    return render_htmx(
        "assembly/attendance.html",
        "assembly/_attendance_list.html",
        **_sheet_context(meeting, q, pagination.page_number()),
    )


@bp.post("/meetings/<int:meeting_id>/attendance/mark")
@login_required
def mark(meeting_id: int):
    """Mark a member present or not present (idempotent: a double tap changes nothing)."""
    meeting = _meeting_for_officers(meeting_id)
    form = MarkForm()
    q = (form.q.data or "")[:60]
    try:
        member = attendance.member_of(meeting, form.member_id.data)
    except attendance.UnknownMemberError:
        message = _("This person is not in the register of this body.")
        if wants_partial():
            return render_template(
                "assembly/_attendance_notice.html", message=message, meeting=meeting
            ), 422
        return render_template(
            "assembly/attendance.html", **_sheet_context(meeting, q, error=message)
        ), 422
    try:
        if form.present.data == "0":
            attendance.mark_absent(current_user, meeting, member)
        else:
            attendance.mark_present(current_user, meeting, member, on_paper=form.on_paper.data)
    except attendance.AttendanceClosedError as exc:
        db.session.rollback()
        if wants_partial():
            return render_template(
                "assembly/_attendance_row.html",
                meeting=meeting,
                member=member,
                row=attendance.attendance_of(meeting, member),
                q=q,
                problem=str(exc),
                row_error=str(exc),
            ), 409
        return render_template(
            "assembly/attendance.html", **_sheet_context(meeting, q, error=str(exc))
        ), 409
    db.session.commit()
    if wants_partial():
        return render_template(
            "assembly/_attendance_row.html",
            meeting=meeting,
            member=member,
            row=attendance.attendance_of(meeting, member),
            q=q,
            problem=None,
            quorum=attendance.quorum_state(meeting),
            oob=True,
        )
    return _back_to_sheet(meeting, q)


@bp.post("/meetings/<int:meeting_id>/attendance/guests")
@login_required
def guests(meeting_id: int):
    """Record how many guests (not members) attend."""
    meeting = _meeting_for_officers(meeting_id)
    form = GuestsForm()
    if not form.validate():
        return render_htmx(
            "assembly/attendance.html",
            "assembly/_attendance_guests.html",
            422,
            **_sheet_context(meeting, guests_form=form),
        )
    try:
        attendance.set_guests(current_user, meeting, form.guests_count.data)
    except attendance.AttendanceClosedError as exc:
        db.session.rollback()
        return render_htmx(
            "assembly/attendance.html",
            "assembly/_attendance_guests.html",
            409,
            **_sheet_context(meeting, guests_form=form, error=str(exc), guests_error=str(exc)),
        )
    db.session.commit()
    if wants_partial():
        return render_template(
            "assembly/_attendance_guests.html",
            meeting=meeting,
            guests_form=form,
            saved=True,
            quorum=attendance.quorum_state(meeting),
            oob=True,
        )
    flash(_("The number of guests was saved."), "success")
    return _back_to_sheet(meeting)


@bp.get("/meetings/<int:meeting_id>/quorum")
@login_required
def quorum(meeting_id: int):
    """Show the live quorum box (polled every few seconds; a page of its own without JS)."""
    meeting = _meeting_for_readers(meeting_id)
    return render_htmx(
        "assembly/attendance_quorum.html",
        "assembly/_quorum.html",
        meeting=meeting,
        quorum=attendance.quorum_state(meeting),
    )


# --- resolutions --------------------------------------------------------------------------------


def _resolution_form(meeting: Meeting, **kwargs) -> ResolutionForm:
    return ResolutionForm(
        agenda_items=meeting.agenda_items,
        present=attendance.members_present_now(meeting),
        pending=resolutions.pending_motions(meeting),
        **kwargs,
    )


def _decide_form(resolution_id: int, **kwargs) -> DecideForm:
    """One outcome form per motion under debate; the prefix keeps their field ids apart."""
    return DecideForm(prefix=f"r{resolution_id}", **kwargs)


def _correct_form(resolution: Resolution, present, **kwargs) -> CorrectForm:
    """One correction form per recorded resolution, filled with what it says now."""
    if kwargs.get("formdata", True) is None:
        kwargs.setdefault("obj", resolution)
    return CorrectForm(prefix=f"c{resolution.id}", present=present, **kwargs)


def _resolutions_page(
    meeting: Meeting,
    form: ResolutionForm,
    status: int = 200,
    *,
    decide_form: DecideForm | None = None,
    decide_id: int | None = None,
    correct_form: CorrectForm | None = None,
    correct_id: int | None = None,
    **extra,
):
    items = resolutions.resolutions_of(meeting)
    present = attendance.members_present_now(meeting)
    closed = resolutions.record_closed(meeting)
    correct_forms = {
        r.id: (
            correct_form
            if r.id == correct_id and correct_form is not None
            else _correct_form(r, present, formdata=None)
        )
        for r in items
        if r.outcome is not None and not closed
    }
    blocked = {r.id for r in items if r.outcome is None and resolutions.open_amendments(r)}
    decide_forms = {
        r.id: (
            decide_form
            if r.id == decide_id and decide_form is not None
            else _decide_form(r.id, formdata=None)
        )
        for r in items
        if r.outcome is None
    }
    return render_template(
        "assembly/resolutions.html",
        meeting=meeting,
        form=form,
        resolutions=items,
        sentence=resolutions.resolution_sentence,
        blocked=blocked,
        decide_forms=decide_forms,
        correct_forms=correct_forms,
        corrections=resolutions.corrections_of(items),
        previous_sentence=resolutions.previous_sentence,
        record_closed=closed,
        afterwards=attendance.is_afterwards(meeting),
        numbered=meeting.year_number is not None and meeting.status == MeetingStatus.PUBLISHED,
        **extra,
    ), status


def _apply_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        target = getattr(form, name, None) or form.votes_for
        target.errors = [*list(target.errors), message]


@bp.route("/meetings/<int:meeting_id>/resolutions", methods=["GET", "POST"])
@login_required
def resolutions_page(meeting_id: int):
    """List the meeting's resolutions in their minutes wording and record a new motion."""
    meeting = _meeting_for_officers(meeting_id)
    form = _resolution_form(meeting)
    if request.method == "GET":
        return _resolutions_page(meeting, form)
    if meeting.status != MeetingStatus.PUBLISHED or meeting.year_number is None:
        return _resolutions_page(
            meeting,
            form,
            409,
            error=_("This meeting has no number yet: publish it before recording resolutions."),
        )
    if not form.validate():
        return _resolutions_page(meeting, form, 422)
    done_url = url_for("assembly.resolutions_page", meeting_id=meeting.id)
    try:
        # The same form sent twice (double tap, retry) records one resolution.
        claim = claim_form(form.form_key.data, current_user)
    except StaleFormError:
        db.session.rollback()
        return _resolutions_page(meeting, form, 422, error=renew_key(form))
    if claim.is_replay:
        db.session.rollback()
        return replay_response(claim, done_url)
    try:
        resolution = resolutions.record_resolution(
            current_user,
            meeting,
            text=form.text.data,
            moved_by_id=form.moved_by_id.data,
            seconded_by_id=form.seconded_by_id.data,
            agenda_item_id=form.agenda_item_id.data,
            amends_id=form.amends_id.data,
            outcome=form.outcome.data,
            votes_for=form.votes_for.data,
            votes_against=form.votes_against.data,
            abstentions=form.abstentions.data,
            casting_vote=form.casting_vote.data,
        )
    except resolutions.ResolutionStateError as exc:
        db.session.rollback()
        return _resolutions_page(meeting, form, 409, error=str(exc))
    except resolutions.ResolutionInvalidError as exc:
        db.session.rollback()
        _apply_errors(form, exc.errors)
        return _resolutions_page(meeting, form, 422)
    claim.done(done_url)
    db.session.commit()
    flash(_("Resolution %(number)s was recorded.", number=resolution.number), "success")
    return redirect(done_url)


@bp.post("/meetings/<int:meeting_id>/resolutions/<int:resolution_id>/outcome")
@login_required
def decide(meeting_id: int, resolution_id: int):
    """Record the outcome of a motion that was under debate."""
    meeting = _meeting_for_officers(meeting_id)
    resolution = child_or_404(Resolution, resolution_id, parent="meeting_id", parent_id=meeting.id)
    form = _decide_form(resolution.id)
    if not form.validate():
        return _resolutions_page(
            meeting,
            _resolution_form(meeting, formdata=None),
            422,
            decide_form=form,
            decide_id=resolution.id,
        )
    try:
        resolutions.decide_resolution(
            current_user,
            resolution,
            outcome=form.outcome.data,
            votes_for=form.votes_for.data,
            votes_against=form.votes_against.data,
            abstentions=form.abstentions.data,
            casting_vote=form.casting_vote.data,
        )
    except resolutions.ResolutionStateError as exc:
        db.session.rollback()
        return _resolutions_page(
            meeting,
            _resolution_form(meeting, formdata=None),
            409,
            error=str(exc),
            decide_form=form,
            decide_id=resolution.id,
        )
    except resolutions.ResolutionInvalidError as exc:
        db.session.rollback()
        _apply_errors(form, exc.errors)
        return _resolutions_page(
            meeting,
            _resolution_form(meeting, formdata=None),
            422,
            decide_form=form,
            decide_id=resolution.id,
        )
    db.session.commit()
    flash(
        _("The outcome of resolution %(number)s was recorded.", number=resolution.number), "success"
    )
    return redirect(url_for("assembly.resolutions_page", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/resolutions/<int:resolution_id>/correct")
@login_required
def correct(meeting_id: int, resolution_id: int):
    """Correct a recorded resolution: the old wording is kept and shown, with who, when, why."""
    meeting = _meeting_for_officers(meeting_id)
    resolution = child_or_404(Resolution, resolution_id, parent="meeting_id", parent_id=meeting.id)
    form = _correct_form(resolution, attendance.members_present_now(meeting))
    done_url = url_for("assembly.resolutions_page", meeting_id=meeting.id)

    def again(status: int, **extra):
        return _resolutions_page(
            meeting,
            _resolution_form(meeting, formdata=None),
            status,
            correct_form=form,
            correct_id=resolution.id,
            **extra,
        )

    if not form.validate():
        return again(422)
    try:
        claim = claim_form(form.form_key.data, current_user)
    except StaleFormError:
        db.session.rollback()
        return again(422, error=renew_key(form))
    if claim.is_replay:
        db.session.rollback()
        return replay_response(claim, done_url)
    try:
        resolutions.correct_resolution(
            current_user,
            resolution,
            reason=form.reason.data,
            text=form.text.data,
            moved_by_id=form.moved_by_id.data,
            seconded_by_id=form.seconded_by_id.data,
            outcome=form.outcome.data,
            votes_for=form.votes_for.data,
            votes_against=form.votes_against.data,
            abstentions=form.abstentions.data,
            casting_vote=form.casting_vote.data,
        )
    except resolutions.ResolutionStateError as exc:
        db.session.rollback()
        return again(409, error=str(exc))
    except resolutions.ResolutionInvalidError as exc:
        db.session.rollback()
        _apply_errors(form, exc.errors)
        return again(422)
    claim.done(done_url)
    db.session.commit()
    flash(_("Resolution %(number)s was corrected.", number=resolution.number), "success")
    return redirect(done_url)
