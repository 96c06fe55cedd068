"""Poll pages (domain-rules §5.2 "Poll responses (individual)": own only; "Poll results": the
tenants and members read them; §5.3: the housing office, OC, ISC and admin never see who
answered). ADL A's poll asks its members (tenant_a, officer_a, president_a and the paper
member); A's members see it and its result; A's officers create polls and print ballots.
Everyone else gets 404: they may not learn a poll or a body's poll list exists.
"""

from datetime import timedelta

from werkzeug.datastructures import MultiDict

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Kind, Mode
from tenantvoice.extensions import db
from tenantvoice.polls import services
from tests.matrix.harness import Case, make_matrix_test

SEEN_BY_A = {"anonymous": 302, "tenant_a": 200, "officer_a": 200}
OFFICERS = {"anonymous": 302, "tenant_a": 403}


def _poll(w, mode=Mode.SECRET):
    poll = services.create_poll(
        w.officer_a,
        w.adl_a,
        title="Quel soir convient pour l'assemblée?",
        kind=Kind.SINGLE,
        choices=["Mardi", "Jeudi"],
        mode=mode,
        closes_at=clock.now() + timedelta(days=1),
        confirm_small_electorate=True,
    )
    db.session.commit()
    w.poll = poll
    w.tuesday = poll.choices[0].id
    return poll


def _url(suffix=""):
    return lambda w: f"/polls/{_poll(w).id}{suffix}"


def _closed(suffix=""):
    def url(w):
        poll = _poll(w)
        ballots.close_question(poll)
        db.session.commit()
        return f"/polls/{poll.id}{suffix}"

    return url


def _new_poll(w):
    return {
        "title": "Faut-il ouvrir la salle le dimanche?",
        "kind": "yes_no",
        "audience": "members",
        "closes_at": (clock.now() + timedelta(days=2))
        .astimezone(clock.MONTREAL)
        .strftime("%Y-%m-%dT%H:%M"),
        "mode": "secret",
        "results": "after",
        "confirm_small": "y",
    }


def _draft(w):
    draft = services.save_draft(
        w.officer_a, w.adl_a, MultiDict([("title", "Sondage en préparation")])
    )
    db.session.commit()
    return draft


CASES = [
    Case(
        "polls.body_list",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/polls",
        expect=SEEN_BY_A,
        default=404,
    ),
    Case(
        "polls.create",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/polls/new",
        expect={**OFFICERS, "officer_a": 200},
        default=404,
    ),
    Case(
        "polls.create",
        "POST",
        lambda w: f"/bodies/{w.adl_a.id}/polls/new",
        data=_new_poll,
        expect={**OFFICERS, "officer_a": 302},
        default=404,
    ),
    Case(
        "polls.create",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/polls/new?draft={_draft(w).id}",
        expect={**OFFICERS, "officer_a": 200},
        default=404,
        label="draft",
    ),
    Case(
        "polls.delete_draft",
        "POST",
        lambda w: f"/bodies/{w.adl_a.id}/polls/drafts/{_draft(w).id}/delete",
        expect={**OFFICERS, "officer_a": 302},
        default=404,
    ),
    Case("polls.show", "GET", _url(), expect=SEEN_BY_A, default=404),
    Case("polls.show", "GET", _closed(), expect=SEEN_BY_A, default=404, label="closed"),
    Case(
        "polls.answer",
        "POST",
        _url("/answer"),
        data=lambda w: {"choice": w.tuesday, "confirm": "yes"},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "polls.print_ballots",
        "GET",
        _url("/print"),
        expect={**OFFICERS, "officer_a": 200},
        default=404,
    ),
    Case(
        "polls.results_csv",
        "GET",
        _closed("/results.csv"),
        expect=SEEN_BY_A,
        default=404,
    ),
    Case(
        "polls.results_csv",
        "GET",
        _url("/results.csv"),
        expect={"anonymous": 302, "tenant_a": 403, "officer_a": 403},
        default=404,
        label="open",
    ),
]

test_matrix = make_matrix_test(CASES)
