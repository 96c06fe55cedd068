"""Invitation codes: generate, store as a keyed digest, find, revoke and redeem (single use).

A code (``accounts.codes``) is 8 characters from a 32-symbol alphabet without look-alikes (40
bits from `secrets`), shown as ``ABCD-EFGH`` on printed sheets and in the /join?code= link of
the QR code. Only its keyed digest is stored (``accounts.models.code_digest``); the plaintext is
shown once. Services flush; the calling view commits.
"""

import logging
import secrets

import sqlalchemy as sa
from flask import current_app

from tenantvoice import audit, clock
from tenantvoice.accounts import consents
from tenantvoice.accounts.codes import CODE_LENGTH, canonical_code, generate_code
from tenantvoice.accounts.models import User, code_digest
from tenantvoice.extensions import db
from tenantvoice.models import rowcount
from tenantvoice.orgs import seats
from tenantvoice.orgs.models import Body, Invitation, Member, MemberRole, Site, Tenancy
from tenantvoice.orgs.signals import invitation_offered
from tenantvoice.policy.core import forget_facts

logger = logging.getLogger(__name__)


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
    if member is None and seats.is_ccr(body):
        # A CCR seat is entered in the register first, with its building and its source; the
        # code only lets its holder take that entry.
        raise seats.SeatRefusedError({"member_id": seats.MSG_INVITE_ENTRY})
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
    canonical = canonical_code(code)
    if len(canonical.replace("-", "")) != CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.code_hash == digest(canonical)))


def find_usable(code: str) -> Invitation | None:
    """The invitation if the code is known, not used, not revoked and not expired.

    An invitation addressed to an existing account has no code anyone was given: it is never
    usable through a code."""
    invitation = find(code)
    if invitation is None or not invitation.is_usable or invitation.invitee_id is not None:
        return None
    return invitation


def offer_to_account(
    actor: User | None,
    body: Body,
    user: User,
    member: Member,
    *,
    staff_refused_at_accept: bool = False,
) -> Invitation:
    """Invite an existing account to take the register entry `member` of `body`.

    Nobody links someone else's account to a body: the person sees the invitation in the app and
    accepts it (or declines it) from their own session; until then the entry has no account and
    gives its officers no power over that account (issue 6: staff named a tenant as an officer
    of a body of their own, then issued the tenant a reset code from its register).
    Receivers of `signals.invitation_offered` (the notifications domain) tell the person.

    `staff_refused_at_accept`: the office's staff are offered the entry like anyone and refused
    only when they accept (`redeem`), where the answer goes to them alone; for a caller whose
    answer would tell someone else who is office staff (the setup form). Any body of the office,
    not only its CCR (policy.can_sit_in)."""
    if member.body_id != body.id:
        raise ValueError("the register entry belongs to another body")
    if not staff_refused_at_accept:
        seats.check_joining(body, user)
    now = clock.now()
    invitation = Invitation(
        # A random digest nobody holds the code of: the column stays unique and not null.
        code_hash=digest(secrets.token_urlsafe(24)),
        body_id=body.id,
        member_id=member.id,
        label=member.name[:120],
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        expires_at=now + current_app.config["INVITATION_LIFETIME"],
        invitee_id=user.id,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.offer", actor=actor, body_id=body.id, obj=invitation)
    if staff_refused_at_accept and seats.is_office_staff(body, user.id):
        # For the operators only (the admin already knows who is staff): why this offer will
        # never be taken. Nothing in the app tells the one who named them.
        logger.info(
            "invitation %s offered to office staff: accepting will be refused", invitation.id
        )
    invitation_offered.send(invitation, actor=actor)
    db.session.flush()
    return invitation


def offers_for(user: User) -> list[Invitation]:
    """The invitations addressed to this account that it can still accept."""
    now = clock.now()
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.invitee_id == user.id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def decline(user: User, invitation: Invitation) -> None:
    """The invitee says no: the invitation is cancelled; the register entry stays unlinked."""
    if invitation.invitee_id != user.id or not invitation.is_usable:
        raise InvitationUnusable()
    invitation.revoked_at = clock.now()
    audit.record("invitation.decline", actor=user, body_id=invitation.body_id, obj=invitation)
    db.session.flush()


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
    submissions change no row, so a code can never be redeemed twice. Every body refuses the
    office's staff, before anything is written (orgs.seats.SeatRefusedError, told to them alone);
    a CCR also refuses any account without a register entry made first.
    """
    body = invitation.body
    # Held to the commit: the admin cannot make them the office's staff meanwhile.
    seats.lock_person(user)
    seats.check_joining(body, user)
    if seats.is_ccr(body) and invitation.member_id is None:
        raise seats.SeatRefusedError({"member_id": seats.MSG_INVITE_ENTRY})
    now = clock.now()
    result = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            # An invitation addressed to an account is accepted by that account alone.
            sa.or_(Invitation.invitee_id.is_(None), Invitation.invitee_id == user.id),
        )
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
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
    member.linked_at = now  # the owner's own act: joining with the code, or accepting
    if member.id is not None:
        # The consents an officer recorded for this entry on paper are now the person's.
        consents.link_entry(member.id, user.id)

    site_id = invitation.site_id or member.site_id
    unit = invitation.unit or member.unit or ""
    # Accepting an invitation in the app says nothing of where one lives (a code handed over at
    # the door does): no tenancy is recorded for it.
    if site_id is not None and invitation.invitee_id is None:
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
