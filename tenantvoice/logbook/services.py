"""Recording, editing and deleting interventions (services flush; the view commits)."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from tenantvoice import audit, clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.logbook.models import (
    DURATION_MAX,
    NOTE_MAX,
    PEOPLE_MAX,
    POPULATION_BITS,
    Intervention,
    InterventionTheme,
    Kind,
    Referral,
)
from tenantvoice.models import DomainStateError
from tenantvoice.needs import taxonomy
from tenantvoice.needs.models import Partner, PartnerKind, Population
from tenantvoice.orgs.models import Site


class LogbookError(DomainStateError):
    """A refused record (the form validates first: this guards the service itself)."""


@dataclass
class Entry:
    """What the form says about an intervention (never a name)."""

    day: date
    kinds: list[int]
    populations: list[str]
    people: int
    duration_minutes: int
    themes: list[str] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  #: partner kinds not in the directory
    need_id: int | None = None
    body_id: int | None = None
    note: str = ""


def _check(entry: Entry) -> None:
    if not entry.kinds or not entry.populations:
        raise LogbookError("a kind and a population are needed")
    if not 0 <= entry.people <= PEOPLE_MAX or not 0 <= entry.duration_minutes <= DURATION_MAX:
        raise LogbookError("out of bounds")
    if len(entry.note) > NOTE_MAX or set(entry.themes) - set(taxonomy.CODES):
        raise LogbookError("bad note or theme")


def _apply(intervention: Intervention, site: Site, entry: Entry) -> None:
    _check(entry)
    intervention.day = entry.day
    intervention.site_id = site.id
    intervention.provider_id = site.provider_id
    intervention.provider_kind = site.provider.kind
    intervention.region_id = site.provider.region_id
    kinds = 0
    for value in entry.kinds:
        kinds |= Kind(value)
    intervention.kinds = int(kinds)
    intervention.populations = sum(POPULATION_BITS[Population(p)] for p in set(entry.populations))
    intervention.people = entry.people
    intervention.duration_minutes = entry.duration_minutes
    intervention.need_id = entry.need_id
    intervention.body_id = entry.body_id
    intervention.note = entry.note
    intervention.themes = [InterventionTheme(code=c) for c in sorted(set(entry.themes))]
    partners = (
        list(
            db.session.scalars(
                sa.select(Partner).where(
                    Partner.id.in_(sorted(set(entry.partner_ids))),
                    Partner.region_id == intervention.region_id,
                )
            )
        )
        if entry.partner_ids
        else []
    )
    if len(partners) != len(set(entry.partner_ids)):
        raise LogbookError("a partner of another region")
    copied = {
        "worker_id": intervention.worker_id,
        "region_id": intervention.region_id,
        "day": intervention.day,
    }
    referrals = [
        Referral(partner_id=p.id, partner_kind=p.kind, category=p.service, **copied)
        for p in partners
    ]
    referrals += [
        Referral(partner_kind=PartnerKind(k), category="", **copied)
        for k in sorted(set(entry.unlisted))
    ]
    intervention.referrals = referrals
    intervention.referrals_count = len(referrals)


def record(actor: User, site: Site, entry: Entry) -> Intervention:
    intervention = Intervention(worker_id=actor.id, created_at=clock.now())
    _apply(intervention, site, entry)
    intervention.updated_at = intervention.created_at
    db.session.add(intervention)
    db.session.flush()
    return intervention


def update(actor: User, intervention: Intervention, site: Site, entry: Entry) -> Intervention:
    if intervention.worker_id != actor.id:
        raise LogbookError("only its author edits a record")
    _apply(intervention, site, entry)
    intervention.updated_at = clock.now()
    db.session.flush()
    return intervention


def delete(actor: User, intervention: Intervention) -> None:
    if intervention.worker_id != actor.id:
        raise LogbookError("only its author deletes a record")
    audit.record("logbook.delete", actor=actor, obj=intervention, detail=str(intervention.day))
    db.session.delete(intervention)
    db.session.flush()
