#!/usr/bin/env python3
"""N voters casting a secret ballot within a window, against gunicorn (2 workers): prints p50/p95
latency of the cast, errors, and checks after closing that the roll, the box and the counts
agree. Figures only, no assertions (timings are never asserted).

  benchmarks/ballots.py [--size small|full] [--voters N] [--window S] [--clients C]
                        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

small (CI): 50 voters within 10 s; full: 200 voters within 60 s (issue 11). Each voter casts at
a random moment of the window; C client threads (default 20) send the casts. SQLite in a
temporary file by default; with --postgres, a temporary database on that server (dropped after).
Only 127.0.0.1 is used.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import percentile, serve  # noqa: E402

SETUP = """
import json, logging, secrets, sys
from datetime import timedelta
logging.disable(logging.INFO)
from tenantvoice import clock, create_app
from tenantvoice.accounts import sessions
from tenantvoice.accounts.models import User, UserSession, token_digest
from tenantvoice.ballots import services
from tenantvoice.ballots.models import Kind, Mode, Purpose
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, BodyKind, Member, MemberRole, Provider, Region, Site
voters, window = int(sys.argv[1]), float(sys.argv[2])
app = create_app()
with app.app_context():
    db.create_all()
    region = Region(name="Région du banc d'essai")
    provider = Provider(region=region, kind="office", name="Office du banc d'essai")
    site = Site(provider=provider, name="Habitations du banc", address="1, rue du Banc")
    body = Body(provider=provider, kind=BodyKind.CCR, name="CCR du banc d'essai", sites=[site])
    db.session.add_all([region, provider, site, body])
    people = []
    for i in range(voters):
        user = User(name=f"Votant {i}", password_hash="x")
        role = MemberRole.SECRETARY if i == 0 else MemberRole.MEMBER
        db.session.add(Member(body=body, user=user, name=user.name, site=site, unit=str(100 + i),
                              role=role))
        people.append(user)
    db.session.flush()
    question = services.create_question(
        people[0], body, purpose=Purpose.RECOMMENDATION, title="Banc d'essai", kind=Kind.MOTION,
        mode=Mode.SECRET, closes_at=clock.now() + timedelta(seconds=window + 120),
    )
    from flask import g, session
    from flask_wtf.csrf import generate_csrf
    serializer = app.session_interface.get_signing_serializer(app)
    cookies, csrf = [], []
    for user in people:
        token = secrets.token_urlsafe(32)
        db.session.add(UserSession(user_id=user.id, token_hash=token_digest(token),
                                   second_factor_at=clock.now()))
        with app.test_request_context():
            g.pop("csrf_token", None)  # generate_csrf caches its token on g
            csrf.append(generate_csrf())  # the form's token, bound to this session
            raw = session["csrf_token"]
        value = serializer.dumps({sessions.SESSION_KEY: token, "_user_id": str(user.id),
                                  "_fresh": True, "csrf_token": raw})
        cookies.append(f"{app.config['SESSION_COOKIE_NAME']}={value}")
    choices = [c.id for c in question.choices]
    question_id = question.id
    db.session.commit()
print(json.dumps({"question": question_id, "choices": choices, "cookies": cookies,
                  "csrf": csrf}))
"""

CHECK = """
import json, logging, sys, time
logging.disable(logging.INFO)
import sqlalchemy as sa
from tenantvoice import create_app
from tenantvoice.ballots import services
from tenantvoice.ballots.models import Ballot, Question, RollEntry
from tenantvoice.extensions import db
app = create_app()
with app.app_context():
    question = db.session.get(Question, int(sys.argv[1]))
    roll = db.session.scalar(sa.select(sa.func.count()).select_from(RollEntry))
    box = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot))
    t0 = time.monotonic()
    services.close_question(question)
    db.session.commit()  # the box is emptied, the roll rewritten, the tables compacted
    close_ms = (time.monotonic() - t0) * 1000
    result = services.result_of(question)
    left = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot))
    print(json.dumps({"roll": roll, "box": box, "counted": result.ballots,
                      "counts": {str(k): v for k, v in result.counts.items()},
                      "left_in_box": left, "close_ms": close_ms}))
"""


def warm_up(port, seeded, requests=12):
    """Read the question page a few times first: each worker's first request imports, compiles
    templates and loads catalogs, which is not what this benchmark measures."""

    def read(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "GET", f"/ballots/{seeded['question']}", headers={"Cookie": seeded["cookies"][i]}
        )
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=read, args=(i % 4,)) for i in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run(env, port, seeded, window, clients, rng):
    """Every voter casts once at a random moment of the window; returns latencies and codes."""
    voters = len(seeded["cookies"])
    plan = sorted((rng.uniform(0, window), i) for i in range(voters))
    start = time.monotonic()
    lock = threading.Lock()
    latencies, codes, wanted = [], {}, {}

    def worker():
        while True:
            with lock:
                if not plan:
                    return
                at, i = plan.pop(0)
            delay = start + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            choice = rng.choice(seeded["choices"])
            body = urlencode({"choice": choice, "confirm": "yes", "csrf_token": seeded["csrf"][i]})
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            t0 = time.monotonic()
            try:
                conn.request(
                    "POST",
                    f"/ballots/{seeded['question']}/vote",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": seeded["cookies"][i],
                    },
                )
                status = conn.getresponse().status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
            finally:
                conn.close()
            with lock:
                latencies.append(time.monotonic() - t0)
                codes[status] = codes.get(status, 0) + 1
                if status == 302:
                    wanted[str(choice)] = wanted.get(str(choice), 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(latencies), codes, wanted, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", choices=["small", "full"])
    ap.add_argument("--voters", type=int)
    ap.add_argument("--window", type=float, help="seconds within which everyone votes")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--postgres", help="a PostgreSQL server URL (a temporary database is made)")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    voters = a.voters or (50 if a.size == "small" else 200)
    window = a.window or (10.0 if a.size == "small" else 60.0)

    tmp = Path(tempfile.mkdtemp(prefix="tv-ballots-"))
    admin_url = dbname = None
    if a.postgres:
        import sqlalchemy as sa

        dbname = f"tv_bench_{secrets.token_hex(4)}"
        admin_url = sa.engine.make_url(a.postgres).set(drivername="postgresql+psycopg")
        with sa.create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{dbname}"')
        database_url = admin_url.set(database=dbname).render_as_string(hide_password=False)
    else:
        database_url = f"sqlite:///{tmp / 'ballots.sqlite3'}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="bench-secret-not-for-production-0123456789",  # noqa: S106
        REQUIRE_STAFF_2FA="0",
        RATELIMIT_STORAGE_URI="memory://",
        MAIL_BACKEND="file",
        PYTHONPATH=str(ROOT),
    )
    env.pop("TENANTVOICE_ENV", None)
    proc = None
    try:
        setup = subprocess.run(
            [sys.executable, "-c", SETUP, str(voters), str(window)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if setup.returncode != 0:
            sys.exit(f"setup failed:\n{setup.stderr[-2000:]}")
        seeded = json.loads(setup.stdout.strip().splitlines()[-1])
        proc, port = serve("wsgi:app", env)
        warm_up(port, seeded)
        latencies, codes, wanted, elapsed = run(
            env, port, seeded, window, a.clients, random.Random(a.seed)
        )
        proc.terminate()
        proc.wait(timeout=10)
        proc = None
        check = subprocess.run(
            [sys.executable, "-c", CHECK, str(seeded["question"])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            sys.exit(f"check failed:\n{check.stderr[-2000:]}")
        after = json.loads(check.stdout.strip().splitlines()[-1])
    finally:
        if proc is not None:
            proc.kill()
        if dbname:
            import sqlalchemy as sa

            with sa.create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{dbname}"')

    engine = "PostgreSQL" if a.postgres else "SQLite"
    errors = sum(n for code, n in codes.items() if code != 302)
    print(f"Secret ballots, {engine}, gunicorn 2 workers, {a.clients} client threads")
    print(f"  voters: {voters} within {window:.0f} s (took {elapsed:.1f} s)")
    print(
        f"  cast latency: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, max {percentile(latencies, 1.0):.1f} ms"
    )
    print(f"  responses: {dict(sorted(codes.items(), key=str))}; errors: {errors}")
    print(
        f"  before close: roll {after['roll']}, box {after['box']}; "
        f"counted {after['counted']}; counts {after['counts']} (sent {wanted})"
    )
    print(
        f"  close (tally, delete, rewrite, compact): {after['close_ms']:.0f} ms; "
        f"ballots left in the box: {after['left_in_box']}"
    )


if __name__ == "__main__":
    main()
