"""Reading office consultations."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.consultations.models import Consultation
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, BodyKind, Provider, StaffAssignment


def directed_providers(user: User) -> list[Provider]:
    """The offices this account directs (a direction's staff assignments)."""
    return list(
        db.session.scalars(
            sa.select(Provider)
            .join(StaffAssignment, StaffAssignment.provider_id == Provider.id)
            .where(
                StaffAssignment.user_id == user.id,
                StaffAssignment.role == StaffRole.DIRECTION,
            )
            .order_by(Provider.name)
            .distinct()
        )
    )


def ccrs_of(providers: list[Provider]) -> list[Body]:
    return list(
        db.session.scalars(
            sa.select(Body)
            .where(Body.provider_id.in_([p.id for p in providers]), Body.kind == BodyKind.CCR)
            .options(so.selectinload(Body.provider))
            .order_by(Body.name)
        )
    )


def office_consultations(providers: list[Provider]) -> list[Consultation]:
    """The consultations the offices submitted, the latest first."""
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.provider_id.in_([p.id for p in providers]))
            .options(so.selectinload(Consultation.ccr))
            .order_by(Consultation.submitted_at.desc(), Consultation.id.desc())
        )
    )


def ccr_consultations(ccr: Body, limit: int = 20) -> list[Consultation]:
    """The consultations submitted to this CCR, the latest first."""
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.ccr_id == ccr.id)
            .order_by(Consultation.submitted_at.desc(), Consultation.id.desc())
            .limit(limit)
        )
    )
