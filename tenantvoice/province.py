"""A province-size database for load tests: `flask generate-province --size province --seed 1`.

Invented people, providers, bodies, meetings and published minutes at the scale of Québec's
social housing (size "province": 100 000 tenants with accounts and tenancies, 500 providers,
2 000 bodies of which 20 have 600 members, 50 000 meetings with agendas and attendance, 20 000
published minutes, some of them 6 KB of French). "small" is the same shape for CI (seconds),
"tiny" for the tests. Never run it on a real installation: it refuses a database that has data.

How it stays fast: rows go in with SQLAlchemy Core `insert()` and lists of dicts, in batches
(executemany), with ids chosen here so that no row has to be read back; every account shares ONE
password hash (scrypt costs ~0.1 s a hash); rendered Markdown is cached per block of text.

How it stays valid: the same rules as the app (domain-rules): every member with an account lives
at one of the body's sites (a tenancy at the body's provider); the officers (president,
secretary, treasurer) have accounts and attend every meeting they hold; published minutes were
proposed, approved by a resolution of the body's next meeting (moved by the secretary, seconded
by the president, both present), signed by both and published, with their search index filled;
meeting numbers rank the body's published meetings of each year; staff scopes are a region or a
provider. Deterministic: the same seed on the same day gives the same rows (dates are relative to
the project clock's today, so the coming meetings are always coming).

Extending it (later issues: collective needs, logbook): write `generate_<domain>(p: Province)`
and append it to GENERATORS. Each generator gets its own random stream (seed + its name), so
adding one never changes the rows of the others; it reads what earlier ones made from `p`
(`p.bodies`, `p.meetings`...) and writes with `p.add(table, row)`.
"""

import itertools
import logging
import math
import random
import time as timer
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import click
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.accounts.services import hash_password
from tenantvoice.assembly.models import Attendance, Resolution, ResolutionOutcome
from tenantvoice.extensions import db
from tenantvoice.logbook.models import POPULATION_BITS, Intervention, InterventionTheme, Referral
from tenantvoice.logbook.models import Kind as LogbookKind
from tenantvoice.meetings.agenda_templates import MINUTES, items_for
from tenantvoice.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Audience,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Rsvp,
    RsvpAnswer,
)
from tenantvoice.minutes.markdown import render
from tenantvoice.minutes.models import (
    Minutes,
    MinutesSearch,
    MinutesSection,
    MinutesState,
    MinutesVersion,
)
from tenantvoice.needs.models import (
    EventKind,
    Need,
    NeedCategory,
    NeedEvent,
    NeedForward,
    NeedPopulation,
    NeedSupport,
    Origin,
    Partner,
    PartnerKind,
    Population,
    Urgency,
)
from tenantvoice.needs.models import Priority as NeedPriority
from tenantvoice.needs.models import Status as NeedStatus
from tenantvoice.needs.taxonomy import SENSITIVE as SENSITIVE_CODES
from tenantvoice.needs.taxonomy import mask as category_mask
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
    body_sites,
)
from tenantvoice.search import fold, search_key
from tenantvoice.web.i18n import clock_time

logger = logging.getLogger(__name__)

#: The password of every generated account (load tests only; never a real installation).
PASSWORD = "province2026"  # noqa: S105 - documented load-test-only password
EMAIL_DOMAIN = "province.tenantvoice.test"
#: Rows per INSERT batch.
BATCH = 5000


@dataclass(frozen=True)
class Size:
    regions: int
    providers: int
    sites_per_provider: int
    tenants: int
    bodies: int
    #: Bodies with `big_members` register entries (an ADL covering a big office's sites).
    big_bodies: int
    big_members: int
    #: Meetings of each big body (the others share the rest of `meetings`).
    big_meetings: int
    meetings: int
    published_minutes: int
    #: Collective needs (issue 13), with about ten supports each.
    needs: int = 0
    #: Logbook interventions (issue 14), over two years.
    interventions: int = 0


SIZES = {
    "province": Size(
        17,
        500,
        5,
        100_000,
        2_000,
        20,
        600,
        80,
        50_000,
        20_000,
        needs=200_000,
        interventions=200_000,
    ),
    "small": Size(4, 20, 4, 4_000, 80, 2, 600, 70, 2_000, 800, needs=4_000, interventions=4_000),
    "tiny": Size(2, 4, 3, 400, 10, 1, 60, 30, 120, 40, needs=200, interventions=300),
}


def words(text: str) -> list[str]:
    return text.split()


REGIONS = [
    "Bas-Saint-Laurent",
    "Saguenay–Lac-Saint-Jean",
    "Capitale-Nationale",
    "Mauricie",
    "Estrie",
    "Montréal",
    "Outaouais",
    "Abitibi-Témiscamingue",
    "Côte-Nord",
    "Nord-du-Québec",
    "Gaspésie–Îles-de-la-Madeleine",
    "Chaudière-Appalaches",
    "Laval",
    "Lanaudière",
    "Laurentides",
    "Montérégie",
    "Centre-du-Québec",
]
TOWNS = [
    "Rimouski",
    "Alma",
    "Beauport",
    "Trois-Rivières",
    "Sherbrooke",
    "Verdun",
    "Gatineau",
    "Rouyn-Noranda",
    "Baie-Comeau",
    "Chibougamau",
    "Gaspé",
    "Lévis",
    "Chomedey",
    "Joliette",
    "Saint-Jérôme",
    "Longueuil",
    "Drummondville",
    "Victoriaville",
    "Granby",
    "Shawinigan",
    "Magog",
    "Matane",
    "Roberval",
    "Terrebonne",
]
STREETS = [
    "rue Principale",
    "rue des Érables",
    "boulevard Saint-Joseph",
    "rue Notre-Dame",
    "avenue du Parc",
    "rue Sainte-Catherine",
    "chemin du Roy",
    "rue de la Fabrique",
    "boulevard des Forges",
    "rue King",
    "rue Racine",
    "avenue Laurier",
]
SITE_NAMES = [
    "Habitations",
    "Résidence",
    "Place",
    "Domaine",
    "Cité",
    "Jardins",
    "Maison",
    "Terrasses",
]
SITE_WORDS = [
    "du Parc",
    "des Érables",
    "du Fleuve",
    "Saint-Laurent",
    "des Pins",
    "du Boisé",
    "des Tilleuls",
    "de la Rivière",
    "du Vieux-Moulin",
    "des Pionniers",
    "Belle-Rive",
    "du Lac",
]
FIRST = words(
    "Lucie Jean Fatima Gérard Minh Awa Rosa Karim Anna Sadia Thérèse Yvon Claudette Marcel Huong "
    "Rachid Jeannine Olga Sophie Amadou Isabel Nadia Pierre Farhan Mélanie Lin Jacques Hélène "
    "Tomasz Zainab Denise Réjean Ginette Mamadou Carmen Luc Nicole André Mariam Stéphane Chantal "
    "Ahmed Francine Normand Linh Josée Kouadio Yolande Rémi Aïcha Sylvie Gaétan Priya Monique"
)
LAST = words(
    "Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier "
    "Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron Beaulieu Cloutier "
    "Dubé Poirier Fournier Lapointe Leclerc Lefebvre Poulin Nguyen Diallo Benali Haddad Mendoza "
    "Kowalski Rahman Tran Traoré Joseph Pierre-Louis Saint-Fleur Cohen Rossi Silva Wong"
)

#: Paragraphs of minutes (fixed text: each one's rendered HTML is computed once). Varied
#: vocabulary so that searches have different numbers of hits; "entretien" is in every minutes.
PARAGRAPHS = [
    "Les membres font le point sur l'entretien des logements. Plusieurs locataires signalent des "
    "fenêtres qui ferment mal et des infiltrations d'air près des cadres. Le comité compilera "
    "les demandes de réparation et les transmettra à l'office avec les numéros de logement, "
    "après avoir obtenu l'accord de chaque locataire concerné.",
    "Le chauffage a fait défaut à trois reprises en janvier dans l'immeuble principal. Les "
    "locataires des étages supérieurs ont dû utiliser des chaufferettes d'appoint. L'association "
    "demande un suivi écrit sur l'entretien préventif de la chaudière et un calendrier des "
    "interventions prévues avant le prochain hiver.",
    "La trésorerie présente l'état des revenus et des dépenses. La subvention de fonctionnement "
    "a été reçue; les dépenses pour la fête des voisins et l'achat de matériel de bureau "
    "respectent le budget adopté. Un membre demande que les pièces justificatives soient "
    "disponibles à la prochaine assemblée, ce qui est accepté.",
    "Des punaises de lit ont été signalées dans deux logements du deuxième étage. L'office a "
    "mandaté un exterminateur; les locataires voisins recevront un avis de préparation. Le "
    "comité rappelle que personne ne doit être blâmé et offre de l'aide aux personnes âgées pour "
    "préparer leur logement.",
    "Le déneigement du stationnement et des entrées laisse à désirer depuis le début de l'hiver. "
    "Des personnes à mobilité réduite ne peuvent pas sortir le matin. L'association écrira à "
    "l'office pour demander que le contrat de déneigement précise l'heure de passage et le "
    "déglaçage des marches.",
    "La présidence fait rapport de la rencontre du comité consultatif de résidants. Les "
    "priorités de travaux majeurs pour l'an prochain ont été présentées : réfection des "
    "toitures, remplacement des portes d'entrée et mise aux normes des systèmes d'alarme "
    "incendie. Le CCR a demandé d'être consulté sur l'ordre des chantiers.",
    "Le jardin communautaire a produit de belles récoltes. Une dizaine de familles y ont "
    "participé. Pour la prochaine saison, le comité propose d'ajouter deux bacs surélevés "
    "accessibles en fauteuil roulant et de demander un point d'eau plus près des parcelles.",
    "Les membres discutent de la sécurité dans les aires communes. L'éclairage du corridor "
    "arrière est brisé depuis plusieurs semaines et la porte du garage ne se verrouille plus. "
    "Le secrétariat fera une demande de service et relancera l'office si rien n'est fait d'ici "
    "deux semaines.",
    "L'ascenseur est tombé en panne à quatre reprises ce mois-ci. Des locataires âgés sont restés "
    "confinés à leur étage pendant une fin de semaine. L'association demande un plan de "
    "contingence, un numéro d'urgence affiché dans le hall et un suivi du contrat d'entretien "
    "de l'ascenseur.",
    "Une membre présente le projet de fête des voisins au mois de juin : repas partagé, "
    "jeux pour les enfants et kiosque d'information sur les droits des locataires. Des "
    "bénévoles se proposent pour l'animation, l'installation des tables et le rangement.",
    "Les travaux de rénovation des salles de bain commenceront au printemps. L'office prévoit "
    "reloger temporairement les locataires pendant deux semaines. Le comité demande une séance "
    "d'information, un calendrier par logement et le remboursement des frais de déménagement.",
    "Des traces de moisissures ont été observées dans les sous-sols et autour des fenêtres de "
    "plusieurs logements. Les locataires sont invités à le signaler par écrit. L'association "
    "demandera une inspection de la qualité de l'air et un plan de correction.",
    "Le comité rappelle le fonctionnement du programme d'aide aux locataires et des recours "
    "possibles auprès du Tribunal administratif du logement. Un atelier sur le bail et le "
    "calcul du loyer sera offert en collaboration avec l'organisateur communautaire.",
    "La question du stationnement pour les visiteurs revient encore. Des voitures non "
    "autorisées occupent les places réservées aux personnes handicapées. L'association propose "
    "une nouvelle signalisation et des vignettes pour les locataires.",
    "Le local communautaire a besoin d'un rafraîchissement : peinture, nouvelles chaises et "
    "une connexion internet pour les ateliers d'informatique. Le comité déposera une demande "
    "au programme de soutien aux initiatives communautaires de l'office.",
    "Le recyclage et la collecte des ordures posent problème : les bacs débordent et attirent "
    "les goélands. L'association demande à l'office d'ajouter un bac et d'afficher les consignes "
    "en plusieurs langues dans la salle des déchets.",
    "Les membres échangent sur l'accueil des nouveaux locataires. Une trousse de bienvenue sera "
    "préparée avec les coordonnées de l'association, le calendrier des assemblées, les règles "
    "de l'immeuble et les ressources du quartier.",
    "L'organisateur communautaire présente les formations offertes aux administratrices et "
    "administrateurs des associations : rôle de la présidence, tenue du procès-verbal, "
    "gestion financière et préparation d'une assemblée générale annuelle.",
    "Un échange a lieu sur la consultation de l'office au sujet de la politique de "
    "sélection et d'attribution des logements. Les membres souhaitent que les personnes en "
    "attente soient mieux informées des délais.",
    "Le comité de sécurité alimentaire poursuit le dépannage du jeudi. Les dons de la banque "
    "alimentaire régionale ont augmenté; il manque toutefois de bénévoles pour la distribution "
    "et le transport des denrées.",
    "La trésorerie dépose les états financiers vérifiés de l'exercice. Les revenus proviennent "
    "surtout de la subvention de l'office et des activités de financement. Les membres posent "
    "des questions sur les frais bancaires et sur le fonds de prévoyance.",
    "Les membres discutent de l'insonorisation entre les logements. Le bruit des planchers et "
    "des tuyaux est source de conflits entre voisins. L'association proposera une médiation "
    "citoyenne et demandera l'avis d'un technicien.",
    "Le comité prend connaissance de la lettre de l'office sur la hausse des frais d'électricité "
    "pour les climatiseurs. Les membres s'opposent à cette hausse et demandent des explications "
    "sur le calcul retenu.",
    "La présidence remercie les bénévoles qui ont participé à la corvée de nettoyage du "
    "printemps : ramassage des déchets autour des immeubles, plantation de fleurs et lavage "
    "des fenêtres du local communautaire.",
]
IN_CAMERA_ITEM = "Dossier d'un locataire"
CANCEL_REASONS = [
    "Tempête de neige : la réunion est reportée.",
    "Le local n'est pas disponible : la réunion est reportée.",
    "Le quorum ne pourra pas être atteint : la réunion est reportée.",
]


# --- the generation's state --------------------------------------------------------------------


@dataclass
class BodyInfo:
    id: int
    provider_id: int
    kind: BodyKind
    big: bool
    site_ids: list[int]
    #: Register entries: (member id, user id or None, role, current).
    members: list[tuple[int, int | None, MemberRole, bool]] = field(default_factory=list)

    def officer(self, role: MemberRole) -> tuple[int, int]:
        """(member id, user id) of the body's officer in `role` (they all have accounts)."""
        return next((m, u) for m, u, r, cur in self.members if r == role and cur and u)


@dataclass
class MeetingInfo:
    id: int
    body: BodyInfo
    kind: MeetingKind
    title: str
    starts_at: datetime
    ends_at: datetime
    status: MeetingStatus
    year_number: int | None
    #: (agenda item id, title, in camera)
    items: list[tuple[int, str, bool]] = field(default_factory=list)
    attendees: int = 0


@dataclass
class Province:
    """What the generators share: the size, the clock, the writer and what was made so far."""

    size: Size
    seed: int
    now: datetime
    password_hash: str
    counters: dict[str, int] = field(default_factory=dict)
    buffers: dict[str, list[dict]] = field(default_factory=dict)
    region_ids: list[int] = field(default_factory=list)
    #: provider id -> (region id, kind, name)
    providers: dict[int, tuple[int, ProviderKind, str]] = field(default_factory=dict)
    #: site id -> (provider id, address)
    sites: dict[int, tuple[int, str]] = field(default_factory=dict)
    #: site id -> [(user id, name, unit)]
    site_tenants: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    bodies: list[BodyInfo] = field(default_factory=list)
    meetings: list[MeetingInfo] = field(default_factory=list)
    #: Notable accounts: (role, email)
    logins: list[tuple[str, str]] = field(default_factory=list)
    #: region id -> [(partner id, kind, category)] (the directory, made with the needs)
    partners: dict[int, list[tuple[int, PartnerKind, str]]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.astimezone(clock.MONTREAL).date()

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def next_id(self, table: sa.Table) -> int:
        """The next id of `table` (ids are chosen here: no row is read back)."""
        if table.name not in self.counters:
            top = db.session.scalar(sa.select(sa.func.max(table.c.id)))
            self.counters[table.name] = top or 0
        self.counters[table.name] += 1
        return self.counters[table.name]

    def add(self, table: sa.Table, row: dict) -> None:
        """Queue a row; every queue is written (parents first) once one of them is full."""
        buffer = self.buffers.setdefault(table.name, [])
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for table in db.metadata.sorted_tables:  # parents before children (foreign keys)
            rows = self.buffers.get(table.name)
            if rows:
                write(table, rows)
                self.buffers[table.name] = []


class _RowContext:
    """What a context-sensitive column default reads of the row being inserted (the folded
    search keys are computed from the row's name, email, phone or unit)."""

    def __init__(self, row: dict):
        self._row = row

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> dict:
        return self._row


def write(table: sa.Table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) in the session's transaction: COPY on PostgreSQL
    (an executemany there runs one statement per row: ~4 000 rows a second), an executemany
    elsewhere. COPY skips SQLAlchemy, so the Python-side column defaults and each type's bind
    processing (UTC datetimes, enums, JSON) are applied here as a Core insert would."""
    conn = db.session.connection()
    if conn.dialect.name != "postgresql" or not hasattr(conn.connection.dbapi_connection, "cursor"):
        conn.execute(sa.insert(table), rows)
        return
    given = list(rows[0])
    defaults = [
        (c.name, c.default)
        for c in table.columns
        if c.name not in given and isinstance(c.default, sa.ColumnDefault)
    ]
    names = given + [name for name, _d in defaults]
    processors = [table.c[name].type._cached_bind_processor(conn.dialect) for name in names]
    quoted = ", ".join(f'"{name}"' for name in names)
    raw: Any = conn.connection.dbapi_connection  # psycopg's Connection, in the transaction
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            values = [row[name] for name in given]
            for _name, default in defaults:
                values.append(default.arg(_RowContext(row)) if default.is_callable else default.arg)
            copy.write_row(
                [v if proc is None else proc(v) for v, proc in zip(values, processors, strict=True)]
            )


def _t(model: Any) -> sa.Table:
    return model.__table__


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.MONTREAL)


# --- generators, one per domain ----------------------------------------------------------------


def generate_orgs(p: Province) -> None:
    """Regions, providers (offices first: the big ones hold the big bodies) and their sites."""
    rng = p.rng("orgs")
    s = p.size
    for i in range(s.regions):
        rid = p.next_id(_t(Region))
        name = REGIONS[i % len(REGIONS)] + ("" if i < len(REGIONS) else f" {i // len(REGIONS)}")
        p.add(_t(Region), {"id": rid, "name": name})
        p.region_ids.append(rid)
    offices = max(s.big_bodies + 1, round(s.providers * 0.3))
    coops = round(s.providers * 0.2)
    for i in range(s.providers):
        kind = (
            ProviderKind.OFFICE
            if i < offices
            else ProviderKind.COOP
            if i < offices + coops
            else ProviderKind.OBNL
        )
        town = TOWNS[i % len(TOWNS)]
        name = {
            ProviderKind.OFFICE: f"Office d'habitation de {town}",
            ProviderKind.COOP: f"Coopérative d'habitation {rng.choice(SITE_WORDS)} de {town}",
            ProviderKind.OBNL: f"Habitations communautaires de {town}",
        }[kind] + f" ({i + 1})"
        pid = p.next_id(_t(Provider))
        region_id = p.region_ids[i % len(p.region_ids)]
        p.add(_t(Provider), {"id": pid, "region_id": region_id, "kind": kind, "name": name})
        p.providers[pid] = (region_id, kind, name)
        for j in range(s.sites_per_provider):
            sid = p.next_id(_t(Site))
            address = f"{10 + rng.randrange(2000)}, {rng.choice(STREETS)}, {town}"
            p.sites[sid] = (pid, address)
            p.site_tenants[sid] = []
            p.add(
                _t(Site),
                {
                    "id": sid,
                    "provider_id": pid,
                    "name": f"{rng.choice(SITE_NAMES)} {rng.choice(SITE_WORDS)} {j + 1}",
                    "address": address,
                    "units_count": 0,  # set once the tenants are placed
                    "program": {"office": "HLM", "coop": "COOP", "obnl": "OBNL"}[kind.value],
                },
            )


def _big_provider_ids(p: Province) -> list[int]:
    return list(p.providers)[: p.size.big_bodies]


def generate_tenants(p: Province) -> None:
    """Every tenant: an account (one shared password hash) and a tenancy. The big offices'
    sites get enough tenants for a body of `big_members`; the rest is spread over every site."""
    rng = p.rng("tenants")
    s = p.size
    big_sites = [sid for sid, (pid, _a) in p.sites.items() if pid in set(_big_provider_ids(p))]
    need = math.ceil(s.big_members * 0.85 * 1.15)  # accounts of a big register, and a margin
    per_site: dict[int, int] = dict.fromkeys(p.sites, 0)
    for sid in big_sites:
        per_site[sid] = math.ceil(need / s.sites_per_provider)
    rest = s.tenants - sum(per_site.values())
    if rest < 0:
        raise click.ClickException("too few tenants for the big bodies of this size")
    others = [sid for sid in p.sites if sid not in set(big_sites)] or list(p.sites)
    for k in range(rest):
        per_site[others[k % len(others)]] += 1
    users, tenancies = _t(User), _t(Tenancy)
    number = 0
    for sid, count in per_site.items():
        floor = 1 + rng.randrange(3)
        for k in range(count):
            number += 1
            uid = p.next_id(users)
            name = _name(rng)
            unit = f"{floor + k // 12}{k % 12 + 1:02d}"
            has_email = rng.random() < 0.7
            slug = fold(name).replace(" ", ".").replace("'", "")
            p.add(
                users,
                {
                    "id": uid,
                    "name": name,
                    "email": f"{slug}.{number}@{EMAIL_DOMAIN}" if has_email else None,
                    "phone": f"8195{number:06d}" if not has_email or rng.random() < 0.2 else None,
                    "password_hash": p.password_hash,
                    "locale": "en" if rng.random() < 0.1 else "fr_CA",
                    "active": True,
                },
            )
            p.add(
                tenancies,
                {"id": p.next_id(tenancies), "user_id": uid, "site_id": sid, "unit": unit},
            )
            p.site_tenants[sid].append((uid, name, unit))
    p.flush()
    sites = _t(Site)
    housed = sa.select(sa.func.count()).where(tenancies.c.site_id == sites.c.id).scalar_subquery()
    db.session.execute(sa.update(sites).values(units_count=housed + 4))  # a few units vacant


def _staff_user(p: Province, label: str, email: str, name: str) -> int:
    uid = p.next_id(_t(User))
    p.add(
        _t(User),
        {
            "id": uid,
            "name": name,
            "email": email,
            "phone": None,
            "password_hash": p.password_hash,
            "locale": "fr_CA",
            "active": True,
        },
    )
    p.logins.append((label, email))
    return uid


def generate_staff(p: Province) -> None:
    """An OC per region, an ISC and the direction of each office, an OC for the whole province
    (an assignment in every region: the widest scope there is) and an administrator."""
    rng = p.rng("staff")
    table = _t(StaffAssignment)

    def assign(uid: int, role: StaffRole, region_id=None, provider_id=None, employer=""):
        p.add(
            table,
            {
                "id": p.next_id(table),
                "user_id": uid,
                "role": role,
                "region_id": region_id,
                "provider_id": provider_id,
                "employer": employer,
            },
        )

    admin = _staff_user(p, "admin", f"admin@{EMAIL_DOMAIN}", "Ada Administratrice")
    assign(admin, StaffRole.ADMIN)
    wide = _staff_user(p, "OC (every region)", f"oc.province@{EMAIL_DOMAIN}", _name(rng))
    for n, rid in enumerate(p.region_ids, start=1):
        uid = _staff_user(p, f"OC (region {n})", f"oc.region{n}@{EMAIL_DOMAIN}", _name(rng))
        assign(uid, StaffRole.OC, region_id=rid, employer="CISSS")
        assign(wide, StaffRole.OC, region_id=rid, employer="Regroupement provincial")
    for pid, (_rid, kind, name) in p.providers.items():
        if kind != ProviderKind.OFFICE:
            continue
        isc = _staff_user(p, f"ISC (provider {pid})", f"isc.{pid}@{EMAIL_DOMAIN}", _name(rng))
        assign(isc, StaffRole.ISC, provider_id=pid, employer=name)
        direction = _staff_user(
            p, f"direction (provider {pid})", f"direction.{pid}@{EMAIL_DOMAIN}", _name(rng)
        )
        assign(direction, StaffRole.DIRECTION, provider_id=pid, employer=name)


def _register(
    p: Province,
    rng: random.Random,
    body: BodyInfo,
    tenants: list[tuple[int, str, str, int]],
    paper: int,
    source: SeatSource,
    officer_source: SeatSource = SeatSource.ELECTED,
) -> None:
    """Register entries of `body`: the first three of `tenants` are its officers, a few former
    members, `paper` entries without an account."""
    table = _t(Member)
    since = p.today - timedelta(days=5 * 365)
    linked = p.now - timedelta(days=4 * 365)
    officers = (MemberRole.PRESIDENT, MemberRole.SECRETARY, MemberRole.TREASURER)
    for index, (uid, name, unit, sid) in enumerate(tenants):
        role = officers[index] if index < len(officers) else MemberRole.MEMBER
        former = index >= len(officers) and rng.random() < 0.03
        mid = p.next_id(table)
        p.add(
            table,
            {
                "id": mid,
                "body_id": body.id,
                "user_id": uid,
                "name": name,
                "site_id": sid,
                "unit": unit,
                "phone": "",
                "is_adult": True,
                "consent_contact": index % 3 == 0,
                "consent_recorded_at": linked if index % 3 == 0 else None,
                "role": role,
                "seat_source": officer_source if index < len(officers) else source,
                "since": since,
                "until": p.today - timedelta(days=30 + rng.randrange(300)) if former else None,
                "linked_at": linked,
            },
        )
        body.members.append((mid, uid, role, not former))
    for _k in range(paper):
        sid = rng.choice(body.site_ids)
        mid = p.next_id(table)
        p.add(
            table,
            {
                "id": mid,
                "body_id": body.id,
                "user_id": None,
                "name": _name(rng),
                "site_id": sid,
                "unit": str(900 + rng.randrange(99)),
                "phone": f"418555{rng.randrange(10_000):04d}" if rng.random() < 0.5 else "",
                "is_adult": rng.random() > 0.05,
                "consent_contact": False,
                "consent_recorded_at": None,
                "role": MemberRole.MEMBER,
                "seat_source": SeatSource.REGISTERED,
                "since": since,
                "until": None,
                "linked_at": None,
            },
        )
        body.members.append((mid, None, MemberRole.MEMBER, True))


def generate_bodies(p: Province) -> None:
    """Bodies and their registers: a big ADL over each big office's sites (`big_members`
    entries), a CCR per office (delegates from its sites), and ADLs of one site each (committees
    of the same sites once every site has its ADL)."""
    rng = p.rng("bodies")
    s = p.size
    bodies, links = _t(Body), body_sites
    recognized = p.today - timedelta(days=3 * 365)
    by_provider: dict[int, list[int]] = {}
    for sid, (pid, _a) in p.sites.items():
        by_provider.setdefault(pid, []).append(sid)

    def new_body(pid: int, kind: BodyKind, name: str, site_ids: list[int], big=False):
        bid = p.next_id(bodies)
        p.add(
            bodies,
            {
                "id": bid,
                "provider_id": pid,
                "kind": kind,
                "name": name[:160],
                "recognized_on": recognized if kind != BodyKind.COMMITTEE else None,
            },
        )
        for sid in site_ids:
            p.add(links, {"body_id": bid, "site_id": sid})
        body = BodyInfo(bid, pid, kind, big, site_ids)
        p.bodies.append(body)
        return body

    def tenants_of(site_ids: list[int]) -> list[tuple[int, str, str, int]]:
        return [(u, n, unit, sid) for sid in site_ids for (u, n, unit) in p.site_tenants[sid]]

    big_ids = _big_provider_ids(p)
    for pid in big_ids:
        town = p.providers[pid][2].split(" de ", 1)[-1]
        body = new_body(
            pid, BodyKind.ADL, f"Association des locataires de {town}", by_provider[pid], big=True
        )
        accounts = round(s.big_members * 0.85)
        pool = tenants_of(body.site_ids)
        _register(
            p,
            rng,
            body,
            rng.sample(pool, accounts),
            s.big_members - accounts,
            SeatSource.REGISTERED,
        )
    for pid, (_rid, kind, name) in p.providers.items():
        if kind != ProviderKind.OFFICE or len(p.bodies) >= s.bodies:
            continue
        body = new_body(
            pid, BodyKind.CCR, f"Comité consultatif de résidants — {name}", by_provider[pid]
        )
        pool = tenants_of(body.site_ids)
        # Its associations come later: every seat is appointed by the office (orgs.seats).
        sample = rng.sample(pool, min(7, len(pool)))
        _register(p, rng, body, sample, 0, SeatSource.APPOINTED, SeatSource.APPOINTED)
    free_sites = [sid for pid, sids in by_provider.items() if pid not in big_ids for sid in sids]
    for round_ in itertools.count():
        if len(p.bodies) >= s.bodies or not free_sites:
            break
        for sid in free_sites:
            if len(p.bodies) >= s.bodies:
                break
            pid = p.sites[sid][0]
            pool = tenants_of([sid])
            if len(pool) < 4:
                continue
            body_kind = BodyKind.ADL if round_ == 0 else BodyKind.COMMITTEE
            label = "Association des locataires" if round_ == 0 else f"Comité de secteur {round_}"
            body = new_body(pid, body_kind, f"{label} — site {sid}", [sid])
            count = min(len(pool), 8 + rng.randrange(20))
            _register(
                p, rng, body, rng.sample(pool, count), rng.randrange(4), SeatSource.REGISTERED
            )


@lru_cache(maxsize=32)
def _agenda(kind: MeetingKind) -> tuple[tuple[str, AgendaItemKind], ...]:
    with force_locale("fr_CA"):
        return tuple((str(title), k) for title, k in items_for(kind))


def _minutes_title() -> str:
    with force_locale("fr_CA"):
        return str(MINUTES[0])


def generate_meetings(p: Province) -> None:
    """Each body's meetings, monthly (every two weeks for the big ones) up to today, two coming
    ones with their notice out and a draft; an AGM a year; a few cancelled; their agendas
    (with an in-camera item now and then) and RSVPs to the next one."""
    rng = p.rng("meetings")
    s = p.size
    meetings, items, rsvps = _t(Meeting), _t(AgendaItem), _t(Rsvp)
    small_bodies = [b for b in p.bodies if not b.big]
    rest = s.meetings - s.big_meetings * (len(p.bodies) - len(small_bodies))
    per_small = [rest // max(1, len(small_bodies))] * len(small_bodies)
    for k in range(rest - sum(per_small)):
        per_small[k % len(per_small)] += 1
    counts = iter(per_small)
    for body in p.bodies:
        n = s.big_meetings if body.big else next(counts)
        interval = 14 if body.big else 30
        upcoming = min(3, max(1, n // 4))
        secretary_uid = body.officer(MemberRole.SECRETARY)[1]
        year_counts: dict[int, int] = {}
        address = p.sites[body.site_ids[0]][1]
        for j in range(n):
            offset = (j - (n - upcoming)) * interval + 1 + rng.randrange(interval // 3)
            day = p.today + timedelta(days=offset)
            if body.kind == BodyKind.CCR:
                kind = MeetingKind.CCR_JOINT if j % 3 == 2 else MeetingKind.CCR_TENANTS
                title = "Rencontre du CCR" + (" conjointe avec l'office" if j % 3 == 2 else "")
            elif j % 12 == 0:
                kind, title = MeetingKind.AGM, "Assemblée générale annuelle"
            else:
                kind, title = MeetingKind.BOARD, "Réunion du conseil d'administration"
            starts = _local(day, 19)
            ends = starts + timedelta(hours=3 if kind == MeetingKind.AGM else 2)
            future = ends > p.now
            status = MeetingStatus.PUBLISHED
            if future and j == n - 1 and upcoming > 1:
                status = MeetingStatus.DRAFT
            elif not future and rng.random() < 0.04:
                status = MeetingStatus.CANCELLED
            published_at = None
            year_number = None
            if status != MeetingStatus.DRAFT:
                published_at = starts - timedelta(days=12)
                year_counts[day.year] = year_counts.get(day.year, 0) + 1
                year_number = year_counts[day.year]
            past_held = status == MeetingStatus.PUBLISHED and not future
            mid = p.next_id(meetings)
            p.add(
                meetings,
                {
                    "id": mid,
                    "body_id": body.id,
                    "kind": kind,
                    "title": title,
                    "starts_at": starts,
                    "ends_at": ends,
                    "place": "Salle communautaire",
                    "address": address,
                    "video_url": "",
                    "audience": Audience.SITE_TENANTS
                    if kind == MeetingKind.AGM
                    else Audience.MEMBERS,
                    "status": status,
                    "published_at": published_at,
                    "late_notice": False,
                    "cancelled_at": starts - timedelta(days=2)
                    if status == MeetingStatus.CANCELLED
                    else None,
                    "cancel_reason": rng.choice(CANCEL_REASONS)
                    if status == MeetingStatus.CANCELLED
                    else "",
                    "sequence": 1 if status == MeetingStatus.CANCELLED else 0,
                    "year_number": year_number,
                    "guests_count": rng.randrange(3) if past_held else 0,
                    "oc_invited": kind == MeetingKind.AGM,
                    "opened_at": starts + timedelta(minutes=5) if past_held else None,
                    "adjourned_at": ends - timedelta(minutes=15) if past_held else None,
                    "quorum_reached_at": None,  # set by the attendance generator
                    "created_by_id": secretary_uid,
                },
            )
            info = MeetingInfo(mid, body, kind, title, starts, ends, status, year_number)
            agenda = list(_agenda(kind))
            if kind == MeetingKind.BOARD and rng.random() < 0.05:
                agenda.insert(len(agenda) - 2, (IN_CAMERA_ITEM, AgendaItemKind.DISCUSSION))
            for position, (item_title, item_kind) in enumerate(agenda, start=1):
                iid = p.next_id(items)
                in_camera = item_title == IN_CAMERA_ITEM
                p.add(
                    items,
                    {
                        "id": iid,
                        "meeting_id": mid,
                        "position": position,
                        "title": item_title,
                        "description": "",
                        "kind": item_kind,
                        "presenter": "",
                        "expected_minutes": 10,
                        "in_camera": in_camera,
                    },
                )
                info.items.append((iid, item_title, in_camera))
            p.meetings.append(info)
            if future and status == MeetingStatus.PUBLISHED and j == n - upcoming:
                answers = (RsvpAnswer.YES, RsvpAnswer.YES, RsvpAnswer.MAYBE, RsvpAnswer.NO)
                with_account = [u for _m, u, _r, cur in body.members if u and cur]
                for k, uid in enumerate(with_account[: 40 if body.big else 10]):
                    answer = answers[k % len(answers)]
                    p.add(
                        rsvps,
                        {
                            "id": p.next_id(rsvps),
                            "meeting_id": mid,
                            "user_id": uid,
                            "answer": answer,
                            "party_size": 0 if answer == RsvpAnswer.NO else 1 + k % 2,
                        },
                    )


def generate_attendance(p: Province) -> None:
    """Who attended each meeting held: the officers always, and a share of the current members
    (paper members signed the sheet at the door); quorum reached when they were enough."""
    rng = p.rng("attendance")
    table = _t(Attendance)
    meetings = _t(Meeting)
    reached: list[int] = []
    for m in p.meetings:
        if m.status != MeetingStatus.PUBLISHED or m.ends_at > p.now:
            continue
        body = m.body
        secretary_uid = body.officer(MemberRole.SECRETARY)[1]
        current = [(mid, uid, role) for mid, uid, role, cur in body.members if cur]
        share = rng.uniform(0.15, 0.35) if body.big else rng.uniform(0.4, 0.8)
        present = [
            (mid, uid)
            for mid, uid, role in current
            if role != MemberRole.MEMBER or rng.random() < share
        ]
        at = m.starts_at + timedelta(minutes=10)
        for mid, uid in present:
            p.add(
                table,
                {
                    "id": p.next_id(table),
                    "meeting_id": m.id,
                    "member_id": mid,
                    "recorded_by_id": secretary_uid,
                    "recorded_at": at,
                    "on_paper": uid is None,
                    "left_at": None,
                },
            )
        m.attendees = len(present)
        if len(present) >= max(5, math.ceil(len(current) * 0.10)):
            reached.append(m.id)
    p.flush()
    for chunk in _chunks(reached, 900):  # quorum was there when the meeting was opened
        db.session.execute(
            sa.update(meetings)
            .where(meetings.c.id.in_(chunk))
            .values(quorum_reached_at=meetings.c.opened_at)
        )


def _chunks(values: list, n: int):
    for k in range(0, len(values), n):
        yield values[k : k + n]


@lru_cache(maxsize=4096)
def _html(block: str) -> str:
    return str(render(block))


def _minutes_text(
    rng: random.Random, m: MeetingInfo, long: bool, adjourned: str
) -> tuple[list[tuple[int | None, str, str, bool]], str, str]:
    """Sections (agenda item id, title, markdown, in camera), the public Markdown and its HTML
    (rendered block by block: each block's HTML is cached, and Markdown blocks separated by a
    blank line render to the concatenation of their HTML)."""
    with force_locale("fr_CA"):
        opening_title = _("Opening, attendance and quorum")
    opening = (
        f"La séance est ouverte à 19 h 05. {m.attendees} membres sont présents; "
        "le quorum est constaté."
    )
    sections: list[tuple[int | None, str, str, bool]] = [(None, opening_title, opening, False)]
    for iid, title, in_camera in m.items:
        count = (2 + rng.randrange(2)) if long else rng.randrange(2)
        body = "\n\n".join(rng.sample(PARAGRAPHS, count)) if count else ""
        if in_camera:
            body = "Discussion à huis clos."
        sections.append((iid, title, body, in_camera))
    # "entretien" in every minutes: the paragraph that opens the first item's notes
    first = sections[1] if len(sections) > 1 else sections[0]
    if "entretien" not in first[2] and not first[3]:
        sections[sections.index(first)] = (
            first[0],
            first[1],
            PARAGRAPHS[0] + "\n\n" + first[2],
            False,
        )
    blocks = [f"## {m.title}"]
    for _iid, title, body, in_camera in sections:
        if in_camera:
            continue
        blocks.append(f"### {title}")
        blocks += [b for b in body.split("\n\n") if b.strip()]
    blocks.append(adjourned)
    text = "\n\n".join(blocks) + "\n"
    html = "".join(_html(b) for b in blocks)
    return sections, text, html


def generate_minutes(p: Province) -> None:
    """Published minutes: the big bodies' every eligible meeting (so a search has 50 hits of
    6 KB), then meetings drawn from the other bodies; each approved by a resolution of the
    body's next meeting held, signed, published, versioned and indexed for search."""
    rng = p.rng("minutes")
    s = p.size
    t_minutes, t_sections, t_versions = _t(Minutes), _t(MinutesSection), _t(MinutesVersion)
    t_search, t_resolutions = _t(MinutesSearch), _t(Resolution)
    minutes_title = _minutes_title()
    held: dict[int, list[MeetingInfo]] = {}
    for m in p.meetings:
        if m.status == MeetingStatus.PUBLISHED and m.ends_at <= p.now:
            held.setdefault(m.body.id, []).append(m)
    pairs_big: list[tuple[MeetingInfo, MeetingInfo]] = []
    pairs_other: list[tuple[MeetingInfo, MeetingInfo]] = []
    for meetings in held.values():
        for m, nxt in itertools.pairwise(meetings):
            if nxt.ends_at + timedelta(days=3) <= p.now:
                (pairs_big if m.body.big else pairs_other).append((m, nxt))
    rng.shuffle(pairs_other)
    chosen = (pairs_big + pairs_other)[: s.published_minutes]
    chosen.sort(key=lambda pair: pair[0].id)
    seq_of: dict[int, int] = {}
    search_first = None
    for m, nxt in chosen:
        body = m.body
        secretary_mid, secretary_uid = body.officer(MemberRole.SECRETARY)
        president_mid, president_uid = body.officer(MemberRole.PRESIDENT)
        seq_of[nxt.id] = seq_of.get(nxt.id, 0) + 1
        seq = seq_of[nxt.id]
        rid = p.next_id(t_resolutions)
        year = nxt.starts_at.astimezone(clock.MONTREAL).year
        day = m.starts_at.astimezone(clock.MONTREAL)
        p.add(
            t_resolutions,
            {
                "id": rid,
                "meeting_id": nxt.id,
                "agenda_item_id": next((i for i, t, _c in nxt.items if t == minutes_title), None),
                "seq": seq,
                "number": f"{year:04d}-{nxt.year_number or 0:02d}-{seq:02d}",
                "text": f"que le procès-verbal de la réunion du {day:%Y-%m-%d} soit adopté tel "
                "que présenté.",
                "moved_by_id": secretary_mid,
                "seconded_by_id": president_mid,
                "outcome": ResolutionOutcome.CARRIED_UNANIMOUSLY,
                "votes_for": None,
                "votes_against": None,
                "abstentions": None,
                "casting_vote": False,
            },
        )
        adjourned_local = (m.ends_at - timedelta(minutes=15)).astimezone(clock.MONTREAL)
        with force_locale("fr_CA"):
            adjourned = _(
                "The meeting was adjourned at %(time)s.", time=clock_time(adjourned_local.time())
            )
        long = body.big or rng.random() < 0.25
        sections, text, html = _minutes_text(rng, m, long, adjourned)
        signed = nxt.ends_at + timedelta(days=1)
        published = nxt.ends_at + timedelta(days=2)
        mid = p.next_id(t_minutes)
        p.add(
            t_minutes,
            {
                "id": mid,
                "meeting_id": m.id,
                "body_id": body.id,
                "state": MinutesState.PUBLISHED,
                "version": 1,
                "adjourned_at": time(adjourned_local.hour, adjourned_local.minute),
                "approving_meeting_id": nxt.id,
                "proposed_at": m.ends_at + timedelta(days=3),
                "approved_at": nxt.starts_at + timedelta(minutes=30),
                "approved_by_resolution_id": rid,
                "president_signed_by_id": president_uid,
                "president_signed_at": signed,
                "secretary_signed_by_id": secretary_uid,
                "secretary_signed_at": signed,
                "published_at": published,
                "created_by_id": secretary_uid,
                "updated_by_id": secretary_uid,
            },
        )
        for position, (iid, title, markdown, in_camera) in enumerate(sections):
            p.add(
                t_sections,
                {
                    "id": p.next_id(t_sections),
                    "minutes_id": mid,
                    "agenda_item_id": iid,
                    "position": position,
                    "title": title[:200],
                    "body_markdown": markdown,
                    "in_camera": in_camera,
                },
            )
        p.add(
            t_versions,
            {
                "id": p.next_id(t_versions),
                "minutes_id": mid,
                "number": 1,
                "text_markdown": text,
                "rendered_html": html,
                "author_id": secretary_uid,
                "created_at": published,
                "change_note": "",
            },
        )
        sid = p.next_id(t_search)
        search_first = search_first or sid
        p.add(
            t_search,
            {
                "id": sid,
                "minutes_id": mid,
                "body_id": body.id,
                "content": text,
                "content_folded": fold(text),
            },
        )
    p.flush()
    if search_first is not None:
        fill_search_index(search_first)


def fill_search_index(first_id: int) -> None:
    """The engine's index of minutes_search rows from `first_id` on: SQLite's FTS5 table (rowid
    = minutes_search.id, the body id a token of its own column); PostgreSQL's generated tsvector
    column and its GIN index follow the table by themselves. (index_minutes in
    tenantvoice.minutes.search does the same one row at a time.)"""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(
            sa.text(
                "INSERT INTO minutes_fts (rowid, body, content) "
                "SELECT id, body_id, content FROM minutes_search WHERE id >= :first"
            ),
            {"first": first_id},
        )


# --- collective needs (issue 13) ---------------------------------------------------------------

_NEED_TITLES = [
    ("ALI", "Comptoir d'aide alimentaire", "Plusieurs familles manquent de nourriture."),
    ("SEC", "Éclairage du stationnement", "Le stationnement est sombre le soir."),
    ("ENT", "Entretien des corridors", "Les corridors ne sont pas lavés depuis des semaines."),
    ("JEU", "Aide aux devoirs", "Les jeunes n'ont pas d'endroit calme pour étudier."),
    ("ISO", "Café-rencontre des aînés", "Beaucoup d'aînés vivent seuls."),
    ("JAR", "Jardin communautaire", "Des bacs surélevés dans la cour."),
    ("TRA", "Transport vers l'épicerie", "Pas d'autobus le samedi."),
    ("EQU", "Buanderie en panne", "Deux laveuses sur trois sont brisées."),
    ("VIE", "Salle communautaire", "La salle est fermée depuis l'été."),
    ("SMN", "Détresse de voisins", "Plusieurs voisins vont mal."),
    ("VER", "Punaises de lit", "Plusieurs logements touchés."),
    ("BUD", "Retards de loyer", "Plusieurs ménages ont de la difficulté à payer."),
]
_NEED_STATUSES = [
    (NeedStatus.RAISED, 15),
    (NeedStatus.CONFIRMED, 10),
    (NeedStatus.FORWARDED, 20),
    (NeedStatus.ACKNOWLEDGED, 15),
    (NeedStatus.INFO_REQUESTED, 5),
    (NeedStatus.REFERRED, 15),
    (NeedStatus.ACTION_PLANNED, 8),
    (NeedStatus.CLOSED, 12),
]
_ACTION_OF = {
    NeedStatus.ACKNOWLEDGED: EventKind.ACKNOWLEDGED,
    NeedStatus.INFO_REQUESTED: EventKind.INFO_REQUESTED,
    NeedStatus.REFERRED: EventKind.REFERRED,
    NeedStatus.ACTION_PLANNED: EventKind.ACTION_PLANNED,
    NeedStatus.CLOSED: EventKind.CLOSED,
}
_OFFICE_CODES = ("ENT", "SEC", "EQU")
#: The groups a need may name besides its first ("everyone" stands alone).
_GROUPS = [p for p in Population if p != Population.EVERYONE]
_PARTNERS = (
    (PartnerKind.CISSS, "CISSS — santé mentale"),
    (PartnerKind.CISSS, "CISSS — soutien à domicile"),
    (PartnerKind.COMMUNITY, "Banque alimentaire"),
    (PartnerKind.COMMUNITY, "Consultation budgétaire"),
    (PartnerKind.MUNICIPAL, "Transport municipal"),
)


def _need_event(p: Province, need_id: int, kind: EventKind, at: datetime, **extra: Any) -> None:
    table = _t(NeedEvent)
    row = {
        "id": p.next_id(table),
        "need_id": need_id,
        "kind": kind,
        "public_text": "",
        "staff_note": "",
        "actor_id": None,
        "partner_id": None,
        "resolution_id": None,
        "other_need_id": None,
        "created_at": at,
    }
    row.update(extra)
    p.add(table, row)


def _need_reviewers(p: Province) -> tuple[dict[int, int], dict[int, int]]:
    """Site -> its ADL; provider -> its CCR."""
    adl: dict[int, int] = {}
    ccr: dict[int, int] = {}
    for body in p.bodies:
        if body.kind == BodyKind.ADL:
            for sid in body.site_ids:
                adl.setdefault(sid, body.id)
        elif body.kind == BodyKind.CCR:
            ccr.setdefault(body.provider_id, body.id)
    return adl, ccr


def generate_needs(p: Province) -> None:
    """Needs across every site with tenants, in every status, each supported by its author and
    about nine neighbours, ten supports a need on average (one support per person and need);
    forwards in the body's words to the organizer; one organizer action on those past it; five
    partners per region."""
    if not p.size.needs:
        return
    rng = p.rng("needs")
    partners: dict[int, list[int]] = {}
    for region_id in p.region_ids:
        for kind, name in _PARTNERS:
            pid = p.next_id(_t(Partner))
            p.add(
                _t(Partner),
                {
                    "id": pid,
                    "region_id": region_id,
                    "kind": kind,
                    "name": f"{name} {region_id}",
                    "service": name,
                    "phone": "",
                    "website": "",
                    "active": True,
                },
            )
            partners.setdefault(region_id, []).append(pid)
            p.partners.setdefault(region_id, []).append((pid, kind, name))
    adl, ccr = _need_reviewers(p)
    sites = sorted(sid for sid, people in p.site_tenants.items() if people)
    statuses = [s for s, _w in _NEED_STATUSES]
    weights = [w for _s, w in _NEED_STATUSES]
    for _n in range(p.size.needs):
        sid = rng.choice(sites)
        provider_id = p.sites[sid][0]
        region_id, provider_kind, _pname = p.providers[provider_id]
        body_id = adl.get(sid) or ccr.get(provider_id)
        code, title, text = rng.choice(_NEED_TITLES)
        codes = [code]
        if rng.random() < 0.3:
            codes = list(dict.fromkeys([code, rng.choice(["ISO", "JEU", "ALI", "AIN"])]))
        sensitive = any(c in SENSITIVE_CODES for c in codes)
        status = rng.choices(statuses, weights)[0]
        if body_id is None and status in (NeedStatus.RAISED, NeedStatus.CONFIRMED):
            status = NeedStatus.FORWARDED
        created = p.now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
        people = p.site_tenants[sid]
        # A mean of 10.7 before flooring and the cap of the site: ten supports a need.
        count = min(len(people), max(1, int(rng.expovariate(1 / 10.7))))
        supporters = rng.sample(people, count)
        forwarded_at = None
        if status not in (NeedStatus.RAISED, NeedStatus.CONFIRMED):
            forwarded_at = created + timedelta(days=rng.randint(1, 20))
        action = _ACTION_OF.get(status)
        acted_at = None
        if action is not None and forwarded_at is not None:
            acted_at = forwarded_at + timedelta(hours=rng.randint(2, 400))
        wording = f"L'association relaie : {title.lower()} ({p.sites[sid][1]})."
        to_direction = forwarded_at is not None and code in _OFFICE_CODES
        populations = [rng.choice(list(Population))]
        if populations[0] != Population.EVERYONE and rng.random() < 0.25:
            populations = list(dict.fromkeys([*populations, rng.choice(_GROUPS)]))
        nid = p.next_id(_t(Need))
        p.add(
            _t(Need),
            {
                "id": nid,
                "site_id": sid,
                "provider_id": provider_id,
                "provider_kind": provider_kind,
                "region_id": region_id,
                "reviewing_body_id": body_id,
                "origin": Origin.TENANT,
                "author_id": supporters[0][0],
                "anonymous": rng.random() < 0.8,
                "share_text": rng.random() < 0.3,
                "title": title,
                "description": text,
                "urgency": rng.choice(list(Urgency)),
                "sensitive": sensitive,
                "category": codes[0],
                "category_mask": category_mask(codes),
                "status": status,
                "supporters_count": len(supporters),
                "to_organizer": forwarded_at is not None,
                "to_direction": to_direction,
                "priority": NeedPriority.NORMAL,
                "created_at": created,
                "updated_at": acted_at or forwarded_at or created,
                "forwarded_at": forwarded_at,
                "first_response_seconds": (
                    int((acted_at - forwarded_at).total_seconds())
                    if acted_at and forwarded_at
                    else None
                ),
                "closed_at": acted_at if status == NeedStatus.CLOSED else None,
                "search_key": "" if sensitive else search_key(title, text),
                "organizer_search_key": search_key(wording) if forwarded_at and body_id else "",
            },
        )
        for position, c in enumerate(codes):
            p.add(_t(NeedCategory), {"need_id": nid, "code": c, "position": position})
        for population in populations:
            p.add(_t(NeedPopulation), {"need_id": nid, "population": population})
        for uid, _name, _unit in supporters:
            p.add(_t(NeedSupport), {"need_id": nid, "user_id": uid, "created_at": created})
        _need_event(p, nid, EventKind.RAISED, created)
        if forwarded_at is not None and body_id is not None:
            p.add(
                _t(NeedForward),
                {
                    "id": p.next_id(_t(NeedForward)),
                    "need_id": nid,
                    "body_id": body_id,
                    "wording": wording,
                    "priority": NeedPriority.NORMAL,
                    "note": "",
                    "to_organizer": True,
                    "to_direction": to_direction,
                    "created_at": forwarded_at,
                },
            )
            _need_event(p, nid, EventKind.FORWARDED, forwarded_at)
        if action is not None and acted_at is not None:
            partner = rng.choice(partners[region_id]) if action == EventKind.REFERRED else None
            _need_event(
                p,
                nid,
                action,
                acted_at,
                public_text="Suivi de l'organisation communautaire.",
                partner_id=partner,
            )


_LOGBOOK_KINDS = (
    (LogbookKind.INDIVIDUAL, 0.55),
    (LogbookKind.COLLECTIVE, 0.45),
    (LogbookKind.GROUP_PROJECT, 0.5),
    (LogbookKind.ASSOCIATION, 0.15),
    (LogbookKind.CONCERTATION, 0.1),
    (LogbookKind.PREVENTION, 0.2),
)
_LOGBOOK_POPULATIONS = (
    (Population.FAMILIES, 0.45),
    (Population.YOUTH, 0.35),
    (Population.SENIORS, 0.12),
    (Population.ALONE, 0.04),
    (Population.NEWCOMERS, 0.02),
    (Population.DISABILITIES, 0.02),
)
_THEMES = ("ALI", "ISO", "AIN", "SMN", "JEU", "BUD", "COH", "INF", "ENT", "SEC")


def generate_logbook(p: Province) -> None:
    """Interventions over two years by each region's organizer (the coordinator of its region's
    logbook) and each office's ISC, at the sites of their scope: kinds and populations as bits,
    one or two themes, one in five with a referral to the region's directory (a fifth of them to
    a partner not listed); an association linked when the kind is support to it. Never a name."""
    if not p.size.interventions:
        return
    rng = p.rng("logbook")
    staff = _t(StaffAssignment)
    rows = db.session.execute(
        sa.select(staff.c.user_id, staff.c.role, staff.c.region_id, staff.c.provider_id).where(
            staff.c.role.in_([StaffRole.OC, StaffRole.ISC]),
            staff.c.employer != "Regroupement provincial",
        )
    ).all()
    region_oc: dict[int, int] = {}
    provider_isc: dict[int, int] = {}
    for uid, role, region_id, provider_id in rows:
        if role == StaffRole.OC and region_id:
            region_oc.setdefault(region_id, uid)
        elif provider_id:
            provider_isc.setdefault(provider_id, uid)
    db.session.execute(
        sa.update(staff)
        .where(staff.c.user_id.in_(sorted(set(region_oc.values()))), staff.c.region_id.is_not(None))
        .values(coordinator=True)
    )
    adl, ccr = _need_reviewers(p)
    sites = sorted(p.sites)
    interventions, themes, referrals = (
        _t(Intervention),
        _t(InterventionTheme),
        _t(Referral),
    )
    for _n in range(p.size.interventions):
        sid = rng.choice(sites)
        provider_id = p.sites[sid][0]
        region_id, provider_kind, _name = p.providers[provider_id]
        isc = provider_isc.get(provider_id)
        worker = isc if isc is not None and rng.random() < 0.6 else region_oc[region_id]
        kinds = 0
        for kind, share in _LOGBOOK_KINDS:
            if rng.random() < share:
                kinds |= int(kind)
        kinds = kinds or int(LogbookKind.OTHER)
        populations = POPULATION_BITS[rng.choices(*zip(*_LOGBOOK_POPULATIONS, strict=True))[0]]
        if rng.random() < 0.2:
            populations |= POPULATION_BITS[Population.EVERYONE]
        iid = p.next_id(interventions)
        referred = rng.random() < 0.2 and p.partners.get(region_id)
        created = p.now - timedelta(days=rng.randint(0, 729), minutes=rng.randint(0, 1440))
        body_id = (
            (adl.get(sid) or ccr.get(provider_id)) if kinds & LogbookKind.ASSOCIATION else None
        )
        p.add(
            interventions,
            {
                "id": iid,
                "worker_id": worker,
                "day": created.astimezone(clock.MONTREAL).date(),
                "site_id": sid,
                "provider_id": provider_id,
                "provider_kind": provider_kind,
                "region_id": region_id,
                "kinds": kinds,
                "populations": populations,
                "people": rng.choice((1, 1, 1, 2, 3, 5, 8, 12, 20)),
                "duration_minutes": rng.choice((15, 30, 45, 60, 90)),
                "need_id": None,
                "body_id": body_id,
                "referrals_count": 1 if referred else 0,
                "note": "",
                "created_at": created,
                "updated_at": created,
            },
        )
        for code in sorted(set(rng.sample(_THEMES, rng.choice((1, 1, 2))))):
            p.add(themes, {"intervention_id": iid, "code": code})
        if referred:
            partner, partner_kind, category = rng.choice(p.partners[region_id])
            listed = rng.random() >= 0.2
            p.add(
                referrals,
                {
                    "id": p.next_id(referrals),
                    "intervention_id": iid,
                    "partner_id": partner if listed else None,
                    "partner_kind": partner_kind,
                    "category": category if listed else "",
                    "worker_id": worker,
                    "region_id": region_id,
                    "day": created.astimezone(clock.MONTREAL).date(),
                },
            )


#: The generators, in order (each may read what the earlier ones made).
GENERATORS: list[Callable[[Province], None]] = [
    generate_orgs,
    generate_tenants,
    generate_staff,
    generate_bodies,
    generate_meetings,
    generate_attendance,
    generate_minutes,
    generate_needs,
    generate_logbook,
]


def _fix_sequences(tables: list[str]) -> None:
    """PostgreSQL: ids were chosen here, so move each table's id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for name in tables:
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our names
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
            )
        )


def generate(
    size: str | Size, seed: int = 1, echo: Callable[[str], None] | None = None
) -> Province:
    """Fill an EMPTY database (raises click.ClickException otherwise). Flushes, never commits:
    the caller commits. Returns the generation's state (logins, bodies, meetings...)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(_t(Region))):
        raise click.ClickException("The database already has data: nothing was generated.")
    spec = SIZES[size] if isinstance(size, str) else size
    p = Province(spec, seed, clock.now(), hash_password(PASSWORD))
    for generator in GENERATORS:
        started = timer.perf_counter()
        generator(p)
        p.flush()
        if echo:
            echo(f"  {generator.__name__}: {timer.perf_counter() - started:.1f} s")
    _fix_sequences(sorted(p.counters))
    db.session.flush()
    return p


def analyze() -> None:
    """PostgreSQL: the planner's statistics and the visibility map after a bulk load, as
    autovacuum leaves a database in use (until it runs, the plans are a fresh database's
    guesses and no index-only scan is possible: counting 100 000 accounts read the whole
    table). Run after the commit."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM (ANALYZE)"))


def register_cli(app) -> None:
    @app.cli.command("generate-province")
    @click.option("--size", type=click.Choice(list(SIZES)), default="small", show_default=True)
    @click.option("--seed", type=int, default=1, show_default=True)
    def generate_province_command(size: str, seed: int):
        """Fill an EMPTY database with invented data at the scale of a province (load tests
        only: every account's password is the same, printed below)."""
        started = timer.perf_counter()
        click.echo(f"Generating size {size!r} with seed {seed}...")
        p = generate(size, seed, echo=click.echo)
        db.session.commit()
        analyze()
        click.echo(f"Done in {timer.perf_counter() - started:.1f} s. Rows:")
        for name, count in sorted(p.counters.items()):
            click.echo(f"  {name}: {count}")
        click.echo(f"Every account's password: {PASSWORD!r} (load tests only). Some logins:")
        for role, email in p.logins[:6]:
            click.echo(f"  {role}: {email}")
