"""The demo data's polls: one the demo tenant can answer, one closed with results (its best
date ready to become a meeting), one closed under the threshold."""

import sqlalchemy as sa

from tenantvoice.accounts.models import User
from tenantvoice.ballots.models import Purpose, Question
from tenantvoice.extensions import db
from tenantvoice.polls import queries
from tenantvoice.seed import seed_demo


def test_the_demo_has_an_open_poll_for_the_demo_tenant_and_two_closed_ones(app):
    seed_demo()
    db.session.commit()
    minh = db.session.scalar(sa.select(User).where(User.name == "Minh Nguyen"))
    assert len(queries.open_polls_for(minh)) == 2
    closed = [
        q
        for q in db.session.scalars(sa.select(Question).where(Question.purpose == Purpose.POLL))
        if q.is_over
    ]
    results = {q.title: queries.result_of(q) for q in closed}
    assert len(results) == 2
    dates = results["Quel soir convient pour l'assemblée générale du printemps?"]
    assert not dates.below_threshold
    assert dates.best is not None
    assert results["Faut-il changer l'heure de la collecte des bacs bruns?"].below_threshold
