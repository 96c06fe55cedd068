"""Demo data of the logbook: a year of interventions in the demo region, shaped like the
Chaudière-Appalaches figures (domain-rules SC9) so the statistics page is worth reading: most
interventions in the office's buildings, youth and families first, one in five ending in a
referral (mostly to the CISSS and to community groups), collective action and group projects
common. The organizer coordinates the region's logbook. Never a name."""

import random
from collections.abc import Sequence
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.logbook import services
from tenantvoice.logbook.models import Kind
from tenantvoice.needs.models import Need, Partner, PartnerKind
from tenantvoice.orgs.models import StaffAssignment

NOTES = ["", "", "", "Suivi dans deux semaines.", "Rencontre avec le comité.", "Appel de suivi."]
THEMES = ["ALI", "ISO", "AIN", "SMN", "JEU", "BUD", "COH", "INF"]


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def seed_logbook(ns: SimpleNamespace) -> None:
    rng = random.Random(14)
    today = clock.now().astimezone(clock.MONTREAL).date()
    db.session.execute(
        sa.update(StaffAssignment)
        .where(StaffAssignment.user_id == ns.oc.id, StaffAssignment.region_id.is_not(None))
        .values(coordinator=True)
    )
    partners = list(db.session.scalars(sa.select(Partner).where(Partner.region_id == ns.region.id)))
    by_service = {p.service: p for p in partners}
    referral_choices = [
        (by_service.get("Santé mentale adulte"), 0.15),
        (by_service.get("Aînés en perte d'autonomie"), 0.10),
        (by_service.get("Jeunes et familles"), 0.16),
        (by_service.get("Aide alimentaire"), 0.12),
        (by_service.get("Consultation budgétaire"), 0.07),
        (by_service.get("Aide aux devoirs, loisirs"), 0.08),
        (by_service.get("Transport"), 0.12),
        (PartnerKind.COMMUNITY, 0.08),
        (PartnerKind.CISSS, 0.05),
        (PartnerKind.MUNICIPAL, 0.07),
    ]
    need_ids = list(
        db.session.scalars(
            sa.select(Need.id).where(Need.region_id == ns.region.id, Need.sensitive.is_(False))
        )
    )
    office_sites = [(ns.parc, ns.adl_parc), (ns.erables, ns.adl_erables)]
    for days in range(365):
        day = today - timedelta(days=days)
        if day.weekday() >= 5:
            continue
        for worker in (ns.isc, ns.oc):
            count = rng.choice([0, 1, 1, 2]) if worker is ns.isc else rng.choice([0, 0, 1])
            for _n in range(count):
                if worker is ns.isc:
                    site, body = rng.choice(office_sites)
                else:
                    site, body = _pick(
                        rng,
                        [
                            (office_sites[0], 0.5),
                            (office_sites[1], 0.3),
                            ((ns.fleuve, ns.adl_fleuve), 0.12),
                            ((ns.soeurs, ns.adl_soeurs), 0.08),
                        ],
                    )
                kinds = {Kind.INDIVIDUAL} if worker is ns.isc else set()
                for kind, share in (
                    (Kind.COLLECTIVE, 0.45),
                    (Kind.GROUP_PROJECT, 0.4 if worker is ns.isc else 0.9),
                    (Kind.ASSOCIATION, 0.05 if worker is ns.isc else 0.35),
                    (Kind.CONCERTATION, 0.1),
                    (Kind.PREVENTION, 0.2),
                ):
                    if rng.random() < share:
                        kinds.add(kind)
                kinds = kinds or {Kind.OTHER}
                populations = {
                    _pick(
                        rng,
                        [
                            ("families", 0.45),
                            ("youth", 0.35),
                            ("seniors", 0.12),
                            ("alone", 0.04),
                            ("newcomers", 0.02),
                            ("disabilities", 0.02),
                        ],
                    )
                }
                if rng.random() < 0.2:
                    populations.add("everyone")
                referrals = [_pick(rng, referral_choices)] if rng.random() < 0.2 else []
                entry = services.Entry(
                    day=day,
                    kinds=[int(k) for k in kinds],
                    populations=sorted(populations),
                    people=rng.choice([1, 1, 1, 2, 3, 5, 8, 12, 20]),
                    duration_minutes=rng.choice([15, 20, 30, 45, 60, 90, 120]),
                    themes=rng.sample(THEMES, rng.choice([1, 1, 2])),
                    partner_ids=[r.id for r in referrals if isinstance(r, Partner)],
                    unlisted=[r.value for r in referrals if isinstance(r, PartnerKind)],
                    need_id=rng.choice(need_ids) if need_ids and rng.random() < 0.1 else None,
                    body_id=body.id if Kind.ASSOCIATION in kinds else None,
                    note=rng.choice(NOTES),
                )
                services.record(worker, site, entry)
    db.session.flush()
