#!/usr/bin/env python3
"""Minutes search and calendar feeds as a region grows (issue 8). Prints figures; asserts
nothing (timings are never asserted).

  benchmarks/search_feeds.py [--size small|full] [--pg postgresql+psycopg://postgres@127.0.0.1/postgres]

- search: GET /bodies/<id>/minutes?q=… in a body whose `hits` published minutes of ~6 KB
  (Markdown) hold the word, among other bodies' minutes that hold it too; server time p50/p95
  (Flask test client, in process), SQL statements, and the database's plan for the match.
- feeds: the calendar feed of the region's OC (every meeting they are invited to in a region of
  `bodies` bodies with `per_body` meetings each in the window) and of a tenant: time, statements,
  bytes plain and gzip, and the time of a 304 revalidation (If-None-Match).

small (CI): 5 and 50 hits, regions of 20 and 60 bodies; full: 5 and 50 hits with 2 000 other
minutes, regions of 60 and 300 bodies. SQLite in a temporary file, or a temporary PostgreSQL
database created (and dropped) on the server given by --pg.
"""

import argparse
import gzip
import os
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event  # noqa: E402

from tenantvoice import clock  # noqa: E402
from tenantvoice.accounts import sessions  # noqa: E402
from tenantvoice.accounts.models import StaffRole, UserSession, token_digest  # noqa: E402
from tenantvoice.extensions import db  # noqa: E402
from tenantvoice.meetings import ical  # noqa: E402
from tenantvoice.meetings import services as meeting_services  # noqa: E402
from tenantvoice.meetings.models import MeetingKind  # noqa: E402
from tenantvoice.minutes import search  # noqa: E402
from tenantvoice.minutes.models import Minutes, MinutesState  # noqa: E402
from tenantvoice.search import setup_search  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402

SIZES = {
    "small": {"hits": [5, 50], "others": 200, "regions": [(20, 12), (60, 12)], "runs": 20},
    "full": {"hits": [5, 50], "others": 2000, "regions": [(60, 20), (300, 20)], "runs": 40},
}

PARAGRAPH = (
    "## Point {n} : entretien des espaces communs\n\n"
    "**Proposé par** la présidence, **appuyé par** le secrétariat. Les membres discutent de "
    "l'entretien de la _salle communautaire_, du déneigement des entrées et de la collecte des "
    "déchets. Le comité demande à l'office un calendrier des travaux et un suivi écrit. "
    "Adoptée à l'unanimité. Voir [le rapport](https://exemple.ca/rapport).\n\n"
)


def minutes_text(word: str) -> str:
    """About 6 KB of minutes Markdown, `word` once near the middle."""
    parts = [PARAGRAPH.format(n=n) for n in range(14)]
    parts.insert(7, f"Le comité rappelle la **{word}** prévue au printemps.\n\n")
    return "".join(parts)


@contextmanager
def database(pg_url: str | None):
    if not pg_url:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    name = f"tv_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def login(client, user) -> None:
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=token_digest(token), second_factor_at=clock.now())
    )
    db.session.commit()
    with client.session_transaction() as sess:
        sess[sessions.SESSION_KEY] = token
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True


def timed(client, engine, path: str, runs: int, headers=None) -> dict:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    response = client.get(path, headers=headers)  # warm the per-process caches
    times = []
    for n in range(runs):
        if n == 0:
            event.listen(engine, "before_cursor_execute", listener)
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        if n == 0:
            event.remove(engine, "before_cursor_execute", listener)
    times.sort()
    return {
        "status": response.status_code,
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "statements": len(statements),
        "response": response,
    }


def make_minutes(body, text: str, count: int, start_day: int) -> None:
    t0 = clock.now() - timedelta(days=900)
    for k in range(count):
        meeting = f.make_meeting(
            body=body,
            title=f"Séance {start_day + k}",
            starts_at=t0 + timedelta(days=start_day + k),
            agenda=["Ouverture"],
        )
        minutes = Minutes(meeting_id=meeting.id, body_id=body.id, state=MinutesState.PUBLISHED)
        db.session.add(minutes)
        db.session.flush()
        search.index_minutes(minutes, text)


def bench_search(url: str, hits: int, others: int, runs: int) -> None:
    app = make_test_app(url)
    client = app.test_client()
    with app.app_context():
        db.create_all()
        setup_search()
        body = f.make_body(sites=[f.make_site()])
        tenant = f.make_tenant(body=body)
        make_minutes(body, minutes_text("corvée"), hits, 0)
        make_minutes(body, minutes_text("assemblée"), 20, hits)  # same body, not matching
        for k in range(others // 50):  # other bodies whose minutes hold the word too
            other = f.make_body(provider=body.provider, name=f"Autre {k}")
            make_minutes(other, minutes_text("corvée"), 50, 0)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        words = search.query_words("corvee")
        stmt = (
            search.matching(sa.select(search.MinutesSearch.minutes_id), body.id, words)
            if hasattr(search, "matching")
            else None
        )
        plan = ""
        if stmt is not None:
            sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
            explain = "EXPLAIN" if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
            plan = " | ".join(
                " ".join(str(c) for c in row)
                for row in db.session.execute(sa.text(f"{explain} {sql}"))
            )
        login(client, tenant)
        body_id = body.id
        engine = db.engine
        db.session.remove()
    path = f"/bodies/{body_id}/minutes?q=corvee"
    r = timed(client, engine, path, runs)
    html = r["response"].get_data(as_text=True)
    shown = html.count('class="minutes-snippet"')
    raw_md = "**" in html.split('class="minutes-snippet"', 1)[-1].split("</section>", 1)[0]
    print(
        f"  search {hits:>3} hits of 6 KB (+{others} elsewhere): p50 {r['p50']:6.1f} ms, "
        f"p95 {r['p95']:6.1f} ms, {r['statements']:>2} statements, {shown} shown, "
        f"{len(html) // 1024} KB page, Markdown in snippets: {'yes' if raw_md else 'no'}"
    )
    if plan:
        print(f"    plan: {plan[:300]}")


def bench_feeds(url: str, bodies: int, per_body: int, runs: int) -> None:
    app = make_test_app(url)
    client = app.test_client()
    with app.app_context():
        db.create_all()
        setup_search()
        region = f.make_region()
        oc = f.make_staff(role=StaffRole.OC, region=region).user
        first = None
        for n in range(bodies):
            provider = f.make_provider(region=region)
            body = f.make_body(provider=provider, sites=[f.make_site(provider=provider)])
            first = first or body
            for k in range(per_body):
                f.make_meeting(
                    body=body,
                    title=f"Séance {n}-{k}",
                    starts_in=timedelta(days=-380 + k * 37 % 700),
                    oc_invited=(k % 4 == 0),
                    kind=MeetingKind.CCR_JOINT if n % 10 == 0 else None,
                    agenda=["Ouverture", "Suivis", ("Huis clos", True), "Levée"],
                )
        tenant = f.make_tenant(body=first)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
        paths = {
            "OC (region)": f"/calendar/{meeting_services.feed_token(oc)}.ics",
            "tenant": f"/calendar/{meeting_services.feed_token(tenant)}.ics",
        }
        db.session.commit()
        db.session.remove()
        engine = db.engine
    for who, path in paths.items():
        r = timed(client, engine, path, runs)
        body = r["response"].data
        events = body.count(b"BEGIN:VEVENT")
        zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
        encoding = zipped.headers.get("Content-Encoding", "none")
        size_gz = len(zipped.data) if encoding == "gzip" else len(gzip.compress(body))
        cold = ""
        built = getattr(ical, "_built", None)
        if built is not None:  # the feed built anew (no copy kept from an earlier request)
            times = []
            for _run in range(5):
                built.clear()
                start = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            cold = f" (built anew: {statistics.median(times):7.1f} ms)"
        etag = r["response"].headers.get("ETag")
        revalidate = "no ETag"
        if etag:
            r304 = timed(client, engine, path, runs, headers={"If-None-Match": etag})
            revalidate = (
                f"{r304['status']} p50 {r304['p50']:6.1f} ms, {r304['statements']} statements"
            )
        print(
            f"  feed {who:<12} {bodies:>4} bodies: {events:>4} events, "
            f"p50 {r['p50']:7.1f} ms{cold}, "
            f"p95 {r['p95']:7.1f} ms, {r['statements']:>3} statements, "
            f"{len(body) // 1024} KB ({encoding}: {size_gz // 1024} KB), "
            f"{r['response'].headers.get('Cache-Control')!r}; revalidate: {revalidate}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--pg", help="PostgreSQL server URL (a temporary database is made)")
    args = parser.parse_args()
    size = SIZES[args.size]
    engine = "PostgreSQL" if args.pg else "SQLite"
    print(f"Minutes search and calendar feeds, {engine}, size {args.size}")
    for hits in size["hits"]:
        with database(args.pg) as url:
            bench_search(url, hits, size["others"], size["runs"])
    for bodies, per_body in size["regions"]:
        with database(args.pg) as url:
            bench_feeds(url, bodies, per_body, size["runs"])


if __name__ == "__main__":
    main()
