#!/usr/bin/env python3
"""Requests per second under gunicorn (2 workers) at 10 concurrent clients, in ONE run: a bare
Flask page (the floor, performance.md) vs TenantVoice's login page and the pages a logged-in
tenant reads (home, a meeting page, the body's meetings, published minutes). Prints req/s,
p50/p95 latency and each page's ratio to the floor; asserts nothing (timings are never asserted).

  benchmarks/throughput.py [--size small|full] [--seconds S] [--clients N]

small (CI): 1 s per page; full: 10 s per page. Each page's time is split over --rounds rounds
that visit every page in turn, so a slower or faster stretch of the machine touches every row
alike. Only 127.0.0.1 is used. The target (performance.md): each logged-in page at least half
the floor measured in the same run.

wrk is not installed on these machines: a threaded Python client with keep-alive stands in
(it is itself a bottleneck on 2 cores, so compare rows of the same run only).
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
TARGET_RATIO = 0.5

#: Builds the demo database and prints the tenant's login and pages (run in the app's env).
SETUP = """
import json, logging
logging.disable(logging.INFO)
from tenantvoice import create_app
from tenantvoice.extensions import db
from tenantvoice.search import setup_search
from tenantvoice.seed import DEMO_PASSWORD, seed_demo
from benchmarks.fixtures import tenant_email, tenant_pages
app = create_app()
with app.app_context():
    db.create_all()
    setup_search()
    logins = seed_demo()
    db.session.commit()
    email = tenant_email(logins)
    pages = tenant_pages(email)
print(json.dumps({"email": email, "password": DEMO_PASSWORD, "pages": pages}))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(module, env):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            module,
        ],
        cwd=ROOT,
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
    """Log in through the real form (CSRF token from the page); returns the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", choices=["small", "full"])
    ap.add_argument("--seconds", type=float, help="per page (default: 1 small, 10 full)")
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args()
    seconds = a.seconds or (1.0 if a.size == "small" else 10.0)
    rounds = max(1, a.rounds)

    tmp = Path(tempfile.mkdtemp(prefix="tv-tput-"))
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp / 'tput.sqlite3'}",
        SECRET_KEY="bench-secret-not-for-production-0123456789",  # noqa: S106
        REQUIRE_STAFF_2FA="0",
        RATELIMIT_STORAGE_URI="memory://",
        MAIL_BACKEND="file",
        PYTHONPATH=str(ROOT),
    )
    env.pop("TENANTVOICE_ENV", None)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if setup.returncode != 0:
        sys.exit(f"demo setup failed:\n{setup.stderr[-2000:]}")
    seeded = json.loads(setup.stdout.strip().splitlines()[-1])
    bare, bare_port = serve("benchmarks.bare:app", env)
    app, app_port = serve("wsgi:app", env)
    try:
        cookie = login(app_port, seeded["email"], seeded["password"])
        rows = [
            ("bare Flask page (floor)", bare_port, "/", None),
            ("/login (anonymous)", app_port, "/login", None),
        ]
        rows += [
            (f"{label} (tenant)", app_port, path, cookie) for label, path in seeded["pages"].items()
        ]
        for _label, port, path, c in rows:  # warm-up: imports, template compilation, caches
            load(port, path, c, 0.3, a.clients)
        stats = {label: {"ok": 0, "bad": 0, "lat": []} for label, *_ in rows}
        for _round in range(rounds):
            for label, port, path, c in rows:
                ok, bad, lat = load(port, path, c, seconds / rounds, a.clients)
                stats[label]["ok"] += ok
                stats[label]["bad"] += bad
                stats[label]["lat"] += lat
        print(
            f"Throughput: gunicorn 2 workers, {a.clients} concurrent clients, {seconds:g} s per "
            f"page in {rounds} rounds, logged in as {seeded['email']}"
        )
        header = f"{'page':<30}{'path':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'vs floor':>10}"
        print(header)
        print("-" * len(header))
        floor = stats[rows[0][0]]["ok"] / seconds or 1
        results = []
        for label, _port, path, c in rows:
            s = stats[label]
            lat = sorted(s["lat"])
            rps = s["ok"] / seconds
            ratio = rps / floor
            mark = "" if c is None else ("  ok" if ratio >= TARGET_RATIO else "  below ½")
            errors = f"  ({s['bad']} non-200)" if s["bad"] else ""
            print(
                f"{label:<30}{path:<22}{rps:>8.0f}{percentile(lat, 0.5):>9.1f}"
                f"{percentile(lat, 0.95):>9.1f}{ratio:>10.2f}{mark}{errors}"
            )
            results.append(
                {
                    "page": label,
                    "path": path,
                    "rps": rps,
                    "ratio": ratio,
                    "p50_ms": percentile(lat, 0.5),
                    "p95_ms": percentile(lat, 0.95),
                    "non_200": s["bad"],
                }
            )
        print(f"target: logged-in pages ≥ {TARGET_RATIO:.0%} of the floor (performance.md)")
        if a.json:
            Path(a.json).write_text(json.dumps(results, indent=1))
    finally:
        for proc in (bare, app):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
