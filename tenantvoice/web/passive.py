"""Passive endpoints: requests a page makes by itself (the badge polled once a minute) must not
count as the person being active, or an open tab would keep a session alive for ever."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

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


class PassiveAwareSessionInterface(SecureCookieSessionInterface):
    """A passive request never re-sends the session cookie it did not change. Every response
    of a permanent session refreshes the cookie by default, so a badge poll that started before
    a form's POST answered after it and put back the old cookie: the POST's flash message
    ("Your signature is recorded.") was lost on the next page. Static files, fetched beside
    every page (and cached), carry no session cookie either."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        quiet = is_passive_request() or (has_request_context() and request.endpoint == "static")
        if quiet and not session.modified:
            return False
        return super().should_set_cookie(app, session)
