"""The pages of collective needs run a fixed number of statements however many needs there
are (no N+1), and none while a template renders."""

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tests.needs.helpers import neighbours, raise_need
from tests.perf.test_query_counts import count_statements


def _forwarded(w, n):
    people = neighbours(w, 2)
    last = None
    for i in range(n):
        need = raise_need(w, title=f"Besoin {i}", codes=["ALI", "JAR"] if i % 2 else ["SMN"])
        for p in people:
            services.support(p, need)
        services.forward(
            w.officer_a, need, wording=f"Libellé {i}", to_organizer=True, to_direction=True
        )
        last = need
    db.session.commit()
    return last


def test_need_pages_do_not_grow_with_the_number_of_needs(world, client, auth):
    last = _forwarded(world, 3)
    small = _counts_for(client, world, last, auth)
    _forwarded(world, 9)
    assert _counts_for(client, world, last, auth) == small


def _counts_for(client, w, need, auth):
    out = {}
    for who, urls in (
        (
            w.oc,
            [
                "/organizing/needs",
                "/organizing/needs?category=ALI&sort=supporters&q=libelle",
                "/organizing/statistics",
            ],
        ),
        (w.direction, ["/organizing/direction"]),
        (
            w.officer_a,
            [
                "/needs",
                f"/bodies/{w.adl_a.id}/needs",
                f"/needs/{need.id}",
                f"/needs/{need.id}/review",
            ],
        ),
    ):
        auth.login(who)
        for url in urls:
            out[url] = count_statements(client, url)
    return out
