"""Permissions on notifications: a person's notifications, settings and devices are theirs alone
(nobody else, admin included, reads or changes them); the admin reads the development mail
folder (nothing there in production)."""

from tenantvoice.policy.core import is_admin

__all__ = ["can_manage_notification", "can_read_mail_folder"]


def can_manage_notification(user, notification) -> bool:
    """Open or mark read: the person it was written for."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and notification.user_id == user.id
    )


def can_read_mail_folder(user) -> bool:
    """The messages the "file" mail backend kept under instance/mail (development, demo)."""
    return is_admin(user)
