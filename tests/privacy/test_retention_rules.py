"""Retention (Q-09) of what issue 15 added, and a decision for every table: the incident
register and its audit events stay five years and go after; other audit events after three
years; RSVPs a year after the meeting; counted small-cell views after 30 days. Each rule is
checked just before its limit (kept) and just after (gone), moving the project clock (Q-08)."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from tenantvoice import audit, clock, retention
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Rsvp, RsvpAnswer
from tenantvoice.outbox.queue import run_in_app
from tenantvoice.privacy.incidents import Alert, Incident, SmallCellView
from tests import factories as f

T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


def _purge(app, at):
    clock.set(at, frozen=True)
    return run_in_app(app, retention.purge)


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _incident(admin) -> Incident:
    incident = Incident(
        occurred_on=date(2026, 3, 1),
        discovered_on=date(2026, 3, 2),
        information="Noms et numéros de logement",
        circumstances="Courriel envoyé au mauvais destinataire",
        persons_count=3,
        risk_assessment="Faible",
        measures="Courriel rappelé",
        created_by_id=admin.id,
    )
    db.session.add(incident)
    db.session.flush()
    return incident


def test_every_table_has_a_retention_decision(app):
    undecided = sorted(set(db.metadata.tables) - set(retention.DECISIONS))
    assert undecided == [], "give these tables a decision in tenantvoice/retention.py DECISIONS"
    assert sorted(set(retention.DECISIONS) - set(db.metadata.tables)) == []


def test_incident_register_entries_stay_five_years_then_go(app, world):
    clock.set(T0, frozen=True)
    _incident(world.admin)
    db.session.add(Alert(user_id=world.direction.id, window_start=T0, views_count=10))
    audit.record("incident.create", actor=world.admin)
    db.session.commit()
    limit = app.config["RETENTION_INCIDENTS"]
    assert limit >= timedelta(days=5 * 365 + 1)
    _purge(app, T0 + limit - MINUTE)
    assert _count(Incident) == 1
    assert _count(Alert) == 1
    assert _count(AuditEvent, AuditEvent.action == "incident.create") == 1
    _purge(app, T0 + limit + MINUTE)
    assert _count(Incident) == 0
    assert _count(Alert) == 0
    assert _count(AuditEvent, AuditEvent.action == "incident.create") == 0


def test_other_audit_events_go_after_three_years(app, world):
    clock.set(T0, frozen=True)
    audit.record("meeting.publish", actor=world.officer_a)
    audit.record("incident.update", actor=world.admin)
    db.session.commit()
    limit = app.config["RETENTION_AUDIT"]
    _purge(app, T0 + limit - MINUTE)
    assert _count(AuditEvent, AuditEvent.action == "meeting.publish") == 1
    _purge(app, T0 + limit + MINUTE)
    assert _count(AuditEvent, AuditEvent.action == "meeting.publish") == 0
    # The incident register's trail is not "the rest": it stays.
    assert _count(AuditEvent, AuditEvent.action == "incident.update") == 1


def test_rsvps_go_a_year_after_the_meeting(app, world):
    clock.set(T0, frozen=True)
    meeting = f.make_meeting(body=world.adl_a, starts_at=T0)
    db.session.add(Rsvp(meeting_id=meeting.id, user_id=world.tenant_a.id, answer=RsvpAnswer.YES))
    db.session.commit()
    limit = app.config["RETENTION_RSVPS"]
    _purge(app, T0 + limit - MINUTE)
    assert _count(Rsvp) == 1
    _purge(app, T0 + limit + MINUTE)
    assert _count(Rsvp) == 0


def test_counted_small_cell_views_go_after_30_days(app, world):
    clock.set(T0, frozen=True)
    db.session.add(SmallCellView(user_id=world.direction.id, view="organizing.direction", at=T0))
    db.session.commit()
    _purge(app, T0 + 30 * DAY - MINUTE)
    assert _count(SmallCellView) == 1
    _purge(app, T0 + 30 * DAY + MINUTE)
    assert _count(SmallCellView) == 0
