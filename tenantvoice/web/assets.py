"""Versioned static URLs: ?v=<content hash>, so static files can be cached for a year."""

import hashlib
import threading
import time
from pathlib import Path

from flask import current_app

#: How long a file's version is trusted before its mtime is looked at again. Every page builds
#: several static URLs; a stat() per URL per request is wasted work in production, and a second
#: is short enough for an edited file to show up at once in development.
RECHECK_SECONDS = 1.0

_versions: dict[str, tuple[float, float, str]] = {}  # path -> (checked at, mtime, digest)
_lock = threading.Lock()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_version(filename: str) -> str:
    """The first 12 hex digits of the file's SHA-256, cached per process and per file; the
    file's mtime is checked at most once a second and the file re-hashed only when it changed."""
    path = Path(current_app.static_folder) / filename
    key = str(path)
    now = time.monotonic()
    cached = _versions.get(key)
    if cached is not None and now - cached[0] < RECHECK_SECONDS:
        return cached[2]
    try:
        mtime = path.stat().st_mtime
        digest = cached[2] if cached is not None and cached[1] == mtime else _digest(path)
    except OSError:
        return "0"
    with _lock:
        _versions[key] = (now, mtime, digest)
    return digest


def register_assets(app) -> None:
    @app.url_defaults
    def add_static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = static_version(values["filename"])
