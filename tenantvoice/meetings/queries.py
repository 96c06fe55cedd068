"""Read helpers for meeting pages, the home page and calendar feeds."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import format_date, format_time
from flask_babel import gettext as _

from tenantvoice import clock, policy
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.meetings.models import (
    AgendaItem,
    AgendaProposal,
    Audience,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingStatus,
    Rsvp,
    RsvpAnswer,
)
from tenantvoice.orgs.models import (
    BOARD_ROLES,
    OFFICER_ROLES,
    Body,
    BodyKind,
    Member,
    Provider,
    body_sites,
)
from tenantvoice.web import pagination

#: How far back a calendar feed goes (calendar apps keep what they already have).
FEED_HISTORY = timedelta(days=400)
#: How far ahead it goes (notices go out weeks before; nobody plans two years of meetings).
FEED_AHEAD = timedelta(days=730)

#: The meetings the housing office's direction is convened to (policy.can_see_meeting decides
#: each): joint CCR meetings, and the meetings that invite it (never a board meeting).
OFFICE_CONVENED = sa.or_(
    Meeting.kind == MeetingKind.CCR_JOINT,
    sa.and_(Meeting.office_invited.is_(True), Meeting.kind != MeetingKind.BOARD),
)


def body_meetings(body: Body, *, include_drafts: bool) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past latest first) meetings of a body, in one query (index
    ix_meetings_body_starts)."""
    query = sa.select(Meeting).where(Meeting.body_id == body.id)
    if not include_drafts:
        query = query.where(Meeting.status != MeetingStatus.DRAFT)
    now = clock.now()
    meetings = list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))
    upcoming = [m for m in meetings if m.ends_at > now]
    past = [m for m in reversed(meetings) if m.ends_at <= now]
    return upcoming, past


@dataclass
class Upcoming:
    meeting: Meeting
    rsvp: Rsvp | None


def _among_bodies(*bodies: sa.Select) -> sa.ColumnElement[bool]:
    """SQL: the meeting is of one of `bodies` (selects of body ids, put together). Said BESIDE
    the exact OR of grants, it lets PostgreSQL start from the few bodies and read their
    meetings by ix_meetings_body_starts; with the OR alone it walked every meeting of the
    province in date order (280 ms for a tenant's home at 50 000 meetings, 0.5 ms so)."""
    return Meeting.body_id.in_(sa.union_all(*(b.correlate(None) for b in bodies)))


#: The next meetings of the bodies a user belongs to, or of bodies covering the sites they live at
#: when the meeting is open to the site's tenants; built once (bound parameters, expanding IN).
_SITE_BODIES = sa.select(body_sites.c.body_id).where(
    body_sites.c.site_id.in_(sa.bindparam("site_ids", expanding=True))
)
_MEMBER_BODY_IDS: sa.BindParameter[list[int]] = sa.bindparam("member_body_ids", expanding=True)
_UPCOMING = (
    sa.select(Meeting, Rsvp)
    .outerjoin(
        Rsvp, sa.and_(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == sa.bindparam("user_id"))
    )
    .join(Body, Body.id == Meeting.body_id)
    .where(
        Meeting.status == MeetingStatus.PUBLISHED,
        Meeting.ends_at > sa.bindparam("now"),
        sa.or_(
            sa.and_(
                Meeting.body_id.in_(_MEMBER_BODY_IDS),
                # A board meeting convenes the board: its other members never see it.
                sa.or_(
                    Meeting.kind != MeetingKind.BOARD,
                    Body.kind.not_in((BodyKind.ADL, BodyKind.CCR)),
                    Meeting.body_id.in_(sa.bindparam("board_body_ids", expanding=True)),
                ),
            ),
            sa.and_(
                sa.or_(
                    Meeting.kind != MeetingKind.BOARD,
                    Body.kind.not_in((BodyKind.ADL, BodyKind.CCR)),
                ),
                Meeting.audience == Audience.SITE_TENANTS,
                Meeting.body_id.in_(_SITE_BODIES),
            ),
        ),
        _among_bodies(
            sa.select(Body.id).where(Body.id.in_(_MEMBER_BODY_IDS)),
            _SITE_BODIES,
        ),
    )
    .options(sa.orm.contains_eager(Meeting.body))
    .order_by(Meeting.starts_at, Meeting.id)
    .limit(sa.bindparam("limit"))
)


def upcoming_for(user, limit: int = 5) -> list[Upcoming]:
    """The user's next published meetings (bodies they are convened to) with their RSVP, in one
    query. Memberships and sites come from the policy facts the request has already loaded."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    facts = policy.core.facts_for(user)
    if not facts.members and not facts.site_ids:
        return []
    rows = db.session.execute(
        _UPCOMING,
        {
            "user_id": user.id,
            "now": clock.now(),
            "member_body_ids": sorted(facts.members),
            # The board's own, and the officers who run the body (they schedule its meetings).
            "board_body_ids": _board_body_ids(facts),
            "site_ids": sorted(facts.site_ids),
            "limit": limit,
        },
    )
    return [Upcoming(meeting, rsvp) for meeting, rsvp in rows]


def _board_body_ids(facts) -> list[int]:
    """Bodies whose board meetings the user is convened to (a director) or runs (an officer)."""
    return sorted(
        body_id
        for body_id, entry in facts.members.items()
        if entry.role in BOARD_ROLES | OFFICER_ROLES
    )


def _upcoming_where(user, facts, now) -> list:
    """The next published meetings of the bodies a user belongs to, or of bodies covering the
    sites they live at when the meeting is open to the site's tenants; a board meeting only
    for the board (issue 9)."""
    not_board = sa.or_(
        Meeting.kind != MeetingKind.BOARD, Body.kind.not_in((BodyKind.ADL, BodyKind.CCR))
    )
    return [
        Meeting.status == MeetingStatus.PUBLISHED,
        Meeting.ends_at > now,
        sa.or_(
            sa.and_(
                Meeting.body_id.in_(sorted(facts.members)),
                sa.or_(not_board, Meeting.body_id.in_(_board_body_ids(facts))),
            ),
            sa.and_(
                not_board,
                Meeting.audience == Audience.SITE_TENANTS,
                Meeting.body_id.in_(
                    sa.select(body_sites.c.body_id).where(
                        body_sites.c.site_id.in_(sorted(facts.site_ids))
                    )
                ),
            ),
        ),
    ]


def _upcoming_select(user, facts, now) -> sa.Select:
    return (
        sa.select(Meeting, Rsvp)
        .outerjoin(Rsvp, sa.and_(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == user.id))
        .join(Body, Body.id == Meeting.body_id)
        .where(*_upcoming_where(user, facts, now))
        .options(sa.orm.contains_eager(Meeting.body))
        .order_by(Meeting.starts_at, Meeting.id)
    )


def _upcoming_facts(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    facts = policy.core.facts_for(user)
    if not facts.members and not facts.site_ids:
        return None
    return facts


#: Meetings per page of the full list of the user's next meetings.
UPCOMING_PAGE_SIZE = 20


def upcoming_page(user, number: int) -> pagination.Page:
    """Every next meeting of the user (the home page shows five), a page at a time: a count
    and one page, two statements."""
    facts = _upcoming_facts(user)
    if facts is None:
        return pagination.Page(items=[], total=0, number=1, size=UPCOMING_PAGE_SIZE)
    now = clock.now()
    count = (
        sa.select(sa.func.count(Meeting.id))
        .join(Body, Body.id == Meeting.body_id)
        .where(*_upcoming_where(user, facts, now))
    )
    page = pagination.paginate(
        _upcoming_select(user, facts, now), count, number, UPCOMING_PAGE_SIZE, scalars=False
    )
    return pagination.Page(
        items=[Upcoming(meeting, rsvp) for meeting, rsvp in page.items],
        total=page.total,
        number=page.number,
        size=page.size,
    )


def feed_meetings(user) -> list[Meeting]:
    """Every non-draft meeting the user may see from FEED_HISTORY ago to FEED_AHEAD from now, for
    the calendar feed, in one statement whatever the size of the region: the SQL asks what
    `policy.can_see_meeting` grants (the bodies the user is convened to; as OC, the meetings
    of their scope they are invited to; as direction, the joint CCR meetings of their scope and
    the meetings that invite it),
    with each meeting's body and provider joined, then the policy decides; the agendas of the
    meetings it grants come in a second statement (`_with_agendas`)."""
    facts = policy.core.facts_for(user)
    oc = policy.core.staff_scope(user, (StaffRole.OC,))
    direction = policy.core.staff_scope(user, (StaffRole.DIRECTION,))
    site_bodies = sa.select(body_sites.c.body_id).where(
        body_sites.c.site_id.in_(sorted(facts.site_ids))
    )
    granted = [
        Meeting.body_id.in_(sorted(facts.members)),
        sa.and_(Meeting.audience == Audience.SITE_TENANTS, Meeting.body_id.in_(site_bodies)),
    ]
    bodies = [sa.select(Body.id).where(Body.id.in_(sorted(facts.members))), site_bodies]
    for scope, granting in (
        (oc, Meeting.oc_invited.is_(True)),
        (direction, OFFICE_CONVENED),
    ):
        if scope:
            granted.append(sa.and_(granting, scope.providers_clause()))
            bodies.append(
                sa.select(Body.id)
                .join(Provider, Provider.id == Body.provider_id)
                .where(scope.providers_clause())
            )
    now = clock.now()
    candidates = db.session.scalars(
        sa.select(Meeting)
        .join(Body, Body.id == Meeting.body_id)
        .join(Provider, Provider.id == Body.provider_id)
        .where(
            Meeting.status != MeetingStatus.DRAFT,
            Meeting.starts_at >= now - FEED_HISTORY,
            Meeting.starts_at < now + FEED_AHEAD,
            sa.or_(*granted),
            _among_bodies(*bodies),
        )
        .options(
            so.contains_eager(Meeting.body).contains_eager(Body.provider),
            so.lazyload(Meeting.agenda_items),  # _with_agendas
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return _with_agendas([m for m in candidates if policy.can_see_meeting(user, m)])


_AGENDAS = (
    sa.select(AgendaItem)
    .where(AgendaItem.meeting_id.in_(sa.bindparam("meeting_ids", expanding=True)))
    .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
)


def _with_agendas(meetings: list[Meeting]) -> list[Meeting]:
    """`meetings` with their agenda items loaded, in ONE statement whatever their number.
    Joined to the meetings' statement, each meeting's 60 columns (with its body and provider)
    came back once per agenda item and were converted again: that was most of the feed's time
    (benchmarks/throughput.py). selectinload would do the same in statements of 500 meetings,
    and a region's feed may hold more."""
    if not meetings:
        return meetings
    items: dict[int, list[AgendaItem]] = {m.id: [] for m in meetings}
    for item in db.session.scalars(_AGENDAS, {"meeting_ids": list(items)}):
        items[item.meeting_id].append(item)
    for meeting in meetings:
        so.attributes.set_committed_value(meeting, "agenda_items", items[meeting.id])
    return meetings


# The meeting page's own statements are built once, with bound parameters: building a
# statement costs as much as running it, on the page tenants open most (benchmarks/throughput.py).
_MEETING = (
    sa.select(Meeting)
    .where(Meeting.id == sa.bindparam("meeting_id"))
    .options(so.joinedload(Meeting.body))
)
_MEETING_WITH_AGENDA = _MEETING.options(so.joinedload(Meeting.agenda_items))


def meeting_by_id(meeting_id: int, *, agenda: bool = False) -> Meeting | None:
    """A meeting with its body (every permission check reads it) and, for its page, its
    agenda items, in one statement."""
    stmt = _MEETING_WITH_AGENDA if agenda else _MEETING
    return db.session.execute(stmt, {"meeting_id": meeting_id}).unique().scalar_one_or_none()


_RSVP = sa.select(Rsvp).where(
    Rsvp.meeting_id == sa.bindparam("meeting_id"), Rsvp.user_id == sa.bindparam("user_id")
)


def rsvp_for(meeting, user) -> Rsvp | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(_RSVP, {"meeting_id": meeting.id, "user_id": user.id})


def rsvp_counts(meeting) -> dict:
    """Answers per kind and people expected (yes + maybe party sizes count as "expected")."""
    rows = db.session.execute(
        sa.select(
            Rsvp.answer, sa.func.count(Rsvp.id), sa.func.coalesce(sa.func.sum(Rsvp.party_size), 0)
        )
        .where(Rsvp.meeting_id == meeting.id)
        .group_by(Rsvp.answer)
    )
    counts = dict.fromkeys(RsvpAnswer, 0)
    people = 0
    for answer, count, size in rows:
        counts[RsvpAnswer(answer)] = count
        if answer == RsvpAnswer.YES:
            people += size
    return {"answers": counts, "people_yes": people}


@dataclass(frozen=True)
class ChangeLine:
    """One change since the notice, as one reader may read it."""

    at: datetime
    summary: str


def _describe(change: MeetingChange, *, in_camera_reader: bool) -> str:
    """The change in the reader's language (the request's locale), from its stored fields."""
    d = change.data or {}
    kind = change.kind
    if kind == ChangeKind.TIME:
        starts = datetime.fromisoformat(d["starts_at"])
        ends = datetime.fromisoformat(d["ends_at"])
        when = _(
            "%(day)s, %(start)s to %(end)s",
            day=format_date(starts, "full"),
            start=format_time(starts, "short"),
            end=format_time(ends, "short"),
        )
        return _("New time: %(when)s", when=when)
    if kind == ChangeKind.PLACE:
        where = ", ".join(d.get(k) or "" for k in ("place", "address", "video_url") if d.get(k))
        if d.get("entered_afterwards"):
            return _("Place where it was held (entered after the meeting): %(where)s", where=where)
        return _("New place: %(where)s", where=where)
    if kind == ChangeKind.ITEM_ADDED:
        return _("Agenda: item “%(title)s” added.", title=d.get("title", ""))
    if kind == ChangeKind.ITEM_RENAMED:
        return _(
            "Agenda: item “%(old)s” is now “%(new)s”.",
            old=d.get("old_title", ""),
            new=d.get("title", ""),
        )
    if kind == ChangeKind.ITEM_CHANGED:
        return _("Agenda: item “%(title)s” changed.", title=d.get("title", ""))
    if kind == ChangeKind.ITEM_REMOVED:
        return _("Agenda: item “%(title)s” removed.", title=d.get("title", ""))
    if kind == ChangeKind.ITEM_MOVED:
        return _(
            "Agenda: item “%(title)s” moved to number %(number)s.",
            title=d.get("title", ""),
            number=d.get("position", ""),
        )
    if kind == ChangeKind.LEGACY_AGENDA and not in_camera_reader:
        return _("The agenda changed.")
    return d.get("text", "")


_ALL_CHANGES = (
    sa.select(MeetingChange)
    .where(MeetingChange.meeting_id == sa.bindparam("meeting_id"))
    .order_by(MeetingChange.at.desc(), MeetingChange.id.desc())
)
_OPEN_CHANGES = _ALL_CHANGES.where(MeetingChange.in_camera.is_(False))


def changes(meeting, reader) -> list[ChangeLine]:
    """The changes since the notice that `reader` may read, rendered for them: a change that
    touches an in-camera item is left out for a reader who may not see the in-camera agenda
    (the office's direction at a joint meeting, tenants), so not even its existence shows."""
    in_camera_reader = policy.can_see_in_camera_items(reader, meeting)
    query = _ALL_CHANGES if in_camera_reader else _OPEN_CHANGES
    return [
        ChangeLine(at=row.at, summary=_describe(row, in_camera_reader=in_camera_reader))
        for row in db.session.scalars(query, {"meeting_id": meeting.id})
    ]


_PROPOSALS = (
    sa.select(AgendaProposal)
    .where(AgendaProposal.meeting_id == sa.bindparam("meeting_id"))
    .options(sa.orm.joinedload(AgendaProposal.proposed_by))
    .order_by(AgendaProposal.created_at, AgendaProposal.id)
)
_OWN_PROPOSALS = _PROPOSALS.where(AgendaProposal.proposed_by_id == sa.bindparam("author_id"))


def proposals(meeting, *, author=None) -> list[AgendaProposal]:
    """Every proposal (officers) or only the author's own."""
    if author is None:
        return list(db.session.scalars(_PROPOSALS, {"meeting_id": meeting.id}))
    return list(
        db.session.scalars(_OWN_PROPOSALS, {"meeting_id": meeting.id, "author_id": author.id})
    )


@dataclass(frozen=True)
class Signatory:
    """Who signs a notice: the officer who published it, with their role in the body."""

    name: str
    role: object  # orgs.models.MemberRole, or None when they hold no seat on the register


def notice_signatory(meeting) -> Signatory | None:
    """The officer who published the notice, as the body's register names them (None for a
    draft, or a notice published before its publisher was recorded)."""
    if meeting.published_by_id is None:
        return None
    member = db.session.scalar(
        sa.select(Member)
        .where(Member.body_id == meeting.body_id, Member.user_id == meeting.published_by_id)
        .order_by(Member.id)
        .limit(1)
    )
    if member is not None:
        return Signatory(name=member.name, role=member.role)
    user = meeting.published_by
    return Signatory(name=user.name, role=None) if user is not None else None
