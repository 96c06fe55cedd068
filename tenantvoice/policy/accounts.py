"""Permissions on one's own account: the second factor."""

from flask import current_app

from tenantvoice.policy.core import is_staff

__all__ = ["can_turn_off_second_factor"]


def can_turn_off_second_factor(user) -> bool:
    """Whoever turned TOTP on may turn it off (with their password), except staff while
    REQUIRE_STAFF_2FA is on: their role gives access to many people's data (A-04)."""
    if not getattr(user, "is_authenticated", False) or not user.has_totp:
        return False
    if is_staff(user):
        return not current_app.config.get("REQUIRE_STAFF_2FA")
    return True
