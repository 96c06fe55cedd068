"""Permissions on notifications: a person's notifications, settings and devices are theirs alone
(nobody else, admin included, reads or changes them); the admin reads the development mail
folder (nothing there in production)."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, BodyKind
from tenantvoice.policy.core import body_ids_as_member, body_ids_as_officer, is_admin, is_staff

__all__ = ["can_manage_notification", "can_read_mail_folder", "notification_audiences"]


def notification_audiences(user) -> set[str]:
    """Which kinds' settings the person is offered: everyone's, a body officer's, a CCR
    member's, staff's (notifications.kinds.EVERYONE, OFFICERS, CCR, STAFF)."""
    audiences = {"everyone"}
    if body_ids_as_officer(user):
        audiences.add("officers")
    member_of = body_ids_as_member(user)
    if member_of and db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Body)
        .where(Body.id.in_(sorted(member_of)), Body.kind == BodyKind.CCR)
    ):
        audiences.add("ccr")
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
