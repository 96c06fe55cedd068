"""Poll pages: a body's polls, creating one, answering on a phone, printing paper ballots, the
result with its chart and its CSV. A poll is a question of the ballots mechanism: checking in
paper ballots, entering the paper count and closing early are the ballots pages, linked from
here.

A GET never writes. No page with a ballot is cached offline, and no secret answer form carries
an idempotency key (it would link the answer to the person, B-01): the voter roll's primary key
is the only guard against a second answer (a double tap, a retry, paper then the app)."""

import csv
import io
import logging
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from tenantvoice import clock, policy
from tenantvoice.ballots import anonymity
from tenantvoice.ballots import forms as ballot_forms
from tenantvoice.ballots import labels as ballot_labels
from tenantvoice.ballots import queries as ballot_queries
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots import views as ballot_views
from tenantvoice.ballots.errors import BallotError, BallotInvalidError, BallotStorageError
from tenantvoice.ballots.models import Audience, Elector, Kind, Mode, Purpose, Question
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Site
from tenantvoice.polls import forms, labels, queries, services
from tenantvoice.polls.models import PollDraft
from tenantvoice.web.i18n import datetime_label, render_per_language
from tenantvoice.web.ids import parse_id

logger = logging.getLogger(__name__)

bp = Blueprint("polls", __name__)


@bp.record_once
def _poll_pages(_state) -> None:
    """A poll's question is shown here, never on the ballots question page (see OWNER_PAGES)."""
    ballot_views.OWNER_PAGES[Purpose.POLL] = "polls.show"


#: The form fields the ballots service names in its refusals.
FIELD_OF = {
    "title": "title",
    "explanation": "explanation",
    "max_choices": "max_choices",
    "closes_at": "closes_at",
    "opens_at": "opens_at",
    "results_live": "results",
    "sites": "sites",
    "confirm_small_electorate": "confirm_small",
}
#: A meeting made from the best date lasts this long by default (the form lets it change).
MEETING_LENGTH = timedelta(hours=2)


@bp.app_context_processor
def polls_globals():
    return {"poll_labels": labels, "percent": _percent}


def _percent(whole: int) -> str:
    """45 → "45 %" (French, with a no-break space) or "45%" (English)."""
    return format_percent(whole / 100)


def _body(body_id: int) -> Body:
    body = db.get_or_404(Body, body_id)
    policy.require(policy.can_list_polls(current_user, body), hide=True)
    return body


def _poll(question_id: int) -> tuple[Question, Elector | None]:
    """The poll, for those who may see it (404 for everyone else and for other questions)."""
    question = db.get_or_404(Question, question_id)
    if question.purpose != Purpose.POLL:
        abort(404)
    elector = ballots.elector_of(question, current_user)
    policy.require(policy.can_see_poll(current_user, question, elector), hide=True)
    return question, elector


@bp.get("/bodies/<int:body_id>/polls")
@login_required
def body_list(body_id: int):
    """The body's polls: open, closed, and for the officers those not open yet."""
    body = _body(body_id)
    officer = policy.can_see_scheduled_polls(current_user, body)
    return render_template(
        "polls/list.html",
        body=body,
        polls=queries.polls_of(body, with_scheduled=officer),
        drafts=queries.drafts_of(body) if policy.can_create_poll(current_user, body) else [],
        can_create=policy.can_create_poll(current_user, body),
    )


# --- creating ------------------------------------------------------------------------------------


def _provider_sites(body: Body) -> list[Site]:
    return list(
        db.session.scalars(
            db.select(Site)
            .where(Site.provider_id == body.provider_id, Site.active.is_(True))
            .order_by(Site.name)
        )
    )


def _form_page(body, form, choices, dates, choice_error=None, status=200, draft=None):
    return render_template(
        "polls/form.html",
        body=body,
        form=form,
        choices=choices,
        dates=dates,
        choice_error=choice_error,
        draft=draft,
        now_local=forms.local_text(clock.now()),
    ), status


def _draft(body: Body, draft_id) -> PollDraft | None:
    """The body's draft named by the form or the link (404 for another body's)."""
    if not draft_id:
        return None
    draft = db.session.get(PollDraft, parse_id(str(draft_id)) or 0)
    if draft is None or draft.body_id != body.id:
        abort(404)
    return draft


@bp.route("/bodies/<int:body_id>/polls/new", methods=["GET", "POST"])
@login_required
def create(body_id: int):
    """Create a poll, or save it as a draft. Adding or removing a choice posts the form back
    (no JavaScript needed)."""
    body = _body(body_id)
    policy.require(policy.can_create_poll(current_user, body))
    draft = _draft(body, request.values.get("draft"))
    if request.method == "GET" and draft is not None:
        typed = MultiDict([(k, v) for k, values in draft.fields.items() for v in values])
        form = forms.PollForm(formdata=typed)
    else:
        typed = request.form
        form = forms.PollForm()
    form.sites.choices = [SelectChoice(s.id, s.name) for s in _provider_sites(body)]
    if request.method == "GET" and draft is None:
        form.sites.data = [s.id for s in body.sites]
        blank = forms.Rows(texts=[""] * forms.START_ROWS)
        return _form_page(body, form, blank, forms.Rows(texts=[""] * forms.START_ROWS))
    kind = form.kind.data if form.kind.data in {k.value for k in forms.POLL_KINDS} else "single"
    action = (request.form.get("action") or "")[:30]
    choices = forms.rows_from("choice", typed, action)
    dates = forms.rows_from("date", typed, action)
    if request.method == "GET":
        return _form_page(body, form, choices, dates, draft=draft)
    if action == "draft":
        services.save_draft(current_user, body, request.form, draft)
        db.session.commit()
        flash(_("The draft is saved. Only the officers see it."), "success")
        return redirect(url_for("polls.body_list", body_id=body.id))
    if action:
        # A row was added or removed: show the form again, nothing checked or recorded yet.
        return _form_page(body, form, choices, dates, draft=draft)
    rows = dates if kind == Kind.DATES else choices
    valid = form.validate()
    if not valid or rows.error:
        return _form_page(body, form, choices, dates, rows.error, 422, draft)
    try:
        services.create_poll(
            current_user,
            body,
            title=form.title.data,
            explanation=form.explanation.data or "",
            kind=Kind(kind),
            choices=rows.values,
            max_choices=form.max_choices.data,
            audience=Audience(form.audience.data),
            sites=services.sites_by_id(form.sites.data or []),
            opens_at=forms.local(request.form.get("opens_at", "")),
            closes_at=forms.local(request.form.get("closes_at", "")),
            mode=Mode(form.mode.data),
            results_live=form.results.data == "live",
            confirm_small_electorate=bool(form.confirm_small.data),
        )
    except BallotInvalidError as error:
        db.session.rollback()
        field = FIELD_OF.get(error.field or "")
        if field is None:
            return _form_page(body, form, choices, dates, error.message, 422, draft)
        getattr(form, field).errors = [*getattr(form, field).errors, error.message]
        return _form_page(body, form, choices, dates, None, 422, draft)
    if draft is not None:
        services.delete_draft(current_user, draft)
    db.session.commit()
    flash(_("The poll is saved."), "success")
    return redirect(url_for("polls.body_list", body_id=body.id))


@bp.post("/bodies/<int:body_id>/polls/drafts/<int:draft_id>/delete")
@login_required
def delete_draft(body_id: int, draft_id: int):
    """Delete a poll draft (nothing was ever asked: no answer is lost)."""
    body = _body(body_id)
    policy.require(policy.can_create_poll(current_user, body))
    draft = _draft(body, draft_id)
    assert draft is not None  # noqa: S101 - _draft answers 404 otherwise
    services.delete_draft(current_user, draft)
    db.session.commit()
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("polls.body_list", body_id=body.id))


# --- answering -----------------------------------------------------------------------------------


def _page_context(question: Question, elector: Elector | None, **extra) -> dict:
    state = ballot_queries.voter_state(question, current_user)
    result = queries.result_of(question) if question.is_over else None
    officer = policy.can_see_roll(current_user, question)
    best = result.best if result and question.kind == Kind.DATES else None
    return dict(
        question=question,
        state=state,
        participation=ballot_queries.participation(question),
        result=result,
        live=queries.live_counts(question)
        if question.results_live and not question.is_over
        else None,
        can_answer=policy.can_vote(current_user, question, elector)
        and (not state.voted or (question.mode == Mode.OPEN and state.answer is not None)),
        officer=officer,
        can_print=policy.can_print_poll(current_user, question),
        can_close=policy.can_close_question(current_user, question),
        can_count_paper=policy.can_enter_paper_count(current_user, question),
        meeting_url=_meeting_url(question, best)
        if best and policy.can_schedule_meeting(current_user, question.body)
        else None,
        answer=extra.pop("answer", state.answer),
        **extra,
    )


def _meeting_url(question: Question, best) -> str:
    starts = best.choice.starts_at.astimezone(clock.MONTREAL)
    ends = starts + MEETING_LENGTH
    return url_for(
        "meetings.create",
        body_id=question.body_id,
        title=question.title[:200],
        day=starts.date().isoformat(),
        start_time=starts.strftime("%H:%M"),
        end_time=ends.strftime("%H:%M") if ends.date() == starts.date() else "23:59",
    )


@bp.get("/polls/<int:question_id>")
@login_required
def show(question_id: int):
    """The poll: answer it (one screen), its participation, and once closed its result."""
    question, elector = _poll(question_id)
    return render_template("polls/show.html", **_page_context(question, elector))


@bp.post("/polls/<int:question_id>/answer")
@login_required
def answer(question_id: int):
    """Answer (or change a named answer). A secret answer is reviewed first, then final."""
    question, elector = _poll(question_id)
    given = ballot_forms.answer_from(question, request.form)
    try:
        if question.is_secret and request.form.get("confirm") != "yes":
            ballots.check_ballot(current_user, question, given)
            return render_template(
                "polls/review.html",
                question=question,
                answer=given,
                hidden=ballot_forms.hidden_fields(question, given),
            )
        done = ballots.cast(current_user, question, given)
    except BallotError as error:
        db.session.rollback()
        context = _page_context(question, elector, error=error, answer=given)
        return render_template("polls/show.html", **context), error.status
    except BallotStorageError:
        db.session.rollback()
        logger.error("An answer could not be stored for poll %s", question.id)
        abort(500)
    db.session.commit()
    if done == "changed":
        flash(_("Your answer was changed."), "success")
    else:
        flash(_("Your answer was recorded. Thank you!"), "success")
    return redirect(url_for("polls.show", question_id=question.id))


# --- paper and results ---------------------------------------------------------------------------


@bp.get("/polls/<int:question_id>/print")
@login_required
def print_ballots(question_id: int):
    """Blank paper ballots in large type, in French, English or both, with no identifying
    mark (no number, no name, nothing that differs from one copy to the next)."""
    question, _elector = _poll(question_id)
    policy.require(policy.can_print_poll(current_user, question))
    chosen = request.args.get("lang", "both")
    if chosen not in labels.PRINT_LANGUAGES:
        chosen = "both"
    locales = {"fr": ["fr_CA"], "en": ["en"], "both": ["fr_CA", "en"]}[chosen]
    copies = render_per_language("polls/_paper_ballot.html", locales, question=question)
    return render_template("polls/print.html", question=question, copies=copies, chosen=chosen)


def _cell(shown: anonymity.Shown) -> str:
    if shown.hidden:
        return _("fewer than 5") if shown.state == anonymity.SMALL else _("hidden")
    return str(shown.value)


def _csv_safe(text: str) -> str:
    """A spreadsheet must not run a label as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/polls/<int:question_id>/results.csv")
@login_required
def results_csv(question_id: int):
    """The published result as CSV: the same protected cells as the page and the chart."""
    question, elector = _poll(question_id)
    policy.require(policy.can_export_poll_results(current_user, question, elector))
    result = queries.result_of(question)
    if result is None:
        abort(409)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Question"), _csv_safe(question.title)])
    writer.writerow([_("Answered"), result.turnout])
    writer.writerow([_("Could answer"), result.electorate])
    writer.writerow([_("In the app"), result.app])
    writer.writerow([_("On paper"), result.paper])
    writer.writerow([])
    if result.below_threshold:
        writer.writerow([_("Fewer than 5 answers: only the participation is published.")])
    else:
        header = [_("Choice"), _("Answers"), _("Percentage")]
        if question.kind == Kind.DATES:
            header = [_("Date"), _("Yes"), _("Percentage"), _("If needed")]
        writer.writerow(header)
        for row in result.rows:
            label = (
                datetime_label(row.choice.starts_at, "full")
                if question.kind == Kind.DATES
                else ballot_labels.choice_label(row.choice)
            )
            line = [_csv_safe(label), _cell(row.count), "" if row.percent is None else row.percent]
            if row.maybe is not None:
                line.append(_cell(row.maybe))
            writer.writerow(line)
        if result.by_site is not None:
            writer.writerow([])
            writer.writerow(
                [_("Building")]
                + [_csv_safe(ballot_labels.choice_label(c)) for c in question.choices]
            )
            for name, cells in zip(result.sites, result.by_site.cells, strict=True):
                writer.writerow(
                    [_csv_safe(name or _("No building on file"))] + [_cell(c) for c in cells]
                )
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="poll-{question.id}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
