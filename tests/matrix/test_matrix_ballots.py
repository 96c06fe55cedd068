"""Ballot pages (domain-rules §5.2 "Individual ballots / who voted how": own only; officers
keep the roll, never what was voted; §5.3: the housing office, OC, ISC and admin never see who
voted). The electorate of ADL A's question (its register: tenant_a, officer_a, president_a and
the paper member) and A's members see the question; the officers alone check in paper voters,
enter the paper count and close early. Everyone else gets 404: they may not learn it exists.
"""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots import services
from tenantvoice.ballots.models import Elector, Kind, Mode, Purpose
from tenantvoice.extensions import db
from tests.matrix.harness import Case, make_matrix_test

SEEN_BY_A = {"anonymous": 302, "tenant_a": 200, "officer_a": 200}
OFFICERS = {"anonymous": 302, "tenant_a": 403}


def _question(w, mode=Mode.SECRET):
    question = services.create_question(
        w.officer_a,
        w.adl_a,
        purpose=Purpose.MOTION,
        title="Que l'association demande des bancs dans la cour",
        kind=Kind.MOTION,
        mode=mode,
        closes_at=clock.now() + timedelta(days=1),
        confirm_small_electorate=True,
    )
    db.session.commit()
    w.question = question
    w.for_id = next(c.id for c in question.choices if c.code == "for")
    w.paper_key = db.session.scalar(
        sa.select(Elector.person_key).where(
            Elector.question_id == question.id, Elector.member_id == w.paper_member_a.id
        )
    )
    return question


def _url(suffix="", mode=Mode.SECRET):
    return lambda w: f"/ballots/{_question(w, mode).id}{suffix}"


def _awaiting_paper(w) -> str:
    question = _question(w)
    services.check_in_paper(w.officer_a, question, w.paper_key)
    services.close_question(question)
    db.session.commit()
    return f"/ballots/{question.id}/paper/count"


CASES = [
    Case("ballots.question", "GET", _url(), expect=SEEN_BY_A, default=404),
    Case("ballots.participation", "GET", _url("/participation"), expect=SEEN_BY_A, default=404),
    Case(
        "ballots.vote",
        "POST",
        _url("/vote"),
        data=lambda w: {"choice": w.for_id, "confirm": "yes"},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "ballots.paper", "GET", _url("/paper"), expect={**OFFICERS, "officer_a": 200}, default=404
    ),
    Case(
        "ballots.check_in",
        "POST",
        _url("/paper/check-in"),
        data=lambda w: {"person": w.paper_key},
        expect={**OFFICERS, "officer_a": 302},
        default=404,
    ),
    Case(
        "ballots.check_in",
        "GET",
        lambda w: f"/ballots/{_question(w, Mode.OPEN).id}/paper/check-in?person={w.paper_key}",
        expect={**OFFICERS, "officer_a": 200},
        default=404,
        label="named",
    ),
    Case(
        "ballots.paper_count",
        "GET",
        _awaiting_paper,
        expect={**OFFICERS, "officer_a": 200},
        default=404,
    ),
    Case(
        "ballots.paper_count",
        "POST",
        _awaiting_paper,
        data=lambda w: {f"count-{w.for_id}": "1"},
        expect={**OFFICERS, "officer_a": 302},
        default=404,
    ),
    Case(
        "ballots.close", "GET", _url("/close"), expect={**OFFICERS, "officer_a": 200}, default=404
    ),
    Case(
        "ballots.close",
        "POST",
        _url("/close"),
        data={"confirm": "yes"},
        expect={**OFFICERS, "officer_a": 302},
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
