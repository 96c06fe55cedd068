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

import argparse
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import (  # noqa: E402
    DEFAULT_PG,
    Databases,
    config,
    fill_generated,
    login,
    percentile,
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
    statements = 0

    def count(*_args, **_kwargs):
        nonlocal statements
        statements += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    print(
        f"\n{engine.dialect.name}, {total} interventions, {in_region} in the coordinator's"
        f" region ({how})"
    )
    print(f"  {'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'stmts':>6} {'n':>4}")
    for label, path in _pages(coordinator.region_id):
        client.get(path)  # warm-up
        times: list[float] = []
        started = time.perf_counter()
        per_request = 0
        while len(times) < reps and (len(times) < 3 or time.perf_counter() - started < budget):
            statements = 0
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            per_request = statements
            if response.status_code != 200:
                print(f"  {label}: HTTP {response.status_code}")
                break
        print(
            f"  {label:<36} {percentile(times, 0.5):>8.1f} {percentile(times, 0.95):>8.1f}"
            f" {per_request:>6} {len(times):>4}"
        )
    sa.event.remove(engine, "before_cursor_execute", count)
    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=["tiny", "small", "province"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--budget", type=float, default=5.0)
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG)
    parser.add_argument("--sqlite-too", action="store_true")
    parser.add_argument("--db")
    args = parser.parse_args(argv)
    if args.db:
        run(args.db, False, args.size, args.seed, args.reps, args.budget)
        return
    engines = [args.postgres] if args.postgres else [None]
    if args.postgres and args.sqlite_too:
        engines.append(None)
    for pg in engines:
        dbs = Databases(pg)
        try:
            run(dbs.new("logbook"), True, args.size, args.seed, args.reps, args.budget)
        finally:
            dbs.close()


if __name__ == "__main__":
    main()
