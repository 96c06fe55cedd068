"""Meeting services: scheduling, notice, agenda, RSVP, proposals, quorum (flush; views commit)."""

import base64
import hashlib
import hmac
import math
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from tenantvoice import audit, clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.meetings.agenda_templates import is_closing_item, is_placeholder, items_for
from tenantvoice.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaProposal,
    CalendarToken,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingStateError,
    MeetingStatus,
    ProposalStatus,
    Rsvp,
    RsvpAnswer,
)
from tenantvoice.models import rowcount
from tenantvoice.notifications.services import notify
from tenantvoice.orgs.models import BOARD_ROLES, Body, Member, QuorumBase, QuorumMode, Site
from tenantvoice.web.i18n import datetime_label

#: Founding meetings (domain-rules A3): 10% of the units concerned, at least 5 tenants in offices
#: with fewer than 50 units in all.
FOUNDING_QUORUM_PERCENT = 10
FOUNDING_SMALL_PROVIDER_UNITS = 50
FOUNDING_SMALL_PROVIDER_MINIMUM = 5


#: The register's bases, built once (each page showing a quorum counts one; building the
#: statement cost as much as running it). Bound: the body and the project clock's day.
_CURRENT_ON_DAY = (
    Member.body_id == sa.bindparam("body_id"),
    Member.current_on(sa.bindparam("today", type_=sa.Date)),
)
_UNITS_BASE = sa.select(sa.func.count()).select_from(
    sa.select(Member.site_id, Member.unit)
    .where(*_CURRENT_ON_DAY, Member.unit != "")
    .distinct()
    .subquery()
)
_ADULTS_BASE = sa.select(sa.func.count(Member.id)).where(
    *_CURRENT_ON_DAY, Member.is_adult.is_(True)
)


def register_base(body: Body) -> int:
    """The base the percentage applies to: adult current members, or distinct units among
    current members (site and unit label), per the body's by-laws."""
    stmt = _UNITS_BASE if body.quorum_base == QuorumBase.UNITS else _ADULTS_BASE
    return db.session.scalar(stmt, {"body_id": body.id, "today": clock.today()}) or 0


def _founding_quorum(body: Body) -> int:
    site_ids = [s.id for s in body.sites]
    units = sum(s.units_count for s in body.sites)
    provider_units = (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Site.units_count), 0)).where(
                Site.provider_id == body.provider_id
            )
        )
        or 0
    )
    required = math.ceil(units * FOUNDING_QUORUM_PERCENT / 100) if site_ids else 0
    if provider_units < FOUNDING_SMALL_PROVIDER_UNITS:
        required = max(required, FOUNDING_SMALL_PROVIDER_MINIMUM)
    return max(required, 1)


def board_size(body: Body) -> int:
    """How many directors the board has: current members holding an elected officer role."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Member.id)).where(
                Member.body_id == body.id, Member.is_current, Member.role.in_(BOARD_ROLES)
            )
        )
        or 0
    )


def quorum_required(body: Body, meeting: Meeting | None = None) -> int:
    """How many members must be present for the meeting to hold (shown on the notice, checked by
    the attendance sheet).

    NUMBER mode: the body's fixed quorum_number. PERCENT mode: ceil(percent × base / 100) where the
    base is the register's adult current members (ADULTS) or distinct units among current members
    (UNITS), never below quorum_minimum. Founding meetings: 10% of the units of the sites
    concerned, at least 5 when the provider has fewer than 50 units in all. Board meetings
    (Meeting.convenes_board): the by-laws' board quorum, else a majority of the board.
    """
    if meeting is not None and meeting.kind == MeetingKind.FOUNDING:
        return _founding_quorum(body)
    if meeting is not None and meeting.convenes_board:
        # The board's quorum of the by-laws; by default a majority of the board (issue 9).
        return max(body.board_quorum or board_size(body) // 2 + 1, 1)
    if body.quorum_mode == QuorumMode.NUMBER:
        return max(body.quorum_number, 1)
    required = math.ceil(body.quorum_percent * register_base(body) / 100)
    return max(required, body.quorum_minimum, 1)


# --- scheduling ------------------------------------------------------------------------------


class MeetingRuleError(Exception):
    """A rule of the by-laws or of procedure refuses the action; `field` names the form field the
    translated `message` belongs next to (None: the whole form). Views answer 422."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def notice_days(meeting: Meeting) -> int:
    """The by-laws' notice period for this kind of meeting."""
    body = meeting.body
    return body.notice_days_general if meeting.kind.is_general else body.notice_days_board


def notice_deadline(meeting: Meeting) -> datetime:
    """The last moment the notice can go out on time."""
    return meeting.starts_at - timedelta(days=notice_days(meeting))


def is_late(meeting: Meeting, at: datetime | None = None) -> bool:
    return (at or clock.now()) > notice_deadline(meeting)


def _check_office_invitation(meeting: Meeting) -> None:
    """A board meeting convenes the board alone: the housing office is never invited to it."""
    if meeting.office_invited and meeting.kind == MeetingKind.BOARD:
        raise MeetingRuleError(
            _("A board meeting convenes the board alone: the housing office cannot be invited."),
            field="office_invited",
        )


def create_meeting(actor: User, body: Body, data: dict) -> Meeting:
    """A draft meeting with the usual agenda of its kind, titles in the officer's language."""
    meeting = Meeting(body=body, created_by=actor, **data)
    _check_office_invitation(meeting)
    for position, (title, kind) in enumerate(items_for(meeting.kind), start=1):
        meeting.agenda_items.append(AgendaItem(position=position, title=title, kind=kind))
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting.create", actor=actor, body_id=body.id, obj=meeting)
    return meeting


def _when_text(meeting: Meeting) -> str:
    return _(
        "%(day)s, %(start)s to %(end)s",
        day=format_date(meeting.starts_at, "full"),
        start=format_time(meeting.starts_at, "short"),
        end=format_time(meeting.ends_at, "short"),
    )


def _where_text(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place, meeting.address, meeting.video_url) if part)


def record_change(
    actor: User,
    meeting: Meeting,
    kind: ChangeKind,
    *,
    item: AgendaItem | None = None,
    in_camera: bool = False,
    **data: Any,
) -> None:
    """After the notice went out: raise the calendar SEQUENCE and keep what changed, as data
    (rendered per reader by queries.changes: their language, and nothing of an in-camera item
    for a reader who may not see it). `in_camera`: the item was in camera before or after."""
    if not meeting.is_published:
        return
    meeting.sequence += 1
    in_camera = bool(in_camera or (item is not None and item.in_camera))
    db.session.add(
        MeetingChange(
            meeting_id=meeting.id,
            by_id=getattr(actor, "id", None),
            kind=kind,
            item_id=item.id if item is not None else None,
            in_camera=in_camera,
            data=data,
        )
    )
    # The audit trail names the kind and the item's id, never its title (in camera or not).
    detail = kind.value if item is None else f"{kind.value} item {item.id}"
    audit.record("meeting.change", actor=actor, body_id=meeting.body_id, obj=meeting, detail=detail)


def update_meeting(actor: User, meeting: Meeting, data: dict) -> None:
    """Edit a draft or a published meeting; after publication, changes of time or place are
    recorded and raise the sequence. The kind cannot change once the notice is out."""
    meeting.check_editable()
    if meeting.is_published:
        data = dict(data, kind=meeting.kind)
    time_changed = data["starts_at"] != meeting.starts_at or data["ends_at"] != meeting.ends_at
    # After the meeting the secretary completes the record from paper (the room actually used):
    # the time it was held stays, the change is marked as entered afterwards and tells nobody.
    afterwards = meeting.is_published and meeting.is_past
    if afterwards and time_changed:
        raise MeetingRuleError(
            _("This meeting has taken place: its date and time can no longer change."), field="day"
        )
    where_changed = any(data[k] != getattr(meeting, k) for k in ("place", "address", "video_url"))
    others = ("title", "audience", "oc_invited", "office_invited")
    other_changed = any(k in data and data[k] != getattr(meeting, k) for k in others)
    for key, value in data.items():
        setattr(meeting, key, value)
    _check_office_invitation(meeting)
    if time_changed:
        record_change(
            actor,
            meeting,
            ChangeKind.TIME,
            starts_at=meeting.starts_at.isoformat(),
            ends_at=meeting.ends_at.isoformat(),
        )
    if where_changed:
        where: dict[str, Any] = {
            "place": meeting.place,
            "address": meeting.address,
            "video_url": meeting.video_url,
        }
        if afterwards:
            where["entered_afterwards"] = True
        record_change(actor, meeting, ChangeKind.PLACE, **where)
    if other_changed and not (time_changed or where_changed) and meeting.is_published:
        meeting.sequence += 1  # calendars refresh the title; not a change tenants must notice
    db.session.flush()
    if meeting.is_published and (time_changed or where_changed) and not afterwards:
        notify("meeting.changed", meeting, actor=actor)


def publish(actor: User, meeting: Meeting, *, confirm_late: bool = False) -> None:
    """Send the notice: checks the agenda and the notice period, numbers the meeting in its year."""
    meeting.check_state(MeetingStatus.DRAFT)
    if meeting.starts_at <= clock.now():
        raise MeetingRuleError(_("This meeting's date has passed. Change the date first."))
    if meeting.kind.is_general and not meeting.agenda_items:
        raise MeetingRuleError(
            _(
                "A general assembly needs an agenda before its notice goes out. "
                "Add the agenda items first."
            )
        )
    placeholder = next((i for i in meeting.agenda_items if is_placeholder(i.title)), None)
    if placeholder is not None:
        raise MeetingRuleError(
            _(
                "Item %(number)s of the agenda still reads “%(title)s”: change it to say what "
                "the meeting is called for, then publish the notice.",
                number=placeholder.position,
                title=placeholder.title,
            )
        )
    late = is_late(meeting)
    if late and not confirm_late:
        raise MeetingRuleError(
            _(
                "The by-laws require %(days)s days of notice: the notice should have gone out by "
                "%(deadline)s. Tick the box to confirm publishing with less notice.",
                days=notice_days(meeting),
                deadline=datetime_label(notice_deadline(meeting), "long"),
            ),
            field="confirm_late",
        )
    start, end = year_bounds(meeting.starts_at)
    highest = (
        db.session.scalar(
            sa.select(sa.func.max(Meeting.year_number)).where(
                Meeting.body_id == meeting.body_id,
                Meeting.id != meeting.id,
                Meeting.published_at.is_not(None),
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
            )
        )
        or 0
    )
    meeting.publish(late=late, year_number=highest + 1, by=actor)
    db.session.flush()
    notify("meeting.notice", meeting, actor=actor)
    audit.record(
        "meeting.publish",
        actor=actor,
        body_id=meeting.body_id,
        obj=meeting,
        detail="late notice" if late else "",
    )


def year_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the Montréal calendar year `moment` falls in."""
    year = moment.astimezone(clock.MONTREAL).year
    return (
        datetime(year, 1, 1, tzinfo=clock.MONTREAL).astimezone(UTC),
        datetime(year + 1, 1, 1, tzinfo=clock.MONTREAL).astimezone(UTC),
    )


def cancel(actor: User, meeting: Meeting, reason: str) -> None:
    """Cancel a published meeting: kept, never deleted, with its reason shown to everyone."""
    meeting.cancel(reason)
    db.session.flush()
    notify("meeting.cancelled", meeting, actor=actor)
    audit.record("meeting.cancel", actor=actor, body_id=meeting.body_id, obj=meeting)


def delete_draft(actor: User, meeting: Meeting) -> None:
    """Only a draft may be deleted (nobody was convened to it)."""
    meeting.check_deletable()
    db.session.execute(sa.delete(AgendaProposal).where(AgendaProposal.meeting_id == meeting.id))
    audit.record("meeting.delete_draft", actor=actor, body_id=meeting.body_id, detail=meeting.title)
    db.session.delete(meeting)
    db.session.flush()


# --- agenda ----------------------------------------------------------------------------------


def _editable(meeting: Meeting) -> None:
    meeting.check_editable()


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.agenda_items, start=1):
        item.position = position


def add_item(actor: User, meeting: Meeting, data: dict, *, before_last: bool = False) -> AgendaItem:
    """Add an item: before the closing item ("Levée de l'assemblée") when the agenda ends with
    it (or before the last item whatever it is, with `before_last`), else at the end."""
    _editable(meeting)
    item = AgendaItem(**data)
    items = list(meeting.agenda_items)
    closes = bool(items) and is_closing_item(items[-1].title)
    if closes or (before_last and len(items) >= 2):
        items.insert(len(items) - 1, item)
    else:
        items.append(item)
    meeting.agenda_items = items
    _renumber(meeting)
    db.session.flush()
    record_change(actor, meeting, ChangeKind.ITEM_ADDED, item=item, title=item.title)
    return item


def update_item(actor: User, item: AgendaItem, data: dict) -> None:
    _editable(item.meeting)
    old_title, was_in_camera = item.title, item.in_camera
    for key, value in data.items():
        setattr(item, key, value)
    db.session.flush()
    if old_title != item.title:
        kind, fields = ChangeKind.ITEM_RENAMED, {"old_title": old_title, "title": item.title}
    else:
        kind, fields = ChangeKind.ITEM_CHANGED, {"title": item.title}
    # An item moved into (or out of) camera: the whole change is in camera, old title included.
    record_change(actor, item.meeting, kind, item=item, in_camera=was_in_camera, **fields)


def delete_item(actor: User, item: AgendaItem) -> None:
    meeting = item.meeting
    _editable(meeting)
    db.session.execute(
        sa.update(AgendaProposal)
        .where(AgendaProposal.agenda_item_id == item.id)
        .values(agenda_item_id=None)
    )
    meeting.agenda_items.remove(item)
    _renumber(meeting)
    db.session.flush()
    record_change(actor, meeting, ChangeKind.ITEM_REMOVED, item=item, title=item.title)


def move_item(actor: User, item: AgendaItem, offset: int) -> None:
    """Move an item one place up (-1) or down (+1); the ends do not wrap."""
    meeting = item.meeting
    _editable(meeting)
    items = list(meeting.agenda_items)
    index = items.index(item)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    meeting.agenda_items = items
    _renumber(meeting)
    db.session.flush()
    record_change(
        actor, meeting, ChangeKind.ITEM_MOVED, item=item, title=item.title, position=item.position
    )


# --- RSVP and proposals ----------------------------------------------------------------------


def answer_rsvp(meeting: Meeting, user: User, answer: RsvpAnswer, party_size: int | None) -> Rsvp:
    """One answer per person and meeting: a second submission updates the first (upsert)."""
    size = 0 if answer == RsvpAnswer.NO else max(1, min(party_size or 1, 10))
    rsvp = db.session.scalar(
        sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
    )
    if rsvp is None:
        try:
            with db.session.begin_nested():
                rsvp = Rsvp(meeting_id=meeting.id, user_id=user.id, answer=answer, party_size=size)
                db.session.add(rsvp)
            return rsvp
        except IntegrityError:  # the same person answered at the same moment in another tab
            rsvp = db.session.scalars(
                sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)
            ).one()
    rsvp.answer = answer
    rsvp.party_size = size
    db.session.flush()
    return rsvp


def propose_item(meeting: Meeting, user: User, title: str, description: str) -> AgendaProposal:
    proposal = AgendaProposal(
        meeting_id=meeting.id,
        proposed_by_id=user.id,
        title=title.strip(),
        description=description.strip(),
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _decide(actor: User, proposal: AgendaProposal, status: ProposalStatus) -> None:
    """Decide a pending proposal, once: the UPDATE only matches while the row is still pending,
    so two officers (or two tabs) deciding at once cannot both accept it (two agenda items) or
    accept and decline it; the second is refused (409)."""
    if proposal.status != ProposalStatus.PENDING:
        raise MeetingStateError(f"proposal {proposal.id} is {proposal.status}")
    now = clock.now()
    decided = db.session.execute(
        sa.update(AgendaProposal)
        .where(AgendaProposal.id == proposal.id, AgendaProposal.status == ProposalStatus.PENDING)
        .values(status=status, decided_by_id=actor.id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(decided) != 1:
        db.session.refresh(proposal)
        raise MeetingStateError(f"proposal {proposal.id} was decided meanwhile")
    # The row is written: the object learns its values without a second UPDATE.
    for name, value in (("status", status), ("decided_by_id", actor.id), ("decided_at", now)):
        set_committed_value(proposal, name, value)


def accept_proposal(actor: User, proposal: AgendaProposal) -> AgendaItem:
    """The proposal becomes an agenda item, placed before the last item (the adjournment)."""
    _decide(actor, proposal, ProposalStatus.ACCEPTED)
    item = add_item(
        actor,
        proposal.meeting,
        {
            "title": proposal.title,
            "description": proposal.description,
            "kind": AgendaItemKind.DISCUSSION,
        },
        before_last=True,
    )
    proposal.agenda_item_id = item.id
    db.session.flush()
    return item


def decline_proposal(actor: User, proposal: AgendaProposal, reason: str) -> None:
    _decide(actor, proposal, ProposalStatus.DECLINED)
    proposal.decline_reason = reason.strip()[:500]
    db.session.flush()


# --- calendar feed token ---------------------------------------------------------------------


def _feed_mac(user: User, row: CalendarToken) -> str:
    stamp = user.password_changed_at.isoformat() if user.password_changed_at else ""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"calendar-feed:{row.feed_id}:{row.version}:{stamp}".encode()
    mac = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:32]


#: What _new_feed_id makes (URL-safe base64).
_FEED_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _new_feed_id() -> str:
    return secrets.token_urlsafe(12)  # 96 bits; never the user id


def _feed_row(user: User) -> CalendarToken:
    """The user's feed row, made the first time it is asked for."""
    query = sa.select(CalendarToken).where(CalendarToken.user_id == user.id)
    row = db.session.scalar(query)
    if row is None:
        try:
            with db.session.begin_nested():
                row = CalendarToken(user_id=user.id, version=1, feed_id=_new_feed_id())
                db.session.add(row)
        except IntegrityError:  # two first visits at once: the other one made it
            row = db.session.scalars(query).one()
    return row


def feed_token(user: User) -> str:
    """The secret of the user's feed URL."""
    row = _feed_row(user)
    return f"{row.feed_id}.{_feed_mac(user, row)}"


def regenerate_feed_token(user: User) -> str:
    """A new secret: the old URL stops working at once."""
    row = _feed_row(user)
    row.version += 1
    row.feed_id = _new_feed_id()
    row.created_at = clock.now()
    db.session.flush()
    audit.record("calendar_feed.regenerate", actor=user)
    return feed_token(user)


def user_for_feed_token(token: str) -> User | None:
    """The user whose current feed token this is, or None (unknown, malformed, revoked, or made
    before the owner's last password change). The token is compared whole: no alias."""
    feed_id, sep, mac = (token or "").partition(".")
    if not sep or not mac or len(token) > 100 or not _FEED_ID.fullmatch(feed_id):
        return None  # a path may carry anything (a NUL byte cannot even reach PostgreSQL)
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.feed_id == feed_id))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or getattr(user, "is_active", True) is False:
        return None
    return user if hmac.compare_digest(_feed_mac(user, row), mac) else None


# --- reminders -------------------------------------------------------------------------------

#: A reminder goes out from a day before the meeting until an hour before it (a worker that was
#: down catches up, but never reminds someone of a meeting about to start).
REMIND_BEFORE = timedelta(hours=24)
REMIND_UNTIL = timedelta(hours=1)


def send_reminders(now: datetime | None = None) -> int:
    """Remind the people convened to each meeting that starts within a day, once per meeting and
    start time (a rescheduled meeting is reminded again), skipping those who said they will not
    come and meetings whose notice went out less than a day before the reminder."""
    now = now or clock.now()
    due = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at > now + REMIND_UNTIL,
            Meeting.starts_at <= now + REMIND_BEFORE,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    sent = 0
    for meeting in due:
        if meeting.published_at is None or meeting.published_at > meeting.starts_at - REMIND_BEFORE:
            continue  # the notice itself is barely a day old
        declined = db.session.scalars(
            sa.select(Rsvp.user_id).where(
                Rsvp.meeting_id == meeting.id, Rsvp.answer == RsvpAnswer.NO
            )
        ).all()
        key = f"meeting.reminder:{meeting.id}:{int(meeting.starts_at.timestamp())}"
        if notify("meeting.reminder", meeting, exclude=declined, once_key=key) is not None:
            sent += 1
    return sent
