#!/usr/bin/env python3
"""Server time of the officer, admin and organizer lists for big bodies (issue 8): the member
register and the attendance sheet of a 600-member body, the admin's accounts page among 30 000
accounts, the organizer's home following 2 000 bodies. Prints p50/p95/max in milliseconds and
the SQL statements per request; asserts nothing (timings are never asserted).

  benchmarks/lists.py [--size small|full] [--requests N]
                      [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

full: 600 members (a third with accounts, a third of them present), 30 000 accounts, 2 000
bodies in the organizer's region; small (CI): 60 / 600 / 100. The data is built with bulk
inserts (one precomputed password hash; the folded search keys come from the columns'
defaults, as for any bulk insert). Requests run in-process through the WSGI app (the Flask test
client): "server time" is the app's time for the request, no network and no HTTP server; the
"cpu" column is this process's CPU time for it (on SQLite nearly all of it, and less disturbed
than wall time when other work shares the machine; on PostgreSQL the database's share runs in
its own process, so only the wall time includes it).
SQLite in a temporary file by default; with --postgres, a temporary database on that server
(dropped after). Only 127.0.0.1 is used.
"""

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {
    "small": {"members": 60, "accounts": 600, "bodies": 100, "providers": 10},
    "full": {"members": 600, "accounts": 30_000, "bodies": 2_000, "providers": 100},
}

LAST = (
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Poulin",
    "Thibault",
    "St-Pierre",
    "Nadeau",
    "Martin",
    "Landry",
    "Martel",
    "Bédard",
    "Grenier",
    "Lessard",
    "Bernier",
    "Richard",
    "Michaud",
    "Hébert",
    "Desjardins",
    "Couture",
    "Turcotte",
    "Lachance",
    "Parent",
    "Blais",
    "Haddad",
    "Nguyen",
    "Diallo",
    "Traoré",
    "Jean-Baptiste",
    "Rodríguez",
)
FIRST = (
    "Hélène",
    "Émilie",
    "Gérard",
    "Lucie",
    "Jean",
    "Marie",
    "François",
    "Chantal",
    "Réjean",
    "Sylvie",
    "Karim",
    "Amina",
    "Denis",
    "Johanne",
    "Stéphane",
    "Nathalie",
    "Gaétan",
    "Josée",
    "Normand",
    "Manon",
    "Mathieu",
    "Véronique",
    "Léo",
    "Zoé",
    "Noémie",
    "Thérèse",
    "Aïcha",
    "Mamadou",
    "Yves",
    "Ginette",
)


def name_of(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"


def prepare_env(args) -> tuple[dict, callable]:
    """Environment for the app and a cleanup function (a temporary database)."""
    env = {
        "SECRET_KEY": "bench-secret-not-for-production-0123456789",
        "REQUIRE_STAFF_2FA": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_BACKEND": "file",
    }
    if not args.postgres:
        tmp = Path(tempfile.mkdtemp(prefix="tv-lists-"))
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'lists.sqlite3'}"
        return env, lambda: shutil.rmtree(tmp, ignore_errors=True)
    import sqlalchemy as sa

    admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"tv_bench_lists_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    env["DATABASE_URL"] = args.postgres.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return env, drop


def build(size: dict) -> dict:
    """Bulk-insert the data; returns the ids and users the pages need. In an app context."""
    import sqlalchemy as sa

    from tenantvoice import clock
    from tenantvoice.accounts.models import StaffRole, User
    from tenantvoice.assembly.models import Attendance
    from tenantvoice.extensions import db
    from tenantvoice.meetings.models import Audience, Meeting, MeetingKind, MeetingStatus
    from tenantvoice.orgs.models import (
        Body,
        BodyKind,
        Member,
        MemberRole,
        Provider,
        Region,
        Site,
        StaffAssignment,
        body_sites,
    )

    now = clock.now()
    hashed = "scrypt:32768:8:1$benchmark$" + "0" * 64  # never checked: nobody logs in by form
    region = Region(name="Région du banc d'essai")
    db.session.add(region)
    db.session.flush()
    db.session.execute(
        sa.insert(Provider),
        [
            {"region_id": region.id, "kind": "office", "name": f"Office du banc {p:03d}"}
            for p in range(size["providers"])
        ],
    )
    provider_ids = list(db.session.scalars(sa.select(Provider.id).order_by(Provider.id)))
    db.session.execute(
        sa.insert(Site),
        [
            {
                "provider_id": provider_ids[p % len(provider_ids)],
                "name": f"Habitations {p:04d}",
                "address": f"{p}, rue du Banc",
                "units_count": 60,
            }
            for p in range(size["bodies"])
        ],
    )
    site_ids = list(db.session.scalars(sa.select(Site.id).order_by(Site.id)))
    db.session.execute(
        sa.insert(Body),
        [
            {
                "provider_id": provider_ids[b % len(provider_ids)],
                "kind": BodyKind.ADL,
                "name": f"Comité des locataires {LAST[b % len(LAST)]} {b:04d}",
            }
            for b in range(size["bodies"])
        ],
    )
    body_ids = list(db.session.scalars(sa.select(Body.id).order_by(Body.id)))
    db.session.execute(
        sa.insert(body_sites),
        [{"body_id": b, "site_id": s} for b, s in zip(body_ids, site_ids, strict=True)],
    )
    db.session.execute(
        sa.insert(User),
        [
            {
                "name": name_of(i),
                "email": f"personne{i}@example.org",
                "password_hash": hashed,
                "active": True,
            }
            for i in range(size["accounts"])
        ],
    )
    user_ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
    big, big_site = body_ids[0], site_ids[0]
    # A third of the register has an account; three members per body elsewhere (counts).
    members = []
    for i in range(size["members"]):
        members.append(
            {
                "body_id": big,
                "user_id": user_ids[i] if i % 3 == 0 else None,
                "name": name_of(i) if i % 3 == 0 else name_of(i + 7),
                "site_id": big_site,
                "unit": str(100 + i),
                "role": MemberRole.SECRETARY if i == 0 else MemberRole.MEMBER,
                "is_adult": i % 17 != 0,
            }
        )
    for b, s in zip(body_ids[1:], site_ids[1:], strict=True):
        for k in range(3):
            members.append(
                {
                    "body_id": b,
                    "name": name_of(b + k),
                    "site_id": s,
                    "unit": str(k + 1),
                    "role": MemberRole.MEMBER,
                }
            )
    db.session.execute(sa.insert(Member), members)
    admin, oc = user_ids[-1], user_ids[-2]
    db.session.execute(
        sa.insert(StaffAssignment),
        [
            {"user_id": admin, "role": StaffRole.ADMIN},
            {"user_id": oc, "role": StaffRole.OC, "region_id": region.id},
        ],
    )
    meeting = Meeting(
        body_id=big,
        kind=MeetingKind.AGM,
        title="Assemblée générale annuelle",
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(hours=2),
        place="Salle communautaire",
        audience=Audience.MEMBERS,
        status=MeetingStatus.PUBLISHED,
        published_at=now - timedelta(days=20),
    )
    db.session.add(meeting)
    db.session.flush()
    big_members = list(
        db.session.scalars(sa.select(Member.id).where(Member.body_id == big).order_by(Member.id))
    )
    secretary = user_ids[0]
    db.session.execute(
        sa.insert(Attendance),
        [
            {
                "meeting_id": meeting.id,
                "member_id": m,
                "recorded_by_id": secretary,
                "recorded_at": now,
                "on_paper": False,
            }
            for m in big_members[::3]
        ],
    )
    db.session.commit()
    unfolded = sum(
        db.session.scalar(sa.select(sa.func.count()).select_from(t).where(t.c.search_key == ""))
        for t in (User.__table__, Member.__table__, Body.__table__)
    )
    return {
        "body": big,
        "meeting": meeting.id,
        "secretary": secretary,
        "admin": admin,
        "oc": oc,
        "mark": big_members[1],
        "unfolded": unfolded,
    }


def login_cookie(app, user_id: int) -> tuple[str, str]:
    """A live session row for `user_id` and the signed cookie that names it."""
    from tenantvoice import clock
    from tenantvoice.accounts import sessions
    from tenantvoice.accounts.models import UserSession, token_digest
    from tenantvoice.extensions import db

    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user_id, token_hash=token_digest(token), second_factor_at=clock.now())
    )
    db.session.commit()
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps(
        {sessions.SESSION_KEY: token, "_user_id": str(user_id), "_fresh": True}
    )
    return app.config["SESSION_COOKIE_NAME"], value


def measure(app, engine, cookie, method, path, requests, headers=None, data=None) -> dict:
    from sqlalchemy import event

    client = app.test_client()
    client.set_cookie(*cookie)
    statements = []

    def count(*_args):
        statements.append(1)

    def once():
        if method == "GET":
            return client.get(path, headers=headers or {})
        return client.post(path, headers=headers or {}, data=data or {})

    for _round in range(3):  # warm-up: template compilation, catalogs
        response = once()
        assert response.status_code in (200, 302), (path, response.status_code)
    times, cpu = [], []
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _request in range(requests):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = once()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
        "cpu": statistics.median(cpu),
        "statements": len(statements) / requests,
        "bytes": len(response.data),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=SIZES, default="small")
    ap.add_argument("--requests", type=int, help="per page (default: 10 small, 40 full)")
    ap.add_argument("--postgres", help="a PostgreSQL URL (a temporary database is made there)")
    args = ap.parse_args()
    size = SIZES[args.size]
    requests = args.requests or (10 if args.size == "small" else 40)
    env, cleanup = prepare_env(args)
    os.environ.update(env)
    os.environ.pop("TENANTVOICE_ENV", None)
    import logging

    logging.disable(logging.INFO)
    from tenantvoice import create_app
    from tenantvoice.extensions import db
    from tenantvoice.search import setup_search

    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            started = time.perf_counter()
            db.create_all()
            setup_search()
            ids = build(size)
            built = time.perf_counter() - started
            secretary = login_cookie(app, ids["secretary"])
            admin = login_cookie(app, ids["admin"])
            oc = login_cookie(app, ids["oc"])
            engine = db.engine
        dbname = "PostgreSQL" if args.postgres else "SQLite"
        print(
            f"# lists at {args.size} size on {dbname}: {size['members']} members, "
            f"{size['accounts']} accounts, {size['bodies']} bodies "
            f"(built in {built:.1f} s; rows left without a folded key: {ids['unfolded']})"
        )
        b, m = ids["body"], ids["meeting"]
        hx = {"HX-Request": "true"}
        pages = [
            # A logged-in page that lists nothing: the fixed cost every page below pays.
            ("help page (fixed cost)", secretary, "GET", "/help", None, None),
            ("register", secretary, "GET", f"/bodies/{b}/members", None, None),
            (
                "register, search 'trem'",
                secretary,
                "GET",
                f"/bodies/{b}/members?q=trem",
                None,
                None,
            ),
            ("register, page 6", secretary, "GET", f"/bodies/{b}/members?page=6", None, None),
            ("register, htmx search", secretary, "GET", f"/bodies/{b}/members?q=gag", hx, None),
            ("attendance sheet", secretary, "GET", f"/meetings/{m}/attendance", None, None),
            (
                "attendance, search 'hél'",
                secretary,
                "GET",
                f"/meetings/{m}/attendance?q=hél",
                None,
                None,
            ),
            (
                "attendance, htmx 'trem'",
                secretary,
                "GET",
                f"/meetings/{m}/attendance?q=trem",
                hx,
                None,
            ),
            (
                "attendance, htmx mark",
                secretary,
                "POST",
                f"/meetings/{m}/attendance/mark",
                hx,
                {"member_id": str(ids["mark"]), "present": "1", "q": "trem"},
            ),
            ("admin users", admin, "GET", "/admin/users", None, None),
            ("admin users, search 'tremblay'", admin, "GET", "/admin/users?q=tremblay", None, None),
            ("admin users, role OC", admin, "GET", "/admin/users?role=oc", None, None),
            ("admin users, page 200", admin, "GET", "/admin/users?page=200", None, None),
            ("admin users, htmx search", admin, "GET", "/admin/users?q=gagnon", hx, None),
            ("organizer home", oc, "GET", "/", None, None),
            ("organizer home, search", oc, "GET", "/?q=tremblay", None, None),
            ("organizer home, page 40", oc, "GET", "/?page=40", None, None),
        ]
        print(
            f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} "
            f"{'stmts':>6} {'KB':>6}"
        )
        for label, cookie, method, path, headers, data in pages:
            r = measure(app, engine, cookie, method, path, requests, headers, data)
            print(
                f"{label:34} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {r['cpu']:8.1f} "
                f"{r['statements']:6.1f} {r['bytes'] / 1024:6.1f}"
            )
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        cleanup()


if __name__ == "__main__":
    main()
