"""Record interventions directly (the service), for tests."""

from datetime import date, timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.logbook import services
from tenantvoice.logbook.models import Kind
from tenantvoice.orgs.models import StaffAssignment


def today() -> date:
    return clock.now().astimezone(clock.MONTREAL).date()


def record(user, site, *, days_ago=0, kinds=(Kind.INDIVIDUAL,), populations=("families",), **kw):
    entry = services.Entry(
        day=kw.pop("day", today() - timedelta(days=days_ago)),
        kinds=[int(k) for k in kinds],
        populations=list(populations),
        people=kw.pop("people", 1),
        duration_minutes=kw.pop("duration_minutes", 30),
        **kw,
    )
    found = services.record(user, site, entry)
    db.session.commit()
    return found


def make_coordinator(user, on: bool = True) -> None:
    """Set the coordinator flag on the user's regional ISC/OC assignments."""
    for assignment in db.session.scalars(
        sa.select(StaffAssignment).where(
            StaffAssignment.user_id == user.id, StaffAssignment.region_id.is_not(None)
        )
    ):
        assignment.coordinator = on
    db.session.commit()
