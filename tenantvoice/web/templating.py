"""Template globals every page needs: CSRF token, demo banner, forms' idempotency keys."""

from typing import Any

from flask import Flask, current_app
from flask_wtf.csrf import generate_csrf

from tenantvoice.submissions import new_key


def register_templating(app: Flask) -> None:
    @app.context_processor
    def shell_context() -> dict[str, Any]:
        return {
            "csrf_token": generate_csrf,
            "staff_2fa_off": not current_app.config.get("REQUIRE_STAFF_2FA", True),
            "new_form_key": new_key,
        }
