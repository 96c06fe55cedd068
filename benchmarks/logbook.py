#!/usr/bin/env python3
"""Server time of the logbook's pages (issue 14) on a generated province
(tenantvoice/province.py: interventions over two years by each region's organizer, who
coordinates the region's logbook, and each office's ISC), in process (Flask test client): the
coordinator's statistics of the region for one year (with the year before), its CSV, the
organizer's own statistics, the region's records and the recording form; p50/p95 over N
requests after a warm-up, and SQL statements per request. Prints figures, asserts nothing.

  benchmarks/logbook.py [--size tiny|small|province] [--seed N] [--reps N] [--budget S]
                        [--postgres URL] [--sqlite-too] [--db URL]

SQLite in a temporary file by default; --postgres a temporary database on that server (dropped
after); --sqlite-too both; --db a database generated beforehand. CI runs --size small
(make bench).
"""

import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import (  # noqa: E402
    config,
    fill_generated,
    login,
    run_generated,
    time_pages,
)
from tenantvoice import create_app  # noqa: E402
from tenantvoice.extensions import db  # noqa: E402
from tenantvoice.logbook.models import Intervention  # noqa: E402
from tenantvoice.orgs.models import StaffAssignment  # noqa: E402


def _pages(region_id: int) -> list[tuple[str, str]]:
    return [
        ("statistics of the region, a year", f"/logbook/statistics?region={region_id}"),
        ("statistics CSV of the region", f"/logbook/statistics.csv?region={region_id}"),
        ("own statistics, a year", "/logbook/statistics"),
        ("records of the region", "/logbook/region"),
        ("my logbook", "/logbook/"),
        ("recording form", "/logbook/new"),
    ]


def run(url: str, fill: bool, size: str, seed: int, reps: int, budget: float) -> None:
    app = create_app(config(url))
    how = fill_generated(app, size, seed) if fill else "measured as found"
    with app.app_context():
        coordinator = db.session.execute(
            sa.select(StaffAssignment.user_id, StaffAssignment.region_id)
            .where(StaffAssignment.coordinator.is_(True))
            .order_by(StaffAssignment.id)
            .limit(1)
        ).one()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Intervention))
        in_region = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Intervention)
            .where(Intervention.region_id == coordinator.region_id)
        )
        engine = db.engine
    client = app.test_client()
    login(app, client, coordinator.user_id)
    print(
        f"\n{engine.dialect.name}, {total} interventions, {in_region} in the coordinator's"
        f" region ({how})"
    )
    time_pages(app, client, _pages(coordinator.region_id), reps, budget, width=36)
    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    run_generated(__doc__, "logbook", run, argv)


if __name__ == "__main__":
    main()
