"""Retention (Law 25 s. 23, Q-09): delete the rows that have served their purpose.

`flask purge` runs nightly (cron, systemd timer). Each rule counts from the moment the row stopped
being useful (delivered, used, expired, revoked) and its period is a RETENTION_* setting:

- outbox_mail: sent or abandoned more than RETENTION_OUTBOX ago (30 days); pending mail stays.
- password_reset_tokens: used or expired more than RETENTION_RESET_TOKENS ago (7 days).
- reset_codes: used or expired more than RETENTION_RESET_CODES ago (90 days), whether or not
  the person was told at login; younger ones stay so the person is told.
- invitations: unused, and expired or revoked more than RETENTION_INVITATIONS ago (90 days);
  used ones stay (who joined, and when).
- user_sessions: idle past SESSION_IDLE_TIMEOUT, or older than SESSION_ABSOLUTE_LIFETIME.

Sessions are already dead by then (the loader refuses them); the staff's shorter idle timeout is
not used here, so one rule covers everyone. The audit trail is not purged here.
"""

from datetime import datetime

import click
import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.accounts.models import PasswordResetToken, ResetCode, UserSession
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Invitation
from tenantvoice.outbox.mail import OutboxMail


def _ended_before(used_col, expires_col, cutoff: datetime):
    """Used before `cutoff`, or never used and expired before it."""
    return sa.or_(used_col < cutoff, sa.and_(used_col.is_(None), expires_col < cutoff))


def _delete(model, *conditions) -> int:
    result = db.session.execute(
        sa.delete(model).where(*conditions).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention period; returns the count per table (flushes, the
    caller commits)."""
    now = now or clock.now()
    cfg = current_app.config
    counts = {}
    cutoff = now - cfg["RETENTION_OUTBOX"]
    counts["outbox_mail"] = _delete(
        OutboxMail, sa.or_(OutboxMail.sent_at < cutoff, OutboxMail.gave_up_at < cutoff)
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
    return counts


def register_cli(app) -> None:
    @app.cli.command("purge")
    def purge_command():
        """Delete expired tokens, codes, invitations, sessions and old mail (run it nightly)."""
        counts = purge()
        db.session.commit()
        for table, count in counts.items():
            click.echo(f"{table}: {count} deleted")
