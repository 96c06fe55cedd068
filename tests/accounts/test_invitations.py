"""Invitation codes: entropy, CSPRNG, digests only, single use, expiry, revocation, redeeming."""

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts import codes
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations
from tenantvoice.orgs.models import Invitation, Member, Tenancy
from tests import factories as f


def _body():
    return f.make_body(sites=[f.make_site()])


def test_a09_code_entropy_is_at_least_40_bits():
    assert len(set(codes.ALPHABET)) == 32
    assert len(codes.ALPHABET) ** codes.CODE_LENGTH >= 2**40
    assert not set("ILOU") & set(codes.ALPHABET)


def test_code_is_displayed_in_two_groups(app):
    code = codes.generate_code()
    assert len(code) == 9
    assert code[4] == "-"
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)


def test_a05_codes_come_from_secrets_not_random(app, monkeypatch):
    random.seed(1)
    monkeypatch.setattr(random, "choice", lambda seq: seq[0])
    monkeypatch.setattr(random, "random", lambda: 0.0)
    made = {codes.generate_code() for _ in range(20)}
    assert len(made) == 20


def test_a07_plaintext_code_is_stored_nowhere(app):
    body = _body()
    officer = f.make_user()
    invitation, code = invitations.create_invitation(officer, body, unit="104", label="Mme T.")
    db.session.commit()
    plain = code.replace("-", "")
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            for value in row:
                if isinstance(value, str):
                    assert code not in value, table.name
                    assert plain not in value, table.name
    assert invitation.code_hash == invitations.digest(code)


def test_create_records_an_audit_event_without_the_code(app):
    body = _body()
    officer = f.make_user()
    invitation, code = invitations.create_invitation(officer, body)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "invitation.create"))
    assert event.object_id == invitation.id
    assert event.body_id == body.id
    assert code.replace("-", "") not in event.detail


def test_invitation_expires_after_14_days(app):
    body = _body()
    invitation, code = invitations.create_invitation(None, body)
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert invitations.find_usable(code.lower().replace("-", " ")) == invitation
    clock.advance(timedelta(days=14, seconds=1))
    assert invitations.find_usable(code) is None


def test_revoked_invitation_is_unusable(app):
    invitation, code = invitations.create_invitation(None, _body())
    invitations.revoke(None, invitation)
    assert invitations.find_usable(code) is None


def test_a05_invitation_single_use(app):
    body = _body()
    invitation, code = invitations.create_invitation(None, body)
    first, second = f.make_user(), f.make_user()
    invitations.redeem(invitation, first)
    assert invitation.used_by_id == first.id
    assert invitation.used_at is not None
    assert invitations.find_usable(code) is None
    with pytest.raises(invitations.InvitationUnusable):
        invitations.redeem(invitation, second)


def test_redeem_checks_used_at_in_the_database_not_in_memory(app):
    """Double submit: another request marked the code used after this one loaded it."""
    body = _body()
    invitation, _code = invitations.create_invitation(None, body)
    first, second = f.make_user(), f.make_user()
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(used_at=clock.now(), used_by_id=first.id)
        .execution_options(synchronize_session=False)
    )
    assert invitation.used_at is None  # this request's copy still looks unused
    with pytest.raises(invitations.InvitationUnusable):
        invitations.redeem(invitation, second)
    db.session.refresh(invitation)
    assert invitation.used_by_id == first.id
    assert db.session.scalar(sa.select(Member).where(Member.user_id == second.id)) is None


def test_redeem_links_the_paper_register_entry(app):
    body = _body()
    paper = f.make_member(body=body, name="Gérard Côté", unit="112")
    invitation, _ = invitations.create_invitation(None, body, member=paper)
    user = f.make_user(name="Gérard Côté")
    member = invitations.redeem(invitation, user)
    assert member.id == paper.id
    assert paper.user_id == user.id
    tenancy = db.session.scalar(sa.select(Tenancy).where(Tenancy.user_id == user.id))
    assert tenancy.site_id == body.sites[0].id
    assert tenancy.unit == "112"


def test_redeem_creates_a_register_entry_when_none_given(app):
    body = _body()
    invitation, _ = invitations.create_invitation(None, body, site=body.sites[0], unit="7")
    user = f.make_user(name="Nouvelle Personne")
    member = invitations.redeem(invitation, user)
    assert member.body_id == body.id
    assert member.user_id == user.id
    assert member.role == "member"
    assert member.unit == "7"
    assert member.name == "Nouvelle Personne"
    count = sa.select(sa.func.count(Member.id)).where(Member.body_id == body.id)
    assert db.session.scalar(count) == 1
    assert db.session.scalar(sa.select(Tenancy.unit).where(Tenancy.user_id == user.id)) == "7"


def test_redeem_without_site_creates_no_tenancy(app):
    body = _body()
    invitation, _ = invitations.create_invitation(None, body)
    user = f.make_user()
    invitations.redeem(invitation, user)
    assert db.session.scalar(sa.select(Tenancy).where(Tenancy.user_id == user.id)) is None


def test_member_of_another_body_is_refused(app):
    paper = f.make_member(body=_body())
    with pytest.raises(ValueError, match="another body"):
        invitations.create_invitation(None, _body(), member=paper)
