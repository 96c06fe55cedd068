"""The models of the confidentiality incident register and of the small-cell watch (their rules
are in tenantvoice.privacy.incidents)."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import TimestampMixin

TEXT_MAX = 4000


class Incident(TimestampMixin, db.Model):
    __tablename__ = "privacy_incidents"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Date of the incident, or the start of the period when it lasted.
    occurred_on: so.Mapped[date]
    #: End of the period, when it lasted more than a day (None: one day, or not known yet).
    occurred_until: so.Mapped[date | None]
    #: When the organization learned of it.
    discovered_on: so.Mapped[date]
    #: The personal information concerned (or, when not known, why it cannot be described).
    information: so.Mapped[str] = so.mapped_column(sa.Text)
    #: The circumstances, and the cause if known.
    circumstances: so.Mapped[str] = so.mapped_column(sa.Text)
    #: Number of persons concerned (or an estimate).
    persons_count: so.Mapped[int]
    #: The assessment of the risk of serious injury (sensitivity, probable misuse, consequences).
    risk_assessment: so.Mapped[str] = so.mapped_column(sa.Text)
    #: The risk of serious injury was judged present: the Commission and the persons are told.
    serious_risk: so.Mapped[bool] = so.mapped_column(default=False)
    commission_notified_on: so.Mapped[date | None]
    persons_notified_on: so.Mapped[date | None]
    #: The measures taken to reduce the risk of injury and prevent new incidents.
    measures: so.Mapped[str] = so.mapped_column(sa.Text)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    __table_args__ = (sa.Index("ix_privacy_incidents_created", "created_at"),)


class SmallCellView(db.Model):
    """One view of a table with suppressed cells by a watched account (counted, then purged)."""

    __tablename__ = "privacy_small_cell_views"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    #: The page ("organizing.direction"), never its content.
    view: so.Mapped[str] = so.mapped_column(sa.String(60))
    at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    __table_args__ = (sa.Index("ix_privacy_small_cell_views_user_at", "user_id", "at"),)


class Alert(db.Model):
    """An account repeated small-cell views: the administrators assess it (an incident or not)."""

    __tablename__ = "privacy_alerts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: The window the views fell in (its start: now rounded down to the window): with the user,
    #: the one alert of that window.
    window_start: so.Mapped[datetime]
    views_count: so.Mapped[int]
    created_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())

    user: so.Mapped[User | None] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "window_start"),)
