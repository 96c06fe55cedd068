"""Retention (Law 25 s. 23, Q-09): delete the rows that have served their purpose.

The worker runs `purge` nightly (job "retention.purge"); `flask purge` runs it by hand. Each
rule counts from the moment the row stopped being useful (delivered, used, expired, revoked) and
its period is a RETENTION_* setting:

- outbox_deliveries: sent or abandoned more than RETENTION_OUTBOX ago (30 days); pending
  deliveries stay, whatever their age (nothing is lost while the worker is down).
- notifications: read more than RETENTION_NOTIFICATIONS_READ ago (90 days), or older than
  RETENTION_NOTIFICATIONS (365 days) read or not (the unread counter follows); their digest
  items go with them, and events left with no notification once they are past that year.
- push_subscriptions: not used (no accepted delivery, no renewal by the phone) for
  RETENTION_PUSH_SUBSCRIPTIONS (180 days).
- password_reset_tokens: used or expired more than RETENTION_RESET_TOKENS ago (7 days).
- reset_codes: used or expired more than RETENTION_RESET_CODES ago (90 days), whether or not
  the person was told at login; younger ones stay so the person is told.
- invitations: unused, and expired or revoked more than RETENTION_INVITATIONS ago (90 days);
  used ones stay (who joined, and when).
- form_submissions: form keys (tenantvoice.submissions) older than two days.
- user_sessions: idle past SESSION_IDLE_TIMEOUT, or older than SESSION_ABSOLUTE_LIFETIME.

- privacy_incidents and privacy_alerts: recorded more than RETENTION_INCIDENTS ago (5 years;
  never a younger one: the regulation's minimum).
- audit_events: the incident register's (incident.*, privacy.*) after RETENTION_INCIDENTS (5
  years); every other after RETENTION_AUDIT (3 years, the general limitation period).
- rsvps: RETENTION_RSVPS (1 year) after the meeting's start.
- privacy_small_cell_views: RETENTION_SMALL_CELL_VIEWS (30 days).

Sessions are already dead by then (the loader refuses them); the staff's shorter idle timeout is
not used here, so one rule covers everyone.

`DECISIONS` says, for every table, what happens to its rows: a rule of this job, a lifetime tied
to something else (the account, the record of the association), or that it holds no personal
data. tests/test_retention.py fails when a table of the metadata has no decision.
"""

from datetime import datetime

import click
import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock, submissions
from tenantvoice.accounts.models import PasswordResetToken, ResetCode, User, UserSession
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, Rsvp
from tenantvoice.models import rowcount
from tenantvoice.notifications.models import DigestItem, Notification, NotificationEvent
from tenantvoice.orgs.models import Invitation
from tenantvoice.outbox.models import Delivery, PushSubscription
from tenantvoice.outbox.queue import Job, daily
from tenantvoice.privacy.incidents import Alert, Incident, SmallCellView

PURGED = "purged by this job (see the module docstring)"
WITH_ACCOUNT = "kept while the account exists; deleted with it (tenantvoice.privacy.forget)"
RECORD = (
    "the association's record (minutes, resolutions, register, votes, needs, recommendations):"
    " kept; anonymized when the person leaves (tenantvoice.privacy.forget)"
)
CLOSE = "ballot secrecy: deleted or unlinked at the question's close (tenantvoice.ballots)"
LOGBOOK = (
    "the organizers' logbook, their region's yearly figures: names no tenant (counts only);"
    " kept, unlinked from a worker who leaves (tenantvoice.privacy.forget)"
)
NOT_PERSONAL = "no personal data (structure, wording of bodies, categories)"

#: What happens to the rows of every table (Law 25 s. 23, Q-09).
DECISIONS: dict[str, str] = {
    "agenda_items": RECORD,
    "agenda_proposals": WITH_ACCOUNT,
    "attendances": RECORD,
    "audit_events": PURGED,
    "ballot_box": CLOSE,
    "ballot_choices": NOT_PERSONAL,
    "ballot_electors": RECORD,
    "ballot_named_votes": RECORD,
    "ballot_question_sites": NOT_PERSONAL,
    "ballot_questions": RECORD,
    "ballot_roll": RECORD,
    "ballot_tally": CLOSE,
    "bodies": NOT_PERSONAL,
    "body_sites": NOT_PERSONAL,
    "calendar_tokens": WITH_ACCOUNT,
    "consent_log": WITH_ACCOUNT,  # an entry's paper lines (no account yet): with the entry
    "consultation_comments": RECORD,
    "consultations": RECORD,
    "data_exports": PURGED,  # after DATA_EXPORT_LIFETIME, by the job privacy.build_exports
    "form_submissions": PURGED,
    "invitations": PURGED,
    "logbook_interventions": LOGBOOK,
    "logbook_referrals": LOGBOOK,
    "logbook_themes": NOT_PERSONAL,
    "meeting_changes": RECORD,
    "meetings": RECORD,
    "members": RECORD,
    "minutes": RECORD,
    "minutes_search": RECORD,
    "minutes_sections": RECORD,
    "minutes_versions": RECORD,
    "need_categories": NOT_PERSONAL,
    "need_comments": RECORD,
    "need_populations": NOT_PERSONAL,
    "need_events": RECORD,
    "need_forwards": RECORD,
    "need_supports": WITH_ACCOUNT,
    "needs": RECORD,
    "notification_digest_items": PURGED,
    "notification_events": PURGED,
    "notification_preferences": WITH_ACCOUNT,
    "notification_settings": WITH_ACCOUNT,
    "notifications": PURGED,
    "outbox_deliveries": PURGED,
    "partners": NOT_PERSONAL,
    "password_reset_tokens": PURGED,
    "poll_drafts": RECORD,
    "privacy_alerts": PURGED,
    "privacy_incidents": PURGED,
    "privacy_small_cell_views": PURGED,
    "providers": NOT_PERSONAL,
    "push_subscriptions": PURGED,
    "recommendation_amendments": RECORD,
    "recommendation_attachments": RECORD,
    "recommendation_comments": RECORD,
    "recommendation_events": RECORD,
    "recommendation_sites": NOT_PERSONAL,
    "recommendation_takeups": RECORD,
    "recommendation_versions": RECORD,
    "recommendations": RECORD,
    "recovery_codes": WITH_ACCOUNT,
    "regions": NOT_PERSONAL,
    "reset_codes": PURGED,
    "resolution_amendments": RECORD,
    "resolution_corrections": RECORD,
    "resolutions": RECORD,
    "rsvps": PURGED,
    "seat_designations": RECORD,
    "sites": NOT_PERSONAL,
    "staff_assignments": WITH_ACCOUNT,
    "tenancies": WITH_ACCOUNT,
    "user_sessions": PURGED,
    "users": WITH_ACCOUNT,
}

#: Audit events of the incident register, kept as long as the register's entries.
INCIDENT_ACTIONS = ("incident.%", "privacy.%")


def _ended_before(used_col, expires_col, cutoff: datetime):
    """Used before `cutoff`, or never used and expired before it."""
    return sa.or_(used_col < cutoff, sa.and_(used_col.is_(None), expires_col < cutoff))


def _delete(model, *conditions) -> int:
    result = db.session.execute(
        sa.delete(model).where(*conditions).execution_options(synchronize_session=False)
    )
    return rowcount(result) or 0


def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention period; returns the count per table (flushes, the
    caller commits)."""
    now = now or clock.now()
    cfg = current_app.config
    counts = {}
    cutoff = now - cfg["RETENTION_OUTBOX"]
    counts["outbox_deliveries"] = _delete(
        Delivery, sa.or_(Delivery.sent_at < cutoff, Delivery.gave_up_at < cutoff)
    )
    counts.update(_purge_notifications(now))
    counts["push_subscriptions"] = _delete(
        PushSubscription, PushSubscription.last_used_at < now - cfg["RETENTION_PUSH_SUBSCRIPTIONS"]
    )
    cutoff = now - cfg["RETENTION_RESET_TOKENS"]
    counts["password_reset_tokens"] = _delete(
        PasswordResetToken,
        _ended_before(PasswordResetToken.used_at, PasswordResetToken.expires_at, cutoff),
    )
    cutoff = now - cfg["RETENTION_RESET_CODES"]
    counts["reset_codes"] = _delete(
        ResetCode, _ended_before(ResetCode.used_at, ResetCode.expires_at, cutoff)
    )
    cutoff = now - cfg["RETENTION_INVITATIONS"]
    counts["invitations"] = _delete(
        Invitation,
        Invitation.used_at.is_(None),
        Invitation.used_by_id.is_(None),
        sa.or_(Invitation.expires_at < cutoff, Invitation.revoked_at < cutoff),
    )
    counts["user_sessions"] = _delete(
        UserSession,
        sa.or_(
            UserSession.last_seen_at < now - cfg["SESSION_IDLE_TIMEOUT"],
            UserSession.created_at < now - cfg["SESSION_ABSOLUTE_LIFETIME"],
        ),
    )
    counts["form_submissions"] = submissions.purge_old(now)
    counts.update(_purge_privacy(now))
    return counts


def _purge_privacy(now: datetime) -> dict[str, int]:
    cfg = current_app.config
    five_years = now - cfg["RETENTION_INCIDENTS"]
    incident_event = sa.or_(*(AuditEvent.action.like(p) for p in INCIDENT_ACTIONS))
    counts = {
        "privacy_incidents": _delete(Incident, Incident.created_at < five_years),
        "privacy_alerts": _delete(Alert, Alert.created_at < five_years),
        "privacy_small_cell_views": _delete(
            SmallCellView, SmallCellView.at < now - cfg["RETENTION_SMALL_CELL_VIEWS"]
        ),
        "audit_events": _delete(
            AuditEvent,
            sa.or_(
                sa.and_(incident_event, AuditEvent.at < five_years),
                sa.and_(~incident_event, AuditEvent.at < now - cfg["RETENTION_AUDIT"]),
            ),
        ),
        "rsvps": _delete(
            Rsvp,
            Rsvp.meeting_id.in_(
                sa.select(Meeting.id).where(Meeting.starts_at < now - cfg["RETENTION_RSVPS"])
            ),
        ),
    }
    return counts


def _purge_notifications(now: datetime) -> dict[str, int]:
    cfg = current_app.config
    old = sa.or_(
        Notification.read_at < now - cfg["RETENTION_NOTIFICATIONS_READ"],
        Notification.created_at < now - cfg["RETENTION_NOTIFICATIONS"],
    )
    # Unread ones leaving the centre take their place in the badge's counter with them.
    unread = db.session.execute(
        sa.select(Notification.user_id, sa.func.count())
        .where(old, Notification.read_at.is_(None), Notification.in_app.is_(True))
        .group_by(Notification.user_id)
    ).all()
    for user_id, count in unread:
        db.session.execute(
            sa.update(User)
            .where(User.id == user_id)
            .values(
                unread_notifications=sa.case(
                    (User.unread_notifications < count, 0),
                    else_=User.unread_notifications - count,
                )
            )
            .execution_options(synchronize_session=False)
        )
    doomed = sa.select(Notification.id).where(old)
    _delete(DigestItem, DigestItem.notification_id.in_(doomed))
    counts = {"notifications": _delete(Notification, old)}
    counts["notification_events"] = _delete(
        NotificationEvent,
        NotificationEvent.created_at < now - cfg["RETENTION_NOTIFICATIONS"],
        ~sa.exists().where(Notification.event_id == NotificationEvent.id),
    )
    return counts


def purge_job() -> dict[str, int]:
    return purge()


#: Nightly, at 07:15 UTC (02:15 or 03:15 in Montréal).
JOBS = [Job("retention.purge", purge_job, daily(hour=7, minute=15))]


def register_cli(app) -> None:
    @app.cli.command("purge")
    def purge_command():
        """Delete what is past its retention period (the worker also runs it nightly)."""
        counts = purge()
        db.session.commit()
        for table, count in counts.items():
            click.echo(f"{table}: {count} deleted")
