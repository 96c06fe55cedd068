#!/usr/bin/env python3
"""Requests per second under gunicorn (2 workers) at 10 concurrent clients, in ONE run: a bare
Flask page (the floor, performance.md) vs TenantVoice's login page and the pages a logged-in
TENANT reads (home, a meeting page, the body's meetings, published minutes) and the tenant's
calendar feed as a calendar app fetches it (no cookie, no validator). Prints, per page,
req/s, p50/p95 latency, SQL statements per request, and the ratio to the floor as min / median
/ max over the rounds (each round measures every page in turn, right after the floor, so a
slower or faster stretch of the machine touches every row alike); asserts nothing (timings are
never asserted).

  benchmarks/throughput.py [--size small|full] [--seconds S] [--rounds N] [--clients N]
                           [--postgres URL] [--root DIR] [--db URL [--password P]]

small (CI): 1 s per page; full: 10 s per page, split over --rounds (default 3) rounds.
--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres runs it on a fresh PostgreSQL
database made (and dropped) for the run, instead of SQLite. --root measures another checkout
of the app (before/after figures from one script). --db measures a database filled beforehand
(`flask generate-province --size province` on PostgreSQL: issue 8's figures at the size of a
province), logged in as a plain member of its largest body. Only 127.0.0.1 is used. Targets
(performance.md, the pages-at-scale issue): the meeting page and the tenant's home at least
half the floor on SQLite, 0.3 on PostgreSQL, measured in the same run.

The login is a plain tenant (a register member with no office and no staff role): the script
stops rather than measure someone else. wrk is not installed on these machines: a threaded
Python client with keep-alive stands in (it is itself a bottleneck on 2 cores, so compare rows
of the same run only).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: Targets per engine (performance.md): logged-in pages vs the floor, in the same run.
TARGET_RATIO = {"sqlite": 0.5, "postgresql": 0.3}

#: Builds the demo database and prints the tenant's login, pages and each page's statements
#: (run in the app's env, with the app's checkout as the working directory).
SETUP = """
import json, logging
logging.disable(logging.INFO)
from sqlalchemy import event
from tenantvoice import create_app
from tenantvoice.extensions import db
from tenantvoice.search import setup_search
from tenantvoice.seed import DEMO_PASSWORD, seed_demo
import importlib.util, os
spec = importlib.util.spec_from_file_location("tv_bench_fixtures", os.environ["TV_BENCH_FIXTURES"])
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)
app = create_app()
given = os.environ.get("TV_BENCH_GIVEN") == "1"
password = os.environ.get("TV_BENCH_PASSWORD") or DEMO_PASSWORD
with app.app_context():
    if not given:  # a fresh database: the demo; a given one (--db) was filled beforehand
        db.create_all()
        setup_search()
        seed_demo()
        db.session.commit()
    email = fixtures.plain_tenant_email(largest_body=given)
    pages = fixtures.tenant_pages(email)
    anonymous = fixtures.feed_pages(email)
    db.session.remove()
app.config["WTF_CSRF_ENABLED"] = False
client = app.test_client()
client.post("/login", data={"identifier": email, "password": password})
statements = {}
with app.app_context():
    seen = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(1))
for label, path in {**pages, **anonymous}.items():
    client.get(path)
    seen.clear()
    client.get(path)
    statements[path] = len(seen)
print(json.dumps({"email": email, "password": password, "pages": pages,
                  "anonymous": anonymous, "statements": statements}))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(module, env, root=ROOT):
    port = free_port()
    gunicorn = root / ".venv" / "bin" / "gunicorn"
    proc = subprocess.Popen(
        [
            str(gunicorn if gunicorn.exists() else BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            module,
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _attempt in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"gunicorn {module} did not start")


def load(port, path, cookie, seconds, clients):
    """`clients` threads, each with its own keep-alive connection, for `seconds`.
    Returns (ok responses, other responses, latencies in s)."""
    ok, bad, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    stop = time.monotonic() + seconds
    headers = {"Accept-Encoding": "br", **({"Cookie": cookie} if cookie else {})}

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            t0 = time.monotonic()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                bad[i] += 1
                continue
            latencies[i].append(time.monotonic() - t0)
            if response.status == 200:
                ok[i] += 1
            else:
                bad[i] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(ok), sum(bad), [x for per in latencies for x in per]


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))] * 1000


def login(port, email, password):
    """Log in through the real form (CSRF token from the page); returns the Cookie header.
    A generous timeout: the workers may still be importing the app on a busy machine."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    jar = "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k == "Set-Cookie")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urlencode({"identifier": email, "password": password, "csrf_token": token})
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": jar},
    )
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        sys.exit(f"login as {email} failed: {response.status}")
    cookies = [h.split(";", 1)[0] for k, h in response.getheaders() if k == "Set-Cookie"]
    return "; ".join(cookies) or jar


def _median(values):
    values = sorted(values)
    n = len(values)
    return (values[n // 2] + values[(n - 1) // 2]) / 2 if values else 0.0


def _postgres_database(url):
    """A fresh database beside `url`'s (created now, dropped by the returned function)."""
    import sqlalchemy as sa  # the app's environment has it; only this option needs it

    name = f"tv_tput_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False), drop


def _province_password(python, root, env):
    """The generated accounts' password (tenantvoice.province.PASSWORD) of the checkout."""
    out = subprocess.run(
        [str(python), "-c", "from tenantvoice.province import PASSWORD; print(PASSWORD)"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", choices=["small", "full"])
    ap.add_argument("--seconds", type=float, help="per page (default: 1 small, 10 full)")
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--postgres", help="a PostgreSQL URL: run on a fresh database beside it")
    ap.add_argument("--root", type=Path, default=ROOT, help="the app's checkout to measure")
    ap.add_argument(
        "--db",
        help="a database filled beforehand (e.g. flask generate-province), measured as it is "
        "instead of a fresh demo; the tenant is a plain member of its largest body",
    )
    ap.add_argument("--password", help="every account's password in --db (default: province's)")
    ap.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args()
    seconds = a.seconds or (1.0 if a.size == "small" else 10.0)
    rounds = max(1, a.rounds)
    root = a.root.resolve()
    python = root / ".venv" / "bin" / "python"
    python = python if python.exists() else Path(sys.executable)
    engine = "postgresql" if (a.db or a.postgres or "").startswith("postgresql") else "sqlite"
    target = TARGET_RATIO[engine]

    tmp = Path(tempfile.mkdtemp(prefix="tv-tput-"))
    drop = None
    if a.db:
        database_url = a.db
    elif a.postgres:
        database_url, drop = _postgres_database(a.postgres)
    else:
        database_url = f"sqlite:///{tmp / 'tput.sqlite3'}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="bench-secret-not-for-production-0123456789",  # noqa: S106
        REQUIRE_STAFF_2FA="0",
        RATELIMIT_STORAGE_URI="memory://",
        MAIL_BACKEND="file",
        PYTHONPATH=str(root),
        TV_BENCH_FIXTURES=str(ROOT / "benchmarks" / "fixtures.py"),
    )
    if a.db:
        env["TV_BENCH_GIVEN"] = "1"
        env["TV_BENCH_PASSWORD"] = a.password or _province_password(python, root, env)
    env.pop("TENANTVOICE_ENV", None)
    bare = app = None
    try:
        setup = subprocess.run(
            [str(python), "-c", SETUP], cwd=root, env=env, capture_output=True, text=True
        )
        if setup.returncode != 0:
            sys.exit(f"setup failed:\n{setup.stderr[-2000:]}")
        seeded = json.loads(setup.stdout.strip().splitlines()[-1])
        bare, bare_port = serve("benchmarks.bare:app", env, ROOT)
        app, app_port = serve("wsgi:app", env, root)
        cookie = login(app_port, seeded["email"], seeded["password"])
        floor_label = "bare Flask page (floor)"
        # (label, port, path, cookie, the tenant's page: statements and target printed)
        rows = [
            (floor_label, bare_port, "/", None, False),
            ("/login (anonymous)", app_port, "/login", None, False),
        ]
        rows += [
            (f"{label} (tenant)", app_port, path, cookie, True)
            for label, path in seeded["pages"].items()
        ]
        rows += [  # the tenant's calendar app: no cookie, the secret in the URL
            (label, app_port, path, None, True)
            for label, path in seeded.get("anonymous", {}).items()
        ]
        for _label, port, path, c, _tenant in rows:  # warm-up: imports, templates, caches
            load(port, path, c, 0.3, a.clients)
        stats = {label: {"ok": 0, "bad": 0, "lat": [], "ratios": []} for label, *_ in rows}
        per_round = seconds / rounds
        for _round in range(rounds):
            floor_rps = None
            for label, port, path, c, _tenant in rows:
                if label != floor_label:  # the floor again right before each page
                    ok_floor, _bad, _lat = load(bare_port, "/", None, per_round / 2, a.clients)
                    floor_rps = ok_floor / (per_round / 2) or 1
                ok, bad, lat = load(port, path, c, per_round, a.clients)
                s = stats[label]
                s["ok"] += ok
                s["bad"] += bad
                s["lat"] += lat
                s["ratios"].append(1.0 if floor_rps is None else (ok / per_round) / floor_rps)
        print(
            f"Throughput on {engine}: gunicorn 2 workers, {a.clients} concurrent clients, "
            f"{seconds:g} s per page in {rounds} rounds, logged in as {seeded['email']} "
            f"(a plain tenant), app at {root}"
            + (" on a database filled beforehand" if a.db else "")
        )
        header = (
            f"{'page':<26}{'path':<20}{'SQL':>4}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}"
            f"{'vs floor min / med / max':>27}"
        )
        print(header)
        print("-" * len(header))
        results = []
        for label, _port, path, _c, tenant in rows:
            s = stats[label]
            lat = sorted(s["lat"])
            rps = s["ok"] / seconds
            lo, med, hi = min(s["ratios"]), _median(s["ratios"]), max(s["ratios"])
            mark = "" if not tenant else ("  ok" if med >= target else f"  below {target:g}")
            errors = f"  ({s['bad']} non-200)" if s["bad"] else ""
            sql = seeded["statements"].get(path, "") if tenant else ""
            print(
                f"{label:<26}{path[:19]:<20}{sql!s:>4}{rps:>7.0f}{percentile(lat, 0.5):>8.1f}"
                f"{percentile(lat, 0.95):>8.1f}{lo:>11.2f} /{med:>5.2f} /{hi:>5.2f}{mark}{errors}"
            )
            results.append(
                {
                    "page": label,
                    "path": path,
                    "engine": engine,
                    "statements": sql,
                    "rps": rps,
                    "ratio_min": lo,
                    "ratio_median": med,
                    "ratio_max": hi,
                    "p50_ms": percentile(lat, 0.5),
                    "p95_ms": percentile(lat, 0.95),
                    "non_200": s["bad"],
                }
            )
        print(
            f"target on {engine}: the meeting page and the tenant's home ≥ {target:g} of the "
            "floor (median of the rounds; performance.md); the calendar feed ≥ 0.5 (issue 8)"
        )
        if a.json:
            Path(a.json).write_text(json.dumps(results, indent=1))
    finally:
        for proc in (bare, app):
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
