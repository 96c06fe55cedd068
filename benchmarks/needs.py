#!/usr/bin/env python3
"""Server time of the organizer's pages of collective needs (issue 13) on a generated
province (tenantvoice/province.py: needs with about ten supports each), in process (Flask test
client): the dashboard's first page (with its filter counts and sensitive cards), a filtered
page, the filter counts alone (an htmx request narrowed by three filters), a full-text search,
the statistics page and the list of every building (the filter offers the busiest 50);
p50/p95 over N requests after a warm-up, and SQL statements per request. Prints figures,
asserts nothing.

  benchmarks/needs.py [--size tiny|small|province] [--seed N] [--reps N] [--budget S]
                      [--postgres URL] [--sqlite-too] [--db URL]

SQLite in a temporary file by default; --postgres a temporary database on that server (dropped
after); --sqlite-too both; --db a database generated beforehand (the province size takes
minutes to generate). CI runs --size small (make bench).
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
from tenantvoice.accounts.models import StaffRole  # noqa: E402
from tenantvoice.extensions import db  # noqa: E402
from tenantvoice.needs.models import Need  # noqa: E402
from tenantvoice.orgs.models import StaffAssignment  # noqa: E402


def _pages(region_id: int, site_id: int) -> list[tuple[str, str]]:
    return [
        ("dashboard, first page", "/organizing/needs"),
        (
            "dashboard, filtered",
            f"/organizing/needs?region={region_id}&category=ALI&status=referred&sort=supporters",
        ),
        (
            "filter counts (htmx, 3 filters)",
            f"/organizing/needs?region={region_id}&site={site_id}&population=seniors",
        ),
        ("full-text search", "/organizing/needs?q=buanderie"),
        ("statistics, one year", "/organizing/statistics"),
        ("every building (filter's 'all')", "/organizing/needs/all/site"),
    ]


def run(url: str, fill: bool, size: str, seed: int, reps: int, budget: float) -> None:
    app = create_app(config(url))
    how = fill_generated(app, size, seed) if fill else "measured as found"
    with app.app_context():
        oc = db.session.execute(
            sa.select(StaffAssignment.user_id, StaffAssignment.region_id)
            .where(StaffAssignment.role == StaffRole.OC, StaffAssignment.region_id.is_not(None))
            .order_by(StaffAssignment.id)
            .limit(1)
        ).one()
        needs = db.session.scalar(sa.select(sa.func.count()).select_from(Need))
        site_id = db.session.scalar(
            sa.select(Need.site_id).where(Need.region_id == oc.region_id).limit(1)
        )
        engine = db.engine
    client = app.test_client()
    login(app, client, oc.user_id)
    print(f"\n{engine.dialect.name}, {needs} needs ({how})")
    time_pages(
        app,
        client,
        _pages(oc.region_id, site_id or 0),
        reps,
        budget,
        headers=lambda label: {"HX-Request": "true"} if "htmx" in label else {},
    )
    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    run_generated(__doc__, "needs", run, argv)


if __name__ == "__main__":
    main()
