"""Permissions on notifications: a person's notifications, settings and devices are theirs alone
(nobody else, admin included, reads or changes them); the admin reads the development mail
folder (nothing there in production)."""

from tenantvoice.policy.core import body_ids_as_officer, is_admin, is_staff

__all__ = ["can_manage_notification", "can_read_mail_folder", "notification_audiences"]


def notification_audiences(user) -> set[str]:
    """Which kinds' settings the person is offered: everyone's, a body officer's, staff's
    (notifications.kinds.EVERYONE, OFFICERS, STAFF)."""
    audiences = {"everyone"}
    if body_ids_as_officer(user):
        audiences.add("officers")
    if is_staff(user):
        audiences.add("staff")
    return audiences


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
