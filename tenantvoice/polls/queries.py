"""Read helpers of the polls domain: a body's polls and a poll's published result, as the page,
the chart and the CSV show it. Every number they publish goes through `anonymity.protect`, so
the three hide the same cells (no hidden cell can be recomputed from one of them). None writes.

What a poll publishes (domain-rules §5.2: results only, never one person's answer):

* participation (answered / eligible) and how many answers came from the app and from paper;
* from 5 answers (or any named poll): the count and percentage of each choice, with cells from
  1 to 4 shown as "fewer than 5" and complementary cells hidden so they cannot be worked out;
  under 5 answers to a secret poll, the participation only;
* a ranking's instant-runoff rounds and average ranks when no round holds a count from 1 to 4;
* a named poll's answers by building, protected the same way. A secret poll has no breakdown by
  building: its ballot box holds nothing about who answered (B-01).
"""

from dataclasses import dataclass, field
from fractions import Fraction

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.ballots import anonymity, counting
from tenantvoice.ballots import queries as ballot_queries
from tenantvoice.ballots.models import (
    Choice,
    Elector,
    Kind,
    Mode,
    NamedVote,
    Purpose,
    Question,
    Status,
)
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Site
from tenantvoice.polls.models import PollDraft


@dataclass
class BodyPolls:
    scheduled: list[Question] = field(default_factory=list)
    open: list[Question] = field(default_factory=list)
    closed: list[Question] = field(default_factory=list)


def polls_of(body: Body, *, with_scheduled: bool) -> BodyPolls:
    """The body's polls, newest first, sorted by state (scheduled ones for officers only)."""
    listing = BodyPolls()
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.body_id == body.id, Question.purpose == Purpose.POLL)
        .order_by(Question.opens_at.desc(), Question.id.desc())
        .limit(500)
    )
    for question in questions:
        if question.is_over:
            listing.closed.append(question)
        elif question.status == Status.SCHEDULED:
            if with_scheduled:
                listing.scheduled.append(question)
        else:
            listing.open.append(question)
    return listing


def drafts_of(body: Body) -> list[PollDraft]:
    """The body's poll drafts, last changed first (officers only)."""
    return list(
        db.session.scalars(
            sa.select(PollDraft)
            .where(PollDraft.body_id == body.id)
            .order_by(PollDraft.updated_at.desc(), PollDraft.id.desc())
            .limit(200)
        )
    )


#: Built once (the home page runs it for every tenant; building cost as much as running it).
_OPEN_POLLS = (
    sa.select(Question)
    .join(Elector, Elector.question_id == Question.id)
    .where(
        Elector.user_id == sa.bindparam("user_id"),
        Question.status == Status.OPEN,
        Question.purpose == Purpose.POLL,
    )
    .options(so.joinedload(Question.body))
    .order_by(Question.closes_at, Question.id)
)


def open_polls_for(user) -> list[Question]:
    """The polls the user may answer now (home page), soonest closing first, with their body:
    one statement however many."""
    rows = db.session.scalars(_OPEN_POLLS, {"user_id": user.id}).unique()
    return [q for q in rows if q.accepts_ballots]


@dataclass(frozen=True)
class Row:
    """One choice of a result as published."""

    choice: Choice
    count: anonymity.Shown
    percent: int | None  #: of the answers, when the count is shown
    maybe: anonymity.Shown | None = None  #: dates: "if needed"
    leader: bool = False
    mean_rank: Fraction | None = None


@dataclass
class PollResult:
    question: Question
    turnout: int
    electorate: int
    ballots: int
    app: int
    paper: int
    #: Only the participation may be shown (a secret poll under 5 answers, or a table that
    #: hiding cells could not protect).
    below_threshold: bool
    rows: list[Row] = field(default_factory=list)
    #: Ranking: instant-runoff rounds (None when they would show a small count).
    rounds: list | None = None
    rounds_withheld: bool = False
    seed: int | None = None
    #: Named polls: answers by building (site names, protected table).
    sites: list[str] = field(default_factory=list)
    by_site: anonymity.Table | None = None

    @property
    def participation_percent(self) -> int:
        return round(100 * self.turnout / self.electorate) if self.electorate else 0

    @property
    def best(self) -> Row | None:
        leaders = [row for row in self.rows if row.leader]
        return leaders[0] if leaders else None

    @property
    def max_count(self) -> int:
        shown = [row.count.value or 0 for row in self.rows if not row.count.hidden]
        shown += [row.maybe.value or 0 for row in self.rows if row.maybe and not row.maybe.hidden]
        return max(shown + [1])


def _protect_row(values: list[int], secret: bool) -> anonymity.Table:
    if secret:
        return anonymity.protect([values])
    return anonymity.Table(
        cells=[[anonymity.Shown(v) for v in values]],
        row_totals=[anonymity.Shown(sum(values))],
        column_totals=[anonymity.Shown(v) for v in values],
        total=anonymity.Shown(sum(values)),
        below_threshold=False,
    )


def _small(value: int) -> bool:
    return 0 < value < anonymity.K


def result_of(question: Question) -> PollResult | None:
    """The poll's published result, or None while it is open (or awaiting its paper count)."""
    view = ballot_queries.result_view(question)
    if view is None:
        return None
    r = view.result
    secret = question.mode == Mode.SECRET
    result = PollResult(
        question=question,
        turnout=r.turnout,
        electorate=r.electorate,
        ballots=r.ballots,
        app=view.app_ballots,
        paper=view.paper_ballots,
        below_threshold=not view.show_counts,
        seed=r.seed,
    )
    if result.below_threshold:
        return result
    ids = [c.id for c in question.choices]
    counts = _protect_row([r.counts.get(i, 0) for i in ids], secret)
    maybe = (
        _protect_row([r.maybe.get(i, 0) for i in ids], secret)
        if question.kind == Kind.DATES
        else None
    )
    if counts.below_threshold or (maybe is not None and maybe.below_threshold):
        result.below_threshold = True
        return result
    rounds_ok = r.runoff is not None and not (
        secret
        and any(
            _small(n) or _small(rnd.exhausted)
            for rnd in r.runoff.rounds
            for n in rnd.counts.values()
        )
    )
    for position, choice in enumerate(question.choices):
        shown = counts.cells[0][position]
        result.rows.append(
            Row(
                choice=choice,
                count=shown,
                percent=None
                if shown.hidden or not r.ballots
                else round(100 * (shown.value or 0) / r.ballots),
                maybe=maybe.cells[0][position] if maybe is not None else None,
                leader=choice.id in r.leaders,
                mean_rank=r.mean_ranks.get(choice.id) if rounds_ok or not secret else None,
            )
        )
    if r.runoff is not None:
        result.rounds = r.runoff.rounds if rounds_ok else None
        result.rounds_withheld = not rounds_ok
    if question.mode == Mode.OPEN and question.kind in (Kind.SINGLE, Kind.YES_NO, Kind.MULTIPLE):
        result.sites, result.by_site = answers_by_site(question)
    return result


def answers_by_site(question: Question) -> tuple[list[str], anonymity.Table | None]:
    """A named poll's answers by building (rows: buildings, columns: choices), protected."""
    rows = db.session.execute(
        sa.select(Elector.site_id, NamedVote.content)
        .join(
            NamedVote,
            sa.and_(
                NamedVote.question_id == Elector.question_id,
                NamedVote.person_key == Elector.person_key,
            ),
        )
        .where(Elector.question_id == question.id)
    ).all()
    if not rows:
        return [], None
    site_ids = sorted({site_id for site_id, _content in rows if site_id is not None})
    found = db.session.execute(sa.select(Site.id, Site.name).where(Site.id.in_(site_ids)))
    names: dict[int, str] = {row.id: row.name for row in found}
    keys = [*site_ids, None] if any(s is None for s, _c in rows) else site_ids
    index = {c.id: i for i, c in enumerate(question.choices)}
    table = [[0] * len(index) for _ in keys]
    where = {key: i for i, key in enumerate(keys)}
    for site_id, content in rows:
        answer = counting.decode(question.kind, content)
        chosen = answer if isinstance(answer, list) else [answer]
        for choice_id in chosen:
            if choice_id in index:
                table[where[site_id]][index[choice_id]] += 1
    if len(keys) < 2:
        return [], None  # one building: the breakdown is the result itself
    labels = [names.get(key, "") if key is not None else "" for key in keys]
    protected = anonymity.protect(table)
    if protected.below_threshold:
        return [], None
    return labels, protected


def live_counts(question: Question) -> dict[int, int] | None:
    """A named poll's counts while it is open, by choice (dates: the "yes"; a ranking: the first
    choices). Never a secret poll's: live counts would link an answer to its moment (B-03)."""
    if question.mode != Mode.OPEN:
        return None
    counts: dict[int, int] = {}
    contents = db.session.scalars(
        sa.select(NamedVote.content).where(NamedVote.question_id == question.id)
    )
    for content in contents:
        answer = counting.decode(question.kind, content)
        if isinstance(answer, dict):
            chosen = [k for k, v in answer.items() if v == "y"]
        elif isinstance(answer, list):
            chosen = answer[:1] if question.kind == Kind.RANKING else answer
        else:
            chosen = [answer]
        for choice_id in chosen:
            counts[choice_id] = counts.get(choice_id, 0) + 1
    return counts
