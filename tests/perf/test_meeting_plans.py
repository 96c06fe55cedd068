"""The meetings a tenant's home and calendar feed list are read body by body (index
ix_meetings_body_starts), never by walking every meeting in date order: at the size of a
province the date-order walk read 50 000 meetings for a tenant's next two (280 ms, issue 8).
The queries say which few bodies they are about (a UNION ALL of body ids) beside the exact OR of
grants: PostgreSQL needs that to start from the bodies (with the OR alone its planner bet on the
date index because of the LIMIT); SQLite finds the body index either way. So this checks the
statement's shape, and SQLite's plan (PostgreSQL's depends on its statistics: `benchmarks/scale.py
--db` on the province shows it). Plans and SQL only: timings are never asserted."""

import pytest
from sqlalchemy import event

from tenantvoice.extensions import db
from tenantvoice.meetings import services
from tests import factories as f


def _plans(client, path: str, marker: str) -> list[tuple[str, str]]:
    """(statement, SQLite's query plan) of each statement of GET `path` containing `marker`."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL's is shown by benchmarks/scale.py --db")
    db.session.commit()
    seen: list[tuple[str, object]] = []

    def listener(conn, cursor, statement, parameters, *args):
        if marker in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert seen, f"no statement with {marker!r} on {path}"
    plans = []
    with db.engine.connect() as conn:
        for statement, parameters in seen:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            plans.append((statement, "\n".join(row[3] for row in rows)))
    return plans


def _says_its_bodies(statement: str) -> bool:
    flat = " ".join(statement.split())
    return "meetings.body_id IN (SELECT bodies.id FROM bodies WHERE" in flat and "UNION ALL" in flat


def test_the_tenants_next_meetings_are_read_by_body(world, client, auth):
    f.make_meeting(body=world.adl_a, agenda=["Point 1"])
    auth.login(world.tenant_a)
    ((statement, plan),) = _plans(client, "/", "rsvps.user_id")
    assert _says_its_bodies(statement), statement
    assert "SEARCH meetings USING INDEX ix_meetings_body_starts (body_id=?)" in plan, plan
    assert "SCAN meetings" not in plan, plan


def test_the_tenants_calendar_feed_is_read_by_body(world, client):
    f.make_meeting(body=world.adl_a, agenda=["Point 1"])
    token = services.feed_token(world.tenant_a)
    ((statement, plan),) = _plans(client, f"/calendar/{token}.ics", "FROM meetings JOIN bodies")
    assert _says_its_bodies(statement), statement
    assert "USING INDEX ix_meetings_body_starts (body_id=?" in plan, plan
    assert "SCAN meetings" not in plan, plan
