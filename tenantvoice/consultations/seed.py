"""Demo consultations (EXTRA_SEEDERS): the office consulted its CCR on its yearly budget and
capital plan, and the CCR answered in time; on a lease clause it answered after the decision;
a draft of building rules waits for the CCR's answer. Dates are in the past, written directly
(the service refuses a decision date less than 7 days ahead of now, which they all respect)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from tenantvoice import clock
from tenantvoice.consultations.models import Consultation, ConsultationComment, ConsultationKind
from tenantvoice.extensions import db


def _at(days_ago: int, hour: int = 14) -> datetime:
    now = clock.now().astimezone(clock.MONTREAL)
    local = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)


def seed_consultations(ns: SimpleNamespace) -> None:
    ccr, direction = ns.ccr, ns.direction
    secretary = ns.users["Claudette Roy"]
    fatima, karim = ns.users["Fatima Benali"], ns.users["Karim Haddad"]
    budget = Consultation(
        provider_id=ccr.provider_id,
        ccr_id=ccr.id,
        kind=ConsultationKind.BUDGET,
        title="Budget et plan pluriannuel d'intervention (PPI) de l'an prochain",
        text=(
            "L'office soumet au CCR ses orientations budgétaires et son plan pluriannuel "
            "d'intervention : réfection des toitures des Habitations du Parc, remplacement des "
            "fenêtres de la Résidence des Érables et mise aux normes des systèmes d'alarme."
        ),
        submitted_by_id=direction.id,
        submitted_at=_at(60),
        decision_date=(_at(60) + timedelta(days=21)).astimezone(clock.MONTREAL).date(),
        answer_text=(
            "Le CCR appuie le plan et demande que les fenêtres des Érables passent avant les "
            "toitures, vu les infiltrations d'eau signalées l'hiver dernier."
        ),
        answered_at=_at(45),
        answered_by_id=secretary.id,
    )
    lease = Consultation(
        provider_id=ccr.provider_id,
        ccr_id=ccr.id,
        kind=ConsultationKind.LEASE_CLAUSE,
        title="Clause du bail sur les climatiseurs de fenêtre",
        text=(
            "Projet de clause : l'installation d'un climatiseur de fenêtre exige l'autorisation "
            "écrite de l'office et un support fourni par l'office."
        ),
        submitted_by_id=direction.id,
        submitted_at=_at(40),
        decision_date=(_at(40) + timedelta(days=10)).astimezone(clock.MONTREAL).date(),
        answer_text="Le CCR demande que le support soit installé sans frais pour les locataires.",
        answered_at=_at(25),
        answered_by_id=secretary.id,
    )
    rules = Consultation(
        provider_id=ccr.provider_id,
        ccr_id=ccr.id,
        kind=ConsultationKind.RULE,
        title="Règlement d'immeuble : usage des salles communautaires",
        text="Projet : les salles communautaires ferment à 22 h et se réservent au bureau.",
        submitted_by_id=direction.id,
        submitted_at=_at(3),
        decision_date=(_at(3) + timedelta(days=14)).astimezone(clock.MONTREAL).date(),
    )
    db.session.add_all([budget, lease, rules])
    db.session.flush()
    db.session.add_all(
        [
            ConsultationComment(
                consultation_id=budget.id,
                author_id=fatima.id,
                author_name="Fatima Benali",
                text="Les fenêtres des Érables laissent passer l'eau : c'est la priorité.",
                created_at=_at(55),
            ),
            ConsultationComment(
                consultation_id=rules.id,
                author_id=karim.id,
                author_name="Karim Haddad",
                text="22 h, c'est tôt pour les soirées du vendredi. Proposons 23 h.",
                created_at=_at(2),
            ),
        ]
    )
    db.session.flush()
