"""Retention (Q-09): `flask purge` deletes each kind of row once its period is over, and keeps
the rows just inside it."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import (
    PasswordResetToken,
    ResetCode,
    StaffRole,
    UserSession,
    token_digest,
)
from tenantvoice.extensions import db
from tenantvoice.orgs.invitations import create_invitation
from tenantvoice.orgs.models import Invitation
from tenantvoice.outbox.models import Channel, Delivery
from tests import factories as f

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def start(app):
    clock.set(T0, frozen=True)


@pytest.fixture
def lucie(start):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


def _purge(runner) -> str:
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _ids(model) -> set[int]:
    return set(db.session.scalars(sa.select(model.id)))


def _at(moment: datetime) -> None:
    clock.set(moment, frozen=True)


# --- outbox_deliveries: 30 days after delivery or giving up; pending ones are never purged -----


def _mail(**values) -> int:
    row = Delivery(
        **{
            "channel": Channel.EMAIL,
            "to": "lucie@example.org",
            "subject": "Sujet",
            "payload": "",
            "created_at": T0,
            "next_attempt_at": T0,
            **values,
        }
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def test_sent_and_abandoned_mail_go_after_30_days(start, runner):
    sent = _mail(sent_at=T0, attempts=1)
    abandoned = _mail(gave_up_at=T0, attempts=8)
    _at(T0 + timedelta(days=30) - MINUTE)
    _purge(runner)
    assert _ids(Delivery) == {sent, abandoned}
    _at(T0 + timedelta(days=30) + MINUTE)
    output = _purge(runner)
    assert _ids(Delivery) == set()
    assert "outbox_deliveries: 2 deleted" in output


def test_pending_mail_is_never_purged(start, runner):
    pending = _mail(payload="lien", attempts=3)
    _at(T0 + timedelta(days=400))
    _purge(runner)
    assert _ids(Delivery) == {pending}


# --- password_reset_tokens: 7 days after use or expiry ---------------------------------------


def _token(user, *, used_at=None) -> int:
    row = PasswordResetToken(
        user_id=user.id,
        token_hash=token_digest(secrets.token_urlsafe()),
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(hours=1),
        used_at=used_at,
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def test_used_reset_link_goes_7_days_after_use(lucie, runner):
    used = _token(lucie, used_at=T0)
    _at(T0 + timedelta(days=7) - MINUTE)
    _purge(runner)
    assert _ids(PasswordResetToken) == {used}
    _at(T0 + timedelta(days=7) + MINUTE)
    _purge(runner)
    assert _ids(PasswordResetToken) == set()


def test_unused_reset_link_goes_7_days_after_expiry(lucie, runner):
    expired = _token(lucie)  # expires at T0 + 1 h
    _at(T0 + timedelta(days=7, hours=1) - MINUTE)
    _purge(runner)
    assert _ids(PasswordResetToken) == {expired}
    _at(T0 + timedelta(days=7, hours=1) + MINUTE)
    _purge(runner)
    assert _ids(PasswordResetToken) == set()


def test_live_reset_link_stays(lucie, runner):
    _at(T0 + timedelta(days=30))
    live = _token(lucie)
    _purge(runner)
    assert _ids(PasswordResetToken) == {live}


# --- reset_codes: 90 days after use or expiry, told at login or not ----------------------------


def _code(user, *, used_at=None, acknowledged_at=None) -> int:
    row = ResetCode(
        user_id=user.id,
        code_hash=token_digest(secrets.token_urlsafe()),
        created_at=T0,
        expires_at=T0 + timedelta(hours=24),
        used_at=used_at,
        acknowledged_at=acknowledged_at,
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def test_used_reset_codes_go_90_days_after_use_acknowledged_or_not(lucie, runner):
    told = _code(lucie, used_at=T0, acknowledged_at=T0 + timedelta(days=1))
    untold = _code(lucie, used_at=T0)
    _at(T0 + timedelta(days=90) - MINUTE)
    _purge(runner)
    assert _ids(ResetCode) == {told, untold}
    _at(T0 + timedelta(days=90) + MINUTE)
    output = _purge(runner)
    assert _ids(ResetCode) == set()
    assert "reset_codes: 2 deleted" in output


def test_unused_reset_code_goes_90_days_after_expiry(lucie, runner):
    expired = _code(lucie)  # expires at T0 + 24 h
    _at(T0 + timedelta(days=91) - MINUTE)
    _purge(runner)
    assert _ids(ResetCode) == {expired}
    _at(T0 + timedelta(days=91) + MINUTE)
    _purge(runner)
    assert _ids(ResetCode) == set()


# --- invitations: unused ones 90 days after expiry or revocation; used ones stay --------------


@pytest.fixture
def body(start):
    body = f.make_body()
    db.session.commit()
    return body


def _invitation(body, **values) -> Invitation:
    invitation, _code = create_invitation(None, body)
    for key, value in values.items():
        setattr(invitation, key, value)
    db.session.commit()
    return invitation


def test_expired_unused_invitation_goes_90_days_after_expiry(body, runner):
    invitation = _invitation(body)
    expires = invitation.expires_at
    _at(expires + timedelta(days=90) - MINUTE)
    _purge(runner)
    assert _ids(Invitation) == {invitation.id}
    _at(expires + timedelta(days=90) + MINUTE)
    output = _purge(runner)
    assert _ids(Invitation) == set()
    assert "invitations: 1 deleted" in output


def test_revoked_invitation_goes_90_days_after_revocation(body, runner):
    invitation = _invitation(body, revoked_at=T0, expires_at=T0 + timedelta(days=200))
    _at(T0 + timedelta(days=90) - MINUTE)
    _purge(runner)
    assert _ids(Invitation) == {invitation.id}
    _at(T0 + timedelta(days=90) + MINUTE)
    _purge(runner)
    assert _ids(Invitation) == set()


def test_used_invitation_is_kept(body, runner):
    joined = f.make_user(name="Minh Nguyen")
    invitation = _invitation(body, used_at=T0, used_by_id=joined.id)
    _at(T0 + timedelta(days=3650))
    _purge(runner)
    assert _ids(Invitation) == {invitation.id}


# --- user_sessions: idle past SESSION_IDLE_TIMEOUT (everyone) or past the absolute lifetime ---


def _session(user) -> int:
    row = UserSession(
        user_id=user.id,
        token_hash=token_digest(secrets.token_urlsafe()),
        created_at=clock.now(),
        last_seen_at=clock.now(),
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def test_idle_session_goes_after_the_idle_timeout(lucie, runner):
    idle = _session(lucie)
    _at(T0 + timedelta(days=7) - MINUTE)
    _purge(runner)
    assert _ids(UserSession) == {idle}
    _at(T0 + timedelta(days=7) + MINUTE)
    output = _purge(runner)
    assert _ids(UserSession) == set()
    assert "user_sessions: 1 deleted" in output


def test_staff_session_uses_the_same_idle_timeout_here(lucie, runner):
    f.make_staff(user=lucie, role=StaffRole.ADMIN)
    db.session.commit()
    row = _session(lucie)
    _at(T0 + timedelta(days=1))  # dead for the loader (12 h), left to the nightly rule
    _purge(runner)
    assert _ids(UserSession) == {row}


def test_active_session_goes_after_the_absolute_lifetime(lucie, runner):
    row_id = _session(lucie)
    _at(T0 + timedelta(days=30) + MINUTE)
    db.session.get(UserSession, row_id).last_seen_at = clock.now()
    db.session.commit()
    _purge(runner)
    assert _ids(UserSession) == set()


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"RETENTION_OUTBOX": timedelta(days=1)}])
def test_periods_come_from_the_settings(start, runner):
    sent = _mail(sent_at=T0, attempts=1)
    _at(T0 + timedelta(hours=23))
    _purge(runner)
    assert _ids(Delivery) == {sent}
    _at(T0 + timedelta(days=1, minutes=1))
    _purge(runner)
    assert _ids(Delivery) == set()


def test_purge_prints_a_count_per_table(start, runner):
    output = _purge(runner)
    for table in (
        "outbox_deliveries",
        "notifications",
        "notification_events",
        "push_subscriptions",
        "password_reset_tokens",
        "reset_codes",
        "invitations",
        "user_sessions",
    ):
        assert f"{table}: 0 deleted" in output
