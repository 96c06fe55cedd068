"""Verbs of the orgs domain. Services flush, never commit; the view (or CLI) commits once."""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tenantvoice import audit, clock, policy
from tenantvoice.accounts import consents
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.accounts.services import create_user, normalize_email
from tenantvoice.extensions import db
from tenantvoice.orgs import seats
from tenantvoice.orgs.invitations import offer_to_account
from tenantvoice.orgs.models import (
    Body,
    BodyKind,
    Franchise,
    Member,
    MemberRole,
    MinutesAudience,
    Provider,
    ProviderKind,
    QuorumBase,
    QuorumMode,
    Region,
    SeatSource,
    Site,
    StaffAssignment,
)


class SetupError(ValueError):
    """A setup request that cannot be done (unknown email, scope missing…)."""


class SeatedInOfficeError(ValueError):
    """The staff role would make someone the office's staff while they sit in one of its tenants'
    bodies (policy.can_take_office_role)."""


MEMBER_FIELDS = (
    "name",
    "site_id",
    "unit",
    "phone",
    "is_adult",
    "consent_contact",
    "role",
    "seat_source",
    "designated_by_id",
    "since",
    "until",
)


def _apply_member(member: Member, data: dict) -> None:
    was_consenting = bool(member.consent_contact)
    for name in MEMBER_FIELDS:
        if name in data:
            setattr(member, name, data[name])
    member.role = MemberRole(member.role)
    member.seat_source = SeatSource(member.seat_source)
    if member.consent_contact and not was_consenting:
        member.consent_recorded_at = clock.now()
    elif not member.consent_contact:
        member.consent_recorded_at = None


def _log_paper_consent(actor: User, member: Member, was_consenting: bool) -> None:
    """An officer ticking (or unticking) "agrees to be contacted" records a consent the person
    gave outside the app, on the register's paper form: it goes to the person's consent log with
    who recorded it, as their own consent in the app does (Law 25, Q-05). An entry without an
    account (a tenant with no smartphone) gets the same line under the entry; it becomes the
    person's if they join with a code (consents.link_entry, from invitations.redeem)."""
    if bool(member.consent_contact) == was_consenting:
        return
    consents.record(
        member.user_id,
        consents.CONTACT_BY_BODY,
        bool(member.consent_contact),
        body_id=member.body_id,
        on_paper_by=actor,
        member_id=member.id,
    )


def add_member(actor: User, body: Body, data: dict) -> Member:
    """Enter a person in the body's register (a CCR's seat rules checked: orgs.seats)."""
    member = Member(body_id=body.id, consent_contact=False)
    _apply_member(member, data)
    if member.since is None:
        member.since = clock.today()
    seats.check_seat(body, member)
    member.body = body
    db.session.add(member)
    db.session.flush()
    _log_paper_consent(actor, member, was_consenting=False)
    audit.record("member.add", actor=actor, body_id=body.id, obj=member)
    return member


def update_member(actor: User, member: Member, data: dict) -> Member:
    """Change a register entry (role, unit, consent…); a CCR's seat rules checked first, and a
    refused change leaves the entry as it was."""
    with db.session.no_autoflush:
        before = {name: getattr(member, name) for name in MEMBER_FIELDS}
        _apply_member(member, data)
        try:
            seats.check_seat(member.body, member)
        except seats.SeatRefusedError:
            for name, value in before.items():
                setattr(member, name, value)
            raise
    db.session.flush()
    _log_paper_consent(actor, member, was_consenting=bool(before["consent_contact"]))
    audit.record("member.update", actor=actor, body_id=member.body_id, obj=member)
    return member


def end_membership(actor: User, member: Member, on: date | None = None) -> Member:
    """Remove someone from the register by ending their membership (entries are never deleted).

    `until` is the last day of membership, so ending it now makes yesterday the last day."""
    member.until = on or clock.today() - timedelta(days=1)
    db.session.flush()
    audit.record("member.end", actor=actor, body_id=member.body_id, obj=member)
    return member


RULE_FIELDS = (
    "notice_days_general",
    "notice_days_board",
    "quorum_mode",
    "quorum_number",
    "quorum_percent",
    "quorum_base",
    "quorum_minimum",
    "board_quorum",
    "franchise",
    "minutes_audience",
    "secret_ballot_default",
    "answer_delay_days",
    "minutes_shared_with_organizer",
    "minutes_shared_with_office",
)


def update_rules(actor: User, body: Body, data: dict) -> Body:
    """Record the rules of the body's by-laws."""
    for name in RULE_FIELDS:
        if name in data:
            setattr(body, name, data[name])
    body.quorum_mode = QuorumMode(body.quorum_mode)
    body.quorum_base = QuorumBase(body.quorum_base)
    body.franchise = Franchise(body.franchise)
    body.minutes_audience = MinutesAudience(body.minutes_audience)
    if body.kind != BodyKind.CCR:
        # Only a CCR shares its minutes with the office (domain-rules 5.3).
        body.minutes_shared_with_office = False
    db.session.flush()
    audit.record("body.rules", actor=actor, body_id=body.id, obj=body)
    return body


def record_recognition(
    actor: User,
    body: Body,
    *,
    recognized_on: date | None,
    reference: str,
    ended_on: date | None,
) -> Body:
    """The housing office records its recognition of an association (A4) and, when it ends
    (withdrawn, or lapsed), the day it ended. Audited: the register of recognized associations
    keeps who changed it and when."""
    body.recognized_on = recognized_on
    body.recognition_reference = reference if recognized_on else ""
    body.recognition_ended_on = ended_on if recognized_on else None
    db.session.flush()
    audit.record("body.recognition", actor=actor, body_id=body.id, obj=body)
    return body


def set_organizer_consent(actor: User, member: Member, share: bool) -> Member:
    """The person's own consent that the organizer sees their contact (Q-05): given or withdrawn
    by themselves only (the view checks policy.can_share_own_contact), recorded with its time;
    withdrawing takes effect at once."""
    if member.user_id != actor.id:
        raise SetupError("consent is the person's own")
    if bool(member.consent_share_with_organizer) != bool(share):
        member.consent_share_with_organizer = bool(share)
        member.consent_organizer_recorded_at = clock.now()
        consents.record(actor, consents.CONTACT_TO_ORGANIZER, share, body_id=member.body_id)
        audit.record(
            "member.consent_organizer",
            actor=actor,
            body_id=member.body_id,
            obj=member,
            detail="given" if share else "withdrawn",
        )
        db.session.flush()
    return member


# --- platform setup ------------------------------------------------------------------------


def create_region(actor: User | None, name: str) -> Region:
    name = name.strip()
    if db.session.scalar(sa.select(Region).where(Region.name == name)):
        raise SetupError("region exists")
    region = Region(name=name)
    db.session.add(region)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same name sent from another form at the same moment
        raise SetupError("region exists") from exc  # the caller rolls back
    audit.record("region.create", actor=actor, obj=region)
    return region


#: What the platform admin may change after creation, per kind of record (never a provider's
#: region nor a site's provider nor a body's buildings: those move people between scopes and
#: audiences; a new record is set up instead).
EDITABLE = {
    "region": ("name",),
    "provider": ("kind", "name"),
    "site": ("name", "address", "units_count", "program"),
    "body": ("name", "recognized_on"),
}


def update_record(actor: User | None, kind: str, record: Any, data: dict) -> Any:
    """Change the editable fields of a region, provider, site or body (names must stay unique
    where they are: a region's name, a provider's name in its region); audited."""
    fields = EDITABLE[kind]
    values = {name: data[name] for name in fields if name in data}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    if kind == "region" and db.session.scalar(
        sa.select(Region.id).where(Region.name == values["name"], Region.id != record.id)
    ):
        raise SetupError("region exists")
    if kind == "provider":
        values["kind"] = ProviderKind(values["kind"])
        if db.session.scalar(
            sa.select(Provider.id).where(
                Provider.region_id == record.region_id,
                Provider.name == values["name"],
                Provider.id != record.id,
            )
        ):
            raise SetupError("provider exists")
    if kind == "site":
        values["program"] = (values.get("program") or "").strip() or "HLM"
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    db.session.flush()
    if changed:
        audit.record(
            f"{kind}.update",
            actor=actor,
            body_id=record.id if kind == "body" else None,
            obj=record,
            detail=",".join(changed),
        )
    return record


def set_active(actor: User | None, kind: str, record: Any, active: bool) -> Any:
    """Retire (or bring back) a region, provider or site; audited when it changes."""
    if record.active != active:
        record.active = active
        audit.record(f"{kind}.{'activate' if active else 'retire'}", actor=actor, obj=record)
        db.session.flush()
    return record


def create_provider(actor: User | None, region: Region, kind: str, name: str) -> Provider:
    name = name.strip()
    if db.session.scalar(
        sa.select(Provider).where(Provider.region_id == region.id, Provider.name == name)
    ):
        raise SetupError("provider exists")
    provider = Provider(region=region, kind=ProviderKind(kind), name=name)
    db.session.add(provider)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same name sent from another form at the same moment
        raise SetupError("provider exists") from exc  # the caller rolls back
    audit.record("provider.create", actor=actor, obj=provider)
    return provider


def create_site(
    actor: User | None,
    provider: Provider,
    name: str,
    address: str,
    units_count: int,
    program: str = "HLM",
) -> Site:
    site = Site(
        provider=provider,
        name=name.strip(),
        address=address.strip(),
        units_count=units_count,
        program=program.strip() or "HLM",
    )
    db.session.add(site)
    db.session.flush()
    audit.record("site.create", actor=actor, obj=site)
    return site


def create_body(
    actor: User | None,
    provider: Provider,
    kind: Any,
    name: str,
    sites: Any,
    *,
    recognized_on: date | None = None,
    minutes_shared_with_organizer: bool = False,
) -> Body:
    sites = list(sites)
    if any(site.provider_id != provider.id for site in sites):
        raise SetupError("site of another provider")
    body = Body(
        provider=provider,
        kind=BodyKind(kind),
        name=name.strip(),
        recognized_on=recognized_on,
        minutes_shared_with_organizer=bool(minutes_shared_with_organizer),
    )
    body.sites = sites
    db.session.add(body)
    db.session.flush()
    audit.record("body.create", actor=actor, body_id=body.id, obj=body)
    return body


def user_by_email(email: str) -> User | None:
    email = normalize_email(email or "")
    if not email:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email))


def name_officer(
    actor: User, body: Body, role: str, *, user: User | None = None, name: str = ""
) -> Member:
    """Name a first officer: an entry in the register under `name`.

    With `user` (an existing account found by its email), the entry is NOT linked to the
    account: the person is invited in the app and the entry becomes theirs only when they accept
    (orgs.invitations.offer_to_account). Linking someone's account for them let staff take over
    tenant accounts (issue 6)."""
    role = MemberRole(role)
    source = SeatSource.ELECTED if role != MemberRole.BODY_ADMIN else SeatSource.APPOINTED
    if seats.is_ccr(body):
        # A CCR's first officers are entered at setup as appointed (or ex officio for a tenant
        # director); the CCR corrects the seat in its register once an association designates.
        ex_officio = role == MemberRole.TENANT_DIRECTOR
        source = SeatSource.EX_OFFICIO if ex_officio else SeatSource.APPOINTED
    site = body.sites[0] if len(body.sites) == 1 else None
    member = Member(
        body_id=body.id,
        user=None,
        name=(name or "").strip() or (user.name if user else ""),
        role=role,
        seat_source=source,
        site_id=site.id if site is not None else None,
        since=clock.today(),
    )
    seats.check_seat(body, member, require_site=False)
    member.body = body
    db.session.add(member)
    db.session.flush()
    audit.record("member.add", actor=actor, body_id=body.id, obj=member, detail=role.value)
    if user is not None:
        # Office staff are not refused here: "Office staff cannot be members" next to the email
        # told whoever sets up a body who works for the housing office. They get the offer
        # anyone with an account gets (no code they could take to a second account), and
        # accepting it is refused (invitations.redeem), so they never sit in any body of the
        # office, its CCR or an association (policy.can_sit_in).
        offer_to_account(actor, body, user, member, staff_refused_at_accept=True)
    return member


def assign_staff(
    actor: User | None,
    user: User,
    role: Any,
    *,
    region: Region | None = None,
    provider: Provider | None = None,
    employer: str = "",
) -> StaffAssignment:
    """Give a person a staff role with its scope (the direction always has a provider)."""
    role = StaffRole(role)
    if role == StaffRole.DIRECTION and provider is None:
        raise SetupError("direction needs a provider")
    if role != StaffRole.ADMIN and region is None and provider is None:
        raise SetupError("scope needed")
    if role == StaffRole.ADMIN:
        region = provider = None
    # Held to the commit: they cannot accept a seat of that office meanwhile.
    seats.lock_person(user)
    if not policy.can_take_office_role(user, role, provider):
        # Refused rather than ending their seats: the register is the body's, not the admin's.
        # Nothing is written; the admin is told, the body learns nothing.
        raise SeatedInOfficeError(user.id)
    assignment = StaffAssignment(
        user=user, role=role, region=region, provider=provider, employer=employer.strip()
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record("staff.assign", actor=actor, obj=assignment, detail=role.value)
    return assignment


def remove_staff(actor: User | None, assignment: StaffAssignment) -> None:
    """Take a staff role away: the person loses its access on their next request (the policy
    reads assignments afresh each request)."""
    audit.record(
        "staff.remove", actor=actor, obj=assignment, detail=StaffRole(assignment.role).value
    )
    db.session.delete(assignment)
    db.session.flush()


def set_coordinator(actor: User | None, assignment: StaffAssignment, coordinator: bool) -> None:
    """Make a region-scoped ISC or OC the coordinator of the region's logbook, or no longer
    (the policy checks who may); audited when it changes."""
    if assignment.coordinator == coordinator:
        return
    if coordinator and (
        assignment.role not in (StaffRole.OC, StaffRole.ISC) or assignment.region_id is None
    ):
        raise SetupError("coordinator needs a regional ISC or OC role")
    assignment.coordinator = coordinator
    db.session.flush()
    audit.record(
        "staff.coordinator" if coordinator else "staff.coordinator_end",
        actor=actor,
        obj=assignment,
        detail=str(assignment.region_id),
    )


def create_staff_account(actor: User | None, *, name: str, email: str, password: str) -> User:
    """An account made from the command line for a staff member (the one way to build a user
    is accounts.services.create_user); refused when the email is taken."""
    if user_by_email(email):
        raise SetupError("email taken")
    user = create_user(name=name, email=email, password=password)
    audit.record("user.create", actor=actor, obj=user)
    return user
