"""Versioned static URLs: ?v=<content hash>, so static files can be cached for a year."""

import hashlib
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app

#: How long a file's version is trusted before its mtime is looked at again. Every page builds
#: several static URLs; a stat() per URL per request is wasted work in production, and a second
#: is short enough for an edited file to show up at once in development.
RECHECK_SECONDS = 1.0

_versions: dict[str, tuple[float, float, str]] = {}  # folder+name -> (checked at, mtime, digest)
_lock = threading.Lock()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_path(filename: str) -> Path:
    """The file under the app's static folder (create_app always sets one)."""
    if current_app.static_folder is None:
        raise RuntimeError("the app has no static folder")
    return Path(current_app.static_folder) / filename


def static_version(filename: str) -> str:
    """The first 12 hex digits of the file's SHA-256, cached per process and per file; the
    file's mtime is checked at most once a second and the file re-hashed only when it changed."""
    # The cache is looked at before any path is built: every page asks for five or six
    # static URLs, and building a pathlib.Path each time cost more than the lookup itself.
    key = f"{current_app.static_folder}\0{filename}"
    now = time.monotonic()
    cached = _versions.get(key)
    if cached is not None and now - cached[0] < RECHECK_SECONDS:
        return cached[2]
    path = static_path(filename)
    try:
        mtime = path.stat().st_mtime
        digest = cached[2] if cached is not None and cached[1] == mtime else _digest(path)
    except OSError:
        return "0"
    with _lock:
        _versions[key] = (now, mtime, digest)
    return digest


def register_assets(app: Flask) -> None:
    @app.url_defaults
    def add_static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = static_version(values["filename"])
