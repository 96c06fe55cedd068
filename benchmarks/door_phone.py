#!/usr/bin/env python3
"""The attendance sheet at the door of a 600-member assembly, on a phone (issue 8: Lighthouse
1.00 and Total Blocking Time < 150 ms at 600 members). Prints figures, asserts nothing.

Generates the "small" province (tenantvoice/province.py: two bodies of 600 members) in a
temporary SQLite file, serves it (werkzeug, threaded, 127.0.0.1 only), logs in through the real
form as the secretary of the largest body and opens the sheet of its coming meeting:

- Playwright + Chrome DevTools Protocol, always: Debian Chromium at phone size (390×844, touch),
  CPU slowed 4× (Emulation.setCPUThrottlingRate, Lighthouse's mobile factor), long tasks from a
  PerformanceObserver: Total Blocking Time (Σ of each long task's part over 50 ms, after the
  first contentful paint), the paints, the DOM size; then the door itself: three letters typed in
  the search box, time until the matching names are on screen (htmx, 300 ms debounce included)
  and the blocking time of that interaction.
- Lighthouse (the npm package lighthouse@12, never downloaded by this script), when --lighthouse
  points at its CLI or `lighthouse` is on PATH: default mobile settings, performance and
  accessibility scores, TBT, median of --runs runs.

  benchmarks/door_phone.py [--runs 3] [--lighthouse node_modules/.bin/lighthouse] [--json OUT]

Needs Playwright (pip) and /usr/bin/chromium (apt), like page_weight.py; never
`playwright install`. Not in `make bench` (generation and Lighthouse take a minute or more).
"""

import argparse
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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
CPU_SLOWDOWN = 4
#: Three letters of a generated surname (province.py's SURNAMES: Tremblay, Gagnon...).
TYPED = "gag"

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
"""


def start(tmp: Path):
    """The app on a generated "small" province; (app, base URL, server, people)."""
    from werkzeug.serving import make_server

    from benchmarks.scale import config, subjects
    from tenantvoice import create_app
    from tenantvoice.extensions import db
    from tenantvoice.province import generate
    from tenantvoice.search import setup_search

    app = create_app(config(f"sqlite:///{tmp / 'door.sqlite3'}"))
    with app.app_context():
        db.create_all()
        setup_search()
        generate("small", 1)
        db.session.commit()
        s = subjects()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, f"http://127.0.0.1:{server.server_port}", server, s


def secretary_cookie(app, base: str, user_id: int) -> tuple[str, str]:
    """Log in through the real form as the user; (cookie name, value)."""
    import sqlalchemy as sa

    from tenantvoice.accounts.models import User
    from tenantvoice.extensions import db
    from tenantvoice.province import PASSWORD

    with app.app_context():
        email = db.session.scalar(sa.select(User.email).where(User.id == user_id))
    client = app.test_client()
    page = client.get("/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"identifier": email, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post("/login", data=data, base_url=base)
    if response.status_code != 302:
        sys.exit(f"login as {email} failed: {response.status_code}")
    name = app.config["SESSION_COOKIE_NAME"]
    return name, client.get_cookie(name, domain="127.0.0.1").value


def blocking(tasks: list, after: float = 0.0) -> float:
    return sum(max(0.0, d - 50) for start, d in tasks if start + d > after)


def playwright_run(url: str, cookie: tuple[str, str]) -> dict:
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="tv-door-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=ARGS,
                viewport={"width": 390, "height": 844},
                is_mobile=True,
                has_touch=True,
                device_scale_factor=2,
            )
            ctx.add_cookies([{"name": cookie[0], "value": cookie[1], "url": url}])
            ctx.add_init_script(LONG_TASKS)
            page = ctx.pages[0]
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            started = time.perf_counter()
            page.goto(url, wait_until="load")
            loaded = (time.perf_counter() - started) * 1000
            page.wait_for_timeout(1500)  # late long tasks (htmx init, service worker)
            load = page.evaluate(
                """() => {
                  const paint = Object.fromEntries(
                    performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]));
                  const nav = performance.getEntriesByType("navigation")[0];
                  return {fcp: paint["first-contentful-paint"] || 0,
                          dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                          nodes: document.getElementsByTagName("*").length,
                          rows: document.querySelectorAll(".attendance-row").length,
                          tasks: window.__longTasks.slice()};
                }"""
            )
            status = "[id^=attendance-list] [role=status]"
            before = page.evaluate(
                """(status) => {
                  window.__longTasks = [];
                  return document.querySelector(status).textContent;
                }""",
                status,
            )
            box = page.locator("#attendance-q")
            box.tap()
            typed_at = time.perf_counter()
            box.type(TYPED, delay=120)
            page.wait_for_function(  # the list was swapped (whatever htmx's event names)
                "([status, before]) => document.querySelector(status).textContent !== before",
                arg=[status, before],
                timeout=15000,
            )
            found = (time.perf_counter() - typed_at) * 1000
            page.wait_for_timeout(300)
            after = page.evaluate(
                """() => ({rows: document.querySelectorAll(".attendance-row").length,
                           tasks: window.__longTasks.slice()})"""
            )
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return {
        "fcp_ms": load["fcp"],
        "dcl_ms": load["dcl"],
        "load_ms": load["load"],
        "wall_load_ms": loaded,
        "dom_nodes": load["nodes"],
        "rows_shown": load["rows"],
        "long_tasks": len(load["tasks"]),
        "tbt_ms": blocking(load["tasks"], load["fcp"]),
        "search_found_ms": found,
        "search_rows": after["rows"],
        "search_tbt_ms": blocking(after["tasks"]),
    }


def lighthouse_run(cli: str, url: str, cookie: tuple[str, str], out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    cmd = [
        cli,
        url,
        "--quiet",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=" + " ".join(ARGS),
        "--extra-headers=" + json.dumps({"Cookie": f"{cookie[0]}={cookie[1]}"}),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        return {"error": (done.stderr or done.stdout)[-600:]}
    report = json.loads(out.read_text())
    audits = report["audits"]
    if report.get("runtimeError"):
        return {"error": report["runtimeError"].get("message", "runtime error")}
    return {
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "dom_size": audits.get("dom-size", {}).get("numericValue"),
        "version": report.get("lighthouseVersion"),
        # The host's speed as Lighthouse measured it (a loaded shared machine scores low, and
        # its simulated phone is slower by as much): compare runs by it.
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "main_thread": {
            row["groupLabel"]: round(row["duration"])
            for row in audits.get("mainthread-work-breakdown", {})
            .get("details", {})
            .get("items", [])
        },
        "scripts": {
            row["url"].rsplit("/", 1)[-1][:40]: round(row["scripting"])
            for row in audits.get("bootup-time", {}).get("details", {}).get("items", [])
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--lighthouse", default=os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    )
    ap.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args()
    logging.disable(logging.INFO)
    os.environ.pop("TENANTVOICE_ENV", None)
    tmp = Path(tempfile.mkdtemp(prefix="tv-door-"))
    server = None
    try:
        started = time.perf_counter()
        app, base, server, s = start(tmp)
        print(
            f"small province generated in {time.perf_counter() - started:.0f} s; the sheet of "
            f"meeting {s['coming_meeting']} of body {s['body_id']} ({s['members']} members), "
            f"read by its secretary"
        )
        cookie = secretary_cookie(app, base, s["people"]["secretary"])
        url = f"{base}/meetings/{s['coming_meeting']}/attendance"
        out: dict = {"url": url, "members": s["members"], "playwright": [], "lighthouse": []}
        for _run in range(a.runs):
            out["playwright"].append(playwright_run(url, cookie))
        if a.lighthouse:
            for i in range(a.runs):
                out["lighthouse"].append(
                    lighthouse_run(a.lighthouse, url, cookie, tmp / f"lh{i}.json")
                )
        report(out, a.runs)
        if a.json:
            Path(a.json).write_text(json.dumps(out, indent=1))
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


def _med(rows: list[dict], key: str) -> float:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else float("nan")


def report(out: dict, runs: int) -> None:
    pw = out["playwright"]
    print(
        f"\nPlaywright + CDP (390×844 touch, CPU {CPU_SLOWDOWN}× slower, no network throttling), "
        f"median of {runs}:"
    )
    for key, label in (
        ("fcp_ms", "first contentful paint, ms"),
        ("load_ms", "load event, ms"),
        ("tbt_ms", "Total Blocking Time after FCP, ms"),
        ("long_tasks", "long tasks"),
        ("dom_nodes", "DOM elements"),
        ("rows_shown", "member rows shown"),
        ("search_found_ms", f"typing {TYPED!r} → names on screen, ms (typing, debounce incl.)"),
        ("search_rows", "rows after the search"),
        ("search_tbt_ms", "blocking time of the search, ms"),
    ):
        values = ", ".join(f"{r[key]:.0f}" for r in pw)
        print(f"  {label:<60}{_med(pw, key):>8.0f}   ({values})")
    lh = [r for r in out["lighthouse"] if "error" not in r]
    failed = [r["error"] for r in out["lighthouse"] if "error" in r]
    if not out["lighthouse"]:
        print("\nLighthouse: not run (no --lighthouse CLI and none on PATH)")
        return
    print(f"\nLighthouse {lh[0]['version'] if lh else ''} (default mobile), median of {len(lh)}:")
    for key, label, fmt in (
        ("performance", "performance score", "{:.2f}"),
        ("accessibility", "accessibility score", "{:.2f}"),
        ("tbt_ms", "Total Blocking Time, ms", "{:.0f}"),
        ("fcp_ms", "first contentful paint (simulated slow 4G), ms", "{:.0f}"),
        ("lcp_ms", "largest contentful paint (simulated slow 4G), ms", "{:.0f}"),
        ("cls", "cumulative layout shift", "{:.3f}"),
        ("dom_size", "DOM elements", "{:.0f}"),
        ("benchmark_index", "host benchmarkIndex (higher: faster machine)", "{:.0f}"),
    ):
        if lh:
            values = ", ".join(fmt.format(r[key]) for r in lh if r.get(key) is not None)
            print(f"  {label:<60}{fmt.format(_med(lh, key)):>8}   ({values})")
    for r in lh:
        print(
            f"  run: TBT {r['tbt_ms']:.0f} ms, benchmarkIndex {r['benchmark_index']}, "
            f"main thread {r['main_thread']}, scripts {r['scripts']}"
        )
    if lh and lh[0].get("final_url") and not lh[0]["final_url"].endswith("/attendance"):
        print(f"  careful: Lighthouse ended on {lh[0]['final_url']} (not the sheet)")
    for error in failed:
        print(f"  a run failed: {error}")


if __name__ == "__main__":
    main()
