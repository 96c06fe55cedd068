"""Who may vote: the electorate snapshot taken at opening.

A person appears once, however many registers and tenancies list them:

* with an account: ``u:<user id>`` (register entries linked to the account, tenancies);
* without one: the register entry is matched to a tenancy at the same site and unit whose
  account holder bears the same name (accents and case ignored) — then it is that account;
  otherwise ``p:<site>:<unit>:<name>`` (so two registers listing the same paper member count
  once), or ``m:<entry id>`` when the entry has no site or unit.

The vote key is the person's key, or under a unit franchise ``unit:<site>:<unit>`` with the
unit number normalized ("App. 104", "104", "#104" are one unit): the first ballot of a unit
counts, the others are told their unit has voted. A person without a known unit votes alone.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa

from tenantvoice.accounts.models import User
from tenantvoice.ballots.models import Audience
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Franchise, Member, Tenancy, body_sites
from tenantvoice.search import fold

_UNIT_PREFIX = re.compile(r"^(app(artement)?|apt|appt|unit(e)?|logement|log|suite|no|n°|#)\.?\s*")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def normalize_unit(unit: str | None) -> str:
    """One spelling per unit: "App. 0104", "104", "#104" → "104"; "B-12", "b 12" → "b12"."""
    text = fold((unit or "").strip())
    text = _UNIT_PREFIX.sub("", text)
    text = _NOT_ALNUM.sub("", text)
    return _LEADING_ZEROS.sub("", text)


def _name_key(name: str) -> str:
    return " ".join(fold(name or "").split())


@dataclass(frozen=True)
class ElectorSpec:
    """One person of the electorate, as `open_question` stores it."""

    person_key: str
    vote_key: str
    name: str
    user_id: int | None = None
    member_id: int | None = None
    site_id: int | None = None
    unit: str = ""


def unit_key(site_id: int | None, unit: str | None) -> str | None:
    norm = normalize_unit(unit)
    if site_id is None or not norm:
        return None
    return f"unit:{site_id}:{norm}"


def vote_key_for(franchise: Franchise, person_key: str, site_id, unit) -> str:
    if franchise == Franchise.UNIT:
        return unit_key(site_id, unit) or person_key
    return person_key


def _current_members(where) -> list[Member]:
    return list(
        db.session.scalars(
            sa.select(Member).where(where, Member.is_adult.is_(True), Member.is_current)
        )
    )


def _tenancies(site_ids) -> list[tuple[Tenancy, User]]:
    if not site_ids:
        return []
    return list(
        db.session.execute(
            sa.select(Tenancy, User)
            .join(User, User.id == Tenancy.user_id)
            .where(
                Tenancy.site_id.in_(site_ids),
                Tenancy.ended_on.is_(None),
                User.active.is_(True),
            )
        ).all()
    )


def build(
    members: list[Member], tenancies: list[tuple[Tenancy, User]], franchise: Franchise
) -> list[ElectorSpec]:
    """Deduplicate people listed by register entries and tenancies (see the module docstring)."""
    people: dict[str, ElectorSpec] = {}
    # Tenancies with accounts, indexed by (site, unit, name) to match paper register entries.
    by_unit_and_name: dict[tuple, User] = {}
    for tenancy, user in tenancies:
        by_unit_and_name[(tenancy.site_id, normalize_unit(tenancy.unit), _name_key(user.name))] = (
            user
        )

    def add(spec: ElectorSpec) -> None:
        known = people.get(spec.person_key)
        # Keep the richest listing: a register entry (named, with a unit) over a bare tenancy.
        if known is None or (known.member_id is None and spec.member_id is not None):
            people[spec.person_key] = spec

    for member in members:
        user_id = member.user_id
        if user_id is None:
            match = by_unit_and_name.get(
                (member.site_id, normalize_unit(member.unit), _name_key(member.name))
            )
            user_id = match.id if match else None
        if user_id is not None:
            key = f"u:{user_id}"
        elif member.site_id is not None and normalize_unit(member.unit):
            key = f"p:{member.site_id}:{normalize_unit(member.unit)}:{_name_key(member.name)}"
        else:
            key = f"m:{member.id}"
        add(
            ElectorSpec(
                person_key=key,
                vote_key=vote_key_for(franchise, key, member.site_id, member.unit),
                name=member.name,
                user_id=user_id,
                member_id=member.id,
                site_id=member.site_id,
                unit=member.unit or "",
            )
        )
    for tenancy, user in tenancies:
        key = f"u:{user.id}"
        add(
            ElectorSpec(
                person_key=key,
                vote_key=vote_key_for(franchise, key, tenancy.site_id, tenancy.unit),
                name=user.name,
                user_id=user.id,
                site_id=tenancy.site_id,
                unit=tenancy.unit or "",
            )
        )
    return sorted(people.values(), key=lambda s: s.person_key)


def compute(
    body: Body, audience: Audience, franchise: Franchise, site_ids: list[int]
) -> list[ElectorSpec]:
    """The electorate of a question now: the body's register (MEMBERS), or every tenant of the
    chosen sites (SITES) or of the provider (PROVIDER): their tenancies with accounts and the
    entries of the registers of the provider's bodies that list them at those sites."""
    if audience == Audience.MEMBERS:
        return build(_current_members(Member.body_id == body.id), [], franchise)
    if audience == Audience.PROVIDER:
        site_ids = [s.id for s in body.provider.sites]
    provider_bodies = sa.select(Body.id).where(Body.provider_id == body.provider_id)
    members = _current_members(
        sa.and_(Member.body_id.in_(provider_bodies), Member.site_id.in_(site_ids))
    )
    return build(members, _tenancies(site_ids), franchise)


def body_site_ids(body: Body) -> list[int]:
    return list(
        db.session.scalars(sa.select(body_sites.c.site_id).where(body_sites.c.body_id == body.id))
    )
