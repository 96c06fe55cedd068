"""Absolute links for mail, push, printed sheets and calendar feeds, from the configured
BASE_URL only: never from the request's Host header, which a client chooses (a forged Host on
POST /forgot would otherwise mail a genuine reset token inside a link to the attacker's host)."""

from typing import Any

from flask import current_app, has_request_context, request, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` as an absolute URL on BASE_URL (which carries any path
    prefix the app is mounted under)."""
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root):
        path = path[len(root) :]
    return current_app.config["BASE_URL"] + path
