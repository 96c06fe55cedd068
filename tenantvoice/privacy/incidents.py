"""The confidentiality incident register (Law 25 s. 3.8, Règlement sur les incidents de
confidentialité; trust-and-safety Q-08) and the small-cell alert.

An incident entry holds the regulation's fields: when it happened (date or period), when it was
learned of, the personal information concerned, the circumstances, how many persons are
concerned, the assessment of the risk of serious injury, the dates the Commission d'accès à
l'information and the persons were told, and the measures taken. Entries are kept at least five
years after they are recorded (tenantvoice.retention never deletes a younger one).

The small-cell watch: each time an account of the housing office's direction is shown a table
with suppressed cells ("fewer than 5"), a row is counted in `privacy_small_cell_views`; when one
account reaches SMALL_CELL_ALERT_COUNT such views within SMALL_CELL_ALERT_WINDOW, an alert is
written for the administrators (once per account and window: the database's unique key decides,
so several processes agree).
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from tenantvoice import audit, clock, policy
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.privacy.incident_models import TEXT_MAX, Alert, Incident, SmallCellView

__all__ = ["TEXT_MAX", "Alert", "Incident", "SmallCellView"]


# --- incidents ----------------------------------------------------------------------------------

FIELDS = (
    "occurred_on",
    "occurred_until",
    "discovered_on",
    "information",
    "circumstances",
    "persons_count",
    "risk_assessment",
    "serious_risk",
    "commission_notified_on",
    "persons_notified_on",
    "measures",
)


def create_incident(actor: User, values: dict) -> Incident:
    incident = Incident(created_by_id=actor.id, updated_by_id=actor.id)
    for name in FIELDS:
        setattr(incident, name, values[name])
    db.session.add(incident)
    db.session.flush()
    audit.record("incident.create", actor=actor, obj=incident)
    return incident


def update_incident(actor: User, incident: Incident, values: dict) -> list[str]:
    changed = [n for n in FIELDS if getattr(incident, n) != values[n]]
    for name in changed:
        setattr(incident, name, values[name])
    if changed:
        incident.updated_by_id = actor.id
        db.session.flush()
        audit.record("incident.update", actor=actor, obj=incident, detail=",".join(changed))
    return changed


def incidents() -> list[Incident]:
    return list(
        db.session.scalars(
            sa.select(Incident).order_by(Incident.occurred_on.desc(), Incident.id.desc())
        )
    )


def alerts(limit: int = 50) -> list[Alert]:
    return list(
        db.session.scalars(
            sa.select(Alert)
            .options(so.joinedload(Alert.user))
            .order_by(Alert.created_at.desc(), Alert.id.desc())
            .limit(limit)
        )
    )


# --- the small-cell watch -----------------------------------------------------------------------


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def record_small_cell_view(user: User, view: str) -> Alert | None:
    """Count one view of suppressed cells; write the alert when the window's count reaches the
    threshold (once per account and window). Flushes; the view commits."""
    cfg = current_app.config
    window = cfg["SMALL_CELL_ALERT_WINDOW"]
    threshold = cfg["SMALL_CELL_ALERT_COUNT"]
    now = clock.now()
    db.session.add(SmallCellView(user_id=user.id, view=view[:60], at=now))
    db.session.flush()
    count = (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SmallCellView)
            .where(SmallCellView.user_id == user.id, SmallCellView.at > now - window)
        )
        or 0
    )
    if count < threshold:
        return None
    start = _window_start(now, int(window.total_seconds()))
    exists = db.session.scalar(
        sa.select(Alert.id).where(Alert.user_id == user.id, Alert.window_start == start)
    )
    if exists:
        return None
    alert = Alert(user_id=user.id, window_start=start, views_count=count)
    try:
        with db.session.begin_nested():
            db.session.add(alert)
    except sa.exc.IntegrityError:
        return None  # another process wrote it first
    audit.record("privacy.small_cell_alert", obj=alert, detail=f"views={count}")
    return alert


def on_small_cells_shown(sender: object, *, user: User, view: str, **_kwargs: object) -> None:
    """Receiver of organizing.signals.small_cells_shown (connected in the factory): counts the
    views of the accounts the policy watches (the direction's)."""
    if policy.watched_for_small_cells(user):
        record_small_cell_view(user, view)
