"""Demo collective needs: every status across the demo region, partners, and a year of
statistics worth reading (EXTRA_SEEDERS in tenantvoice/seed.py). It lives in organizing as it
plays the organizer's actions too."""

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.needs.models import Need, NeedEvent, Partner, PartnerKind, Status
from tenantvoice.organizing import services as organizing
from tenantvoice.orgs.models import OFFICER_ROLES, Member, Tenancy

PARTNERS = [
    (PartnerKind.CISSS, "CISSS de Chaudière-Appalaches — santé mentale", "Santé mentale adulte"),
    (
        PartnerKind.CISSS,
        "CISSS de Chaudière-Appalaches — soutien à domicile",
        "Aînés en perte d'autonomie",
    ),
    (
        PartnerKind.CISSS,
        "CISSS de Chaudière-Appalaches — jeunesse et familles",
        "Jeunes et familles",
    ),
    (PartnerKind.COMMUNITY, "Banque alimentaire Bellechasse", "Aide alimentaire"),
    (PartnerKind.COMMUNITY, "ACEF Rive-Sud", "Consultation budgétaire"),
    (PartnerKind.COMMUNITY, "Maison des jeunes des Etchemins", "Aide aux devoirs, loisirs"),
    (PartnerKind.MUNICIPAL, "Ville — transport adapté et collectif", "Transport"),
]

#: (site key, title, text, categories, who is affected (a group or a list of groups), status, days
#: ago, supporters, partner index)
NEEDS = [
    (
        "parc",
        "Comptoir d'aide alimentaire au Parc",
        "Plusieurs familles manquent de nourriture en fin de mois.",
        ["ALI"],
        ["families", "alone"],
        Status.REFERRED,
        200,
        6,
        3,
    ),  # noqa: E501
    (
        "parc",
        "Éclairage du stationnement",
        "Le stationnement arrière est très sombre le soir.",
        ["SEC"],
        "everyone",
        Status.CLOSED,
        320,
        5,
        None,
    ),  # noqa: E501
    (
        "parc",
        "Aide aux devoirs pour les jeunes",
        "Les jeunes du Parc n'ont pas d'endroit pour faire leurs devoirs.",
        ["JEU"],
        "youth",
        Status.ACTION_PLANNED,
        150,
        4,
        5,
    ),  # noqa: E501
    (
        "parc",
        "Jardin communautaire",
        "Des bacs surélevés dans la cour.",
        ["JAR"],
        "everyone",
        Status.ACKNOWLEDGED,
        60,
        3,
        None,
    ),  # noqa: E501
    (
        "parc",
        "Jardin dans la cour",
        "Un potager serait bienvenu.",
        ["JAR"],
        "everyone",
        Status.MERGED,
        58,
        1,
        None,
    ),  # noqa: E501
    (
        "parc",
        "Punaises de lit au 2e",
        "Plusieurs logements touchés.",
        ["VER"],
        "everyone",
        Status.FORWARDED,
        20,
        3,
        None,
    ),  # noqa: E501
    (
        "parc",
        "Café-rencontre pour les aînés",
        "Beaucoup d'aînés seuls.",
        ["ISO"],
        ["seniors", "alone"],
        Status.RAISED,
        5,
        2,
        None,
    ),  # noqa: E501
    (
        "erables",
        "Buanderie souvent en panne",
        "Deux laveuses sur trois sont brisées.",
        ["EQU", "ENT"],
        "everyone",
        Status.INFO_REQUESTED,
        90,
        4,
        None,
    ),  # noqa: E501
    (
        "erables",
        "Transport vers l'épicerie",
        "Pas d'autobus le samedi.",
        ["TRA"],
        ["seniors", "disabilities"],
        Status.REFERRED,
        240,
        3,
        6,
    ),  # noqa: E501
    (
        "erables",
        "Atelier sur le budget",
        "Plusieurs ont des retards de loyer.",
        ["BUD"],
        "everyone",
        Status.REFERRED,
        130,
        5,
        4,
    ),  # noqa: E501
    (
        "erables",
        "Accueil des nouveaux arrivants",
        "Une trousse d'accueil en plusieurs langues.",
        ["ACC"],
        "newcomers",
        Status.CONFIRMED,
        12,
        2,
        None,
    ),  # noqa: E501
    (
        "fleuve",
        "Rampe d'accès à l'entrée",
        "L'entrée est difficile en fauteuil roulant.",
        ["ACS"],
        "disabilities",
        Status.FORWARDED,
        35,
        3,
        None,
    ),  # noqa: E501
    (
        "fleuve",
        "Salle communautaire à rouvrir",
        "La salle est fermée depuis l'été.",
        ["VIE"],
        "everyone",
        Status.CLOSED,
        280,
        4,
        None,
    ),  # noqa: E501
    (
        "soeurs",
        "Moisissure dans les salles de bain",
        "Plusieurs logements ont de la moisissure.",
        ["SAL"],
        "families",
        Status.ACKNOWLEDGED,
        45,
        3,
        None,
    ),  # noqa: E501
    (
        "soeurs",
        "Soutien pour les aînés en perte d'autonomie",
        "Des voisins ont besoin d'aide à domicile.",
        ["AIN"],
        "seniors",
        Status.REFERRED,
        110,
        3,
        1,
    ),  # noqa: E501
]

_STEPS = {
    Status.RAISED: [],
    Status.CONFIRMED: ["confirm"],
    Status.FORWARDED: ["confirm", "forward"],
    Status.ACKNOWLEDGED: ["confirm", "forward", "acknowledge"],
    Status.INFO_REQUESTED: ["confirm", "forward", "acknowledge", "ask_info"],
    Status.REFERRED: ["confirm", "forward", "acknowledge", "refer"],
    Status.ACTION_PLANNED: ["confirm", "forward", "acknowledge", "refer", "plan"],
    Status.CLOSED: ["confirm", "forward", "acknowledge", "close"],
    Status.MERGED: [],
}

_OFFICE_CODES = {"ENT", "SEC", "EQU", "ACS", "SAL", "VER"}


def seed_needs(ns: SimpleNamespace) -> None:
    partners = [
        Partner(region_id=ns.region.id, kind=kind, name=name, service=service)
        for kind, name, service in PARTNERS
    ]
    db.session.add_all(partners)
    db.session.flush()
    now = clock.now()
    residents: dict[int, list] = {}
    for tenancy in db.session.scalars(sa.select(Tenancy).where(Tenancy.ended_on.is_(None))):
        residents.setdefault(tenancy.site_id, []).append(tenancy.user)
    officers = {
        m.body_id: m.user
        for m in db.session.scalars(
            sa.select(Member).where(Member.role.in_(OFFICER_ROLES), Member.user_id.is_not(None))
        )
    }
    last_by_site: dict[int, Need] = {}
    for key, title, text, codes, population, status, days, supporters, partner in NEEDS:
        site = getattr(ns, key)
        people = sorted(residents.get(site.id, []), key=lambda u: u.id)
        if not people:
            continue
        author = people[days % len(people)]
        need = services.raise_need(
            author,
            site,
            title=title,
            description=text,
            codes=codes,
            populations=[population] if isinstance(population, str) else population,
            anonymous=days % 3 != 0,
            share_text=days % 2 == 0,
        )
        for person in [p for p in people if p.id != author.id][: supporters - 1]:
            services.support(person, need)
        officer = officers.get(need.reviewing_body_id or 0)
        if status == Status.MERGED and site.id in last_by_site and officer is not None:
            services.merge(officer, need, last_by_site[site.id])
        for step in _STEPS[status]:
            if step == "confirm" and officer is not None:
                services.confirm(officer, need)
            elif step == "forward" and officer is not None:
                services.forward(
                    officer,
                    need,
                    wording=f"L'association relaie : {title.lower()}.",
                    to_organizer=True,
                    to_direction=bool(set(codes) & _OFFICE_CODES),
                    note="Discuté à la dernière assemblée.",
                )
            elif step in organizing.ACTIONS:
                organizing.act(
                    ns.oc,
                    need,
                    step,
                    public_text=_PUBLIC[step],
                    staff_note="Suivi au comité local.",
                    partner_id=partners[partner].id
                    if step == "refer" and partner is not None
                    else None,
                    notify_people=False,
                )
        last_by_site[site.id] = need
        _date_back(need, now - timedelta(days=days))
    services.record_isc(
        ns.isc,
        ns.parc,
        title="Isolement de plusieurs aînés du 3e étage",
        description="Plusieurs résidants âgés ne sortent plus de leur logement.",
        codes=["ISO", "AIN"],
        populations=["seniors", "alone"],
    )
    db.session.flush()


_PUBLIC = {
    "acknowledge": "L'organisateur communautaire a bien reçu votre besoin.",
    "ask_info": "Pouvez-vous préciser combien de logements sont touchés?",
    "refer": "Un organisme partenaire vous contactera par l'entremise de l'association.",
    "plan": "Une rencontre est prévue avec les jeunes et les parents.",
    "close": "C'est fait : merci à toutes les personnes qui ont appuyé ce besoin.",
}


def _date_back(need: Need, created) -> None:
    """Spread the need's history over the weeks after `created` (the statistics read dates)."""
    events = list(
        db.session.scalars(
            sa.select(NeedEvent).where(NeedEvent.need_id == need.id).order_by(NeedEvent.id)
        )
    )
    need.created_at = created
    for index, event in enumerate(events):
        event.created_at = created + timedelta(days=3 * index, hours=index)
    forwarded = next((e for e in events if e.kind == "forwarded"), None)
    if forwarded is not None:
        need.forwarded_at = forwarded.created_at
        first = next(
            (e for e in events if e.id > forwarded.id and e.actor_id != forwarded.actor_id), None
        )
        if first is not None:
            need.first_response_seconds = int(
                (first.created_at - forwarded.created_at).total_seconds()
            )
    if need.closed_at is not None and events:
        need.closed_at = events[-1].created_at
    need.updated_at = events[-1].created_at if events else created
