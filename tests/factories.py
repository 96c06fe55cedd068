"""Small factories: keyword-only arguments, sensible defaults, add + flush, return the object."""

import itertools
from datetime import timedelta

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.accounts.services import hash_password
from tenantvoice.extensions import db
from tenantvoice.orgs.models import (
    Body,
    BodyKind,
    Member,
    MemberRole,
    Provider,
    ProviderKind,
    Region,
    Site,
    StaffAssignment,
    Tenancy,
)

#: One counter for every default name and unit, shared by a worker's whole run (so its values
#: depend on which tests ran before). Defaults are written fixed-width (`_n()`): "Membre 3" was
#: a substring of "Membre 31" and unit "112" of "1112", so a test asserting that one default is
#: NOT on a page, or searching for it, failed only when the counter happened to line up.
_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"
#: One precomputed hash: scrypt is slow on purpose, the tests need not be.
_HASH = None


def _n() -> str:
    """The next counter value, six digits wide: no default is then a part of another.

    A default unit is "T" and these digits: the ballots read "App. 0104", "#104" and "000104"
    as one unit ("104", leading zeros dropped), so digits alone would make a default unit the
    same unit as a test's own "104" whenever the counter reached 104."""
    return f"{next(_seq):06d}"


def _password_hash(password: str) -> str:
    global _HASH
    if password == PASSWORD:
        if _HASH is None:
            _HASH = hash_password(PASSWORD)
        return _HASH
    return hash_password(password)


def make_user(*, name=None, email=None, phone=None, password=PASSWORD, locale=None) -> User:
    n = _n()
    user = User(
        name=name or f"Personne {n}",
        email=email,
        phone=phone,
        password_hash=_password_hash(password),
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_region(*, name=None) -> Region:
    region = Region(name=name or f"Région {_n()}")
    db.session.add(region)
    db.session.flush()
    return region


def make_provider(*, region=None, kind=ProviderKind.OFFICE, name=None) -> Provider:
    provider = Provider(
        region=region or make_region(), kind=kind, name=name or f"Office d'habitation {_n()}"
    )
    db.session.add(provider)
    db.session.flush()
    return provider


def make_site(*, provider=None, name=None, units_count=40, address="1, rue Principale") -> Site:
    site = Site(
        provider=provider or make_provider(),
        name=name or f"Habitations {_n()}",
        address=address,
        units_count=units_count,
    )
    db.session.add(site)
    db.session.flush()
    return site


def make_body(*, provider=None, kind=BodyKind.ADL, name=None, sites=None, **rules) -> Body:
    provider = provider or (sites[0].provider if sites else make_provider())
    sites = list(sites) if sites is not None else [make_site(provider=provider)]
    body = Body(provider=provider, kind=kind, name=name or f"Association {_n()}", **rules)
    body.sites = sites
    db.session.add(body)
    db.session.flush()
    return body


def make_member(
    *,
    body,
    user=None,
    name=None,
    role=MemberRole.MEMBER,
    unit=None,
    site=None,
    is_adult=True,
    phone="",
    until=None,
) -> Member:
    site = site or (body.sites[0] if body.sites else None)
    default_name = user.name if user else f"Membre {_n()}"
    member = Member(
        body=body,
        user=user,
        name=name or default_name,
        role=role,
        unit=unit if unit is not None else f"T{_n()}",
        site=site,
        is_adult=is_adult,
        phone=phone,
        since=clock.today() - timedelta(days=365),
        until=until,
        # A member with an account joined by their own act (a code, or accepting in the app).
        linked_at=clock.now() - timedelta(days=365) if user is not None else None,
    )
    db.session.add(member)
    db.session.flush()
    return member


def make_tenancy(*, user, site, unit="101") -> Tenancy:
    tenancy = Tenancy(user=user, site=site, unit=unit)
    db.session.add(tenancy)
    db.session.flush()
    return tenancy


def make_staff(*, user=None, role=StaffRole.OC, region=None, provider=None) -> StaffAssignment:
    user = user or make_user()
    assignment = StaffAssignment(user=user, role=role, region=region, provider=provider)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_tenant(*, body, role=MemberRole.MEMBER, name=None, email=None, unit=None) -> User:
    """A person with an account, living at the body's first site and in its register."""
    user = make_user(name=name, email=email)
    site = body.sites[0]
    member = make_member(body=body, user=user, role=role, unit=unit)
    make_tenancy(user=user, site=site, unit=member.unit)
    return user


def make_meeting(
    *,
    body,
    kind=None,
    title="Assemblée générale annuelle",
    status=None,
    starts_in=timedelta(days=30),
    starts_at=None,
    hours=2,
    audience=None,
    oc_invited=False,
    agenda=("Ouverture de l'assemblée", "Levée de l'assemblée"),
    first_position=1,
    place="Salle communautaire",
    published_at=None,
    **fields,
):
    """A meeting of `body` (the tests' one meeting factory), published unless `status` says.

    It starts at `starts_at`, or `starts_in` from now. `agenda`: titles, or (title, in_camera)
    pairs. `published_at` defaults to now for a meeting that is not a draft."""
    from tenantvoice.meetings.models import (
        AgendaItem,
        Audience,
        Meeting,
        MeetingKind,
        MeetingStatus,
    )

    status = status or MeetingStatus.PUBLISHED
    start = starts_at if starts_at is not None else clock.now() + starts_in
    if published_at is None and status != MeetingStatus.DRAFT:
        published_at = clock.now()
    meeting = Meeting(
        body=body,
        kind=kind or MeetingKind.AGM,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        place=place,
        audience=audience or Audience.MEMBERS,
        status=status,
        oc_invited=oc_invited,
        published_at=published_at,
        **fields,
    )
    for position, entry in enumerate(agenda, start=first_position):
        item_title, in_camera = (entry, False) if isinstance(entry, str) else entry
        meeting.agenda_items.append(
            AgendaItem(position=position, title=item_title, in_camera=in_camera)
        )
    db.session.add(meeting)
    db.session.flush()
    return meeting
