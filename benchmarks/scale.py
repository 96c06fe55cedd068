#!/usr/bin/env python3
"""Server time of the pages that grow with the data (issue 8's table), at demo size and at a
generated size (tenantvoice/province.py), in process (Flask test client): per page p50/p95 of
the server time over N requests after a warm-up, SQL statements per request (an SQLAlchemy
event counter) and growth (the generated size's figure ÷ the demo's). Prints figures, asserts
nothing (timings are never asserted).

  benchmarks/scale.py [--size tiny|small|province] [--seed N] [--reps N] [--budget S]
                      [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                      [--sqlite-too] [--db URL] [--json OUT]

SQLite in temporary files by default; with --postgres, temporary databases on that server
(dropped after), and --sqlite-too measures both engines. --db measures a database filled
beforehand (e.g. `flask generate-province --size province` on PostgreSQL, which takes minutes)
instead of generating one: its pages are compared with a demo database on the same engine.
CI runs `--size small` (make bench). Both sizes are measured at once, a request of one then a
request of the other (a shared machine's slow stretches touch both alike). Each page stops
after --reps requests or --budget seconds, whichever comes first (at least 3 requests), so a
slow page cannot stall the run.

The people are found in the data, so the same code measures the demo and any generated size:
the tenant is a plain member of the body with the largest register, the officer its secretary,
the organizers the OC with the widest scope (every region, at generated sizes) and the OC of
the region with the most bodies.
"""

import argparse
import json
import logging
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tenantvoice import clock, create_app  # noqa: E402
from tenantvoice.accounts import sessions  # noqa: E402
from tenantvoice.accounts.models import StaffRole, User, UserSession, token_digest  # noqa: E402
from tenantvoice.extensions import db  # noqa: E402
from tenantvoice.meetings import services as meeting_services  # noqa: E402
from tenantvoice.meetings.models import Meeting, MeetingKind, MeetingStatus  # noqa: E402
from tenantvoice.orgs.models import (  # noqa: E402
    Body,
    Member,
    MemberRole,
    Provider,
    StaffAssignment,
)
from tenantvoice.search import setup_search  # noqa: E402

#: The word searched in the minutes (every generated minutes has it: 50 hits and more in the
#: big bodies; the demo's few minutes may have fewer).
SEARCH_WORD = "entretien"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def config(url: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-secret-not-for-production-0123456789",
        "REQUIRE_STAFF_2FA": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_BACKEND": "memory",
        "TASK_QUEUE_URL": "memory://",
        "BASE_URL": "http://localhost",
    }


# --- databases ---------------------------------------------------------------------------------


class Databases:
    """Fresh databases: SQLite files in a temporary folder, or PostgreSQL databases on a server
    (created here, dropped by `close`)."""

    def __init__(self, postgres: str | None):
        self.postgres = postgres
        self.tmp = Path(tempfile.mkdtemp(prefix="tv-scale-"))
        self.made: list[str] = []

    def new(self, label: str) -> str:
        if not self.postgres:
            return f"sqlite:///{self.tmp / label}.sqlite3"
        name = f"tv_scale_{os.getpid()}_{label}_{secrets.token_hex(3)}"
        with self._admin().connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return sa.engine.make_url(self.postgres).set(database=name).render_as_string(False)

    def _admin(self) -> sa.Engine:
        assert self.postgres is not None
        return sa.create_engine(self.postgres, isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.made:
            admin = self._admin()
            with admin.connect() as conn:
                for name in self.made:
                    conn.execute(
                        sa.text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = :n AND pid <> pg_backend_pid()"
                        ),
                        {"n": name},
                    )
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()


def fill_demo(app) -> str:
    from benchmarks.fixtures import published_minutes
    from tenantvoice.seed import seed_demo

    with app.app_context():
        db.create_all()
        setup_search()
        seed_demo()
        db.session.commit()
        for body_id in db.session.scalars(sa.select(Body.id)):
            published_minutes(body_id)
        db.session.commit()
    return "demo data"


def fill_generated(app, size: str, seed: int) -> str:
    from tenantvoice.province import analyze, generate

    with app.app_context():
        db.create_all()
        setup_search()
        started = time.perf_counter()
        generate(size, seed)
        db.session.commit()
        analyze()
        took = time.perf_counter() - started
    return f"generated in {took:.1f} s"


# --- who reads what ----------------------------------------------------------------------------


def _scope_bodies(assignments: list[StaffAssignment], providers: list[tuple]) -> int:
    regions = {a.region_id for a in assignments if a.region_id}
    ids = {a.provider_id for a in assignments if a.provider_id}
    return sum(n for pid, region_id, n in providers if region_id in regions or pid in ids)


def subjects() -> dict[str, Any]:
    """The people and objects the pages are read with (inside an app context)."""
    size = sa.func.count(Member.id)
    body_id = db.session.execute(
        sa.select(Member.body_id)
        .where(Member.is_current)
        .group_by(Member.body_id)
        .order_by(size.desc(), Member.body_id)
        .limit(1)
    ).scalar_one()

    def member(role: MemberRole) -> Member:
        return db.session.scalars(
            sa.select(Member)
            .where(
                Member.body_id == body_id,
                Member.role == role,
                Member.user_id.is_not(None),
                Member.is_current,
            )
            .order_by(Member.id)
            .limit(1)
        ).one()

    now = clock.now()
    # Not a board meeting: those convene the board only, and the tenant is a plain member.
    published = sa.select(Meeting.id).where(
        Meeting.body_id == body_id,
        Meeting.status == MeetingStatus.PUBLISHED,
        Meeting.kind != MeetingKind.BOARD,
    )
    held = db.session.scalar(
        published.where(Meeting.starts_at <= now).order_by(Meeting.starts_at.desc()).limit(1)
    )
    coming = db.session.scalar(
        published.where(Meeting.starts_at > now).order_by(Meeting.starts_at).limit(1)
    )
    providers = db.session.execute(
        sa.select(Provider.id, Provider.region_id, sa.func.count(Body.id))
        .join(Body, Body.provider_id == Provider.id)
        .group_by(Provider.id, Provider.region_id)
    ).all()
    by_user: dict[int, list[StaffAssignment]] = {}
    for a in db.session.scalars(sa.select(StaffAssignment).where(StaffAssignment.role == "oc")):
        by_user.setdefault(a.user_id, []).append(a)
    widest = max(by_user, key=lambda u: (_scope_bodies(by_user[u], providers), -u))
    regional = max(
        (u for u, rows in by_user.items() if len(rows) == 1),
        key=lambda u: (_scope_bodies(by_user[u], providers), -u),
        default=widest,
    )
    admin = db.session.scalar(
        sa.select(StaffAssignment.user_id).where(StaffAssignment.role == StaffRole.ADMIN).limit(1)
    )
    people = {
        "tenant": member(MemberRole.MEMBER).user_id,
        "secretary": member(MemberRole.SECRETARY).user_id,
        "admin": admin,
        "oc_region": regional,
        "oc_wide": widest,
    }
    tokens = {}
    for key in ("tenant", "oc_region", "oc_wide"):
        tokens[key] = meeting_services.feed_token(db.session.get(User, people[key]))
    db.session.commit()
    return {
        "body_id": body_id,
        "members": db.session.scalar(
            sa.select(sa.func.count(Member.id)).where(Member.body_id == body_id, Member.is_current)
        ),
        "held_meeting": held,
        "coming_meeting": coming or held,
        "people": people,
        "tokens": tokens,
        "oc_bodies": {
            "oc_region": _scope_bodies(by_user[regional], providers),
            "oc_wide": _scope_bodies(by_user[widest], providers),
        },
        "counts": {
            "users": db.session.scalar(sa.select(sa.func.count(User.id))),
            "bodies": db.session.scalar(sa.select(sa.func.count(Body.id))),
            "meetings": db.session.scalar(sa.select(sa.func.count(Meeting.id))),
        },
    }


def pages(s: dict) -> list[tuple[str, str | None, Callable[[], str]]]:
    """(label, who reads it (None: no login, the calendar app), URL builder)."""
    from flask import url_for

    body, held, coming, tokens = s["body_id"], s["held_meeting"], s["coming_meeting"], s["tokens"]
    return [
        ("meeting page", "tenant", lambda: url_for("meetings.show", meeting_id=held)),
        ("tenant home", "tenant", lambda: url_for("home.index")),
        ("tenant calendar feed", None, lambda: url_for("meetings.feed", token=tokens["tenant"])),
        (
            "organizer feed (a region)",
            None,
            lambda: url_for("meetings.feed", token=tokens["oc_region"]),
        ),
        (
            "organizer feed (widest)",
            None,
            lambda: url_for("meetings.feed", token=tokens["oc_wide"]),
        ),
        (
            "minutes search",
            "tenant",
            lambda: url_for("minutes.body_index", body_id=body, q=SEARCH_WORD),
        ),
        ("admin users", "admin", lambda: url_for("admin.users")),
        ("admin users ?q=trem", "admin", lambda: url_for("admin.users", q="trem")),
        ("member register", "secretary", lambda: url_for("orgs.register", body_id=body)),
        ("attendance sheet", "secretary", lambda: url_for("assembly.sheet", meeting_id=coming)),
        ("organizer home (a region)", "oc_region", lambda: url_for("home.index")),
        ("organizer home (widest)", "oc_wide", lambda: url_for("home.index")),
    ]


# --- measuring ---------------------------------------------------------------------------------


def login(app, client, user_id: int) -> None:
    """A server-side session for the user, as the login form makes (second factor passed)."""
    token = secrets.token_urlsafe(32)
    with app.app_context():
        db.session.add(
            UserSession(
                user_id=user_id, token_hash=token_digest(token), second_factor_at=clock.now()
            )
        )
        db.session.commit()
    with client.session_transaction() as sess:
        sess.clear()
        sess[sessions.SESSION_KEY] = token
        sess["_user_id"] = str(user_id)
        sess["_fresh"] = True


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def time_pages(
    app,
    client,
    pages: list[tuple[str, str]],
    reps: int,
    budget: float,
    *,
    width: int = 34,
    headers: Callable[[str], dict[str, str]] = lambda label: {},
) -> None:
    """Print one row per page (label, path): p50 and p95 of the server time in ms, SQL
    statements of the last request, requests timed. Each page gets a warm-up request, then up to
    `reps` timed requests (or `budget` seconds, at least 3); a page that does not answer 200 is
    said so and left. `headers(label)`: the request's headers (e.g. an htmx request)."""
    with app.app_context():
        engine = db.engine
    statements = 0

    def count(*_args, **_kwargs):
        nonlocal statements
        statements += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        print(f"  {'page':<{width}} {'p50 ms':>8} {'p95 ms':>8} {'stmts':>6} {'n':>4}")
        for label, path in pages:
            sent = headers(label)
            client.get(path, headers=sent)  # warm-up
            times: list[float] = []
            started = time.perf_counter()
            per_request = 0
            while len(times) < reps and (len(times) < 3 or time.perf_counter() - started < budget):
                statements = 0
                t0 = time.perf_counter()
                response = client.get(path, headers=sent)
                times.append((time.perf_counter() - t0) * 1000)
                per_request = statements
                if response.status_code != 200:
                    print(f"  {label}: HTTP {response.status_code}")
                    break
            print(
                f"  {label:<{width}} {percentile(times, 0.5):>8.1f}"
                f" {percentile(times, 0.95):>8.1f} {per_request:>6} {len(times):>4}"
            )
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def run_generated(
    doc: str, label: str, run: Callable[..., None], argv: list[str] | None = None
) -> None:
    """The command line of a benchmark of one area's pages on a generated province (or --db, a
    database generated beforehand): `run(url, fill, size, seed, reps, budget)` on each engine
    asked for, in a temporary database named after `label`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
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
            run(dbs.new(label), True, args.size, args.seed, args.reps, args.budget)
        finally:
            dbs.close()


def prepare(url: str, fill: Callable[[Any], str]) -> dict:
    """An app on a filled database, its readers logged in, its pages' URLs."""
    app = create_app(config(url))
    how = fill(app)
    with app.app_context():
        s = subjects()
        engine = db.engine
        with app.test_request_context():
            urls = [(label, who, build()) for label, who, build in pages(s)]
    clients: dict[str | None, Any] = {None: app.test_client()}
    for who in {w for _l, w, _u in urls if w}:
        clients[who] = app.test_client()
        login(app, clients[who], s["people"][who])
    return {
        "app": app,
        "how": how,
        "subjects": s,
        "engine": engine,
        "urls": urls,
        "clients": clients,
    }


def measure(sides: list[dict], reps: int, budget: float) -> None:
    """Each page on every side (the demo and the generated size), interleaved request by request
    so that a slower stretch of a shared machine touches both alike: a warm-up request, then up
    to `reps` timed requests each (or `budget` seconds, at least 3). Fills side["pages"]."""
    statements = [0]

    def count(*_args, **_kwargs):
        statements[0] += 1

    for side in sides:
        side["pages"] = {}
        sa.event.listen(side["engine"], "before_cursor_execute", count)
    try:
        for index, (label, who, _url) in enumerate(sides[0]["urls"]):
            runs = []
            for side in sides:
                url = side["urls"][index][2]
                side["clients"][who].get(url)  # warm-up: templates compiled, caches filled
                runs.append({"url": url, "times": [], "counts": [], "status": set(), "size": 0})
            stop = time.perf_counter() + budget
            while len(runs[0]["times"]) < reps and (
                len(runs[0]["times"]) < 3 or time.perf_counter() < stop
            ):
                for side, r in zip(sides, runs, strict=True):
                    statements[0] = 0
                    started = time.perf_counter()
                    response = side["clients"][who].get(r["url"])
                    r["times"].append((time.perf_counter() - started) * 1000)
                    r["counts"].append(statements[0])
                    r["status"].add(response.status_code)
                    r["size"] = len(response.get_data())
            for side, r in zip(sides, runs, strict=True):
                side["pages"][label] = {
                    "url": r["url"],
                    "who": who or "calendar app",
                    "n": len(r["times"]),
                    "p50_ms": statistics.median(r["times"]),
                    "p95_ms": percentile(r["times"], 0.95),
                    "statements": statistics.median(r["counts"]),
                    "statements_max": max(r["counts"]),
                    "status": sorted(r["status"]),
                    "bytes": r["size"],
                }
    finally:
        for side in sides:
            sa.event.remove(side["engine"], "before_cursor_execute", count)


def close(side: dict) -> dict:
    """The side's figures (JSON-able); its connections closed."""
    with side["app"].app_context():
        db.session.remove()
        db.engine.dispose()
    return {"how": side["how"], "subjects": side["subjects"], "pages": side["pages"]}


def report(engine: str, label: str, small: dict, big: dict) -> None:
    print()
    for name, r in (("demo", small), (label, big)):
        c, s = r["subjects"]["counts"], r["subjects"]
        print(
            f"[{engine}] {name}: {r['how']}; {c['users']} accounts, {c['bodies']} bodies, "
            f"{c['meetings']} meetings; body read: {s['members']} members; organizers' scopes: "
            f"{s['oc_bodies']['oc_region']} / {s['oc_bodies']['oc_wide']} bodies"
        )
    head = (
        f"{'page':<27}{'demo p50':>9}{'p95':>7}{'stmt':>5}  "
        f"{label[:8] + ' p50':>13}{'p95':>8}{'stmt':>5}{'n':>4}  {'growth':>7}{'stmt':>6}"
    )
    print(head)
    print("-" * len(head))
    for page, a in small["pages"].items():
        b = big["pages"][page]
        growth = b["p50_ms"] / a["p50_ms"] if a["p50_ms"] else 0
        grow_st = b["statements"] / a["statements"] if a["statements"] else 0
        odd = [x for x in (a["status"] + b["status"]) if x not in (200, 304)]
        note = f"  status {sorted(set(a['status'] + b['status']))}" if odd else ""
        print(
            f"{page:<27}{a['p50_ms']:>9.1f}{a['p95_ms']:>7.1f}{a['statements']:>5.0f}  "
            f"{b['p50_ms']:>13.1f}{b['p95_ms']:>8.1f}{b['statements']:>5.0f}{b['n']:>4}  "
            f"{growth:>6.1f}×{grow_st:>5.1f}×{note}"
        )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="small", choices=["tiny", "small", "province"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=20, help="timed requests per page")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per page at most")
    ap.add_argument("--postgres", nargs="?", const=DEFAULT_PG, help="PostgreSQL server URL")
    ap.add_argument("--sqlite-too", action="store_true", help="with --postgres: SQLite as well")
    ap.add_argument("--db", help="a database filled beforehand, measured instead of generating")
    ap.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args(argv)
    logging.disable(logging.INFO)
    os.environ.pop("TENANTVOICE_ENV", None)

    engines: list[str | None] = [a.postgres] if a.postgres else [None]
    if a.postgres and a.sqlite_too:
        engines.append(None)
    if a.db:  # the given database's engine only
        engines = [DEFAULT_PG if a.db.startswith("postgresql") else None]
        if a.db.startswith("postgresql") and a.postgres:
            engines = [a.postgres]
    out = {}
    for server in engines:
        engine = "PostgreSQL" if server else "SQLite"
        dbs = Databases(server)
        try:
            demo = prepare(dbs.new("demo"), fill_demo)
            if a.db:
                label = "given"
                big = prepare(a.db, lambda app: "filled beforehand")
            else:
                label = a.size
                big = prepare(dbs.new(a.size), lambda app: fill_generated(app, a.size, a.seed))
            measure([demo, big], a.reps, a.budget)
            demo, big = close(demo), close(big)
        finally:
            dbs.close()
        report(engine, label, demo, big)
        out[engine] = {"demo": demo, label: big}
    print(
        "\nServer time in process (Flask test client, no network), ms; stmt: SQL statements per "
        "request (median); growth: the generated size's p50 ÷ the demo's."
    )
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
