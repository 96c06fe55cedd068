"""Verbs of the ballots domain: create, open, cast, check in on paper, enter the paper count,
close. They flush, never commit (the view commits once), except `close_due_questions`, the
worker's job, which commits each question it closes.

Every refusal raises a `BallotError` with a translated message before anything is written, or
leaves the transaction for the caller to roll back. Nothing here logs or audits a choice.
"""

import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tenantvoice import audit, clock
from tenantvoice.accounts.models import User
from tenantvoice.ballots import counting, electorate, storage
from tenantvoice.ballots.anonymity import K
from tenantvoice.ballots.errors import (
    AlreadyVotedError,
    BallotInvalidError,
    NotEligibleError,
    QuestionStateError,
    VotingClosedError,
)
from tenantvoice.ballots.models import (
    Audience,
    Channel,
    Choice,
    Elector,
    Kind,
    Majority,
    Mode,
    NamedVote,
    Purpose,
    Question,
    QuorumMode,
    RollEntry,
    Status,
    TallyCell,
)
from tenantvoice.ballots.rules import Rules
from tenantvoice.ballots.signals import result_final
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.models import rowcount
from tenantvoice.notifications.services import notify
from tenantvoice.orgs.models import Body, Franchise
from tenantvoice.orgs.models import QuorumMode as BodyQuorumMode
from tenantvoice.search import fold

logger = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_EXPLANATION = 5000
MAX_LABEL = 200
MAX_CHOICES = 30

#: Fixed answers of the two kinds that have them, in display order.
FIXED_CODES = {Kind.MOTION: ("for", "against", "abstain"), Kind.YES_NO: ("yes", "no")}


# --- creating and opening ------------------------------------------------------------------------


def default_rules(body: Body, kind: Kind) -> Rules:
    """A motion follows the body's by-laws (its quorum, simple majority, abstentions not
    counted); a poll has no quorum."""
    if kind != Kind.MOTION:
        return Rules()
    if body.quorum_mode == BodyQuorumMode.NUMBER:
        return Rules(quorum_mode=QuorumMode.NUMBER, quorum_value=body.quorum_number)
    return Rules(
        quorum_mode=QuorumMode.PERCENT,
        quorum_value=body.quorum_percent,
        quorum_minimum=body.quorum_minimum,
    )


def _check_choices(kind: Kind, choices: Any) -> list[Choice]:
    if kind in FIXED_CODES:
        return [Choice(position=i, code=code) for i, code in enumerate(FIXED_CODES[kind])]
    choices = list(choices or [])
    if len(choices) < 2:
        raise BallotInvalidError(_l("Give at least two choices."), "choices")
    if len(choices) > MAX_CHOICES:
        raise BallotInvalidError(
            _l("Give at most %(count)d choices.", count=MAX_CHOICES), "choices"
        )
    if kind == Kind.DATES:
        if not all(isinstance(c, datetime) and c.tzinfo is not None for c in choices):
            raise BallotInvalidError(_l("Each choice must be a date and a time."), "choices")
        if len(set(choices)) != len(choices):
            raise BallotInvalidError(_l("The same date is given twice."), "choices")
        return [Choice(position=i, starts_at=when) for i, when in enumerate(sorted(choices))]
    labels = [" ".join(str(c).split()) for c in choices]
    if any(not label for label in labels):
        raise BallotInvalidError(_l("A choice is empty."), "choices")
    if any(len(label) > MAX_LABEL for label in labels):
        raise BallotInvalidError(
            _l("A choice is longer than %(count)d characters.", count=MAX_LABEL), "choices"
        )
    if len({fold(label) for label in labels}) != len(labels):
        raise BallotInvalidError(_l("The same choice is given twice."), "choices")
    return [Choice(position=i, label=label) for i, label in enumerate(labels)]


def _check_rules(rules: Rules) -> None:
    if rules.quorum_value < 0 or rules.quorum_minimum < 0:
        raise BallotInvalidError(_l("The quorum cannot be negative."), "quorum_value")
    if rules.quorum_mode == QuorumMode.PERCENT and rules.quorum_value > 100:
        raise BallotInvalidError(_l("A quorum in percent is at most 100."), "quorum_value")


def electorate_now(
    body: Body, audience: Audience, franchise: Franchise, sites: Any = (), given: list | None = None
) -> list:
    """The electorate a question would have if it opened now (`given`: the caller's own)."""
    if audience == Audience.GIVEN or given is not None:
        return list(given or [])
    site_ids = [s.id for s in sites] or electorate.body_site_ids(body)
    return electorate.compute(body, audience, franchise, site_ids)


def create_question(
    actor: User,
    body: Body,
    *,
    purpose: Purpose,
    title: str,
    kind: Kind,
    closes_at: datetime,
    choices: Iterable = (),
    subject_id: int | None = None,
    meeting: Meeting | None = None,
    explanation: str = "",
    mode: Mode | None = None,
    rules: Rules | None = None,
    max_choices: int | None = None,
    audience: Audience = Audience.MEMBERS,
    sites: Iterable = (),
    franchise: Franchise | None = None,
    opens_at: datetime | None = None,
    results_live: bool = False,
    electorate_given: list | None = None,
    confirm_small_electorate: bool = False,
) -> Question:
    """Create a question; it opens at once when `opens_at` is now or past (None: now).

    Refused (BallotInvalidError, with the form field): no title, fewer than two or duplicate
    choices, k out of range, a window closing in the past or before it opens, live counts of a
    secret question, sites of another provider, and a secret question that fewer than 5 people could
    answer unless `confirm_small_electorate` (B-14: its result could not be published with
    counts; the confirmation is audited).
    """
    now = clock.now()
    title = " ".join((title or "").split())
    if not title:
        raise BallotInvalidError(_l("Write the question."), "title")
    if len(title) > MAX_TITLE:
        raise BallotInvalidError(
            _l("The question is longer than %(count)d characters.", count=MAX_TITLE), "title"
        )
    if len(explanation or "") > MAX_EXPLANATION:
        raise BallotInvalidError(
            _l("The explanation is longer than %(count)d characters.", count=MAX_EXPLANATION),
            "explanation",
        )
    opens_at = max(opens_at or now, now)
    if closes_at is None or closes_at.tzinfo is None:
        raise BallotInvalidError(_l("Give a closing date and time."), "closes_at")
    if closes_at <= now:
        raise BallotInvalidError(_l("The closing time is already past."), "closes_at")
    if closes_at <= opens_at:
        raise BallotInvalidError(_l("The vote must close after it opens."), "closes_at")
    built = _check_choices(kind, choices)
    if kind == Kind.MULTIPLE:
        if not max_choices or max_choices < 1 or max_choices > len(built):
            raise BallotInvalidError(
                _l(
                    "Choose how many answers each person may give, from 1 to %(count)d.",
                    count=len(built),
                ),
                "max_choices",
            )
    else:
        max_choices = None
    mode = mode or (Mode.SECRET if body.secret_ballot_default else Mode.OPEN)
    if results_live and mode == Mode.SECRET:
        raise BallotInvalidError(
            _l(
                "Live results are for named votes only: they would let someone watching link a "
                "secret answer to the moment it was cast."
            ),
            "results_live",
        )
    rules = rules or default_rules(body, kind)
    _check_rules(rules)
    sites = list(sites)
    if any(site.provider_id != body.provider_id for site in sites):
        raise BallotInvalidError(_l("Choose buildings of this housing provider."), "sites")
    if audience == Audience.SITES and not sites:
        raise BallotInvalidError(_l("Choose at least one building."), "sites")
    if meeting is not None and meeting.body_id != body.id:
        raise BallotInvalidError(_l("This meeting belongs to another body."), "meeting")
    franchise = franchise or body.franchise
    if electorate_given is not None and opens_at > now:
        raise BallotInvalidError(
            _l("A vote with its own list of voters opens at once."), "opens_at"
        )
    small = False
    if mode == Mode.SECRET:
        given = electorate_now(body, audience, franchise, sites, electorate_given)
        small = len({e.vote_key for e in given}) < K
        if small and not confirm_small_electorate:
            raise BallotInvalidError(
                _l(
                    "Fewer than %(k)d people can vote: the result of a secret vote will be "
                    "published without counts. Confirm to go on.",
                    k=K,
                ),
                "confirm_small_electorate",
            )
    question = Question(
        body=body,
        purpose=purpose,
        subject_id=subject_id,
        meeting=meeting,
        title=title,
        explanation=explanation or "",
        kind=kind,
        mode=mode,
        max_choices=max_choices,
        audience=Audience.GIVEN if electorate_given is not None else audience,
        franchise=franchise,
        quorum_mode=rules.quorum_mode,
        quorum_value=rules.quorum_value,
        quorum_minimum=rules.quorum_minimum,
        majority=rules.majority,
        count_abstentions=rules.count_abstentions,
        results_live=results_live,
        opens_at=opens_at,
        closes_at=closes_at,
        status=Status.SCHEDULED,
        created_by_id=getattr(actor, "id", None),
        choices=built,
        sites=sites,
    )
    db.session.add(question)
    db.session.flush()
    audit.record("ballot.create", actor=actor, body_id=body.id, obj=question)
    if small:
        audit.record(
            "ballot.small_electorate_confirmed", actor=actor, body_id=body.id, obj=question
        )
    if opens_at <= now:
        open_question(question, electorate_given=electorate_given)
    return question


def open_question(question: Question, *, electorate_given: list | None = None) -> bool:
    """Open a scheduled question: snapshot its electorate. Safe to call twice at once: one
    caller opens, the other gets False."""
    now = clock.now()
    opened = rowcount(
        db.session.execute(
            sa.update(Question)
            .where(Question.id == question.id, Question.status == Status.SCHEDULED)
            .values(status=Status.OPEN, opened_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if opened != 1:
        db.session.refresh(question)
        return False
    specs = electorate_now(
        question.body, question.audience, question.franchise, question.sites, electorate_given
    )
    if specs:
        db.session.execute(
            sa.insert(Elector),
            [
                {
                    "question_id": question.id,
                    "person_key": s.person_key,
                    "vote_key": s.vote_key,
                    "user_id": s.user_id,
                    "member_id": s.member_id,
                    "name": s.name[:120],
                    "site_id": s.site_id,
                    "unit": (s.unit or "")[:20],
                }
                for s in specs
            ],
        )
    size = len({s.vote_key for s in specs})
    db.session.execute(
        sa.update(Question)
        .where(Question.id == question.id)
        .values(electorate_size=size)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.refresh(question)
    notify(kind_key(question, "open"), question, once_key=f"ballot.open:{question.id}")
    return True


def kind_key(question: Question, event: str) -> str:
    """The notification kind of `event` ("open", "closing", "result") for this question: a poll's
    own kind ("poll.open", polls/kinds.py), else the vote's ("ballot.open", ballots/kinds.py).
    The events' once keys stay "ballot.…:<id>" for both: one question, one event of each."""
    return f"{'poll' if question.purpose == Purpose.POLL else 'ballot'}.{event}"


def _open_if_due(question: Question) -> None:
    if question.status == Status.SCHEDULED and question.opens_at <= clock.now():
        open_question(question)


# --- casting -------------------------------------------------------------------------------------


def elector_of(question: Question, user: User) -> Elector | None:
    """The user's line in the electorate, if they are in it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Elector).where(Elector.question_id == question.id, Elector.user_id == user.id)
    )


def ensure_accepting(question: Question) -> None:
    """Refuse (VotingClosedError) unless the question takes ballots now, by the clock."""
    now = clock.now()
    if question.status == Status.SCHEDULED or now < question.opens_at:
        raise VotingClosedError(_l("Voting has not opened yet."))
    if not question.accepts_ballots:
        raise VotingClosedError(_l("Voting is closed: no more ballots are accepted."))


def _already_voted(question: Question, elector: Elector) -> AlreadyVotedError:
    if elector.vote_key != elector.person_key:
        return AlreadyVotedError(_l("Your unit has voted: one ballot per unit counts."))
    return AlreadyVotedError(_l("You have already voted."))


def _encode(question: Question, answer: Any) -> str:
    return counting.encode(
        question.kind, [c.id for c in question.choices], answer, max_choices=question.max_choices
    )


def _add_named(question: Question, elector: Elector, content: str, channel: Channel) -> None:
    db.session.add(
        NamedVote(
            question_id=question.id,
            vote_key=elector.vote_key,
            person_key=elector.person_key,
            content=content,
            channel=channel,
        )
    )


def check_ballot(user: User, question: Question, answer: Any) -> str:
    """Check a ballot without casting it, with the refusals `cast` would give (the review step
    before a secret ballot is cast). Writes nothing."""
    ensure_accepting(question)
    elector = elector_of(question, user)
    if elector is None:
        raise NotEligibleError(
            _l("You are not on the list of people who can vote on this question.")
        )
    content = _encode(question, answer)
    if db.session.get(RollEntry, (question.id, elector.vote_key)) is not None:
        raise _already_voted(question, elector)
    return content


def cast(user: User, question: Question, answer: Any) -> str:
    """Cast the user's ballot; returns "cast", or "changed" for a named vote changed again.

    A second ballot (double tap, retry, second device, after a paper ballot) raises
    AlreadyVotedError and changes nothing; a secret ballot is final. Order matters: the roll row
    is written first and its primary key decides; the ballot follows in the same transaction.
    """
    _open_if_due(question)
    ensure_accepting(question)
    elector = elector_of(question, user)
    if elector is None:
        raise NotEligibleError(
            _l("You are not on the list of people who can vote on this question.")
        )
    content = _encode(question, answer)
    if not storage.roll_insert(question.id, elector.vote_key, Channel.APP):
        if question.mode == Mode.OPEN:
            changed = rowcount(
                db.session.execute(
                    sa.update(NamedVote)
                    .where(
                        NamedVote.question_id == question.id,
                        NamedVote.vote_key == elector.vote_key,
                        NamedVote.person_key == elector.person_key,
                        NamedVote.channel == Channel.APP,
                    )
                    .values(content=content, updated_at=clock.now())
                )
            )
            if changed == 1:
                return "changed"
        raise _already_voted(question, elector)
    if question.is_secret:
        storage.put_in_box(question.id, content)
    else:
        _add_named(question, elector, content, Channel.APP)
    db.session.flush()
    return "cast"


# --- paper ---------------------------------------------------------------------------------------

CHECKED_IN = "checked_in"
VOTED_IN_APP = "voted_in_app"
ALREADY_ON_PAPER = "already_on_paper"


def check_in_paper(actor: User, question: Question, person_key: str, answer: Any = None) -> str:
    """An officer records that a person handed in a paper ballot (nothing about its content
    for a secret question: the ballot goes into the physical box).

    Returns CHECKED_IN; VOTED_IN_APP when the roll already holds the person or their unit from
    the app (the paper ballot is then set aside, unopened); ALREADY_ON_PAPER for a second paper
    ballot. A named question takes the person's `answer` (per-ballot entry of a named vote).
    """
    ensure_accepting(question)
    elector = db.session.get(Elector, (question.id, person_key))
    if elector is None:
        raise NotEligibleError(_l("This person is not on the list of people who can vote."))
    content = _encode(question, answer) if question.mode == Mode.OPEN else None
    if not storage.roll_insert(question.id, elector.vote_key, Channel.PAPER):
        existing = db.session.get(RollEntry, (question.id, elector.vote_key))
        return VOTED_IN_APP if existing and existing.channel == Channel.APP else ALREADY_ON_PAPER
    if content is not None:
        _add_named(question, elector, content, Channel.PAPER)
    db.session.flush()
    return CHECKED_IN


def paper_checked_in(question: Question) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                RollEntry.question_id == question.id, RollEntry.channel == Channel.PAPER
            )
        )
        or 0
    )


def _count(value: Any, field: str) -> int:
    text = str(value or 0).strip()
    # ASCII digits, at most nine: "²" is not a number, and a 400-digit one overflows INTEGER.
    if not re.fullmatch(r"-?[0-9]{1,9}", text):
        raise BallotInvalidError(_l("Enter a whole number."), field)
    n = int(text)
    if n < 0:
        raise BallotInvalidError(_l("A count cannot be negative."), field)
    return n


def paper_cells(question: Question, counts: Mapping, limit: int) -> dict[str, int]:
    """Check the paper count of a secret question and turn it into cells.

    `counts` by kind: MOTION, YES_NO, SINGLE: {choice id: ballots}; MULTIPLE: {choice id:
    ballots ticking it, "ballots": ballots counted}; DATES: {"<id>:y": n, "<id>:m": n,
    "ballots": n}; RANKING: {"ballots": [(ranking as list of ids, how many), …]}.
    Never more ballots than paper voters checked in (`limit`).
    """
    ids = [c.id for c in question.choices]
    cells: dict[str, int] = {}
    kind = question.kind
    if kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE):
        for i in ids:
            cells[str(i)] = _count(counts.get(i, counts.get(str(i))), f"count-{i}")
        ballots = sum(cells.values())
    elif kind == Kind.RANKING:
        ballots = 0
        for ranking, n in counts.get(counting.BALLOTS, []):
            n = _count(n, "ballots")
            if not n:
                continue
            content = counting.encode(
                kind, ids, {c: rank for rank, c in enumerate(ranking, start=1)}
            )
            cells[content] = cells.get(content, 0) + n
            ballots += n
    else:
        ballots = _count(counts.get(counting.BALLOTS), "ballots")
        keys = (
            [str(i) for i in ids]
            if kind == Kind.MULTIPLE
            else [f"{i}:{a}" for i in ids for a in ("y", "m")]
        )
        for key in keys:
            cells[key] = _count(counts.get(key, counts.get(_int_key(key))), f"count-{key}")
            if cells[key] > ballots:
                raise BallotInvalidError(
                    _l("A choice cannot have more marks than there are ballots."), f"count-{key}"
                )
        if kind == Kind.MULTIPLE and sum(cells.values()) > ballots * (question.max_choices or 1):
            raise BallotInvalidError(
                _l(
                    "More marks than the ballots allow (at most %(k)d each).",
                    k=question.max_choices or 1,
                ),
                "ballots",
            )
        if kind == Kind.DATES and any(cells[f"{i}:y"] + cells[f"{i}:m"] > ballots for i in ids):
            raise BallotInvalidError(
                _l("A date cannot have more answers than there are ballots."), "ballots"
            )
    if ballots > limit:
        raise BallotInvalidError(
            _l(
                "More paper ballots (%(count)d) than people checked in on paper (%(limit)d).",
                count=ballots,
                limit=limit,
            ),
            "ballots",
        )
    cells[counting.BALLOTS] = ballots
    return {k: v for k, v in cells.items() if v}


def _int_key(key: str) -> int | str:
    return int(key) if key.isdigit() else key


def enter_paper_count(actor: User, question: Question, counts: Mapping) -> None:
    """After closing, the officers enter the paper ballots of a secret question as counts (never
    one person's ballot), bounded by the paper voters checked in; the result becomes final."""
    if question.status != Status.CLOSED:
        raise QuestionStateError(_l("Paper ballots are counted after the vote closes."))
    if question.finalized_at is not None:
        raise QuestionStateError(_l("The paper ballots were already counted."))
    cells = paper_cells(question, counts, question.paper_checked_in or 0)
    _write_cells(question, Channel.PAPER, cells)
    question.paper_ballots = cells.get(counting.BALLOTS, 0)
    question.paper_entered_at = clock.now()
    question.paper_entered_by_id = getattr(actor, "id", None)
    audit.record("ballot.paper_count", actor=actor, body_id=question.body_id, obj=question)
    _finalize(question)


# --- closing and the result ----------------------------------------------------------------------


def _write_cells(question: Question, channel: Channel, cells: Mapping[str, int]) -> None:
    rows = [
        {"question_id": question.id, "channel": channel, "cell": cell, "count": n}
        for cell, n in sorted(cells.items())
        if n
    ]
    if rows:
        db.session.execute(sa.insert(TallyCell), rows)


def tally_cells(question: Question) -> dict[Channel, dict[str, int]]:
    out: dict[Channel, dict[str, int]] = {Channel.APP: {}, Channel.PAPER: {}}
    for row in db.session.scalars(sa.select(TallyCell).where(TallyCell.question_id == question.id)):
        out[row.channel][row.cell] = row.count
    return out


def result_of(question: Question) -> counting.Result | None:
    """The result of a closed question with a final count (None before)."""
    if question.finalized_at is None:
        return None
    return _counted(question)


def _counted(question: Question) -> counting.Result:
    """Count a question's ballots (app and paper) under its rules."""
    cells = tally_cells(question)
    return counting.compute_result(
        question.kind,
        list(question.choices),
        counting.merge(cells[Channel.APP], cells[Channel.PAPER]),
        electorate=question.electorate_size,
        turnout=(question.app_ballots or 0) + (question.paper_checked_in or 0),
        rules=Rules.of(question),
        seed=question.draw_seed,
    )


def _finalize(question: Question) -> None:
    now = clock.now()
    if question.kind == Kind.RANKING and question.draw_seed is None:
        question.draw_seed = secrets.randbits(48)
    question.finalized_at = now
    db.session.flush()
    result = _counted(question)
    question.outcome = result.outcome
    db.session.flush()
    result_final.send(question, question=question, result=result)
    notify(kind_key(question, "result"), question, once_key=f"ballot.result:{question.id}")


def close_question(question: Question, *, actor: User | None = None) -> bool:
    """Close: tally, keep the counts, and for a secret question delete its ballots and rewrite
    its roll (trust-and-safety §3.2); the tables are compacted after the commit. An officer
    closing early is `actor`. Returns False if the question was not open (already closed)."""
    now = clock.now()
    closed = rowcount(
        db.session.execute(
            sa.update(Question)
            .where(Question.id == question.id, Question.status == Status.OPEN)
            .values(
                status=Status.CLOSED,
                closed_at=now,
                closed_early_by_id=getattr(actor, "id", None) if now < question.closes_at else None,
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.session.refresh(question)
    if closed != 1:
        return False
    by_channel = dict(
        db.session.execute(
            sa.select(RollEntry.channel, sa.func.count())
            .where(RollEntry.question_id == question.id)
            .group_by(RollEntry.channel)
        ).all()
    )
    question.app_ballots = by_channel.get(Channel.APP, 0)
    question.paper_checked_in = by_channel.get(Channel.PAPER, 0)
    if question.is_secret:
        contents = storage.box_contents(question.id)
        _write_cells(question, Channel.APP, counting.cells_of(question.kind, contents))
        storage.empty_box_and_rewrite_roll(question.id)
        waits_for_paper = question.paper_checked_in > 0
    else:
        named = db.session.execute(
            sa.select(NamedVote.channel, NamedVote.content).where(
                NamedVote.question_id == question.id
            )
        ).all()
        split: dict[Channel, list[str]] = {Channel.APP: [], Channel.PAPER: []}
        for channel, content in named:
            split[channel].append(content)
        for channel, contents in split.items():
            _write_cells(question, channel, counting.cells_of(question.kind, contents))
        question.paper_ballots = len(split[Channel.PAPER])
        waits_for_paper = False
    audit.record(
        "ballot.close_early" if question.closed_early_by_id else "ballot.close",
        actor=actor,
        body_id=question.body_id,
        obj=question,
    )
    if not waits_for_paper:
        _finalize(question)
    db.session.flush()
    logger.info("Question %s closed (%s ballots in the app)", question.id, question.app_ballots)
    return True


def close_due_questions(now: datetime | None = None) -> dict[str, int]:
    """The worker's periodic job: bring every question in line with the clock — open those whose
    opening time has come (electorate snapshot) and close those whose closing time has passed
    (tally, clear secret ballots). Commits after each question (each is its own unit of work,
    and the secret ballots' storage is compacted after each commit). Returns counts."""
    now = now or clock.now()
    done = {"opened": 0, "closed": 0}
    due_open = db.session.scalars(
        sa.select(Question.id).where(Question.status == Status.SCHEDULED, Question.opens_at <= now)
    ).all()
    for question_id in due_open:
        question = db.session.get_one(Question, question_id)
        if open_question(question):
            done["opened"] += 1
        db.session.commit()
    due_close = db.session.scalars(
        sa.select(Question.id)
        .where(Question.status == Status.OPEN, Question.closes_at <= now)
        .order_by(Question.closes_at)
    ).all()
    for question_id in due_close:
        question = db.session.get_one(Question, question_id)
        try:
            if close_question(question):
                done["closed"] += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("Closing question %s failed; the next run retries", question_id)
    return done


#: "Closes in 24 hours" goes out from a day before the closing until an hour before it (a worker
#: that was down catches up, but never reminds someone of a vote about to close).
REMIND_BEFORE = timedelta(hours=24)
REMIND_UNTIL = timedelta(hours=1)


def remind_before_closing(now: datetime | None = None) -> int:
    """Remind the electors with an account who have not voted yet, once per question and closing
    time, that an open question closes within a day. Who has not voted comes from the roll,
    read by the system alone; the notification kind is private. Returns questions reminded."""
    now = now or clock.now()
    due = db.session.scalars(
        sa.select(Question)
        .where(
            Question.status == Status.OPEN,
            Question.closes_at > now + REMIND_UNTIL,
            Question.closes_at <= now + REMIND_BEFORE,
        )
        .order_by(Question.closes_at, Question.id)
    ).all()
    reminded = 0
    for question in due:
        opened_late = question.opened_at and question.opened_at > question.closes_at - REMIND_BEFORE
        if opened_late:
            continue  # opened less than a day before closing: the opening notice was enough
        not_voted = [
            user_id
            for user_id in db.session.scalars(
                sa.select(Elector.user_id).where(
                    Elector.question_id == question.id,
                    ~sa.exists().where(
                        RollEntry.question_id == question.id,
                        RollEntry.vote_key == Elector.vote_key,
                    ),
                )
            )
            if user_id is not None  # no account: reminded by the officers, on paper
        ]
        key = f"ballot.closing:{question.id}:{int(question.closes_at.timestamp())}"
        if not_voted and notify(
            kind_key(question, "closing"), question, only=not_voted, once_key=key
        ):
            reminded += 1
        db.session.commit()
    return reminded


# Importing Majority keeps it part of this module's public vocabulary for callers building
# Rules (services.Majority.TWO_THIRDS) without a second import.
__all__ = [
    "Majority",
    "cast",
    "check_in_paper",
    "close_due_questions",
    "close_question",
    "create_question",
    "elector_of",
    "enter_paper_count",
    "open_question",
    "paper_checked_in",
    "remind_before_closing",
    "result_of",
]
