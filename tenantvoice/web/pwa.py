"""The installable shell: service worker at the root scope, manifest, offline page."""

import json

from flask import Blueprint, Response, make_response, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tenantvoice.web.assets import static_path, static_version
from tenantvoice.web.i18n import html_lang

bp = Blueprint("pwa", __name__)

#: Files the service worker keeps from its first install, so the offline page has its look.
PRECACHE = ["css/app.css", "js/app.js", "vendor/htmx-4.0.1.min.js", "pwa/icons/icon-192.png"]


@bp.get("/sw.js")
def service_worker() -> Response:
    """Serve the service worker from the root so its scope is the whole app."""
    source = static_path("pwa/sw.js").read_text(encoding="utf-8")
    assets = [url_for("static", filename=name) for name in PRECACHE]
    version = "-".join(static_version(name)[:6] for name in PRECACHE + ["pwa/sw.js"])
    body = source.replace("__VERSION__", version).replace(
        "__PRECACHE__", json.dumps([url_for("pwa.offline"), *assets])
    )
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """Describe the app for installation (name, icons, standalone display)."""
    data = {
        "id": "/",
        # In the reader's language (the browser asks with its Accept-Language; issue 9).
        "name": _("TenantVoice — Tenants' voice"),
        "short_name": "TenantVoice",
        "description": _("Tenants' associations and committees: meetings, minutes, votes."),
        "lang": html_lang(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1b4d3e",
        "background_color": "#ffffff",
        "icons": [
            {
                "src": url_for("static", filename=f"pwa/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ]
        + [
            {
                "src": url_for("static", filename=f"pwa/icons/maskable-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable",
            }
            for size in (192, 512)
        ],
    }
    response = make_response(json.dumps(data, ensure_ascii=False))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/offline")
def offline() -> ResponseReturnValue:
    """The page shown when a page was never read while online."""
    response = make_response(render_template("pwa/offline.html"))
    return response
