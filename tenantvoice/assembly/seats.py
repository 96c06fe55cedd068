"""A CCR seat linked to the association's resolution that designated the person (domain-rules
2.3, C2). The register entry (orgs) names the designating association; this links the seat to
the resolution itself when the association's meetings are kept in TenantVoice."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import audit
from tenantvoice.accounts.models import User
from tenantvoice.assembly.models import Resolution, ResolutionOutcome, SeatDesignation
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.orgs.models import Body, BodyKind, Member, SeatSource

#: Outcomes by which a resolution was adopted.
ADOPTED = frozenset(
    {
        ResolutionOutcome.CARRIED_UNANIMOUSLY,
        ResolutionOutcome.CARRIED_MAJORITY,
        ResolutionOutcome.CARRIED_ON_DIVISION,
    }
)


class SeatLinkError(ValueError):
    """The resolution cannot be the one that designated this seat."""


def adopted_resolutions(body: Body) -> list[Resolution]:
    """The body's adopted resolutions, the latest number first."""
    return list(
        db.session.scalars(
            sa.select(Resolution)
            .join(Meeting, Meeting.id == Resolution.meeting_id)
            .where(Meeting.body_id == body.id, Resolution.outcome.in_(list(ADOPTED)))
            .order_by(Resolution.number.desc(), Resolution.id.desc())
        )
    )


def designating_resolutions(member: Member) -> list[Resolution]:
    """The adopted resolutions of the association that designated this CCR seat."""
    if member.designated_by is None:
        return []
    return adopted_resolutions(member.designated_by)


def link_designation(actor: User | None, member: Member, resolution: Resolution) -> SeatDesignation:
    """Link a designated CCR seat to the adopted resolution of its designating association."""
    if member.body.kind != BodyKind.CCR or member.seat_source != SeatSource.DESIGNATED:
        raise SeatLinkError("not a designated CCR seat")
    if resolution.meeting.body_id != member.designated_by_id:
        raise SeatLinkError("a resolution of another body")
    if resolution.outcome not in ADOPTED:
        raise SeatLinkError("the resolution was not adopted")
    link = db.session.get(SeatDesignation, member.id)
    if link is None:
        link = SeatDesignation(member_id=member.id)
        db.session.add(link)
    link.resolution_id = resolution.id
    link.linked_by_id = actor.id if actor is not None else None
    db.session.flush()
    audit.record("member.designation", actor=actor, body_id=member.body_id, obj=member)
    return link


def designated_seats(adl: Body) -> list[tuple[Member, Resolution | None]]:
    """The current CCR seats this association designated, with the resolution linked to each."""
    rows = db.session.execute(
        sa.select(Member, Resolution)
        .join(Body, Body.id == Member.body_id)
        .outerjoin(SeatDesignation, SeatDesignation.member_id == Member.id)
        .outerjoin(Resolution, Resolution.id == SeatDesignation.resolution_id)
        .where(
            Member.designated_by_id == adl.id,
            Member.seat_source == SeatSource.DESIGNATED,
            Body.kind == BodyKind.CCR,
            Member.is_current,
        )
        .options(so.joinedload(Member.body))
        .order_by(Member.name, Member.id)
    )
    return [(member, resolution) for member, resolution in rows]


def designation_of(member: Member) -> Resolution | None:
    link = db.session.get(SeatDesignation, member.id)
    return link.resolution if link is not None else None
