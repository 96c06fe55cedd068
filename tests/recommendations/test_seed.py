"""The demo has recommendations in every state, an overdue answer and an open secret vote the
demo tenant (Minh Nguyen, member of the ADL du Parc) can cast."""

import sqlalchemy as sa

from tenantvoice import policy
from tenantvoice.accounts.models import User
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Mode
from tenantvoice.ballots.models import Status as QuestionStatus
from tenantvoice.extensions import db
from tenantvoice.recommendations.models import Recommendation, Status
from tenantvoice.seed import seed_demo


def test_the_demo_has_every_state_an_overdue_answer_and_a_vote_to_cast(app):
    with app.test_request_context():
        seed_demo()
        db.session.commit()
        recs = list(db.session.scalars(sa.select(Recommendation)))
        assert {r.status for r in recs} == set(Status)
        assert any(r.is_overdue for r in recs)
        voting = next(r for r in recs if r.status == Status.VOTING)
        question = voting.question
        assert question.status == QuestionStatus.OPEN
        assert question.mode == Mode.SECRET
        tenant = db.session.scalar(sa.select(User).where(User.name == "Minh Nguyen"))
        elector = ballots.elector_of(question, tenant)
        assert policy.can_vote(tenant, question, elector)
