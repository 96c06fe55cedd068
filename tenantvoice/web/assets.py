"""Versioned static URLs: ?v=<content hash>, so static files can be cached for a year."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app


@lru_cache(maxsize=256)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_version(filename: str) -> str:
    path = Path(current_app.static_folder) / filename
    try:
        return _digest(str(path), path.stat().st_mtime)
    except OSError:
        return "0"


def register_assets(app) -> None:
    @app.url_defaults
    def add_static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = static_version(values["filename"])
