"""Read helpers of the ballots domain: participation, a voter's own state, the officers' check-in
list and the published result (with the anonymity threshold applied). None of them writes."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from tenantvoice.ballots import anonymity, counting
from tenantvoice.ballots.models import (
    Channel,
    Elector,
    Kind,
    Mode,
    NamedVote,
    Outcome,
    Question,
    RollEntry,
    Status,
)
from tenantvoice.ballots.services import elector_of, result_of, tally_cells
from tenantvoice.extensions import db
from tenantvoice.search import fold


@dataclass(frozen=True)
class Participation:
    voted: int  #: n: people (or units) on the roll, app and paper
    electorate: int  #: N

    @property
    def percent(self) -> int:
        return round(100 * self.voted / self.electorate) if self.electorate else 0


def participation(question: Question) -> Participation:
    """n of N, visible to everyone who sees the question while it is open (never the tally)."""
    voted = (
        db.session.scalar(sa.select(sa.func.count()).where(RollEntry.question_id == question.id))
        or 0
    )
    return Participation(voted=voted, electorate=question.electorate_size)


@dataclass
class VoterState:
    """What the question page tells the logged-in person about their own ballot."""

    elector: Elector | None
    voted: bool = False
    channel: Channel | None = None
    #: Someone else of the unit voted (unit franchise): "your unit has voted".
    by_unit: bool = False
    #: Named questions: the person's own answer (decoded), which they may change while open.
    answer: object = None

    @property
    def eligible(self) -> bool:
        return self.elector is not None


def voter_state(question: Question, user) -> VoterState:
    elector = elector_of(question, user)
    state = VoterState(elector=elector)
    if elector is None:
        return state
    roll = db.session.get(RollEntry, (question.id, elector.vote_key))
    if roll is None:
        return state
    state.voted = True
    state.channel = roll.channel
    if question.mode == Mode.OPEN:
        named = db.session.get(NamedVote, (question.id, elector.vote_key))
        if named is not None and named.person_key == elector.person_key:
            state.answer = counting.decode(question.kind, named.content)
        else:
            state.by_unit = elector.vote_key != elector.person_key
    else:
        # A secret roll does not say who of a unit voted; the person learns only that the
        # unit has (which they could learn by asking at home).
        state.by_unit = elector.vote_key != elector.person_key
    return state


@dataclass(frozen=True)
class CheckInRow:
    elector: Elector
    channel: Channel | None  #: how the person's vote key is on the roll, if it is


def check_in_list(question: Question, q: str = "") -> list[CheckInRow]:
    """The electorate with each line's roll status (officers only: this is the roll)."""
    rows = db.session.execute(
        sa.select(Elector, RollEntry.channel)
        .outerjoin(
            RollEntry,
            sa.and_(
                RollEntry.question_id == Elector.question_id,
                RollEntry.vote_key == Elector.vote_key,
            ),
        )
        .where(Elector.question_id == question.id)
        .order_by(Elector.name, Elector.person_key)
    ).all()
    needle = fold((q or "").strip()[:60])
    return [
        CheckInRow(elector, channel)
        for elector, channel in rows
        if not needle or needle in fold(elector.name) or needle in fold(elector.unit)
    ]


@dataclass
class ResultView:
    """What may be published of a final result."""

    result: counting.Result
    #: Per-choice counts are shown (named question, or at least k ballots).
    show_counts: bool
    #: The outcome is shown (always, except a secret poll below k: participation only).
    show_outcome: bool
    app_ballots: int
    paper_ballots: int
    #: Counts by channel (rows app, paper × choices), protected cell by cell.
    by_channel: anonymity.Table | None = None
    named: list[tuple[Elector, object]] = field(default_factory=list)


def result_view(question: Question) -> ResultView | None:
    """The published result, or None while the question is open or awaiting its paper count.

    A secret question with fewer than k ballots shows its outcome without counts (a poll shows
    only its participation, issue 12); the split by channel is protected cell by cell.
    """
    result = result_of(question)
    if result is None:
        return None
    enough = question.mode == Mode.OPEN or result.ballots >= anonymity.K
    view = ResultView(
        result=result,
        show_counts=enough,
        show_outcome=enough or question.kind == Kind.MOTION or result.outcome == Outcome.NO_QUORUM,
        app_ballots=question.app_ballots or 0,
        paper_ballots=question.paper_ballots or 0,
    )
    if enough and question.kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE, Kind.MULTIPLE):
        cells = tally_cells(question)
        ids = [str(c.id) for c in question.choices]
        view.by_channel = anonymity.protect(
            [[cells[channel].get(i, 0) for i in ids] for channel in (Channel.APP, Channel.PAPER)]
        )
    if question.mode == Mode.OPEN:
        view.named = named_votes(question)
    return view


def named_votes(question: Question) -> list[tuple[Elector, object]]:
    """A named question's roll-call: each voter and their answer, by name."""
    rows = db.session.execute(
        sa.select(Elector, NamedVote.content)
        .join(
            NamedVote,
            sa.and_(
                NamedVote.question_id == Elector.question_id,
                NamedVote.person_key == Elector.person_key,
            ),
        )
        .where(Elector.question_id == question.id)
        .order_by(Elector.name, Elector.person_key)
    ).all()
    return [(elector, counting.decode(question.kind, content)) for elector, content in rows]


def questions_of(purpose, subject_id: int) -> list[Question]:
    """Every question of an owner (a recommendation voted twice has two), newest first."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.purpose == purpose, Question.subject_id == subject_id)
            .order_by(Question.id.desc())
        )
    )


def open_questions_for(user, body_ids=None) -> list[Question]:
    """Questions taking ballots in which the user is in the electorate (home page cards)."""
    stmt = (
        sa.select(Question)
        .join(Elector, Elector.question_id == Question.id)
        .where(Elector.user_id == user.id, Question.status == Status.OPEN)
        .order_by(Question.closes_at)
    )
    if body_ids is not None:
        stmt = stmt.where(Question.body_id.in_(body_ids))
    return [q for q in db.session.scalars(stmt) if q.accepts_ballots]
