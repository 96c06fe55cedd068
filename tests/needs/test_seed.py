"""The demo data: needs in every status across the demo region, partners, statistics."""

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tenantvoice import seed
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.extensions import db
from tenantvoice.needs.models import Need, Partner, Status
from tenantvoice.organizing import queries
from tenantvoice.organizing.seed import seed_needs
from tenantvoice.orgs.models import StaffAssignment
from tenantvoice.policy.core import staff_scope


def test_seeder_is_registered(app):
    assert seed_needs in seed.EXTRA_SEEDERS


def test_the_demo_has_needs_in_every_status_and_statistics_to_read(app):
    with app.test_request_context():
        seed.seed_demo()
        db.session.commit()
        statuses = set(db.session.scalars(sa.select(Need.status).distinct()))
        assert statuses == set(Status)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner)) >= 5
        oc = db.session.scalar(
            sa.select(User).join(StaffAssignment).where(StaffAssignment.role == StaffRole.OC)
        )
        stats = queries.statistics(staff_scope(oc), queries.Period.parse(MultiDict()))
        assert stats.median_hours is not None
        assert any(c.bars for c in stats.charts)
