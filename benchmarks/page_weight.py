#!/usr/bin/env python3
"""Page weight of the main tenant pages, as a phone downloads them on a cold cache.

Starts the app (werkzeug thread, temp SQLite, demo seed), logs in as a tenant, and loads each
URL in headless Debian Chromium (Playwright, 390x844 phone, fresh profile per URL). Counts every
request of the page AND of its service worker (the SW script and its precache), in bytes on
the wire (headers + body as compressed by the server). Prints a table; asserts nothing.

  benchmarks/page_weight.py [--size small] [--json OUT] [--url /path ...]

The URL list grows with the app: PAGES below (meeting and minutes pages are added when the
seed has them). ../shared/tools/measure_page.py, when present, measures the page alone the
same way the peers were measured (performance.md); its figure is printed beside ours.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEASURE = ROOT.parent / "shared" / "tools" / "measure_page.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
BUDGET = 50 * 1024

#: (label, path or callable(app) -> path, logged in?)
PAGES = [
    ("login", "/login", False),
    ("home (tenant)", "/", True),
    ("body page", "body", True),
    ("meetings of the body", "body_meetings", True),
    ("minutes of the body", "body_minutes", True),
]


def start_app(tmp: Path):
    os.environ.setdefault("SECRET_KEY", "bench-secret-not-for-production-0123456789")
    from werkzeug.serving import make_server

    from tenantvoice import create_app
    from tenantvoice.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "REQUIRE_STAFF_2FA": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "memory",
        }
    )
    with app.app_context():
        db.create_all()
        from tenantvoice.search import setup_search
        from tenantvoice.seed import seed_demo

        setup_search()
        logins = seed_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, logins


def tenant_cookie(app, base, logins):
    """Log in through the real form (CSRF token from the page) and return the session cookie."""
    from tenantvoice.seed import DEMO_PASSWORD

    email = next(
        (e for role, e in logins if re.search(r"\btenant\b(?! director)", role, re.I)), logins[0][1]
    )
    client = app.test_client()
    page = client.get("/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"identifier": email, "password": DEMO_PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post("/login", data=data, base_url=base)
    if response.status_code != 302:
        sys.exit(f"login as {email} failed: {response.status_code}")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"], domain="127.0.0.1")
    return email, cookie.value


def resolve(app, target, email):
    if target.startswith("/"):
        return target
    import sqlalchemy as sa

    from tenantvoice.accounts.models import User
    from tenantvoice.extensions import db
    from tenantvoice.policy import body_ids_as_member

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        body_id = min(body_ids_as_member(user))
    return {
        "body": f"/bodies/{body_id}",
        "body_meetings": f"/bodies/{body_id}/meetings",
        "body_minutes": f"/bodies/{body_id}/minutes",
    }[target]


def kind(url, rtype):
    path = urlparse(url).path
    if path.endswith(".js") or rtype == "script":
        return "js"
    if path.endswith(".css") or rtype == "stylesheet":
        return "css"
    if rtype == "document":
        return "html"
    if rtype == "image" or path.endswith(".png"):
        return "img"
    return "other"


def measure(pw, url, cookie_name, cookie):
    """Cold profile; page + service worker traffic (Playwright reports SW requests too)."""
    profile = tempfile.mkdtemp(prefix="tv-weight-")
    rows = []
    try:
        ctx = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            service_workers="allow",
        )
        if cookie:
            ctx.add_cookies([{"name": cookie_name, "value": cookie, "url": url}])

        def done(request):
            response = request.response()
            if response is None:
                return
            sizes = request.sizes()
            cached = response.from_service_worker or sizes["responseBodySize"] < 0
            rows.append(
                {
                    "url": request.url,
                    "kind": kind(request.url, request.resource_type),
                    "sw": request.service_worker is not None,
                    "bytes": 0
                    if cached
                    else sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    "encoding": response.headers.get("content-encoding", ""),
                }
            )

        ctx.on("requestfinished", done)
        page = ctx.pages[0]
        page.goto(url, wait_until="load")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(1500)  # the precache finishes
        ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return rows


def shared_measure(url, cookie_name, cookie):
    if not MEASURE.exists():
        return None
    cmd = [sys.executable, str(MEASURE), url, "--settle", "1"]
    if cookie:
        cmd += ["--cookie", f"{cookie_name}={cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    match = re.search(r'"transfer_bytes": (\d+)', out.stdout)
    return int(match.group(1)) if match else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", help="small (CI) — the seed is the demo region")
    ap.add_argument("--json")
    ap.add_argument("--url", action="append", default=[], help="extra logged-in path")
    a = ap.parse_args()

    import logging

    from playwright.sync_api import sync_playwright

    logging.disable(logging.INFO)
    tmp = Path(tempfile.mkdtemp(prefix="tv-bench-"))
    app, server, logins = start_app(tmp)
    base = f"http://127.0.0.1:{server.server_port}"
    email, cookie = tenant_cookie(app, base, logins)
    name = app.config["SESSION_COOKIE_NAME"]
    pages = PAGES + [(u, u, True) for u in a.url]
    results = []
    print(f"Page weight, cold cache, phone 390x844, logged in as {email} (budget 50 KB, ≤ 8 req)")
    header = (
        f"{'page':<24}{'path':<22}{'total':>9}{'req':>5}{'html':>8}{'css':>7}{'js':>8}"
        f"{'img':>7}{'sw+pre':>8}{'shared':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    with sync_playwright() as pw:
        for label, target, logged_in in pages:
            try:
                path = resolve(app, target, email)
            except Exception as exc:  # noqa: BLE001 - a page the seed lacks is reported, not fatal
                print(f"{label:<24}(skipped: {exc.__class__.__name__})")
                continue
            url = base + path
            rows = measure(pw, url, name, cookie if logged_in else None)
            page_rows = [r for r in rows if not r["sw"]]
            total = sum(r["bytes"] for r in rows)
            split = {
                k: sum(r["bytes"] for r in page_rows if r["kind"] == k)
                for k in ("html", "css", "js", "img")
            }
            sw = sum(r["bytes"] for r in rows if r["sw"])
            shared = shared_measure(url, name, cookie if logged_in else None)
            requests = len([r for r in rows if r["bytes"]])
            ok = total <= BUDGET
            results.append(
                {
                    "label": label,
                    "path": path,
                    "total": total,
                    "requests": requests,
                    **split,
                    "service_worker": sw,
                    "shared_measure": shared,
                    "under_budget": ok,
                    "rows": rows,
                }
            )
            print(
                f"{label:<24}{path:<22}{total:>9,}{requests:>5}{split['html']:>8,}"
                f"{split['css']:>7,}{split['js']:>8,}{split['img']:>7,}{sw:>8,}"
                f"{shared if shared is not None else '-':>9}  "
                f"{'under 50 KB' if ok else 'OVER 50 KB'}"
            )
    print(
        "total = page + service worker script + precache, bytes on the wire (headers "
        "included); shared = ../shared/tools/measure_page.py (page only)"
    )
    server.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
