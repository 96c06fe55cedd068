"""The demo data: a year of interventions in the demo region, read by its coordinator."""

import sqlalchemy as sa

from tenantvoice import seed
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.logbook import queries
from tenantvoice.logbook.models import Intervention
from tenantvoice.logbook.seed import seed_logbook
from tenantvoice.orgs.models import StaffAssignment


def test_a_year_of_interventions_worth_reading(app):
    assert seed_logbook in seed.EXTRA_SEEDERS
    with app.test_request_context():
        seed.seed_demo()
        db.session.commit()
        coordinator = db.session.scalars(
            sa.select(StaffAssignment).where(StaffAssignment.coordinator.is_(True))
        ).one()
        assert coordinator.role == StaffRole.OC
        assert coordinator.region_id
        days = db.session.execute(
            sa.select(sa.func.min(Intervention.day), sa.func.max(Intervention.day))
        ).one()
        assert (days[1] - days[0]).days >= 350
        territory = queries.Territory(region_ids=frozenset({coordinator.region_id}))
        stats = queries.statistics(territory, queries.Period.parse({}))  # type: ignore[arg-type]
        assert stats.total.value
        assert stats.total.value > 200
        figures = {f.key: f for f in stats.figures}
        office = figures["provider_kind"].lines[0]
        assert office.percent
        assert office.percent > 75
        referral = figures["referral"].lines[0]
        assert referral.percent
        assert 10 < referral.percent < 30
        assert stats.categories
