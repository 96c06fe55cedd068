"""The Nu HTML checker (vnu.jar, from npm `vnu-jar`) over every page the browser tests saw.

Pages are saved while the tests run (tests/browser/conftest.py `Axe.check` calls `save`), into
one directory per test session shared by the xdist workers; at the end of the session the
controller runs vnu ONCE over all of them (one JVM start, about 10 s), and the session fails on
any error except htmx attributes (hx-*, which HTML does not know). `make vnu` installs the jar
into .tools/ (gitignored); `make test` depends on it.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ENV = "TV_HTML_PAGES"


def start(config) -> None:
    """Controller (or single process): make the session's directory; workers inherit it."""
    if hasattr(config, "workerinput") or os.environ.get(ENV):
        return
    os.environ[ENV] = tempfile.mkdtemp(prefix="tv-html-pages-")


def save(html: str, url: str) -> None:
    """Keep one copy of a page's HTML (identical pages are kept once)."""
    folder = os.environ.get(ENV)
    if not folder:
        return
    digest = hashlib.sha256(html.encode()).hexdigest()[:16]
    path = Path(folder) / f"{digest}.html"
    if not path.exists():
        path.write_text(html, encoding="utf-8")
        path.with_suffix(".url").write_text(url, encoding="utf-8")


def allowed(message: dict) -> bool:
    """htmx attributes are the only accepted errors: "Attribute “hx-post” not allowed …"."""
    return message.get("message", "").startswith("Attribute “hx-")


def check(session) -> list[str]:
    """Run vnu once over the saved pages; returns the errors (empty when nothing was saved)."""
    folder = os.environ.get(ENV)
    if not folder or hasattr(session.config, "workerinput"):
        return []
    pages = sorted(Path(folder).glob("*.html"))
    if not pages:
        shutil.rmtree(folder, ignore_errors=True)
        return []
    if not VNU_JAR.exists():
        return [f"{VNU_JAR} is missing: run `make vnu` (make test does it)"]
    java = shutil.which("java") or "/usr/bin/java"
    result = subprocess.run(  # noqa: S603 - fixed program, our own files
        [
            java,
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            *map(str, pages),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        return [f"vnu did not answer JSON: {result.stderr[:500]}"]
    errors = []
    for m in messages:
        if m.get("type") != "error" or allowed(m):
            continue
        page = Path(m.get("url", "").removeprefix("file:"))
        url_file = page.with_suffix(".url")
        where = url_file.read_text() if url_file.exists() else page.name
        errors.append(f"{where} ({page.name}:{m.get('lastLine')}): {m.get('message')}")
    if not errors:
        shutil.rmtree(folder, ignore_errors=True)
    return errors


def finish(session) -> None:
    errors = check(session)
    if not errors:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"Nu HTML checker: {len(errors)} error(s) in the pages the browser tests saw:"]
    lines += [f"  {e}" for e in sorted(set(errors))]
    if reporter:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line, red=True)
    session.exitstatus = 1
