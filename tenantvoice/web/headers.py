"""Security and caching headers on every response."""

from flask import Flask, Response, g, request

#: The fetch directives left out (manifest-src, worker-src, font-src) fall back to
#: default-src 'self'; script-src, style-src and connect-src stay explicit, as the security
#: docs name them (trust-and-safety D-03, DEVELOPING.md).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

#: Response header the service worker reads: only these pages may be kept for offline reading.
OFFLINE_HEADER = "X-TV-Offline"


def offline_readable() -> None:
    """Mark the current response as a reading page the service worker may keep offline."""
    g.offline_readable = True


def register_headers(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"

    @app.after_request
    def security_headers(response: Response) -> Response:
        h = response.headers
        # pop, not get: under a pushed app context (tests, CLI) `g` outlives one request
        readable = g.pop("offline_readable", False)
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        # (interest-cohort, FLoC's, is gone from browsers: Chrome logs it as an unknown feature)
        h["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if production:
            h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static" and not request.path.startswith("/static/"):
            if response.mimetype == "text/html":
                # Dynamic pages are never kept by the HTTP cache; the service worker keeps only
                # the reading pages the server marks.
                h["Cache-Control"] = "no-store"
                if readable:
                    h[OFFLINE_HEADER] = "1"
            response.vary.add("Cookie")
        return response
