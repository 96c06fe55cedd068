"""Read helpers of the recommendations domain. None of them writes; lists run a fixed number of
statements whatever their length (tests/perf)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Provider, Site
from tenantvoice.policy.core import facts_for
from tenantvoice.recommendations.models import (
    AWAITING_ANSWER,
    PRIVATE_STATUSES,
    Amendment,
    Attachment,
    Category,
    Comment,
    Event,
    Recommendation,
    Status,
    TakeUp,
    Target,
    Version,
)
from tenantvoice.web.pagination import Page, paginate

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    category: Category | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        status = args.get("status", "")
        category = args.get("category", "")
        return cls(
            status=Status(status) if status in {s.value for s in Status} else None,
            category=Category(category) if category in {c.value for c in Category} else None,
        )


@dataclass(frozen=True)
class Waiting:
    """How many wait for the direction's answer, since when, and how many are overdue."""

    count: int
    oldest: datetime | None
    overdue: int

    @property
    def oldest_days(self) -> int | None:
        return (clock.now() - self.oldest).days if self.oldest else None


def _today():
    return clock.now().astimezone(clock.MONTREAL).date()


def _filtered(where: list, filters: Filters) -> list:
    if filters.status is not None:
        where.append(Recommendation.status == filters.status)
    if filters.category is not None:
        where.append(Recommendation.category == filters.category)
    return where


def _page(where: list, number: int) -> Page:
    stmt = (
        sa.select(Recommendation)
        .where(*where)
        .options(so.joinedload(Recommendation.body))
        .order_by(Recommendation.updated_at.desc(), Recommendation.id.desc())
    )
    count = sa.select(sa.func.count(Recommendation.id)).where(*where)
    return paginate(stmt, count, number, PAGE_SIZE)


def body_page(body, filters: Filters, number: int) -> Page:
    """A body's recommendations, drafts included (its members' list)."""
    return _page(_filtered([Recommendation.body_id == body.id], filters), number)


def _public_where(provider, direction_only: bool) -> list:
    where = [
        Recommendation.provider_id == provider.id,
        Recommendation.status.not_in(PRIVATE_STATUSES),
    ]
    if direction_only:
        where += [
            Recommendation.target == Target.DIRECTION,
            Recommendation.transmitted_at.is_not(None),
        ]
    return where


def provider_page(provider, filters: Filters, number: int, *, direction_only: bool) -> Page:
    """The provider's public list (adopted onward); the direction's: what was sent to it."""
    return _page(_filtered(_public_where(provider, direction_only), filters), number)


def waiting(where_body=None, provider=None) -> Waiting:
    """One statement: count, oldest transmission and overdue count of those awaiting an answer."""
    where = [
        Recommendation.status.in_(AWAITING_ANSWER),
        Recommendation.target == Target.DIRECTION,
    ]
    if where_body is not None:
        where.append(Recommendation.body_id == where_body.id)
    if provider is not None:
        where.append(Recommendation.provider_id == provider.id)
    count, oldest, overdue = db.session.execute(
        sa.select(
            sa.func.count(Recommendation.id),
            sa.func.min(Recommendation.transmitted_at),
            sa.func.count(Recommendation.id).filter(Recommendation.answer_due_on < _today()),
        ).where(*where)
    ).one()
    return Waiting(count=count or 0, oldest=oldest, overdue=overdue or 0)


def timeline(rec: Recommendation, *, internals: bool) -> list[Event]:
    where = [Event.recommendation_id == rec.id]
    if not internals:
        where.append(Event.public.is_(True))
    stmt = sa.select(Event).where(*where).order_by(Event.at, Event.id)
    if internals:
        stmt = stmt.options(so.joinedload(Event.actor))
    return list(db.session.scalars(stmt))


def versions(rec: Recommendation) -> list[Version]:
    return list(
        db.session.scalars(
            sa.select(Version).where(Version.recommendation_id == rec.id).order_by(Version.number)
        )
    )


def version(rec: Recommendation, number: int) -> Version | None:
    return db.session.scalar(
        sa.select(Version).where(Version.recommendation_id == rec.id, Version.number == number)
    )


def amendments(rec: Recommendation) -> list[Amendment]:
    return list(
        db.session.scalars(
            sa.select(Amendment)
            .where(Amendment.recommendation_id == rec.id)
            .options(so.joinedload(Amendment.author))
            .order_by(Amendment.created_at, Amendment.id)
        )
    )


def comments(rec: Recommendation) -> list[Comment]:
    return list(
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.recommendation_id == rec.id)
            .options(so.joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def attachments(rec: Recommendation) -> list[Attachment]:
    """Names and sizes (never the bytes)."""
    return list(
        db.session.scalars(
            sa.select(Attachment)
            .where(Attachment.recommendation_id == rec.id)
            .order_by(Attachment.id)
        )
    )


def taken_up_as(rec: Recommendation) -> Recommendation | None:
    """The CCR's recommendation that took this one up, if any."""
    return db.session.scalar(
        sa.select(Recommendation)
        .join(TakeUp, TakeUp.recommendation_id == Recommendation.id)
        .where(TakeUp.origin_id == rec.id)
        .options(so.joinedload(Recommendation.body))
    )


def origin_of(rec: Recommendation) -> Recommendation | None:
    return db.session.scalar(
        sa.select(Recommendation)
        .join(TakeUp, TakeUp.origin_id == Recommendation.id)
        .where(TakeUp.recommendation_id == rec.id)
        .options(so.joinedload(Recommendation.body))
    )


def sent_to_ccr(ccr) -> list[Recommendation]:
    """Associations' recommendations sent to this CCR and not taken up yet."""
    taken = sa.select(TakeUp.origin_id)
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .where(
                Recommendation.target_body_id == ccr.id,
                Recommendation.status == Status.TRANSMITTED,
                Recommendation.id.not_in(taken),
            )
            .options(so.joinedload(Recommendation.body))
            .order_by(Recommendation.transmitted_at)
        )
    )


#: Built once (every tenant's home page runs it); the id lists are expanding parameters.
_PROVIDERS_OF = (
    sa.select(Provider)
    .where(
        sa.or_(
            Provider.id.in_(
                sa.select(Body.provider_id).where(
                    Body.id.in_(sa.bindparam("body_ids", expanding=True))
                )
            ),
            Provider.id.in_(
                sa.select(Site.provider_id).where(
                    Site.id.in_(sa.bindparam("site_ids", expanding=True))
                )
            ),
            Provider.id.in_(sa.bindparam("direction", expanding=True)),
        )
    )
    .order_by(Provider.name)
)


def providers_of(user) -> list:
    """The housing providers whose public recommendations the user may read (as a tenant, a
    member of one of their bodies, or their direction): one statement."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    facts = facts_for(user)
    body_ids = set(facts.members)
    direction = {
        a.provider_id
        for a in facts.staff
        if a.role == StaffRole.DIRECTION and a.provider_id is not None
    }
    if not (body_ids or facts.site_ids or direction):
        return []
    return list(
        db.session.scalars(
            _PROVIDERS_OF,
            {
                "body_ids": sorted(body_ids),
                "site_ids": sorted(facts.site_ids),
                "direction": sorted(direction),
            },
        )
    )
