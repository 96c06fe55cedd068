#!/usr/bin/env python3
"""The larger run of the hostile-input property tests (tests/test_bad_input_properties.py):
every form family with many more hypothesis examples than the suite's 50, on SQLite and
optionally PostgreSQL. Prints, per form, the examples sent, the statuses seen and the time.
Figures only; the test itself fails on any 5xx or on a refused form that stored something.

  benchmarks/bad_input.py [--examples N] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Default: 1000 examples per form on SQLite (about ten minutes on a small machine).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(engine: str, examples: int, postgres: str | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.jsonl"
        env = {**os.environ, "TV_FUZZ_EXAMPLES": str(examples), "TV_FUZZ_REPORT": str(report)}
        env.pop("TEST_DATABASE_URL", None)
        if postgres:
            env["TEST_DATABASE_URL"] = postgres
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_bad_input_properties.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.monotonic() - started
        lines = report.read_text().splitlines() if report.exists() else []
        rows = [json.loads(line) for line in lines]
    print(f"\n{engine}: {examples} examples per form, {elapsed:.0f} s in all")
    print(f"{'form':<18}{'sent':>7}{'5xx':>6}  statuses                         seconds")
    for row in rows:
        statuses = {int(k): v for k, v in row["statuses"].items()}
        sent = sum(statuses.values())
        errors = sum(v for k, v in statuses.items() if k >= 500)
        shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        print(f"{row['form']:<18}{sent:>7}{errors:>6}  {shown:<32} {row['seconds']:>7.1f}")
    if result.returncode != 0:
        print(result.stdout[-4000:])
        print(f"{engine}: FAILED (pytest exit {result.returncode})")
    return result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    code = run("SQLite", args.examples, None)
    if args.postgres:
        code |= run("PostgreSQL", args.examples, args.postgres)
    return code


if __name__ == "__main__":
    sys.exit(main())
