"""Passive endpoints: requests a page makes by itself (the badge polled once a minute) must not
count as the person being active, or an open tab would keep a session alive for ever."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, has_request_context, request

View = TypeVar("View", bound=Callable[..., Any])


def passive(view: View) -> View:
    """Mark a view as passive: the session is checked but its last activity is not moved."""
    view.passive_request = True  # type: ignore[attr-defined]  # a mark read by getattr below
    return view


def is_passive_request() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "passive_request", False))
