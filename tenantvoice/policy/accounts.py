"""Permissions on accounts: one's own second factor; the platform admin's user management."""

from flask import current_app

from tenantvoice.policy.core import is_admin, is_staff

__all__ = [
    "can_disable_account",
    "can_end_sessions_of",
    "can_reset_second_factor",
    "can_reset_with_code",
    "can_turn_off_second_factor",
    "needs_second_factor",
]


def needs_second_factor(user) -> bool:
    """Staff when REQUIRE_STAFF_2FA is on; anyone else who turned TOTP on."""
    if is_staff(user):
        return bool(current_app.config.get("REQUIRE_STAFF_2FA"))
    return user.has_totp


def can_turn_off_second_factor(user) -> bool:
    """Whoever turned TOTP on may turn it off (with their password), except staff while
    REQUIRE_STAFF_2FA is on: their role gives access to many people's data (A-04)."""
    if not getattr(user, "is_authenticated", False) or not user.has_totp:
        return False
    if is_staff(user):
        return not current_app.config.get("REQUIRE_STAFF_2FA")
    return True


def can_end_sessions_of(user, target) -> bool:
    """End every session of an account (a lost phone, a suspected break-in): the platform admin
    (S-07). The admin sees contact details only, never register data."""
    return target is not None and is_admin(user)


def can_disable_account(user, target) -> bool:
    """Disable or re-enable an account (S-04): the platform admin, never on their own account
    (an installation must not lose its last admin by a slip of the thumb)."""
    return (
        target is not None
        and is_admin(user)
        and getattr(user, "id", None) != getattr(target, "id", None)
    )


def can_reset_with_code(target) -> bool:
    """An in-person reset code may change this account's password: an active account that is
    not staff (a staff account's password is never reset by a tenant body; staff use the
    emailed link and their second factor)."""
    return target is not None and target.active and not is_staff(target)


def can_reset_second_factor(user, target) -> bool:
    """A staff member who lost their authenticator and recovery codes: the platform admin turns
    their second factor off, after checking who asks (in person or by calling a known number),
    never on their own account. The person enrols again at their next login; their sessions end
    and they are told by email, so a reset they did not ask for does not go unnoticed."""
    return (
        target is not None
        and is_admin(user)
        and getattr(user, "id", None) != getattr(target, "id", None)
        and is_staff(target)
        and target.has_totp
    )
