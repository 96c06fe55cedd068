"""Demo polls (EXTRA_SEEDERS): an open secret poll the demo tenant (Minh Nguyen, ADL du Parc)
can answer, a closed named date poll with results whose best date an officer can turn into a
meeting, and a closed secret poll under the threshold (participation only)."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Kind, Mode
from tenantvoice.polls.services import create_poll


def _evening(days: int, hour: int = 19):
    when = (clock.now() + timedelta(days=days)).astimezone(clock.MONTREAL)
    return when.replace(hour=hour, minute=0, second=0, microsecond=0)


def seed_polls(ns) -> None:
    users = ns.users
    officer = users["Lucie Tremblay"]
    create_poll(
        officer,
        ns.adl_parc,
        title="La salle communautaire devrait-elle ouvrir le dimanche après-midi?",
        explanation="Le comité voudrait savoir si l'ouverture du dimanche servirait avant d'en "
        "parler à l'office.",
        kind=Kind.YES_NO,
        choices=[],
        closes_at=clock.now() + timedelta(days=10),
        mode=Mode.SECRET,
        confirm_small_electorate=True,
    )
    open_one = create_poll(
        officer,
        ns.adl_parc,
        title="Quel projet compte le plus pour vous cette année?",
        kind=Kind.RANKING,
        choices=["Jardin communautaire", "Cuisine collective", "Coin lecture pour les enfants"],
        closes_at=clock.now() + timedelta(days=12),
        mode=Mode.SECRET,
        confirm_small_electorate=True,
    )
    ids = [c.id for c in open_one.choices]
    ballots.cast(users["Jean Gagnon"], open_one, {ids[0]: 1, ids[1]: 2})

    dates = create_poll(
        officer,
        ns.adl_parc,
        title="Quel soir convient pour l'assemblée générale du printemps?",
        kind=Kind.DATES,
        choices=[_evening(40), _evening(41), _evening(43)],
        closes_at=clock.now() + timedelta(days=5),
        mode=Mode.OPEN,
        confirm_small_electorate=True,
    )
    first, second, third = (c.id for c in dates.choices)
    answers = {
        "Lucie Tremblay": ("y", "y", "n"),
        "Jean Gagnon": ("n", "y", "m"),
        "Fatima Benali": ("m", "y", "y"),
        "Awa Diallo": ("y", "m", "n"),
        "Karim Haddad": ("n", "y", "y"),
        "Anna Kowalski": ("y", "y", "m"),
    }
    for name, (a, b, c) in answers.items():
        ballots.cast(users[name], dates, {first: a, second: b, third: c})
    ballots.close_question(dates, actor=officer)

    small = create_poll(
        users["Thérèse Bouchard"],
        ns.adl_erables,
        title="Faut-il changer l'heure de la collecte des bacs bruns?",
        kind=Kind.YES_NO,
        choices=[],
        closes_at=clock.now() + timedelta(days=3),
        mode=Mode.SECRET,
        confirm_small_electorate=True,
    )
    yes = next(c.id for c in small.choices if c.code == "yes")
    for name in ("Yvon Pelletier", "Claudette Roy", "Huong Tran"):
        ballots.cast(users[name], small, yes)
    ballots.close_question(small, actor=users["Thérèse Bouchard"])
