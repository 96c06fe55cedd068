#!/usr/bin/env python3
"""Requests per second under gunicorn (2 workers): a bare Flask page (the floor) vs TenantVoice's
login page and a tenant's home page, at 10 concurrent clients. Prints figures; asserts nothing.

  benchmarks/throughput.py [--size small|full]   (small: 2 s per page; full: 10 s)

wrk is not installed on these machines: a threaded Python client with keep-alive stands in
(it is itself a bottleneck, so compare rows of the same run only).
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(module, env):
    port = free_port()
    proc = subprocess.Popen([GUNICORN, "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", module],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for _attempt in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"gunicorn {module} did not start")


def load(port, path, cookie, seconds, clients=10):
    counts, latencies, stop = [0] * clients, [], time.monotonic() + seconds
    headers = {"Accept-Encoding": "br", **({"Cookie": cookie} if cookie else {})}

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            t0 = time.monotonic()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.monotonic() - t0)
            counts[i] += 1 if response.status == 200 else 0
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
    return sum(counts) / seconds, p50


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", choices=["small", "full"])
    a = ap.parse_args()
    seconds = 2 if a.size == "small" else 10
    tmp = Path(tempfile.mkdtemp(prefix="tv-tput-"))
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp / 'tput.sqlite3'}",
               SECRET_KEY="bench-secret-not-for-production-0123456789",  # noqa: S106
               REQUIRE_STAFF_2FA="0",
               MAIL_BACKEND="file", PYTHONPATH=str(ROOT))
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    seeded = subprocess.run([*flask, "seed-demo"], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    email = next((m for m in re.findall(r"^\s+[^:\n]*tenant[^:\n]*: (\S+)$", seeded, re.M)
                  if "director" not in m), None) or re.findall(r": (\S+@\S+)$", seeded, re.M)[0]

    bare, bare_port = serve("benchmarks.bare:app", env)
    app, app_port = serve("wsgi:app", env)
    try:
        cookie = login(app_port, email)
        rows = [("bare Flask page (floor)", bare_port, "/", None),
                ("TenantVoice /login", app_port, "/login", None),
                ("TenantVoice / (tenant home)", app_port, "/", cookie)]
        for _label, port, path, c in rows:  # warm-up
            load(port, path, c, 0.5)
        print(f"Throughput, gunicorn 2 workers, 10 concurrent clients, {seconds} s per page")
        print(f"{'page':<30}{'req/s':>8}{'p50 ms':>9}")
        for label, port, path, c in rows:
            rps, p50 = load(port, path, c, seconds)
            print(f"{label:<30}{rps:>8.0f}{p50:>9.1f}")
    finally:
        for proc in (bare, app):
            proc.terminate()
            proc.wait(timeout=10)


def login(port, email):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    jar = "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k == "Set-Cookie")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    from urllib.parse import urlencode

    body = urlencode({"identifier": email, "password": "locataires2026", "csrf_token": token})
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": jar})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        sys.exit(f"login as {email} failed: {response.status}")
    cookies = [h.split(";", 1)[0] for k, h in response.getheaders() if k == "Set-Cookie"]
    return "; ".join(cookies) or jar


if __name__ == "__main__":
    main()
