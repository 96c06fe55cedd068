"""Attendance at a meeting and the live quorum (domain-rules A3, A7, M7).

Several officers may take attendance on their own phones at once: marking is idempotent
(insert-or-ignore under unique(meeting_id, member_id)), and a person who leaves keeps their row
(left_at) so the minutes still name them, while the quorum stops counting them.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from tenantvoice import audit, clock
from tenantvoice.assembly.models import Attendance
from tenantvoice.assembly.signals import record_closed
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingStateError, MeetingStatus
from tenantvoice.meetings.services import quorum_required
from tenantvoice.orgs.models import BOARD_ROLES, Member, QuorumBase
from tenantvoice.search import fold, matches_folded
from tenantvoice.web.ids import parse_id
from tenantvoice.web.pagination import Page, paginate

logger = logging.getLogger(__name__)

#: Attendance opens this long before the start (people arrive early, sign the sheet)…
OPENS_BEFORE = timedelta(hours=2)
#: …and is live until this long after the planned end (late corrections the same evening).
#: After that the secretary still completes it from the paper sheet, until the minutes are
#: proposed; such entries are marked as entered afterwards.
CLOSES_AFTER = timedelta(hours=12)
MAX_GUESTS = 1000
#: People shown at once on the sheet (search results, people present): a phone renders a
#: handful of rows, never the whole register with a form each.
SHEET_PAGE_SIZE = 20
#: Letters of a name to type before the sheet searches (a unit number: one digit is enough).
MIN_SEARCH = 3


class AttendanceClosedError(MeetingStateError):
    """Attendance cannot be taken for this meeting now (views answer 409 with the message)."""


class UnknownMemberError(ValueError):
    """The member is not in this body's current register (nothing is saved)."""


@dataclass(frozen=True)
class QuorumState:
    """What the quorum box shows: counts only, never names."""

    required: int
    present: int  #: counted per the body's quorum base (adults, or distinct units)
    people: int  #: register members present now, whatever their age
    guests: int
    base: QuorumBase
    was_reached: bool  #: quorum was reached earlier in this meeting

    @property
    def reached(self) -> bool:
        return self.present >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.present, 0)

    @property
    def lost(self) -> bool:
        return self.was_reached and not self.reached


# --- window -------------------------------------------------------------------------------------


def attendance_problem(meeting: Meeting) -> str | None:
    """Why attendance cannot be taken now (translated), or None when it can."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("This meeting was cancelled: attendance cannot be taken.")
    if meeting.status != MeetingStatus.PUBLISHED:
        return _("This meeting is not published yet: attendance opens once the notice is out.")
    now = clock.now()
    if now < meeting.starts_at - OPENS_BEFORE:
        return _("Attendance opens two hours before the meeting starts.")
    if now > meeting.ends_at:
        return record_closed(meeting)  # completed from paper until the minutes are proposed
    return None


def is_afterwards(meeting: Meeting) -> bool:
    """Whether what is recorded now is typed in after the meeting (from the paper sheet)."""
    return clock.now() > meeting.ends_at + CLOSES_AFTER


def is_open(meeting: Meeting) -> bool:
    return attendance_problem(meeting) is None


def _ensure_open(meeting: Meeting) -> None:
    problem = attendance_problem(meeting)
    if problem:
        raise AttendanceClosedError(problem)


# --- reading ------------------------------------------------------------------------------------


def electorate(meeting: Meeting) -> list[sa.ColumnElement[bool]]:
    """SQL conditions on Member for who this meeting convenes and counts, beyond being on the
    body's register: a board meeting, the board (domain-rules 2.5; issue 9)."""
    return [Member.role.in_(BOARD_ROLES)] if meeting.convenes_board else []


def search_ready(q: str) -> bool:
    """Whether the sheet searches for `q`: three letters of a name, or any digit (a unit)."""
    needle = fold((q or "").strip()[:60])
    return len(needle) >= MIN_SEARCH or any(ch.isdigit() for ch in needle)


def _with_rows(meeting: Meeting, stmt: sa.Select) -> sa.Select:
    return stmt.outerjoin(
        Attendance,
        sa.and_(Attendance.member_id == Member.id, Attendance.meeting_id == meeting.id),
    ).order_by(Member.name, Member.id)


def search_register(meeting: Meeting, q: str, page: int = 1) -> Page:
    """A page of the body's current register whose name or unit contains `q` (accents and case
    ignored, filtered in the database by the folded copy), each as (member, its attendance row
    or None), and how many matched (2 queries, whatever the register's size)."""
    where = [
        Member.body_id == meeting.body_id,
        Member.is_current,
        matches_folded(Member.search_key, q, 60),
        *electorate(meeting),
    ]
    stmt = _with_rows(meeting, sa.select(Member, Attendance).where(*where))
    count = sa.select(sa.func.count(Member.id)).where(*where)
    return paginate(stmt, count, page, SHEET_PAGE_SIZE, scalars=False)


def present_page(meeting: Meeting, page: int = 1) -> Page:
    """A page of the register members in the room now, by name, as (member, attendance row)
    (2 queries): what the sheet shows before a search, so a mark is easy to undo."""
    where = [
        Attendance.meeting_id == meeting.id,
        Attendance.left_at.is_(None),
        Member.body_id == meeting.body_id,
        *electorate(meeting),
    ]
    stmt = (
        sa.select(Member, Attendance)
        .join(Attendance, Attendance.member_id == Member.id)
        .where(*where)
        .order_by(Member.name, Member.id)
    )
    count = (
        sa.select(sa.func.count(Attendance.member_id))
        .join(Member, Member.id == Attendance.member_id)
        .where(*where)
    )
    return paginate(stmt, count, page, SHEET_PAGE_SIZE, scalars=False)


def register_size(meeting: Meeting) -> int:
    """How many people the body's current register holds (one count)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Member.id)).where(
                Member.body_id == meeting.body_id, Member.is_current, *electorate(meeting)
            )
        )
        or 0
    )


def attendance_of(meeting: Meeting, member: Member) -> Attendance | None:
    return db.session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == member.id
        )
    )


def member_of(meeting: Meeting, member_id) -> Member:
    """The current register entry `member_id` of the meeting's body, or UnknownMemberError."""
    number = parse_id(member_id)
    if number is None:
        raise UnknownMemberError(member_id)
    member = db.session.get(Member, number)
    if member is None or member.body_id != meeting.body_id or not member.is_current:
        raise UnknownMemberError(member_id)
    if meeting.convenes_board and member.role not in BOARD_ROLES:
        raise UnknownMemberError(member_id)
    return member


def members_present_now(meeting: Meeting) -> list[Member]:
    """Register members in the room now (marked present and not gone), by name: who counts for
    quorum and who may move or second a motion."""
    return list(
        db.session.scalars(
            sa.select(Member)
            .join(Attendance, Attendance.member_id == Member.id)
            .where(
                Attendance.meeting_id == meeting.id,
                Attendance.left_at.is_(None),
                Member.body_id == meeting.body_id,
                *electorate(meeting),
            )
            .order_by(Member.name, Member.id)
        )
    )


def members_ever_present(meeting: Meeting) -> list[Member]:
    """Register members recorded present at some point (those who left early included), by
    name: the minutes' list of people present."""
    return list(
        db.session.scalars(
            sa.select(Member)
            .join(Attendance, Attendance.member_id == Member.id)
            .where(Attendance.meeting_id == meeting.id)
            .order_by(Member.name, Member.id)
        )
    )


def count_present(meeting: Meeting, base: QuorumBase, members: list | None = None) -> int:
    """Present count on the quorum base: adults present, or distinct units represented.

    A unit is (building, unit label); a member with no unit label stands for their own unit.
    `members`: register entries, or rows with their id, site_id, unit and is_adult.
    """
    members = members_present_now(meeting) if members is None else members
    if base == QuorumBase.UNITS:
        units = {
            (m.site_id, m.unit.strip().upper()) if m.unit.strip() else ("member", m.id)
            for m in members
        }
        return len(units)
    return sum(1 for m in members if m.is_adult)


#: Built once: every meeting page a member opens counts who is in the room (building the
#: statement cost as much as running it). A board meeting counts the board only (`electorate`).
_PRESENT = (
    sa.select(Member.id, Member.site_id, Member.unit, Member.is_adult)
    .join(Attendance, Attendance.member_id == Member.id)
    .where(
        Attendance.meeting_id == sa.bindparam("meeting_id"),
        Attendance.left_at.is_(None),
        Member.body_id == sa.bindparam("body_id"),
    )
)
_PRESENT_BOARD = _PRESENT.where(Member.role.in_(BOARD_ROLES))


def present_facts(meeting: Meeting) -> list:
    """What the quorum count reads of each member in the room (id, building, unit, adult), as
    plain rows: at a 600-member assembly, hundreds of them, not worth building entries for."""
    stmt = _PRESENT_BOARD if meeting.convenes_board else _PRESENT
    return list(db.session.execute(stmt, {"meeting_id": meeting.id, "body_id": meeting.body_id}))


def quorum_state(meeting: Meeting, required: int | None = None) -> QuorumState:
    """Required and present counts for the quorum box (two small queries; one when the caller
    already has the `required` count)."""
    body = meeting.body
    members = present_facts(meeting)
    return QuorumState(
        required=quorum_required(body, meeting) if required is None else required,
        present=count_present(meeting, body.quorum_base, members),
        people=len(members),
        guests=meeting.guests_count,
        base=body.quorum_base,
        was_reached=meeting.quorum_reached_at is not None,
    )


def _note_quorum(meeting: Meeting) -> QuorumState:
    """Remember the first moment quorum is reached, so a later drop reads "quorum lost"."""
    state = quorum_state(meeting)
    if state.reached and meeting.quorum_reached_at is None:
        # From the paper sheet afterwards: the meeting had it from its opening, not from now.
        meeting.quorum_reached_at = (
            (meeting.opened_at or meeting.starts_at) if is_afterwards(meeting) else clock.now()
        )
        db.session.flush()
        state = quorum_state(meeting)
    return state


# --- changes ------------------------------------------------------------------------------------


def _insert_or_ignore(values: dict):
    dialect = db.session.get_bind().dialect.name
    stmt: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(Attendance).values(**values)
    elif dialect == "sqlite":
        stmt = sqlite.insert(Attendance).values(**values)
    else:  # pragma: no cover - we run on SQLite and PostgreSQL only
        raise RuntimeError(f"unsupported database {dialect}")
    return stmt.on_conflict_do_nothing(index_elements=["meeting_id", "member_id"])


def mark_present(actor, meeting: Meeting, member: Member, *, on_paper: bool = False) -> Attendance:
    """Mark a register member present (again). A double tap or two officers at once: one row."""
    _ensure_open(meeting)
    if member.body_id != meeting.body_id or not member.is_current:
        raise UnknownMemberError(member.id)
    if meeting.convenes_board and member.role not in BOARD_ROLES:
        raise UnknownMemberError(member.id)
    db.session.execute(
        _insert_or_ignore(
            {
                "meeting_id": meeting.id,
                "member_id": member.id,
                "recorded_by_id": actor.id,
                "recorded_at": clock.now(),
                "on_paper": on_paper,
                "left_at": None,
                "entered_afterwards": is_afterwards(meeting),
            }
        )
    )
    row = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.member_id == member.id
        )
    ).one()  # inserted above, or already there
    db.session.refresh(row)
    changed = False
    if row.left_at is not None:  # came back
        row.left_at = None
        changed = True
    if on_paper and not row.on_paper:
        row.on_paper = True
        changed = True
    if changed:
        db.session.flush()
    _note_quorum(meeting)
    audit.record(
        "attendance.present",
        actor=actor,
        body_id=meeting.body_id,
        obj=meeting,
        detail=f"member {member.id}",
    )
    return row


def mark_absent(actor, meeting: Meeting, member: Member) -> Attendance | None:
    """Undo a mark. Before the start it is a correction (the row goes); once the meeting has
    started the person left: the row stays for the minutes (left_at) and stops counting."""
    _ensure_open(meeting)
    if member.body_id != meeting.body_id:
        raise UnknownMemberError(member.id)
    row = attendance_of(meeting, member)
    if row is None:
        return None
    now = clock.now()
    if now < meeting.starts_at or is_afterwards(meeting):
        # A correction: before the meeting, or of the record typed in from paper afterwards
        # (the audit trail keeps it); during the meeting the person left.
        db.session.delete(row)
        row = None
    elif row.left_at is None:
        row.left_at = now
    db.session.flush()
    _note_quorum(meeting)
    audit.record(
        "attendance.absent",
        actor=actor,
        body_id=meeting.body_id,
        obj=meeting,
        detail=f"member {member.id}",
    )
    return row


def set_guests(actor, meeting: Meeting, count: int) -> None:
    """Record how many visitors who are not members came (counted, never named)."""
    _ensure_open(meeting)
    if not 0 <= count <= MAX_GUESTS:
        raise ValueError(count)
    meeting.guests_count = count
    db.session.flush()
    audit.record(
        "attendance.guests", actor=actor, body_id=meeting.body_id, obj=meeting, detail=str(count)
    )
