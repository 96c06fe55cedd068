"""The ballots domain's tables: a question and its choices, the electorate snapshot, the voter
roll (who voted), the ballot box (what was voted, secret mode), named votes (open mode) and the
tally cells written at close.

The secret-ballot guarantee rests on the shape of two tables (trust-and-safety §3.2, B-01…B-15):

* ``ballot_roll`` — (question_id, vote_key, channel). Its primary key is THE guard against a
  second ballot. No time, no serial id, nothing about the choice.
* ``ballot_box`` — (question_id, id, content). No person, no time, no serial id: ``id`` is 128
  random bits. Neither the storage order nor the physical order follows the order of voting,
  even mid-vote, so a dump taken while the vote is open (a nightly backup during a week-long
  poll) cannot be lined up with the roll: on SQLite the table is WITHOUT ROWID (stored by its
  random key, no hidden rowid); on PostgreSQL, whose heap keeps rows in the order they were
  written, each cast rewrites the question's box in random order in the same statement.

The two tables share no foreign key and no identifier. What still links them while a vote is
open is PostgreSQL's ``xmin`` (one transaction writes both rows): closing tallies, deletes the
box rows, rewrites the roll in one statement in random order (one new ``xmin`` for every row,
new ``ctid``\\ s) and compacts both tables (see ``storage.py``). That is the honest limit:
someone reading the live database (or its WAL, or a physical backup) while the vote is open.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.models import TimestampMixin
from tenantvoice.orgs.models import Body, Franchise, Site


class Purpose(enum.StrEnum):
    """What a question belongs to; `Question.subject_id` is that object's id (see __init__)."""

    RECOMMENDATION = "recommendation"  #: a recommendation's vote (issue 11)
    POLL = "poll"  #: a poll (issue 12)
    MOTION = "motion"  #: a motion voted in a meeting, with no other object


class Kind(enum.StrEnum):
    MOTION = "motion"  #: for / against / abstain
    YES_NO = "yes_no"
    SINGLE = "single"  #: one choice
    MULTIPLE = "multiple"  #: at most `max_choices` choices
    RANKING = "ranking"  #: instant-runoff and average rank
    DATES = "dates"  #: yes / if needed / no for each candidate date


class Mode(enum.StrEnum):
    SECRET = "secret"  # noqa: S105 - a vote mode, not a password. Roll and box apart; final
    OPEN = "open"  #: named (roll-call): each choice recorded with the voter, changeable


class Audience(enum.StrEnum):
    MEMBERS = "members"  #: the body's current register
    SITES = "sites"  #: tenants (tenancies + registers) of the chosen sites
    PROVIDER = "provider"  #: tenants of every site of the body's provider
    GIVEN = "given"  #: an electorate the caller built (a recommendation's own rules, a test)


class QuorumMode(enum.StrEnum):
    NONE = "none"
    NUMBER = "number"
    PERCENT = "percent"  #: of the electorate (N)


class Majority(enum.StrEnum):
    SIMPLE = "simple"  #: more than half of the votes cast
    TWO_THIRDS = "two_thirds"  #: at least two thirds of the votes cast
    ABSOLUTE = "absolute"  #: more than half of the electorate


class Status(enum.StrEnum):
    SCHEDULED = "scheduled"  #: created, opens at opens_at (electorate not taken yet)
    OPEN = "open"
    CLOSED = "closed"  #: no more ballots; result final unless paper ballots await counting


class Outcome(enum.StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"
    COUNTED = "counted"  #: a poll's counts (no adopted/rejected)


class Channel(enum.StrEnum):
    APP = "app"
    PAPER = "paper"


class Question(TimestampMixin, db.Model):
    """One thing put to a vote: a recommendation's motion or a poll's question."""

    __tablename__ = "ballot_questions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    purpose: so.Mapped[Purpose] = so.mapped_column(sa.Enum(Purpose, native_enum=False, length=20))
    #: Id of the owning object (a recommendation, a poll); no foreign key: those domains sit
    #: above this one and hold their own FK to the question.
    subject_id: so.Mapped[int | None]
    #: The meeting the vote is held in, if any (its result is offered as a resolution).
    meeting_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("meetings.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    explanation: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    kind: so.Mapped[Kind] = so.mapped_column(sa.Enum(Kind, native_enum=False, length=20))
    mode: so.Mapped[Mode] = so.mapped_column(sa.Enum(Mode, native_enum=False, length=10))
    #: MULTIPLE: at most this many choices per ballot.
    max_choices: so.Mapped[int | None]
    audience: so.Mapped[Audience] = so.mapped_column(
        sa.Enum(Audience, native_enum=False, length=10), default=Audience.MEMBERS
    )
    franchise: so.Mapped[Franchise] = so.mapped_column(
        sa.Enum(Franchise, native_enum=False, length=10), default=Franchise.ADULT
    )
    quorum_mode: so.Mapped[QuorumMode] = so.mapped_column(
        sa.Enum(QuorumMode, native_enum=False, length=10), default=QuorumMode.NONE
    )
    quorum_value: so.Mapped[int] = so.mapped_column(default=0)
    #: Never fewer than this many voters when the quorum is a percentage.
    quorum_minimum: so.Mapped[int] = so.mapped_column(default=0)
    majority: so.Mapped[Majority] = so.mapped_column(
        sa.Enum(Majority, native_enum=False, length=12), default=Majority.SIMPLE
    )
    #: Abstentions count in the votes cast (a majority then needs more than half of them too).
    count_abstentions: so.Mapped[bool] = so.mapped_column(default=False)
    #: Named questions only: counts shown while open (never for a secret question).
    results_live: so.Mapped[bool] = so.mapped_column(default=False)
    opens_at: so.Mapped[datetime]
    closes_at: so.Mapped[datetime] = so.mapped_column(index=True)
    status: so.Mapped[Status] = so.mapped_column(
        sa.Enum(Status, native_enum=False, length=10), default=Status.SCHEDULED, index=True
    )
    opened_at: so.Mapped[datetime | None]
    closed_at: so.Mapped[datetime | None]
    #: Set when an officer closed the vote before its time.
    closed_early_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: N: distinct vote keys (people, or units under a unit franchise) at opening.
    electorate_size: so.Mapped[int] = so.mapped_column(default=0)
    #: Set at close: ballots from the app, paper voters checked in on the roll.
    app_ballots: so.Mapped[int | None]
    paper_checked_in: so.Mapped[int | None]
    #: Paper ballots counted and entered after closing (None: not entered yet).
    paper_ballots: so.Mapped[int | None]
    paper_entered_at: so.Mapped[datetime | None]
    paper_entered_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    outcome: so.Mapped[Outcome | None] = so.mapped_column(
        sa.Enum(Outcome, native_enum=False, length=12)
    )
    #: When the result became final (closing, or the paper count after closing).
    finalized_at: so.Mapped[datetime | None]
    #: Seed of the recorded draw that breaks instant-runoff ties (shown with the results).
    draw_seed: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    #: When the storage was compacted after this secret question's close (VACUUM FULL done: no
    #: dead row of its box or roll left in any page). NULL while that is still owed: the
    #: periodic job retries until it is done (storage.compact_owed).
    storage_compacted_at: so.Mapped[datetime | None]
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    body: so.Mapped[Body] = so.relationship()
    meeting: so.Mapped[Meeting | None] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship(foreign_keys=[created_by_id])
    choices: so.Mapped[list["Choice"]] = so.relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )
    sites: so.Mapped[list[Site]] = so.relationship(secondary="ballot_question_sites")

    __table_args__ = (
        sa.Index("ix_ballot_questions_subject", "purpose", "subject_id"),
        sa.CheckConstraint("closes_at > opens_at", name="window"),
        sa.CheckConstraint("NOT (mode = 'SECRET' AND results_live)", name="secret_not_live"),
    )

    def __repr__(self) -> str:
        return f"<Question {self.id} body={self.body_id} {self.kind} {self.mode} {self.title!r}>"

    @property
    def is_secret(self) -> bool:
        return self.mode == Mode.SECRET

    @property
    def accepts_ballots(self) -> bool:
        """Open and inside its window, by the clock (a GET never needs the worker to have run)."""
        now = clock.now()
        return self.status == Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def is_over(self) -> bool:
        """Closed, or past its closing time even if the worker has not closed it yet."""
        return self.status == Status.CLOSED or clock.now() >= self.closes_at

    @property
    def awaits_paper(self) -> bool:
        return self.status == Status.CLOSED and self.finalized_at is None


question_sites = sa.Table(
    "ballot_question_sites",
    db.metadata,
    sa.Column(
        "question_id", sa.ForeignKey("ballot_questions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("site_id", sa.ForeignKey("sites.id"), primary_key=True),
)


class Choice(db.Model):
    """One answer a ballot may give: for/against/abstain, yes/no, an option, a candidate date."""

    __tablename__ = "ballot_choices"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    question_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ballot_questions.id", ondelete="CASCADE")
    )
    position: so.Mapped[int]
    #: Fixed answers ("for", "against", "abstain", "yes", "no"): labelled in the reader's language.
    code: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    label: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    #: DATES: the candidate date and time (aware UTC).
    starts_at: so.Mapped[datetime | None]

    question: so.Mapped[Question] = so.relationship(back_populates="choices")

    __table_args__ = (sa.UniqueConstraint("question_id", "position"),)

    def __repr__(self) -> str:
        return f"<Choice {self.id} q={self.question_id} {self.code or self.label!r}>"


class Elector(db.Model):
    """Who may vote, snapshotted at opening (members added later cannot vote).

    `person_key` identifies a person once across registers and tenancies (``u:<user id>`` where
    there is an account, else the register entry matched to its unit); `vote_key` is what the
    roll records: the person, or their unit under a unit franchise.
    """

    __tablename__ = "ballot_electors"

    question_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ballot_questions.id", ondelete="CASCADE"), primary_key=True
    )
    person_key: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    vote_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    member_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("members.id"))
    #: As listed at opening, for the officer's check-in list (never shown to the office).
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    site_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sites.id"))
    unit: so.Mapped[str] = so.mapped_column(sa.String(20), default="")

    __table_args__ = (
        # The user's line in a question, and the user's open questions (home page).
        sa.Index("ix_ballot_electors_user", "user_id", "question_id"),
        sa.Index("ix_ballot_electors_vote_key", "question_id", "vote_key"),
    )


class RollEntry(db.Model):
    """Who voted (a person or a unit) and how they handed their ballot in. Never what, never when.

    The primary key is the only guard against a second ballot: a double tap, a retry, two tabs,
    two devices or a paper ballot after an app ballot all hit it.
    """

    __tablename__ = "ballot_roll"

    question_id: so.Mapped[int] = so.mapped_column(primary_key=True)
    vote_key: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    channel: so.Mapped[Channel] = so.mapped_column(sa.Enum(Channel, native_enum=False, length=5))

    # No foreign key, here or on the box: on PostgreSQL every insert would take a KEY SHARE lock
    # on the question's row, whose xmax then names the casting transactions.
    __table_args__ = ({"sqlite_with_rowid": False},)


class Ballot(db.Model):
    """The ballot box of a secret question: one row per ballot cast in the app.

    Nothing here names a person or a moment (B-01, B-02); the rows are deleted at close.
    """

    __tablename__ = "ballot_box"

    question_id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: 128 random bits, hex: storage order is random, never the order of voting.
    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    #: The encoded ballot (see counting.encode).
    content: so.Mapped[str] = so.mapped_column(sa.String(2000))

    __table_args__ = ({"sqlite_with_rowid": False},)


class NamedVote(db.Model):
    """An open (named) question's ballot: who voted what, as a roll-call in the minutes."""

    __tablename__ = "ballot_named_votes"

    question_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ballot_questions.id", ondelete="CASCADE"), primary_key=True
    )
    vote_key: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    #: Who cast it (under a unit franchise, one person of the unit).
    person_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    content: so.Mapped[str] = so.mapped_column(sa.String(2000))
    channel: so.Mapped[Channel] = so.mapped_column(sa.Enum(Channel, native_enum=False, length=5))
    updated_at: so.Mapped[datetime] = so.mapped_column(
        default=lambda: clock.now(), onupdate=lambda: clock.now()
    )


class TallyCell(db.Model):
    """Counts kept after close, per channel: what is left of the box (see counting.cells_of)."""

    __tablename__ = "ballot_tally"

    question_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ballot_questions.id", ondelete="CASCADE"), primary_key=True
    )
    channel: so.Mapped[Channel] = so.mapped_column(
        sa.Enum(Channel, native_enum=False, length=5), primary_key=True
    )
    cell: so.Mapped[str] = so.mapped_column(sa.String(500), primary_key=True)
    count: so.Mapped[int]
