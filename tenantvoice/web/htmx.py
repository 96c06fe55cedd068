"""Every HX-* header literal lives here: page vs partial, and the response helpers."""

from typing import Any

from flask import Response, make_response, render_template, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_partial() -> bool:
    """True for a targeted htmx request: not a boosted navigation, not a history restore."""
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Request-Type", "partial") != "full"
    )


def render_htmx(page: str, partial: str, status: int = 200, **context: Any) -> Response:
    """Render the partial for a targeted htmx request, else the full page that includes it."""
    template = partial if wants_partial() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
