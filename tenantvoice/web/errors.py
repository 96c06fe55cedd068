"""Error pages: HTML (translated, no stack trace) or JSON for the API, decided in one place."""

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from tenantvoice.extensions import db
from tenantvoice.models import DomainStateError
from tenantvoice.web.logredact import redact

logger = logging.getLogger(__name__)

_TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
    409: "errors/409.html",
    413: "errors/413.html",
    429: "errors/429.html",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        logger.warning("CSRF refused on %s %s", request.method, redact(request.path))
        if _wants_json():
            return jsonify(error="Bad Request", message="CSRF token missing or invalid"), 400
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> ResponseReturnValue:
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page template either.
        logger.warning("400: untrusted Host header on %s %s", request.method, redact(request.path))
        return app.response_class("Bad Request", status=400, mimetype="text/plain")

    @app.errorhandler(DomainStateError)
    def state_error(error: DomainStateError) -> ResponseReturnValue:
        """Every domain's refused transition: 409, with the domain's message when it is
        written for people (minutes), else the generic one (meetings)."""
        db.session.rollback()
        logger.info("409 on %s %s: %s", request.method, request.path, error)
        message = str(error.args[0]) if error.shown and error.args else None
        if _wants_json():
            return jsonify(error="Conflict", message=message), 409
        return render_template("errors/409.html", message=message), 409

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code in (403, 409, 429):
            logger.warning("%s on %s %s", code, request.method, redact(request.path))
        if _wants_json():
            return jsonify(error=error.name), code
        template = _TEMPLATES.get(code, "errors/generic.html")
        response = app.make_response((render_template(template, error=error), code))
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        logger.exception("Unhandled error on %s %s", request.method, redact(request.path))
        if _wants_json():
            return jsonify(error="Internal Server Error"), 500
        return render_template("errors/500.html"), 500
