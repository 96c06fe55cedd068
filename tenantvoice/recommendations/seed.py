"""Demo recommendations: one in every state, made through the services where the life cycle
matters (drafting, amendments, the open secret vote the demo tenant can cast) and with dated
timeline lines for the older ones (an answer overdue, answers of every kind, follow-ups)."""

import logging
from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Member
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import (
    Answer,
    Event,
    EventKind,
    Recommendation,
    Status,
    Target,
)

logger = logging.getLogger(__name__)

#: (title, situation, recommended, category, final status, days since adoption)
CCR_RECOMMENDATIONS = [
    (
        "Déneigement des entrées avant 7 h",
        "Les entrées des Habitations du Parc sont déneigées vers 10 h; des aînés ne peuvent "
        "pas sortir pour leurs rendez-vous.",
        "Que l'office exige de l'entrepreneur le déneigement des entrées avant 7 h.",
        "maintenance",
        Status.TRANSMITTED,
        8,
    ),
    (
        "Éclairage du stationnement des Érables",
        "Trois lampadaires sont éteints depuis septembre; des locataires ne se sentent pas en "
        "sécurité le soir.",
        "Que l'office répare l'éclairage du stationnement dans le mois.",
        "safety",
        Status.TRANSMITTED,
        70,
    ),
    (
        "Politique sur les animaux",
        "La politique actuelle interdit tout animal, même les poissons.",
        "Que l'office permette les petits animaux en cage ou en aquarium.",
        "rules",
        Status.UNDER_STUDY,
        40,
    ),
    (
        "Jardin communautaire",
        "Plusieurs familles veulent cultiver des légumes.",
        "Que l'office aménage dix bacs de jardinage derrière le bâtiment B.",
        "community",
        Status.ACCEPTED,
        50,
    ),
    (
        "Budget d'entretien des salles communautaires",
        "Les salles communautaires manquent de chaises et de tables.",
        "Que l'office prévoie 3 000 $ au budget pour le mobilier des salles.",
        "budget",
        Status.PARTLY_ACCEPTED,
        90,
    ),
    (
        "Caméras dans les corridors",
        "Un locataire a proposé des caméras dans les corridors.",
        "Que l'office installe des caméras dans tous les corridors.",
        "safety",
        Status.REFUSED,
        120,
    ),
    (
        "Remplacement des laveuses",
        "Deux laveuses sur trois sont brisées à la buanderie des Érables.",
        "Que l'office remplace les laveuses brisées.",
        "maintenance",
        Status.IN_PROGRESS,
        100,
    ),
    (
        "Bancs dans la cour",
        "Il n'y a aucun banc dans la cour des Habitations du Parc.",
        "Que l'office installe quatre bancs dans la cour.",
        "quality_of_life",
        Status.DONE,
        200,
    ),
    (
        "Fête des voisins",
        "Aucune activité n'a réuni les locataires depuis deux ans.",
        "Que l'office prête la grande salle gratuitement pour la fête des voisins.",
        "community",
        Status.ADOPTED,
        2,
    ),
]

ANSWERS = {
    Status.UNDER_STUDY: "Nous étudions la question avec notre conseil d'administration.",
    Status.ACCEPTED: "Bonne idée : nous aménagerons les bacs au printemps.",
    Status.PARTLY_ACCEPTED: "Nous prévoyons 1 500 $ cette année, le reste l'an prochain.",
    Status.REFUSED: "Les caméras dans les corridors porteraient atteinte à la vie privée.",
    Status.IN_PROGRESS: "Les laveuses seront remplacées.",
    Status.DONE: "Les bancs seront installés cet été.",
}


def _member_user(body, role=None, skip=0):
    stmt = sa.select(Member).where(Member.body_id == body.id, Member.user_id.is_not(None))
    if role is not None:
        stmt = stmt.where(Member.role == role)
    members = list(db.session.scalars(stmt.order_by(Member.id)))
    return members[min(skip, len(members) - 1)].user


def _line(rec, kind, at, **values):
    db.session.add(Event(recommendation_id=rec.id, kind=kind, at=at, **values))


def _aged(ns, officer, direction, row) -> None:
    title, situation, recommended, category, status, days = row
    now = clock.now()
    rec = services.draft(
        officer,
        ns.ccr,
        title=title,
        situation=situation,
        recommended=recommended,
        category=category,
        site_ids=[ns.parc.id],
    )
    adopted = now - timedelta(days=days)
    rec.status = Status.ADOPTED
    rec.adopted_at = adopted
    _line(rec, EventKind.ADOPTED, adopted, public=True, detail="")
    if status == Status.ADOPTED:
        return
    rec.status = Status.TRANSMITTED
    rec.target = Target.DIRECTION
    rec.transmitted_at = adopted + timedelta(days=1)
    rec.answer_due_on = (rec.transmitted_at + timedelta(days=ns.ccr.answer_delay_days)).date()
    _line(rec, EventKind.TRANSMITTED, rec.transmitted_at, public=True)
    if status == Status.TRANSMITTED:
        return
    answered = rec.transmitted_at + timedelta(days=min(20, days // 3))
    answer = Answer.ACCEPTED if status in (Status.IN_PROGRESS, Status.DONE) else Answer(status)
    rec.answer = answer
    rec.answer_text = ANSWERS[status]
    rec.answered_at = answered
    rec.answered_by_id = direction.id
    if answer in (Answer.ACCEPTED, Answer.PARTLY_ACCEPTED):
        rec.answer_plan = "Travaux confiés à l'équipe d'entretien de l'office."
        rec.answer_by = (now + timedelta(days=60)).date()
    rec.status = Status(answer.value)
    _line(
        rec,
        EventKind.ANSWERED,
        answered,
        public=True,
        status=rec.status,
        note=rec.answer_text,
        by_office=True,
    )
    if status in (Status.IN_PROGRESS, Status.DONE):
        rec.status = Status.IN_PROGRESS
        _line(
            rec,
            EventKind.FOLLOW_UP,
            answered + timedelta(days=10),
            public=True,
            status=Status.IN_PROGRESS,
            note="Commande passée au fournisseur.",
            by_office=True,
        )
    if status == Status.DONE:
        rec.status = Status.DONE
        _line(
            rec,
            EventKind.FOLLOW_UP,
            answered + timedelta(days=40),
            public=True,
            status=Status.DONE,
            note="C'est fait : vérifié par le comité lors de sa visite.",
        )


def seed_recommendations(ns) -> None:
    """Recommendations of the demo CCR and of the ADL du Parc, in every state."""
    ccr_chair = _member_user(ns.ccr, skip=0)
    ccr_member = _member_user(ns.ccr, skip=1)
    for row in CCR_RECOMMENDATIONS:
        _aged(ns, ccr_chair, ns.direction, row)

    # A CCR draft under discussion: a comment and an amendment.
    draft = services.draft(
        ccr_member,
        ns.ccr,
        title="Horaire de la salle d'ordinateurs",
        situation="La salle d'ordinateurs ferme à 16 h; les jeunes ne peuvent pas l'utiliser.",
        recommended="Que la salle d'ordinateurs reste ouverte jusqu'à 20 h en semaine.",
        category="quality_of_life",
    )
    services.comment(ccr_chair, draft, "Il faudrait aussi parler de la fin de semaine.")
    services.propose_amendment(
        ccr_chair,
        draft,
        "Que la salle d'ordinateurs reste ouverte jusqu'à 20 h en semaine et le samedi.",
        "Les parents travaillent en semaine.",
    )

    # A rejected one (members only).
    rejected = services.draft(
        ccr_member,
        ns.ccr,
        title="Interdire les barbecues",
        situation="De la fumée entre par les fenêtres en été.",
        recommended="Que l'office interdise les barbecues sur les balcons.",
        category="rules",
    )
    rejected.status = Status.REJECTED
    _line(rejected, EventKind.REJECTED, clock.now() - timedelta(days=30))

    # The ADL du Parc: one sent to the CCR (to take up), one under an open secret vote.
    adl = ns.adl_parc
    secretary = _member_user(adl, skip=1)
    sent = services.draft(
        secretary,
        adl,
        title="Accès à la buanderie le dimanche",
        situation="La buanderie est fermée le dimanche, seul jour de congé de bien des locataires.",
        recommended="Que la buanderie soit ouverte le dimanche de 9 h à 17 h.",
        category="rules",
        site_ids=[ns.parc.id],
    )
    sent.status = Status.ADOPTED
    sent.adopted_at = clock.now() - timedelta(days=3)
    _line(sent, EventKind.ADOPTED, sent.adopted_at, public=True)
    db.session.flush()
    services.transmit(secretary, sent)

    voting = services.draft(
        secretary,
        adl,
        title="Réparer la porte d'entrée",
        situation="La porte d'entrée principale ne se verrouille plus depuis un mois.",
        recommended="Que l'office répare la serrure de la porte d'entrée principale cette semaine.",
        category="safety",
        site_ids=[ns.parc.id],
    )
    db.session.flush()
    services.open_vote(
        secretary,
        voting,
        closes_at=clock.now() + timedelta(days=5),
        confirm_small_electorate=True,
    )
    db.session.flush()
    logger.info(
        "Demo recommendations: %d", db.session.scalar(sa.select(sa.func.count(Recommendation.id)))
    )
