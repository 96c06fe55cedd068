"""A dated trace of every change that matters (who, when, what), readable by the right roles."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now(), index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Dotted verb, e.g. "invitation.create", "reset_code.issue", "meeting.publish".
    action: so.Mapped[str] = so.mapped_column(sa.String(60))
    #: The body concerned, if any, so officers can read their body's trail.
    body_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    object_type: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    object_id: so.Mapped[int | None]
    #: Short non-sensitive detail (never a ballot, a code, a password or a need's text).
    detail: so.Mapped[str] = so.mapped_column(sa.String(255), default="")


def record(action: str, *, actor=None, body_id=None, obj=None, detail: str = "") -> AuditEvent:
    """Add an audit event to the session (the caller's transaction commits it)."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        body_id=body_id,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        detail=detail[:255],
    )
    db.session.add(event)
    return event
