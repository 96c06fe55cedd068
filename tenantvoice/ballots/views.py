"""The ballot pages every question shares: vote, participation, result, and the officers' paper
check-in, paper count and early close. Recommendations and polls link here (or embed the
partials); their own pages come with their issues.

A GET never writes: past its closing time a question shows as closed even before the worker
has closed it. No page with a ballot is cached offline, and no secret ballot form carries an
idempotency key (it would link the voter to the ballot, B-01): the roll's primary key is the
only guard against a second ballot.
"""

import logging
from collections.abc import Callable

import sqlalchemy.orm as so
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenantvoice import policy
from tenantvoice.ballots import forms, labels, queries, services
from tenantvoice.ballots.errors import BallotError, BallotStorageError
from tenantvoice.ballots.models import Elector, Mode, Purpose, Question
from tenantvoice.extensions import db
from tenantvoice.web.htmx import render_htmx
from tenantvoice.web.i18n import of_name

logger = logging.getLogger(__name__)

bp = Blueprint("ballots", __name__)

#: The page of an owner that shows its questions itself (a poll: "polls.show"), set by that
#: domain's blueprint when the factory registers it. The question page sends readers there, and
#: the pages here never show such a question's result: it is published one way only (a poll's
#: with its cells protected by anonymity.protect).
OWNER_PAGES: dict[Purpose, str] = {}

#: The link back to the object a question votes on (a recommendation), set by that domain's
#: blueprint like OWNER_PAGES: `SUBJECT_LINKS[purpose](question)` is its page's path for the
#: current reader, or None when there is none or the reader may not see it (its own policy).
SUBJECT_LINKS: dict[Purpose, Callable[[Question], str | None]] = {}


@bp.app_context_processor
def ballots_globals():
    return {"ballot_labels": labels}


def _load(question_id: int) -> tuple[Question, Elector | None]:
    """The question, for those who may see it (404 for everyone else)."""
    question = db.session.get(
        Question, question_id, options=[so.selectinload(Question.choices)]
    ) or abort(404)
    elector = services.elector_of(question, current_user)
    policy.require(policy.can_see_question(current_user, question, elector), hide=True)
    return question, elector


def _page_context(question: Question, elector: Elector | None, **extra) -> dict:
    state = queries.voter_state(question, current_user)
    return dict(
        question=question,
        state=state,
        participation=queries.participation(question),
        result=queries.result_view(question)
        if question.is_over and question.purpose not in OWNER_PAGES
        else None,
        can_vote=policy.can_vote(current_user, question, elector)
        and (not state.voted or (question.mode == Mode.OPEN and state.answer is not None)),
        can_see_roll=policy.can_see_roll(current_user, question),
        can_close=policy.can_close_question(current_user, question),
        can_count_paper=policy.can_enter_paper_count(current_user, question),
        subject_url=SUBJECT_LINKS[question.purpose](question)
        if question.purpose in SUBJECT_LINKS
        else None,
        answer=extra.pop("answer", state.answer),
        **extra,
    )


def _refusal(question, elector, error: BallotError, **extra):
    db.session.rollback()
    return render_template(
        "ballots/question.html", **_page_context(question, elector, error=error, **extra)
    ), error.status


@bp.get("/ballots/<int:question_id>")
@login_required
def question(question_id: int):
    """Show a question: how to vote (or that you voted), participation, and once closed the
    result."""
    question, elector = _load(question_id)
    if question.purpose in OWNER_PAGES:
        return redirect(url_for(OWNER_PAGES[question.purpose], question_id=question.id))
    return render_template("ballots/question.html", **_page_context(question, elector))


@bp.get("/ballots/<int:question_id>/participation")
@login_required
def participation(question_id: int):
    """Show n of N (polled while the question is open; never the tally)."""
    question, _elector = _load(question_id)
    return render_htmx(
        "ballots/participation.html",
        "ballots/_participation.html",
        question=question,
        participation=queries.participation(question),
    )


@bp.post("/ballots/<int:question_id>/vote")
@login_required
def vote(question_id: int):
    """Cast (or, for a named vote, change) the user's ballot. A secret ballot is reviewed first:
    the review page shows the choice and casts it only when confirmed."""
    question, elector = _load(question_id)
    answer = forms.answer_from(question, request.form)
    if question.is_secret and request.form.get("confirm") != "yes":
        try:
            services.check_ballot(current_user, question, answer)
        except BallotError as error:
            return _refusal(question, elector, error, answer=answer)
        return render_template(
            "ballots/review.html",
            question=question,
            answer=answer,
            hidden=forms.hidden_fields(question, answer),
        )
    try:
        done = services.cast(current_user, question, answer)
    except BallotError as error:
        return _refusal(question, elector, error, answer=answer)
    except BallotStorageError:
        db.session.rollback()
        logger.error("A ballot could not be stored for question %s", question.id)
        abort(500)
    db.session.commit()
    if done == "changed":
        flash(_("Your vote was changed."), "success")
    else:
        flash(_("Your vote was recorded."), "success")
    return redirect(url_for("ballots.question", question_id=question.id))


# --- officers: paper ballots and early close ------------------------------------------------------


def _for_officers(question_id: int) -> Question:
    question, _elector = _load(question_id)
    policy.require(policy.can_see_roll(current_user, question))
    return question


def _paper_context(question: Question, q: str = "", **extra) -> dict:
    return dict(
        question=question,
        q=q,
        rows=queries.check_in_list(question, q),
        participation=queries.participation(question),
        can_check_in=policy.can_check_in_paper(current_user, question),
        **extra,
    )


@bp.get("/ballots/<int:question_id>/paper")
@login_required
def paper(question_id: int):
    """Show the roll for checking in paper ballots: who may vote, and who already did (never
    what)."""
    question = _for_officers(question_id)
    q = request.args.get("q", "")[:60]
    return render_htmx("ballots/paper.html", "ballots/_roll.html", **_paper_context(question, q))


@bp.route("/ballots/<int:question_id>/paper/check-in", methods=["GET", "POST"])
@login_required
def check_in(question_id: int):
    """Check a person in on the roll as their paper ballot is handed in (a named question's
    paper ballot is entered with it)."""
    question = _for_officers(question_id)
    person = (request.values.get("person") or "")[:200]
    elector = db.session.get(Elector, (question.id, person)) if person else None
    if elector is None:
        abort(404)
    if request.method == "GET":
        policy.require(question.mode == Mode.OPEN)
        return render_template("ballots/check_in.html", question=question, elector=elector)
    answer = forms.answer_from(question, request.form) if question.mode == Mode.OPEN else None
    try:
        outcome = services.check_in_paper(current_user, question, person, answer)
    except BallotError as error:
        db.session.rollback()
        if question.mode == Mode.OPEN and error.status == 422:
            return render_template(
                "ballots/check_in.html",
                question=question,
                elector=elector,
                error=error,
                answer=answer,
            ), 422
        return render_template(
            "ballots/paper.html", **_paper_context(question, error=error)
        ), error.status
    db.session.commit()
    if outcome == services.CHECKED_IN:
        flash(
            _(
                "%(name)s is checked in: put the paper ballot in the box.",
                name=of_name(elector.name),
            ),
            "success",
        )
    elif outcome == services.VOTED_IN_APP:
        flash(
            _(
                "%(name)s already voted in the app: set this paper ballot aside, unopened.",
                name=elector.name,
            ),
            "warning",
        )
    else:
        flash(
            _("%(name)s already handed in a paper ballot: set this one aside.", name=elector.name),
            "warning",
        )
    return redirect(url_for("ballots.paper", question_id=question.id, q=request.form.get("q")))


@bp.route("/ballots/<int:question_id>/paper/count", methods=["GET", "POST"])
@login_required
def paper_count(question_id: int):
    """Enter the paper ballots' counts after closing (never one person's ballot)."""
    question = _for_officers(question_id)
    if not policy.can_enter_paper_count(current_user, question):
        return render_template(
            "ballots/paper_count.html", question=question, not_now=True, values={}
        ), 409
    values = request.form if request.method == "POST" else {}
    if request.method == "GET":
        return render_template("ballots/paper_count.html", question=question, values=values)
    try:
        counts = forms.paper_counts_from(question, request.form)
        services.enter_paper_count(current_user, question, counts)
    except BallotError as error:
        db.session.rollback()
        return render_template(
            "ballots/paper_count.html", question=question, values=values, error=error
        ), error.status
    db.session.commit()
    flash(_("The paper ballots were added: the result is final."), "success")
    return redirect(url_for("ballots.question", question_id=question.id))


@bp.route("/ballots/<int:question_id>/close", methods=["GET", "POST"])
@login_required
def close(question_id: int):
    """Close a question before its time, once an officer confirms."""
    question = _for_officers(question_id)
    if not policy.can_close_question(current_user, question):
        return render_template("ballots/close.html", question=question, not_now=True), 409
    if request.method == "GET":
        return render_template("ballots/close.html", question=question)
    if request.form.get("confirm") != "yes":
        return render_template(
            "ballots/close.html",
            question=question,
            error=_("Tick the box to confirm that the vote closes now."),
        ), 422
    services.close_question(question, actor=current_user)
    db.session.commit()
    flash(_("The vote is closed."), "success")
    return redirect(url_for("ballots.question", question_id=question.id))
