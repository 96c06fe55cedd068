"""The recommendation pages run a constant number of statements whatever the number of
recommendations, sites, events, comments, amendments and attachments (no N+1), and none while a
template renders."""

from datetime import timedelta

import pytest

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.extensions import db
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import Status
from tests.perf.test_query_counts import assert_constant, steady_count
from tests.recommendations.helpers import ccr_seats, make_rec

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _grow(w, n=12):
    for i in range(n):
        rec = make_rec(w, body=w.ccr, status=list(Status)[i % len(Status)], title=f"R {i}")
        rec.sites = [w.s1, w.s2]
    db.session.commit()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("tenant_b", lambda w: f"/providers/{w.p1.id}/recommendations"),
        ("direction", lambda w: f"/providers/{w.p1.id}/recommendations"),
        ("tenant_a", lambda w: f"/bodies/{w.ccr.id}/recommendations"),
        ("tenant_a", lambda w: f"/bodies/{w.ccr.id}/recommendations?status=done"),
    ],
)
def test_recommendation_lists_are_constant(world, client, auth, role, path):
    w = world
    ccr_seats(w)
    make_rec(w, body=w.ccr, status=Status.TRANSMITTED)
    db.session.commit()
    auth.login(getattr(w, role))
    small = steady_count(client, path(w))
    _grow(w)
    assert_constant(small, steady_count(client, path(w)))


@pytest.mark.parametrize("role", ["tenant_a", "tenant_b", "direction"])
def test_recommendation_page_is_constant(world, client, auth, role):
    w = world
    ccr_seats(w)
    rec = make_rec(w, body=w.ccr)
    db.session.commit()

    def grow(n):
        for i in range(n):
            services.comment(w.tenant_a, rec, f"Commentaire {i}")
            services.propose_amendment(w.officer_a, rec, f"Que l'office fasse {i}.")
        services.add_attachment(w.officer_a, rec, "plan.png", PNG)

    grow(1)
    rec.status = Status.ADOPTED
    db.session.flush()
    services.transmit(w.officer_a, rec)
    db.session.commit()
    auth.login(getattr(w, role))
    path = f"/recommendations/{rec.id}"
    small = steady_count(client, path)
    rec.status = Status.DRAFT
    grow(4)
    rec.status = Status.TRANSMITTED
    db.session.commit()
    assert_constant(small, steady_count(client, path))


def test_a_voted_recommendation_renders_without_queries(world, client, auth):
    """Its vote's participation and result come from the view, not the template."""
    w = world
    rec = make_rec(w)
    question = services.open_vote(
        w.officer_a, rec, closes_at=clock.now() + timedelta(days=1), confirm_small_electorate=True
    )
    db.session.commit()
    auth.login(w.tenant_a)
    assert steady_count(client, f"/recommendations/{rec.id}") <= 20
    ballots.close_question(question)
    db.session.commit()
    assert steady_count(client, f"/recommendations/{rec.id}") <= 20
