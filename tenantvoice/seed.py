"""Demo data: a fictional region with housing providers, buildings, associations and people.

Every name, address and person here is invented. All demo accounts share one password,
`DEMO_PASSWORD`, which is for demonstrations only: never seed a real installation.

Other domains' demo data (meetings, minutes…) come from the functions `EXTRA_SEEDERS` lists;
each is called with the namespace of the objects created here.
"""

from collections.abc import Callable
from datetime import date, timedelta
from types import SimpleNamespace

import click
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.accounts.services import hash_password
from tenantvoice.consultations.seed import seed_consultations
from tenantvoice.extensions import db
from tenantvoice.logbook.seed import seed_logbook
from tenantvoice.meetings.demo import seed_meetings
from tenantvoice.minutes.seed import seed_minutes
from tenantvoice.organizing.seed import seed_needs
from tenantvoice.orgs import seats
from tenantvoice.orgs.models import (
    Body,
    BodyKind,
    Member,
    MemberRole,
    Provider,
    ProviderKind,
    Region,
    SeatSource,
    Site,
    StaffAssignment,
    Tenancy,
)
from tenantvoice.polls.demo import seed_polls
from tenantvoice.recommendations.seed import seed_recommendations

DEMO_PASSWORD = "locataires2026"  # noqa: S105 - documented demo-only password

#: Functions `f(ns)` run after the base demo data (ns: SimpleNamespace of what was created),
#: in this order (the minutes need the meetings).
EXTRA_SEEDERS: list[Callable[[SimpleNamespace], None]] = [
    seed_meetings,
    seed_minutes,
    seed_consultations,
    seed_recommendations,
    seed_polls,
    seed_needs,
    seed_logbook,
]

OFFICERS = (MemberRole.PRESIDENT, MemberRole.SECRETARY, MemberRole.TREASURER)

#: Per site: (name, unit, has an account). The first three are the ADL's officers.
PEOPLE = {
    "parc": [
        ("Lucie Tremblay", "101", True),
        ("Jean Gagnon", "104", True),
        ("Fatima Benali", "112", True),
        ("Gérard Côté", "203", False),
        ("Minh Nguyen", "205", True),
        ("Awa Diallo", "207", True),
        ("Rosa Mendoza", "301", False),
        ("Karim Haddad", "304", True),
        ("Anna Kowalski", "306", True),
        ("Sadia Rahman", "308", False),
    ],
    "erables": [
        ("Thérèse Bouchard", "1", True),
        ("Yvon Pelletier", "4", True),
        ("Claudette Roy", "7", True),
        ("Marcel Lévesque", "9", False),
        ("Huong Tran", "12", True),
        ("Rachid Benali", "15", False),
        ("Jeannine Morin", "18", True),
        ("Olga Kowalczyk", "21", False),
    ],
    "fleuve": [
        ("Sophie Gagnon", "2", True),
        ("Amadou Diallo", "5", True),
        ("Isabel Mendoza", "8", True),
        ("Nadia Haddad", "11", False),
        ("Pierre Côté", "14", True),
        ("Farhan Rahman", "17", False),
    ],
    "soeurs": [
        ("Mélanie Tremblay", "A-1", True),
        ("Lin Nguyen", "A-3", True),
        ("Jacques Fortin", "B-2", True),
        ("Hélène Gauthier", "B-5", False),
        ("Tomasz Nowak", "C-1", True),
        ("Zainab Rahman", "C-4", False),
    ],
}


def _slug(name: str) -> str:
    table = str.maketrans("éèêëàâäôöîïçûüÉÈ", "eeeeaaaooiicuuEE")
    return ".".join(name.translate(table).lower().replace("-", "").split())


def _user(ns, name: str, role_label: str | None = None, email: str | None = None) -> User:
    email = email or f"{_slug(name)}@demo.tenantvoice.ca"
    user = User(name=name, email=email, password_hash=ns.password_hash, locale="fr_CA")
    db.session.add(user)
    db.session.flush()
    if role_label:
        ns.logins.append((role_label, email))
    return user


def seed_demo() -> list[tuple[str, str]]:
    """Create the demo data once; returns (role, email) logins. Does nothing if data exists."""
    if db.session.scalar(sa.select(sa.func.count(Region.id))):
        return []
    today = clock.today()
    ns = SimpleNamespace(
        logins=[], password_hash=hash_password(DEMO_PASSWORD), users={}, members={}
    )

    ns.region = Region(name="Région de Bellechasse-Etchemins")
    ns.office = Provider(
        region=ns.region,
        kind=ProviderKind.OFFICE,
        name="Office d'habitation de la Rivière-Etchemin",
    )
    ns.obnl = Provider(
        region=ns.region, kind=ProviderKind.OBNL, name="Habitations Solidaires du Fleuve"
    )
    ns.coop = Provider(
        region=ns.region, kind=ProviderKind.COOP, name="Coopérative d'habitation Les Trois-Sœurs"
    )
    ns.parc = Site(
        provider=ns.office,
        name="Habitations du Parc",
        address="12, rue du Parc, Saint-Anselme",
        units_count=48,
        program="HLM",
    )
    ns.erables = Site(
        provider=ns.office,
        name="Résidence des Érables",
        address="230, route Bégin, Saint-Anselme (aînés)",
        units_count=32,
        program="HLM",
    )
    ns.fleuve = Site(
        provider=ns.obnl,
        name="Maison du Fleuve",
        address="45, rue Principale, Saint-Henri",
        units_count=24,
        program="OBNL",
    )
    ns.soeurs = Site(
        provider=ns.coop,
        name="Les Trois-Sœurs",
        address="8, rue des Érables, Sainte-Claire",
        units_count=18,
        program="COOP",
    )
    db.session.add_all(
        [ns.region, ns.office, ns.obnl, ns.coop, ns.parc, ns.erables, ns.fleuve, ns.soeurs]
    )
    db.session.flush()

    recognized = date(today.year - 3, 5, 14)
    ns.adl_parc = Body(
        provider=ns.office,
        kind=BodyKind.ADL,
        recognized_on=recognized,
        recognition_reference=f"CA-{today.year - 3}-07",
        name="Association des locataires des Habitations du Parc",
    )
    ns.adl_parc.sites = [ns.parc]
    ns.adl_erables = Body(
        provider=ns.office,
        kind=BodyKind.ADL,
        recognized_on=recognized,
        # Its annual documents were not filed: the office recorded the end (the organizer's
        # home calls for support).
        recognition_ended_on=date(today.year - 1, 9, 30),
        name="Association des résidants des Érables",
    )
    ns.adl_erables.sites = [ns.erables]
    ns.adl_fleuve = Body(
        provider=ns.obnl, kind=BodyKind.ADL, name="Association des locataires du Fleuve"
    )
    ns.adl_fleuve.sites = [ns.fleuve]
    ns.adl_soeurs = Body(
        provider=ns.coop, kind=BodyKind.ADL, name="Comité des membres des Trois-Sœurs"
    )
    ns.adl_soeurs.sites = [ns.soeurs]
    ns.ccr = Body(
        provider=ns.office,
        kind=BodyKind.CCR,
        name="Comité consultatif de résidants de la Rivière-Etchemin",
        recognized_on=date(today.year - 2, 9, 20),
    )
    ns.ccr.sites = [ns.parc, ns.erables]
    db.session.add_all([ns.adl_parc, ns.adl_erables, ns.adl_fleuve, ns.adl_soeurs, ns.ccr])
    db.session.flush()

    adls = {
        "parc": ns.adl_parc,
        "erables": ns.adl_erables,
        "fleuve": ns.adl_fleuve,
        "soeurs": ns.adl_soeurs,
    }
    for key, people in PEOPLE.items():
        body, site = adls[key], getattr(ns, key)
        for index, (name, unit, has_account) in enumerate(people):
            role = OFFICERS[index] if index < len(OFFICERS) else MemberRole.MEMBER
            user = None
            if has_account:
                label = None
                if key == "parc" and index < 3:
                    label = f"{role.value} ({body.name})"
                elif key == "parc" and index == 4:
                    label = f"member ({body.name})"
                user = _user(ns, name, label)
                db.session.add(Tenancy(user=user, site=site, unit=unit))
                ns.users[name] = user
            member = Member(
                body=body,
                user=user,
                name=name,
                site=site,
                unit=unit,
                role=role,
                seat_source=SeatSource.ELECTED if index < 3 else SeatSource.REGISTERED,
                phone="" if not has_account else f"418555{1000 + index:04d}"[:10],
                consent_contact=has_account,
                consent_recorded_at=clock.now() if has_account else None,
                since=today - timedelta(days=400 - index * 7),
                linked_at=clock.now() - timedelta(days=400 - index * 7) if has_account else None,
            )
            db.session.add(member)
            ns.members[(key, name)] = member

    # CCR: two delegates of each office ADL, and the tenant director on the office's board.
    designated, ex_officio = SeatSource.DESIGNATED, SeatSource.EX_OFFICIO
    ccr_people = [
        ("Fatima Benali", ns.parc, "112", MemberRole.PRESIDENT, designated, ns.adl_parc),
        ("Karim Haddad", ns.parc, "304", MemberRole.MEMBER, designated, ns.adl_parc),
        ("Claudette Roy", ns.erables, "7", MemberRole.SECRETARY, designated, ns.adl_erables),
        ("Huong Tran", ns.erables, "12", MemberRole.MEMBER, designated, ns.adl_erables),
        ("Anna Kowalski", ns.parc, "306", MemberRole.TENANT_DIRECTOR, ex_officio, None),
    ]
    db.session.flush()
    for name, site, unit, role, source, designator in ccr_people:
        member = Member(
            body_id=ns.ccr.id,
            user_id=ns.users[name].id,
            name=name,
            site_id=site.id,
            unit=unit,
            role=role,
            seat_source=source,
            designated_by_id=designator.id if designator is not None else None,
            # The Érables designated theirs while the office still recognized the association.
            since=date(today.year - 1, 6, 1)
            if designator is ns.adl_erables
            else today - timedelta(days=300),
            linked_at=clock.now() - timedelta(days=300),
        )
        seats.check_seat(ns.ccr, member)  # the seeders keep a CCR's seat rules too
        db.session.add(member)
        db.session.flush()
    ns.logins.append((f"tenant director ({ns.ccr.name})", ns.users["Anna Kowalski"].email))

    # Staff: OC of the region (employed by the CISSS), ISC of the office, direction, admin.
    ns.oc = _user(ns, "Olivier Bergeron", "OC (region)")
    db.session.add(
        StaffAssignment(
            user=ns.oc,
            role=StaffRole.OC,
            region=ns.region,
            employer="CISSS de Chaudière-Appalaches",
        )
    )
    ns.isc = _user(ns, "Inès Lachance", "ISC (office)")
    db.session.add(
        StaffAssignment(
            user=ns.isc, role=StaffRole.ISC, provider=ns.office, employer=ns.office.name
        )
    )
    ns.direction = _user(ns, "Denis Marcoux", "direction (office)")
    db.session.add(
        StaffAssignment(
            user=ns.direction, role=StaffRole.DIRECTION, provider=ns.office, employer=ns.office.name
        )
    )
    ns.admin = _user(ns, "Ada Administratrice", "admin", email="admin@demo.tenantvoice.ca")
    db.session.add(StaffAssignment(user=ns.admin, role=StaffRole.ADMIN))
    db.session.flush()

    for seeder in EXTRA_SEEDERS:
        seeder(ns)
    db.session.flush()
    return ns.logins


def register_cli(app) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Fill an empty database with the fictional demo region (does nothing otherwise)."""
        logins = seed_demo()
        if not logins:
            click.echo("The database already has data: nothing was added.")
            return
        db.session.commit()
        click.echo(
            f"Demo data created. Every demo account uses the password {DEMO_PASSWORD!r}"
            " (demo only)."
        )
        for role, email in logins:
            click.echo(f"  {role}: {email}")
