"""Meeting services: scheduling, notice, agenda, RSVP, proposals, quorum (flush; views commit)."""

import math

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Member, QuorumBase, QuorumMode, Site

#: Founding meetings (domain-rules A3): 10% of the units concerned, at least 5 tenants in offices
#: with fewer than 50 units in all.
FOUNDING_QUORUM_PERCENT = 10
FOUNDING_SMALL_PROVIDER_UNITS = 50
FOUNDING_SMALL_PROVIDER_MINIMUM = 5


def _current_members():
    today = clock.now().date()
    return sa.or_(Member.until.is_(None), Member.until >= today)


def register_base(body: Body) -> int:
    """The base the percentage applies to: adult current members, or distinct units among
    current members (site and unit label), per the body's by-laws."""
    if body.quorum_base == QuorumBase.UNITS:
        units = (sa.select(Member.site_id, Member.unit)
                 .where(Member.body_id == body.id, _current_members(), Member.unit != "")
                 .distinct().subquery())
        return db.session.scalar(sa.select(sa.func.count()).select_from(units)) or 0
    return db.session.scalar(
        sa.select(sa.func.count(Member.id))
        .where(Member.body_id == body.id, _current_members(), Member.is_adult.is_(True))) or 0


def _founding_quorum(body: Body) -> int:
    site_ids = [s.id for s in body.sites]
    units = sum(s.units_count for s in body.sites)
    provider_units = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Site.units_count), 0))
        .where(Site.provider_id == body.provider_id)) or 0
    required = math.ceil(units * FOUNDING_QUORUM_PERCENT / 100) if site_ids else 0
    if provider_units < FOUNDING_SMALL_PROVIDER_UNITS:
        required = max(required, FOUNDING_SMALL_PROVIDER_MINIMUM)
    return max(required, 1)


def quorum_required(body: Body, meeting=None) -> int:
    """How many members must be present for the meeting to hold (shown on the notice, checked by
    the attendance sheet).

    NUMBER mode: the body's fixed quorum_number. PERCENT mode: ceil(percent × base / 100) where the
    base is the register's adult current members (ADULTS) or distinct units among current members
    (UNITS), never below quorum_minimum. Founding meetings: 10% of the units of the sites
    concerned, at least 5 when the provider has fewer than 50 units in all.
    """
    from tenantvoice.meetings.models import MeetingKind

    if meeting is not None and meeting.kind == MeetingKind.FOUNDING:
        return _founding_quorum(body)
    if body.quorum_mode == QuorumMode.NUMBER:
        return max(body.quorum_number, 1)
    required = math.ceil(body.quorum_percent * register_base(body) / 100)
    return max(required, body.quorum_minimum, 1)
