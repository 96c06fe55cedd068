"""Who may sit on a CCR (domain-rules 2.3, C2): the rules every path that enters a register
entry of a CCR goes through (the register form, joining with a code, accepting an invitation,
the platform admin's setup, the demo seeders).

- At most 25 current members (`CCR_CAP`). The count is taken under a lock on the body's row
  (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writes one transaction at a time), so two
  officers adding the 25th member at once cannot make 26.
- Every member lives in one of the office's buildings: the entry names a building of the CCR's
  provider.
- The tenant directors on the office's board sit ex officio (role `TENANT_DIRECTOR` ⇔ seat
  `EX_OFFICIO`); the others are designated by a recognized association's resolution
  (`DESIGNATED`, with the association in `Member.designated_by_id`) or, failing that, appointed
  by the office (`APPOINTED`).
- The office's staff (a staff role scoped to the CCR's provider) cannot be members; nor can they
  take a seat in any other body of the office (`check_joining`, policy.can_sit_in).

The seat's link to the designating resolution itself lives in the assembly domain
(`assembly.models.SeatDesignation`): resolutions are assembly's, and orgs sits below it.
"""

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tenantvoice import clock, policy
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.orgs.models import (
    Body,
    BodyKind,
    Member,
    MemberRole,
    SeatSource,
    Site,
)
from tenantvoice.policy.core import forget_facts

#: Law 58.4: a CCR has at most 25 members.
CCR_CAP = 25

#: How a CCR seat is held.
CCR_SEAT_SOURCES = frozenset({SeatSource.EX_OFFICIO, SeatSource.DESIGNATED, SeatSource.APPOINTED})

MSG_CAP = _l(
    "This CCR already has 25 members, the most the law allows. End a membership before adding "
    "someone."
)
MSG_SITE = _l("A CCR's members live in the office's buildings: choose this person's building.")
MSG_EX_OFFICIO_ROLE = _l("A tenant director on the office's board sits on the CCR ex officio.")
MSG_EX_OFFICIO_ONLY = _l("Only the tenant directors on the office's board sit ex officio.")
MSG_SOURCE = _l(
    "A CCR seat is held ex officio (tenant director), by designation of a recognized "
    "association, or by appointment of the office."
)
MSG_DESIGNATED_BY = _l("Choose the recognized association whose resolution designated this person.")
MSG_NOT_DESIGNATED = _l("Only a designated member is designated by an association.")
MSG_STAFF = _l("Office staff cannot be members of its CCR.")
MSG_STAFF_BODY = _l("Office staff cannot be members of its tenants' associations and committees.")
MSG_INVITE_ENTRY = _l(
    "Enter the person in the CCR's register first (building and seat), then invite them from "
    "their entry."
)


class SeatRefusedError(ValueError):
    """A CCR register entry the rules refuse; `errors` maps a form field to its message."""

    def __init__(self, errors: Mapping[str, object]):
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


def is_ccr(body: Body) -> bool:
    return BodyKind(body.kind) == BodyKind.CCR


def designating_bodies(body: Body) -> list[Body]:
    """The associations that may have designated a member of this CCR: the ADLs of its provider
    the office recognized (the form offers them; `recognized_on_day` checks the seat's date)."""
    return list(
        db.session.scalars(
            sa.select(Body)
            .where(
                Body.provider_id == body.provider_id,
                Body.kind == BodyKind.ADL,
                Body.recognized_on.is_not(None),
            )
            .order_by(Body.name)
        )
    )


def recognized_on_day(adl: Body, day: date) -> bool:
    """The office recognized the association on `day` (recognized by then, not yet ended)."""
    if adl.recognized_on is None or adl.recognized_on > day:
        return False
    return adl.recognition_ended_on is None or adl.recognition_ended_on >= day


def is_office_staff(body: Body, user_id: int | None) -> bool:
    """The account holds a staff role scoped to the body's provider (the office's staff): the
    decision is the policy's (`policy.can_sit_in`)."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return user is not None and not policy.can_sit_in(user, body)


def staff_message(body: Body):
    """What the staff member is told (and they alone: see `check_joining`)."""
    return MSG_STAFF if is_ccr(body) else MSG_STAFF_BODY


def lock_register(body: Body) -> None:
    """Take the body's write lock before counting its register: a no-op UPDATE of its row
    (PostgreSQL: a row lock that another transaction adding a member waits for, and READ
    COMMITTED lets the count that follows see its insert; SQLite: the database's write lock,
    taken before the count rather than at the insert)."""
    db.session.execute(
        sa.update(Body)
        .where(Body.id == body.id)
        .values(id=Body.id, updated_at=Body.updated_at)
        .execution_options(synchronize_session=False)
    )


def lock_person(user: User) -> None:
    """Take the person's row lock before deciding whether they may sit in a body or take an
    office staff role (policy.can_sit_in / can_take_office_role), in the transaction that then
    writes the seat or the role: accepting a seat and the admin giving the office's role at the
    same moment each check the other's absence, and without a lock both pass and both write.

    A no-op UPDATE, as `lock_register`: PostgreSQL holds the row lock to the commit, and the
    checks that follow (READ COMMITTED) see what the other wrote; SQLite takes the database's
    write lock here, before the checks. `with_for_update()` alone would not do on SQLite: it
    ignores FOR UPDATE, and its write lock would come only with the seat's or role's own write,
    after the check (the race test failed that way). The facts the policy kept for this
    request were read before the lock: dropped, so the checks read them again."""
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(id=User.id, updated_at=User.updated_at)
        .execution_options(synchronize_session=False)
    )
    forget_facts()


def current_count(body: Body, *, excluding: int | None = None) -> int:
    query = sa.select(sa.func.count(Member.id)).where(Member.body_id == body.id, Member.is_current)
    if excluding is not None:
        query = query.where(Member.id != excluding)
    return db.session.scalar(query) or 0


def check_seat(body: Body, member: Member, *, require_site: bool = True) -> None:
    """Refuse (SeatRefusedError) a CCR register entry that breaks the rules; in other bodies,
    only an entry linked to the office's staff (a seat taken before they became staff).

    `member` holds the values to check (a new entry, or an edited one before flush).
    `require_site=False`: the platform admin's setup names a first officer before anyone entered
    the building (the officer completes it in the register, where it is required)."""
    if not is_ccr(body):
        # The officers editing it see why; only an entry the person took before becoming staff
        # can be linked to staff (the staff form refuses a seated person), so this tells them
        # nothing they could ask about someone else.
        if is_office_staff(body, member.user_id):
            raise SeatRefusedError({"name": MSG_STAFF_BODY})
        return
    errors: dict[str, object] = {}
    role = MemberRole(member.role or MemberRole.MEMBER)
    source = SeatSource(member.seat_source or SeatSource.REGISTERED)

    if member.site_id is None:
        if require_site:
            errors["site_id"] = MSG_SITE
    else:
        site = db.session.get(Site, member.site_id)
        if site is None or site.provider_id != body.provider_id:
            errors["site_id"] = MSG_SITE

    if role == MemberRole.TENANT_DIRECTOR and source != SeatSource.EX_OFFICIO:
        errors["seat_source"] = MSG_EX_OFFICIO_ROLE
    elif source == SeatSource.EX_OFFICIO and role != MemberRole.TENANT_DIRECTOR:
        errors["seat_source"] = MSG_EX_OFFICIO_ONLY
    elif source not in CCR_SEAT_SOURCES:
        errors["seat_source"] = MSG_SOURCE

    if source == SeatSource.DESIGNATED:
        # Designated by an association the office recognized on the day the seat began.
        day = member.since or clock.today()
        allowed = {b.id for b in designating_bodies(body) if recognized_on_day(b, day)}
        if member.designated_by_id not in allowed:
            errors["designated_by_id"] = MSG_DESIGNATED_BY
    elif member.designated_by_id is not None:
        errors["designated_by_id"] = MSG_NOT_DESIGNATED

    if is_office_staff(body, member.user_id):
        errors["name"] = MSG_STAFF

    if errors:
        raise SeatRefusedError(errors)

    if member.until is None or member.is_current:
        lock_register(body)
        if current_count(body, excluding=member.id) >= CCR_CAP:
            raise SeatRefusedError({"name": MSG_CAP})


def check_joining(body: Body, user: User) -> None:
    """An account taking a register entry of any tenants' body (joining with a code, accepting
    an invitation): never the office's staff (policy.can_sit_in); the entry itself was checked
    when it was entered. Raised before anything is written, to the joining person alone."""
    if not policy.can_sit_in(user, body):
        raise SeatRefusedError({"name": staff_message(body)})
