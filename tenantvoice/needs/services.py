"""Changes to collective needs: raise, record (ISC), "me too", comment, confirm, merge, forward.

Services take the acting user first, check the rules the data must keep (the view checked the
permission), flush and never commit. A refusal raises `NeedError` with a translated message and
records nothing (the view rolls back).
"""

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from tenantvoice import audit, clock
from tenantvoice.assembly.models import Resolution
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.needs import queries, taxonomy
from tenantvoice.needs.models import (
    COMMENT_MAX,
    NOTE_MAX,
    OPEN_STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    WORDING_MAX,
    EventKind,
    Need,
    NeedCategory,
    NeedComment,
    NeedError,
    NeedEvent,
    NeedForward,
    NeedPopulation,
    NeedSupport,
    Origin,
    Population,
    Priority,
    Status,
    Urgency,
)
from tenantvoice.notifications.services import notify
from tenantvoice.orgs.models import Body, BodyKind, Provider, Site, body_sites
from tenantvoice.search import search_key

MAX_CATEGORIES = 5


def reviewing_body_for(site: Site) -> Body | None:
    """The site's ADL; where it has none, the provider's CCR; where neither exists, None (the
    organizer reviews directly)."""
    adl = db.session.scalar(
        sa.select(Body)
        .join(body_sites, body_sites.c.body_id == Body.id)
        .where(body_sites.c.site_id == site.id, Body.kind == BodyKind.ADL)
        .order_by(Body.id)
        .limit(1)
    )
    if adl is not None:
        return adl
    return db.session.scalar(
        sa.select(Body)
        .where(Body.provider_id == site.provider_id, Body.kind == BodyKind.CCR)
        .order_by(Body.id)
        .limit(1)
    )


#: Per field: the message when it is empty, and when it is longer than `n` (whole sentences,
#: translated when shown).
MESSAGES: dict[str, tuple[Callable[[], Any], Callable[[int], Any]]] = {
    "title": (
        lambda: _l("Please write a short title."),
        lambda n: _l("Please keep the title under %(n)s characters.", n=n),
    ),
    "description": (
        lambda: _l("Please describe the need."),
        lambda n: _l("Please keep the description under %(n)s characters.", n=n),
    ),
    "comment": (
        lambda: _l("Please write your comment."),
        lambda n: _l("Please keep your comment under %(n)s characters.", n=n),
    ),
    "wording": (
        lambda: _l("Please write the association's wording."),
        lambda n: _l("Please keep the association's wording under %(n)s characters.", n=n),
    ),
    "note": (
        lambda: _l("Please write the note."),
        lambda n: _l("Please keep the note under %(n)s characters.", n=n),
    ),
    "outcome": (
        lambda: _l("Please write the outcome."),
        lambda n: _l("Please keep the outcome under %(n)s characters.", n=n),
    ),
    "message": (
        lambda: _l("Please write the message."),
        lambda n: _l("Please keep the message under %(n)s characters.", n=n),
    ),
}


def clean_text(text: str | None, limit: int, *, required: bool, field: str) -> str:
    """The text stripped, or a refusal when it is empty (and required) or too long."""
    value = (text or "").strip()
    empty, too_long = MESSAGES[field]
    if required and not value:
        raise NeedError(empty())
    if len(value) > limit:
        raise NeedError(too_long(limit))
    return value


def _codes(codes: Iterable[str]) -> list[str]:
    chosen: list[str] = []
    for code in codes:
        if code not in taxonomy.BY_CODE:
            raise NeedError(_l("Please choose categories from the list."))
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise NeedError(_l("Please choose at least one category."))
    if len(chosen) > MAX_CATEGORIES:
        raise NeedError(_l("Please choose at most %(n)s categories.", n=MAX_CATEGORIES))
    return chosen


def clean_populations(values: Iterable[Any] | None) -> list[Population]:
    """Who is affected: one or more groups of the list, in the list's order. "Everyone" stands
    alone: ticked with particular groups (it is ticked by default), the groups are what is meant.
    A refusal when none is chosen or a value is not in the list."""
    chosen: set[Population] = set()
    for value in values or ():
        try:
            chosen.add(Population(value))
        except ValueError:
            raise NeedError(_l("Please choose who is affected from the list.")) from None
    if not chosen:
        raise NeedError(_l("Please choose who is affected: everyone, or one or more groups."))
    if len(chosen) > 1:
        chosen.discard(Population.EVERYONE)
    return [p for p in Population if p in chosen]


def _enum(kind: Any, value: Any, default: Any) -> Any:
    if value in (None, ""):
        return default
    try:
        return kind(value)
    except ValueError:
        raise NeedError(_l("Please choose a value from the list.")) from None


def _event(need: Need, kind: EventKind, actor: Any = None, **fields: Any) -> NeedEvent:
    event = NeedEvent(
        need_id=need.id,
        kind=kind,
        actor_id=getattr(actor, "id", None),
        created_at=clock.now(),
        **fields,
    )
    db.session.add(event)
    need.updated_at = event.created_at
    return event


def _new_need(
    site: Site,
    *,
    title: str,
    description: str,
    codes: Iterable[str],
    populations: Iterable[Any] | None,
    urgency: Any,
) -> Need:
    title = clean_text(title, TITLE_MAX, required=True, field="title")
    description = clean_text(description, TEXT_MAX, required=False, field="description")
    chosen = _codes(codes)
    groups = clean_populations(populations)
    provider = db.session.get_one(Provider, site.provider_id)
    need = Need(
        site_id=site.id,
        provider_id=provider.id,
        provider_kind=provider.kind,
        region_id=provider.region_id,
        title=title,
        description=description,
        urgency=_enum(Urgency, urgency, Urgency.MEDIUM),
        category=chosen[0],
        sensitive=any(code in taxonomy.SENSITIVE for code in chosen),
        category_mask=taxonomy.mask(chosen),
        categories=[NeedCategory(code=code, position=i) for i, code in enumerate(chosen)],
        populations=[NeedPopulation(population=group) for group in groups],
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    need.search_key = "" if need.sensitive else search_key(title, description)
    return need


def raise_need(
    actor: Any,
    site: Site,
    *,
    title: str,
    description: str = "",
    codes: Iterable[str],
    populations: Iterable[Any] | None = (Population.EVERYONE,),
    urgency: Any = None,
    anonymous: bool = True,
    share_text: bool = False,
) -> Need:
    """A tenant raises a need at their site; it waits for the reviewing body (or, where the site
    has none, goes to the organizer directly). The author is its first supporter."""
    need = _new_need(
        site,
        title=title,
        description=description,
        codes=codes,
        populations=populations,
        urgency=urgency,
    )
    body = reviewing_body_for(site)
    need.reviewing_body_id = body.id if body else None
    need.author_id = actor.id
    need.anonymous = anonymous
    need.share_text = share_text
    need.origin = Origin.TENANT
    need.status = Status.RAISED
    need.supporters_count = 1
    if body is None:
        # No association nor CCR: the organizer of the territory reviews it directly.
        need.forwarded_at = need.created_at
    need.organizer_search_key = _organizer_key(need, [])
    db.session.add(need)
    db.session.flush()
    db.session.add(NeedSupport(need_id=need.id, user_id=actor.id, created_at=clock.now()))
    _event(need, EventKind.RAISED, actor)
    db.session.flush()
    if body is not None:
        notify("need.raised", need, actor=actor)
    else:
        # No association nor CCR: the organizer(s) whose scope covers the site are told; their
        # copy carries neither the tenant's text nor the author (the kind has no title).
        notify("need.direct", need, actor=actor)
    return need


def record_isc(
    actor: Any,
    site: Site,
    *,
    title: str,
    description: str = "",
    codes: Iterable[str],
    populations: Iterable[Any] | None = (Population.EVERYONE,),
    urgency: Any = None,
) -> Need:
    """An ISC records, without any name, a problem several residents of a site live: it goes
    straight to the organizer's dashboard."""
    need = _new_need(
        site,
        title=title,
        description=description,
        codes=codes,
        populations=populations,
        urgency=urgency,
    )
    need.origin = Origin.ISC
    need.author_id = actor.id
    need.anonymous = True
    need.share_text = True
    need.status = Status.FORWARDED
    need.to_organizer = True
    need.forwarded_at = need.created_at
    need.search_key = ""
    need.organizer_search_key = search_key(need.title, need.description)
    db.session.add(need)
    db.session.flush()
    _event(need, EventKind.RECORDED, actor)
    db.session.flush()
    # The organizer(s) of the territory: no title, no name (the worker is the actor).
    notify("need.recorded", need, actor=actor)
    return need


def supporter_ids(need: Need) -> set[int]:
    return set(
        db.session.scalars(sa.select(NeedSupport.user_id).where(NeedSupport.need_id == need.id))
    )


def support(actor: Any, need: Need) -> None:
    """ "Me too", once per person (the database's primary key refuses a second)."""
    if not need.is_open:
        raise NeedError(_l("This need is closed: it no longer takes support."), 409)
    try:
        with db.session.begin_nested():
            db.session.add(NeedSupport(need_id=need.id, user_id=actor.id, created_at=clock.now()))
    except IntegrityError:
        raise NeedError(_l("You already support this need."), 409) from None
    db.session.execute(
        sa.update(Need)
        .where(Need.id == need.id)
        .values(supporters_count=Need.supporters_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(need, ["supporters_count"])


def comment(actor: Any, need: Need, text: str) -> NeedComment:
    text = clean_text(text, COMMENT_MAX, required=True, field="comment")
    if not need.is_open:
        raise NeedError(_l("This need is closed: it no longer takes comments."), 409)
    row = NeedComment(need_id=need.id, author_id=actor.id, text=text, created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def _check_reviewable(need: Need) -> None:
    if need.status not in (Status.RAISED, Status.CONFIRMED, Status.INFO_REQUESTED):
        raise NeedError(_l("This need was already dealt with."), 409)


def _body_of(need: Need) -> Body:
    if need.reviewing_body is None:
        raise NeedError(_l("No association reviews this need."), 409)
    return need.reviewing_body


def confirm(actor: Any, need: Need, resolution_id: int | None = None) -> None:
    """The reviewing body confirms the need, optionally citing a resolution of one of its
    meetings."""
    _check_reviewable(need)
    body = _body_of(need)
    resolution = None
    if resolution_id:
        resolution = db.session.scalar(
            sa.select(Resolution)
            .join(Meeting, Meeting.id == Resolution.meeting_id)
            .where(Resolution.id == resolution_id, Meeting.body_id == body.id)
        )
        if resolution is None:
            raise NeedError(_l("Please choose a resolution of one of the association's meetings."))
    if need.status == Status.RAISED:
        need.status = Status.CONFIRMED
    _event(need, EventKind.CONFIRMED, actor, resolution_id=resolution.id if resolution else None)
    audit.record("need.confirm", actor=actor, body_id=body.id, obj=need)
    db.session.flush()
    notify_followers(need, actor)


def merge(actor: Any, source: Need, target: Need) -> None:
    """Merge `source` into `target`: its supporters join the target (each counted once)."""
    if source.id == target.id:
        raise NeedError(_l("A need cannot be merged into itself."))
    if (
        source.provider_id != target.provider_id
        or source.reviewing_body_id != target.reviewing_body_id
    ):
        raise NeedError(_l("Only needs reviewed by the same association can be merged."))
    if source.status not in OPEN_STATUSES or target.status not in OPEN_STATUSES:
        raise NeedError(_l("Only open needs can be merged."), 409)
    already = sa.select(NeedSupport.user_id).where(NeedSupport.need_id == target.id)
    moved = sa.select(sa.literal(target.id), NeedSupport.user_id, NeedSupport.created_at).where(
        NeedSupport.need_id == source.id, NeedSupport.user_id.not_in(already)
    )
    db.session.execute(
        sa.insert(NeedSupport).from_select(["need_id", "user_id", "created_at"], moved)
    )
    db.session.flush()
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(NeedSupport).where(NeedSupport.need_id == target.id)
    )
    target.supporters_count = count or 0
    if source.sensitive and not target.sensitive:
        # The merged need carries the stricter handling of either.
        target.sensitive = True
        target.search_key = ""
    source.status = Status.MERGED
    _event(target, EventKind.MERGED, actor, other_need_id=source.id)
    _event(source, EventKind.MERGED_INTO, actor, other_need_id=target.id)
    audit.record("need.merge", actor=actor, body_id=target.reviewing_body_id, obj=target)
    db.session.flush()


def stop_sharing_texts(actor: Any) -> int:
    """The person withdrew their consent that their needs' texts go to the organizer (Q-05): from
    now on the organizer reads, and searches, only the reviewing bodies' wording of each of their
    needs (an ISC's record keeps its text: it is the worker's own, never a tenant's). Returns how
    many needs changed (flushes)."""
    needs = list(
        db.session.scalars(
            sa.select(Need).where(
                Need.author_id == actor.id,
                Need.share_text.is_(True),
                Need.origin == Origin.TENANT,
            )
        )
    )
    if not needs:
        return 0
    wordings: dict[int, list[str]] = {}
    for need_id, wording in db.session.execute(
        sa.select(NeedForward.need_id, NeedForward.wording)
        .where(NeedForward.need_id.in_([n.id for n in needs]))
        .order_by(NeedForward.id)
    ):
        wordings.setdefault(need_id, []).append(wording)
    for need in needs:
        need.share_text = False
        need.organizer_search_key = _organizer_key(need, wordings.get(need.id, []))
        audit.record("need.unshare_text", actor=actor, body_id=need.reviewing_body_id, obj=need)
    db.session.flush()
    return len(needs)


def _organizer_key(need: Need, wordings: list[str]) -> str:
    shared = [need.title, need.description] if need.share_text else []
    return search_key(*wordings, *shared)


def forward(
    actor: Any,
    need: Need,
    *,
    wording: str,
    priority: Any = None,
    note: str = "",
    to_organizer: bool = False,
    to_direction: bool = False,
) -> NeedForward:
    """The reviewing body forwards the need in its own wording to the organizer of its territory
    and/or the direction (the office acts on repairs, safety, shared facilities)."""
    _check_reviewable(need)
    wording = clean_text(wording, WORDING_MAX, required=True, field="wording")
    note = clean_text(note, NOTE_MAX, required=False, field="note")
    if not (to_organizer or to_direction):
        raise NeedError(_l("Please choose who receives it: the organizer, the direction or both."))
    body = _body_of(need)
    row = NeedForward(
        need_id=need.id,
        body_id=body.id,
        wording=wording,
        priority=_enum(Priority, priority, Priority.NORMAL),
        note=note,
        to_organizer=to_organizer,
        to_direction=to_direction,
        created_at=clock.now(),
    )
    db.session.add(row)
    need.to_organizer = need.to_organizer or to_organizer
    need.to_direction = need.to_direction or to_direction
    need.priority = row.priority
    need.status = Status.FORWARDED
    if need.forwarded_at is None:
        need.forwarded_at = row.created_at
    wordings = list(
        db.session.scalars(sa.select(NeedForward.wording).where(NeedForward.need_id == need.id))
    )
    need.organizer_search_key = _organizer_key(need, wordings)
    _event(need, EventKind.FORWARDED, actor)
    audit.record("need.forward", actor=actor, body_id=body.id, obj=need)
    db.session.flush()
    if to_organizer:
        notify("need.forwarded", need, actor=actor)
    notify_followers(need, actor)
    return row


def notify_followers(need: Need, actor: Any = None) -> None:
    """Tell the author and the supporters that the need moved, also at a site without a body
    where the organizer acts directly (the kind's predicate still decides: a tenant who moved
    away is not told)."""
    if need.origin != Origin.TENANT:
        return
    people = queries.follower_ids(need)
    if people:
        notify("need.update", need, actor=actor, only=people)
