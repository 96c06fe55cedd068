"""Permissions on organizations, bodies, registers, invitations and staff setup."""

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs.models import OFFICER_ROLES, Body, BodyKind
from tenantvoice.policy.core import (
    StaffScope,
    body_ids_as_member,
    is_admin,
    is_member,
    is_officer,
    is_site_tenant,
    is_staff,
    member_entry,
    staff_covers,
    staff_roles,
    staff_scope,
)

__all__ = [
    "OFFICE_STAFF_ROLES",
    "can_sit_in",
    "can_take_office_role",
    "can_admin_platform",
    "can_read_audit_summary",
    "can_remove_staff_role",
    "can_see_outbox_health",
    "can_answer_invitation",
    "can_issue_reset_code",
    "can_manage_body",
    "can_record_recognition",
    "can_manage_invitations",
    "can_manage_register",
    "can_see_body",
    "can_see_officer_contacts",
    "can_share_own_contact",
    "shares_contact_with",
    "can_setup_bodies",
    "can_setup_body",
    "setup_body_scope",
    "can_view_register",
]

SUPPORT_STAFF = (StaffRole.OC, StaffRole.ISC)

#: The roles that make someone the housing office's own staff when their assignment names that
#: office (the provider): its direction, and an ISC or OC assigned to it. A regional OC or ISC
#: (a CISSS's, scoped to a region) is not the office's staff.
OFFICE_STAFF_ROLES = frozenset({StaffRole.DIRECTION, StaffRole.ISC, StaffRole.OC})


def can_sit_in(user, body) -> bool:
    """Hold a seat in a tenants' body (its register entry linked to one's account, member or
    officer): never the staff of the body's own housing office, in any of its bodies, the CCR
    (domain-rules C2) as its associations and committees (§5.3: the office never sees their
    registers, attendance or drafts, and an officer seat opens the register).

    Every door into a register entry asks this: joining with a code, accepting an invitation
    (orgs.invitations.redeem), an officer editing a linked entry (orgs.seats.check_seat). The
    refusal is told to the staff member alone; whoever invited or named them sees nothing.

    The other way round, someone already seated who would become the office's staff: the
    platform admin is refused the role (`can_take_office_role`) until the person has left every
    body of that office, so office staff are never left inside a tenants' body. The register's
    entry is never ended for them: that is the body's own decision, or the person's."""
    return body.provider_id not in staff_scope(user, OFFICE_STAFF_ROLES).provider_ids


def can_take_office_role(user, role, provider) -> bool:
    """The staff form may give `user` this role scoped to `provider`: unless it makes them the
    office's staff while they hold a current seat in one of its bodies (see `can_sit_in`)."""
    if StaffRole(role) not in OFFICE_STAFF_ROLES or provider is None:
        return True
    seated = body_ids_as_member(user)
    if not seated:
        return True
    found = db.session.scalar(
        sa.select(Body.id).where(Body.id.in_(seated), Body.provider_id == provider.id).limit(1)
    )
    return found is None


def can_admin_platform(user) -> bool:
    """Regions, providers, sites, staff: the platform admin only."""
    return is_admin(user)


def can_setup_body(user, provider) -> bool:
    """Create a body and name its first officers: the platform admin or the region's OC."""
    return is_admin(user) or staff_covers(user, provider, (StaffRole.OC,))


def can_setup_bodies(user) -> bool:
    """Offer to set up a body (home page): the platform admin and every OC."""
    return is_admin(user) or StaffRole.OC in staff_roles(user)


def setup_body_scope(user) -> StaffScope | None:
    """Where the user may set up bodies: None for everywhere (the platform admin), else the
    regions and providers of their OC assignments (as can_setup_body decides per provider)."""
    return None if is_admin(user) else staff_scope(user, (StaffRole.OC,))


def can_see_body(user, body) -> bool:
    """The body's public page (name, sites, recognition, public notices).

    Its members and the tenants of its sites; the OC/ISC and the direction of its provider
    (recognition status is public to them, §5.2); the platform admin who set it up.
    """
    return (
        is_member(user, body)
        or is_site_tenant(user, body)
        or staff_covers(user, body.provider, (*SUPPORT_STAFF, StaffRole.DIRECTION))
        or is_admin(user)
    )


def can_manage_body(user, body) -> bool:
    """Change the body's rules and run it: its officers. A new body's first officers are named
    by the admin or OC through can_setup_body; after that the officers manage it."""
    return is_officer(user, body)


def can_view_register(user, body) -> bool:
    """The member register (names, units, phones, consents): the body's officers only.
    The direction never sees it; neither do OC/ISC or the platform admin (§5.2)."""
    return is_officer(user, body)


def can_manage_register(user, body) -> bool:
    return is_officer(user, body)


def can_manage_invitations(user, body) -> bool:
    return is_officer(user, body)


def can_answer_invitation(user, invitation) -> bool:
    """An invitation addressed to an account: its owner alone accepts or declines it."""
    return (
        invitation is not None
        and invitation.invitee_id is not None
        and getattr(user, "id", None) == invitation.invitee_id
    )


def can_issue_reset_code(user, target_member) -> bool:
    """An in-person reset code: an officer (never staff) of a body in which the person is a
    current member whose account they linked themselves (joining with a code or accepting an
    invitation: `linked_at`), for someone else who is not staff either.

    Staff could otherwise name a tenant in a body of their own making and take the tenant's
    account (issue 6); a staff account's password is never reset by a tenant body."""
    if target_member is None or target_member.user_id is None:
        return False
    if getattr(user, "id", None) == target_member.user_id:
        return False
    if target_member.linked_at is None or target_member.linked_at > clock.now():
        return False
    if is_staff(user) or is_staff(target_member.user):
        return False
    return is_officer(user, target_member.body) and target_member.is_current


def can_share_own_contact(user, body) -> bool:
    """An officer of the body gives (or withdraws) their own consent that the body's organizer
    sees their contact. Nobody gives it for someone else: not another officer, not staff
    (trust-and-safety Q-05: a consent of its own, apart from consent to be contacted by the
    body)."""
    entry = member_entry(user, body)
    return entry is not None and entry.role in OFFICER_ROLES


def can_see_officer_contacts(user, body) -> bool:
    """The organizer (OC) of the body's region or provider reads the contacts of its officers
    who consented (`shares_contact_with`). Never the ISC, the office's direction, the admin."""
    return staff_covers(user, body.provider, (StaffRole.OC,))


def shares_contact_with(member) -> bool:
    """This register entry's contact is shown to the organizer: a current officer who consented."""
    return (
        member.consent_share_with_organizer
        and member.role in OFFICER_ROLES
        and member.is_current
        and member.user_id is not None
    )


def can_read_audit_summary(user) -> bool:
    """The audit screen (kind, actor's role, object; never an actor's name nor an event's detail,
    so never which member attended, voted or was reminded): the platform admin."""
    return is_admin(user)


def can_see_outbox_health(user) -> bool:
    """Outbox counts by channel and state (never a recipient, a subject or a message's kind):
    the platform admin."""
    return is_admin(user)


def can_remove_staff_role(user, assignment, admins_left: int) -> bool:
    """Take a staff role away: the platform admin, except the installation's last admin role
    (`admins_left`: admin assignments other than this one), so nobody locks the platform."""
    if not is_admin(user):
        return False
    return assignment.role != StaffRole.ADMIN or admins_left > 0


def can_record_recognition(user, body) -> bool:
    """Record that the housing office recognized an association, or that the recognition ended
    (domain-rules A4; §5.2 "Recognition status of ADL": the office ✔, everyone else reads): the
    direction of the association's provider. An association's own content stays out of its
    reach; a CCR is not recognized (the law creates it)."""
    return body.kind == BodyKind.ADL and staff_covers(user, body.provider, (StaffRole.DIRECTION,))
