"""Read helpers of the orgs domain (lists load what they show in a constant number of queries)."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.orgs.models import (
    OFFICER_ROLES,
    Body,
    BodyKind,
    Invitation,
    Member,
    MemberRole,
)
from tenantvoice.search import fold, matches_folded
from tenantvoice.web.pagination import Page, paginate

#: An ADL's board must have at least this many people (domain rule A5).
MIN_ADL_BOARD = 3

#: Roles shown publicly on a body's page (names only, never units or phones).
PUBLIC_ROLES = (*OFFICER_ROLES, MemberRole.TENANT_DIRECTOR)


#: Register entries on one page of the register.
REGISTER_PAGE_SIZE = 25


def register_filter(body: Body, q: str = "", *, include_former: bool = False) -> list:
    """The WHERE clauses of the register's search: the body, current entries unless former ones
    are asked for, and the name or unit containing `q` (accents and case ignored, by the
    folded copy kept beside them: the database filters on SQLite and PostgreSQL alike)."""
    clauses: list = [Member.body_id == body.id]
    if not include_former:
        clauses.append(Member.is_current)
    if fold((q or "").strip()):
        clauses.append(matches_folded(Member.search_key, q, 60))
    return clauses


def register(body: Body, q: str = "", *, include_former: bool = False, page: int = 1) -> Page:
    """One page of register entries, filtered by name or unit, by name, with their building
    and account, and how many matched in all (4 queries, whatever the register's size)."""
    where = register_filter(body, q, include_former=include_former)
    stmt = (
        sa.select(Member)
        .where(*where)
        .options(so.selectinload(Member.site), so.selectinload(Member.user))
        .order_by(Member.name, Member.id)
    )
    count = sa.select(sa.func.count(Member.id)).where(*where)
    return paginate(stmt, count, page, REGISTER_PAGE_SIZE)


def officers(body: Body) -> list[Member]:
    """Current officers and tenant directors: role and name for the body's page."""
    return list(
        db.session.scalars(
            sa.select(Member)
            .where(Member.body_id == body.id, Member.is_current, Member.role.in_(PUBLIC_ROLES))
            .order_by(Member.role, Member.name)
        )
    )


def board_count(body: Body) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Member.id)).where(
                Member.body_id == body.id, Member.is_current, Member.role.in_(OFFICER_ROLES)
            )
        )
        or 0
    )


def board_too_small(body: Body) -> bool:
    """An ADL's board has fewer than 3 people (A5)."""
    return body.kind == BodyKind.ADL and board_count(body) < MIN_ADL_BOARD


def members_without_account(body: Body) -> list[Member]:
    return list(
        db.session.scalars(
            sa.select(Member)
            .where(Member.body_id == body.id, Member.is_current, Member.user_id.is_(None))
            .order_by(Member.name)
        )
    )


def invitations(body: Body) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.body_id == body.id)
            .options(so.selectinload(Invitation.member))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def officer_todo(body_ids) -> dict[int, dict]:
    """Per body: register entries without an account, pending invitations, board size."""
    body_ids = list(body_ids)
    if not body_ids:
        return {}
    now = clock.now()
    no_account = dict(
        db.session.execute(
            sa.select(Member.body_id, sa.func.count(Member.id))
            .where(Member.body_id.in_(body_ids), Member.is_current, Member.user_id.is_(None))
            .group_by(Member.body_id)
        ).all()
    )
    pending = dict(
        db.session.execute(
            sa.select(Invitation.body_id, sa.func.count(Invitation.id))
            .where(
                Invitation.body_id.in_(body_ids),
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .group_by(Invitation.body_id)
        ).all()
    )
    board = dict(
        db.session.execute(
            sa.select(Member.body_id, sa.func.count(Member.id))
            .where(Member.body_id.in_(body_ids), Member.is_current, Member.role.in_(OFFICER_ROLES))
            .group_by(Member.body_id)
        ).all()
    )
    kinds = dict(
        db.session.execute(sa.select(Body.id, Body.kind).where(Body.id.in_(body_ids))).all()
    )
    return {
        bid: {
            "without_account": no_account.get(bid, 0),
            "pending_invitations": pending.get(bid, 0),
            "board_too_small": kinds.get(bid) == BodyKind.ADL and board.get(bid, 0) < MIN_ADL_BOARD,
        }
        for bid in body_ids
    }


def officer_contacts(body: Body) -> dict[int, dict]:
    """Register entry id → phone and email of the officers who consented to share them with the
    organizer (the policy's `shares_contact_with` decides each one), in one statement."""
    rows = db.session.scalars(
        sa.select(Member)
        .where(
            Member.body_id == body.id,
            Member.is_current,
            Member.role.in_(OFFICER_ROLES),
            Member.consent_share_with_organizer.is_(True),
            Member.user_id.is_not(None),
        )
        .options(so.joinedload(Member.user))
    )
    return {
        m.id: {"phone": m.phone or (m.user.phone if m.user else "") or "", "email": m.user.email}
        for m in rows
        if m.user is not None
    }
