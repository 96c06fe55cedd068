"""Passive endpoints: requests a page makes by itself (the badge polled once a minute) must not
count as the person being active, or an open tab would keep a session alive for ever."""

from flask import current_app, has_request_context, request


def passive(view):
    """Mark a view as passive: the session is checked but its last activity is not moved."""
    view.passive_request = True
    return view


def is_passive_request() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "passive_request", False))
