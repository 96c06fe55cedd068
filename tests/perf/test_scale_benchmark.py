"""benchmarks/scale.py runs to the end at the tiny size (CI's `make bench` runs it at the small
size): every page of its table answers, on SQLite, and on PostgreSQL when TEST_DATABASE_URL
names a server. Figures are printed by the script, never asserted."""

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
PAGES = (
    "meeting page",
    "tenant home",
    "tenant calendar feed",
    "organizer feed (a region)",
    "minutes search",
    "admin users",
    "member register",
    "attendance sheet",
    "organizer home (widest)",
)


def test_the_scale_benchmark_runs_at_tiny_size(tmp_path):
    args = [sys.executable, "benchmarks/scale.py", "--size", "tiny", "--reps", "1"]
    server = os.environ.get("TEST_DATABASE_URL")
    if server:
        url = sa.engine.make_url(server).set(drivername="postgresql+psycopg")
        args += ["--postgres", url.set(database="postgres").render_as_string(False)]
    out = tmp_path / "figures.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TV_TEST_NOW")}
    done = subprocess.run(
        [*args, "--json", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=280
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for page in PAGES:
        assert page in done.stdout
    assert "status" not in done.stdout  # every page answered 200 (or 304)
    assert out.exists()
