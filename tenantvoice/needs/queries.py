"""What the tenants' and the reviewing body's pages of collective needs read."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.accounts.models import StaffRole
from tenantvoice.assembly.models import Resolution
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.needs.models import (
    OPEN_STATUSES,
    EventKind,
    Need,
    NeedComment,
    NeedEvent,
    NeedForward,
    NeedSupport,
    Origin,
    Status,
)
from tenantvoice.orgs.models import Site, StaffAssignment
from tenantvoice.policy.core import facts_for
from tenantvoice.search import fold

LIST_LIMIT = 100
SIMILAR_LIMIT = 5


@dataclass
class Row:
    need: Need
    supported: bool


def _supported_by(user: Any):
    return (
        sa.select(NeedSupport.need_id)
        .where(NeedSupport.need_id == Need.id, NeedSupport.user_id == user.id)
        .exists()
    )


def sites_of(user: Any) -> list[Site]:
    ids = facts_for(user).site_ids if user.is_authenticated else set()
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Site).where(Site.id.in_(ids)).order_by(Site.name)))


def needs_for_tenant(user: Any) -> list[Row]:
    """The non-sensitive needs of the user's sites, and the user's own needs (sensitive too)."""
    site_ids = facts_for(user).site_ids
    shown = sa.and_(
        Need.site_id.in_(site_ids or {-1}),
        Need.origin == Origin.TENANT,
        Need.sensitive.is_(False),
        Need.status != Status.MERGED,
    )
    stmt = (
        sa.select(Need, _supported_by(user))
        .where(sa.or_(shown, Need.author_id == user.id))
        .options(so.selectinload(Need.categories), so.joinedload(Need.site))
        .order_by(Need.created_at.desc(), Need.id.desc())
        .limit(LIST_LIMIT)
    )
    return [Row(need, bool(supported)) for need, supported in db.session.execute(stmt)]


def need_for_page(need_id: int) -> Need | None:
    """The need with what its pages render (site, categories, author, reviewing body)."""
    return db.session.scalar(
        sa.select(Need)
        .where(Need.id == need_id)
        .options(
            so.selectinload(Need.categories),
            so.selectinload(Need.populations),
            so.joinedload(Need.site),
            so.joinedload(Need.author),
            so.joinedload(Need.reviewing_body),
        )
    )


def similar(site_id: int, text: str, exclude: int | None = None) -> list[Need]:
    """Open non-sensitive needs of the site whose title or text shares words with `text`,
    accents and case ignored (the folded copy is compared in the database, both engines)."""
    words = [w for w in fold(text or "")[:200].split() if len(w) >= 4][:6]
    if not words:
        return []
    stmt = (
        sa.select(Need)
        .where(
            Need.site_id == site_id,
            Need.origin == Origin.TENANT,
            Need.sensitive.is_(False),
            Need.status.in_(OPEN_STATUSES),
            sa.or_(*(Need.search_key.contains(w, autoescape=True) for w in words)),
        )
        .order_by(Need.supporters_count.desc(), Need.id.desc())
        .limit(SIMILAR_LIMIT)
    )
    if exclude:
        stmt = stmt.where(Need.id != exclude)
    return list(db.session.scalars(stmt))


def follower_ids(need: Need) -> set[int]:
    """The need's author and supporters: who is told of its news."""
    people = set(
        db.session.scalars(sa.select(NeedSupport.user_id).where(NeedSupport.need_id == need.id))
    )
    if need.author_id and need.origin == Origin.TENANT:
        people.add(need.author_id)
    return people


def organizer_ids(need: Need) -> set[int]:
    """The community organizers whose scope covers the need's provider (by provider or by
    region): who reviews a need of a site with neither an ADL nor a CCR."""
    return set(
        db.session.scalars(
            sa.select(StaffAssignment.user_id).where(
                StaffAssignment.role == StaffRole.OC,
                sa.or_(
                    StaffAssignment.provider_id == need.provider_id,
                    StaffAssignment.region_id == need.region_id,
                ),
            )
        )
    )


def merged_into(need: Need) -> Need | None:
    """The need a merged need went into (its MERGED_INTO event's other_need_id), if any."""
    if need.status != Status.MERGED:
        return None
    return db.session.scalar(
        sa.select(Need)
        .join(NeedEvent, NeedEvent.other_need_id == Need.id)
        .where(NeedEvent.need_id == need.id, NeedEvent.kind == EventKind.MERGED_INTO)
        .order_by(NeedEvent.id.desc())
        .limit(1)
    )


def merged_from(need: Need) -> list[Need]:
    """The needs merged into this one (its MERGED events), oldest merge first."""
    return list(
        db.session.scalars(
            sa.select(Need)
            .join(NeedEvent, NeedEvent.other_need_id == Need.id)
            .where(NeedEvent.need_id == need.id, NeedEvent.kind == EventKind.MERGED)
            .order_by(NeedEvent.id)
            .limit(LIST_LIMIT)
        )
    )


def supports(user: Any, need: Need) -> bool:
    return bool(
        db.session.scalar(
            sa.select(NeedSupport.need_id).where(
                NeedSupport.need_id == need.id, NeedSupport.user_id == user.id
            )
        )
    )


def timeline(need: Need) -> list[NeedEvent]:
    return list(
        db.session.scalars(
            sa.select(NeedEvent)
            .where(NeedEvent.need_id == need.id)
            .options(so.joinedload(NeedEvent.partner))
            .order_by(NeedEvent.created_at, NeedEvent.id)
        )
    )


def comments(need: Need) -> list[NeedComment]:
    return list(
        db.session.scalars(
            sa.select(NeedComment)
            .where(NeedComment.need_id == need.id)
            .order_by(NeedComment.created_at, NeedComment.id)
        )
    )


def forwards(need: Need) -> list[NeedForward]:
    return list(
        db.session.scalars(
            sa.select(NeedForward)
            .where(NeedForward.need_id == need.id)
            .options(so.joinedload(NeedForward.body))
            .order_by(NeedForward.created_at, NeedForward.id)
        )
    )


def review_queue(body: Any) -> list[Need]:
    """The needs the body reviews, those waiting first."""
    waiting = sa.case((Need.status.in_([Status.RAISED, Status.INFO_REQUESTED]), 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(Need)
            .where(
                Need.reviewing_body_id == body.id,
                Need.origin == Origin.TENANT,
                Need.status != Status.MERGED,
            )
            .options(so.selectinload(Need.categories), so.joinedload(Need.site))
            .order_by(waiting, Need.created_at.desc(), Need.id.desc())
            .limit(LIST_LIMIT)
        )
    )


def merge_targets(need: Need) -> list[Need]:
    """The other open needs the same body reviews."""
    return list(
        db.session.scalars(
            sa.select(Need)
            .where(
                Need.reviewing_body_id == need.reviewing_body_id,
                Need.origin == Origin.TENANT,
                Need.id != need.id,
                Need.status.in_(OPEN_STATUSES),
            )
            .order_by(Need.id.desc())
            .limit(LIST_LIMIT)
        )
    )


def resolutions_of(body: Any) -> list[Resolution]:
    return list(
        db.session.scalars(
            sa.select(Resolution)
            .join(Meeting, Meeting.id == Resolution.meeting_id)
            .where(Meeting.body_id == body.id)
            .order_by(Resolution.id.desc())
            .limit(50)
        )
    )
