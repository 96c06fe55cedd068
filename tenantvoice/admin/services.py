"""The platform admin's changes to accounts (S-04, S-07). Services flush; the view commits."""

import sqlalchemy as sa

from tenantvoice import audit
from tenantvoice.accounts import sessions
from tenantvoice.accounts.models import PasswordResetToken, User
from tenantvoice.accounts.services import disable_totp
from tenantvoice.extensions import db


def end_sessions(actor: User, user: User) -> int:
    """End every session of `user`: each of its cookies stops working at once."""
    count = sessions.end_all(user)
    audit.record("account.sessions_end", actor=actor, obj=user, detail=f"sessions={count}")
    db.session.flush()
    return count


def disable(actor: User, user: User) -> bool:
    """Disable the account: no more logins, its sessions end and its pending reset links die
    (a link sent before would otherwise still change the password). False if it already was."""
    if not user.active:
        return False
    user.active = False
    count = sessions.end_all(user)
    db.session.execute(
        sa.delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    )
    audit.record("account.disable", actor=actor, obj=user, detail=f"sessions={count}")
    db.session.flush()
    return True


def enable(actor: User, user: User) -> bool:
    """Re-enable a disabled account (the person logs in with their password). False if it was
    active."""
    if user.active:
        return False
    user.active = True
    audit.record("account.enable", actor=actor, obj=user)
    db.session.flush()
    return True


def reset_second_factor(actor: User, user: User) -> None:
    """Turn a staff member's lost second factor off (secret and recovery codes deleted) and end
    their sessions: whoever logs in next with their password must enrol a new authenticator
    before reaching anything (REQUIRE_STAFF_2FA). Audited with the admin as the actor."""
    disable_totp(user)
    count = sessions.end_all(user)
    audit.record("totp.reset", actor=actor, obj=user, detail=f"sessions={count}")
    db.session.flush()
