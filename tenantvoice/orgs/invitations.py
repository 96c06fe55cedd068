"""Invitation codes: generate, store as a keyed digest, find, revoke and redeem (single use).

A code (``accounts.codes``) is 8 characters from a 32-symbol alphabet without look-alikes (40
bits from `secrets`), shown as ``ABCD-EFGH`` on printed sheets and in the /join?code= link of
the QR code. Only its keyed digest is stored (``accounts.models.code_digest``); the plaintext is
shown once. Services flush; the calling view commits.
"""

import sqlalchemy as sa
from flask import current_app

from tenantvoice import audit, clock
from tenantvoice.accounts.codes import CODE_LENGTH, generate_code
from tenantvoice.accounts.models import User, code_digest
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Invitation, Member, MemberRole, Site, Tenancy
from tenantvoice.policy.core import forget_facts


class InvitationUnusable(Exception):  # noqa: N818 - reads as a state, like the other domain errors
    """The invitation was used, revoked or expired meanwhile (double submit, race)."""


def digest(code: str) -> str:
    return code_digest(code, current_app.config["SECRET_KEY"])


def create_invitation(
    actor: User | None,
    body: Body,
    *,
    member: Member | None = None,
    site: Site | None = None,
    unit: str = "",
    label: str = "",
) -> tuple[Invitation, str]:
    """Store a new invitation to `body` and return it with its plaintext code (shown once).

    `member`: the register entry the new account will be linked to (a paper member); its site
    and unit are used when none are given.
    """
    if member is not None and member.body_id != body.id:
        raise ValueError("the register entry belongs to another body")
    if site is None and member is not None:
        site = member.site
    if not unit and member is not None:
        unit = member.unit or ""
    code = generate_code()
    now = clock.now()
    invitation = Invitation(
        code_hash=digest(code),
        body_id=body.id,
        member_id=member.id if member is not None else None,
        site_id=site.id if site is not None else None,
        unit=(unit or "")[:20],
        label=(label or "")[:120],
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        expires_at=now + current_app.config["INVITATION_LIFETIME"],
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.create", actor=actor, body_id=body.id, obj=invitation)
    db.session.flush()
    return invitation, code


def find(code: str) -> Invitation | None:
    """The invitation with this code whatever its state (None if the code is unknown)."""
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(normalized) != CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.code_hash == digest(code)))


def find_usable(code: str) -> Invitation | None:
    """The invitation if the code is known, not used, not revoked and not expired."""
    invitation = find(code)
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def revoke(actor: User | None, invitation: Invitation) -> None:
    """Cancel an unused invitation (a lost sheet). Already used ones stay as they are."""
    if invitation.used_at is not None or invitation.revoked_at is not None:
        return
    invitation.revoked_at = clock.now()
    audit.record("invitation.revoke", actor=actor, body_id=invitation.body_id, obj=invitation)
    db.session.flush()


def redeem(invitation: Invitation, user: User) -> Member:
    """Use the invitation for `user`: mark it used, link or create the register entry, and
    record where the person lives. Raises InvitationUnusable if it was used meanwhile.

    The conditional UPDATE (… WHERE used_at IS NULL) makes the second of two concurrent
    submissions change no row, so a code can never be redeemed twice.
    """
    now = clock.now()
    result = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise InvitationUnusable()
    db.session.refresh(invitation)

    member = None
    if invitation.member_id is not None:
        member = db.session.get(Member, invitation.member_id)
        if member is not None and member.user_id not in (None, user.id):
            raise InvitationUnusable()
    if member is None:
        member = db.session.scalar(
            sa.select(Member).where(Member.body_id == invitation.body_id, Member.user_id == user.id)
        )
    if member is None:
        member = Member(
            body_id=invitation.body_id,
            name=user.name,
            role=MemberRole.MEMBER,
            site_id=invitation.site_id,
            unit=invitation.unit or "",
            since=now.date(),
        )
        db.session.add(member)
    member.user_id = user.id

    site_id = invitation.site_id or member.site_id
    unit = invitation.unit or member.unit or ""
    if site_id is not None:
        exists = db.session.scalar(
            sa.select(Tenancy.id).where(
                Tenancy.user_id == user.id, Tenancy.site_id == site_id, Tenancy.unit == unit
            )
        )
        if exists is None:
            db.session.add(Tenancy(user_id=user.id, site_id=site_id, unit=unit))
    audit.record("invitation.redeem", actor=user, body_id=invitation.body_id, obj=invitation)
    db.session.flush()
    forget_facts()
    return member
