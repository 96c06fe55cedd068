"""One function per figure, checked against small datasets computed by hand: the worker's
own view (every count), an empty period, ties, and the year-over-year comparison."""

from datetime import timedelta

import pytest

from tenantvoice.extensions import db
from tenantvoice.logbook import queries
from tenantvoice.logbook.models import Kind
from tenantvoice.needs.models import Partner, PartnerKind
from tests.logbook.helpers import record, today
from tests.needs.helpers import forward, raise_need

IND, C, G, A, P = (
    Kind.INDIVIDUAL,
    Kind.COLLECTIVE,
    Kind.GROUP_PROJECT,
    Kind.ASSOCIATION,
    Kind.PREVENTION,
)


@pytest.fixture(autouse=True)
def _request(app):
    """Figures name their lines in the reader's language."""
    with app.test_request_context():
        yield


@pytest.fixture
def dataset(app, world):
    """Seven interventions of the OC of R1 in the last year (hand-counted in each test), one
    older than a year, and one of the ISC (not the OC's own)."""
    w = world
    mental = Partner(
        region_id=w.r1.id, kind=PartnerKind.CISSS, name="CISSS SM", service="Santé mentale"
    )
    food = Partner(
        region_id=w.r1.id, kind=PartnerKind.COMMUNITY, name="Banque", service="Aide alimentaire"
    )
    db.session.add_all([mental, food])
    db.session.commit()
    need = raise_need(w)
    forward(w, need)
    oc = w.oc
    record(oc, w.s1, kinds=[IND], populations=["families", "youth"], partner_ids=[mental.id])
    record(oc, w.s1, kinds=[IND], populations=["families"], partner_ids=[mental.id, food.id])
    record(oc, w.s1, kinds=[IND, P], populations=["youth"], need_id=need.id)
    record(oc, w.s1, kinds=[C], populations=["families"], body_id=w.adl_a.id)
    record(oc, w.s1, kinds=[C, G], populations=["seniors"], body_id=w.adl_a.id, days_ago=30)
    record(oc, w.s3, kinds=[A], populations=["seniors"], body_id=w.adl_c.id, unlisted=["community"])
    record(oc, w.s3, kinds=[IND], populations=["alone"], days_ago=200)
    record(oc, w.s1, kinds=[IND], populations=["everyone"], days_ago=366 + 10)  # a year before
    record(w.isc, w.s1, kinds=[IND], populations=["families"])  # not the OC's own
    return w


def _own(w, start=None, end=None):
    end = end or today()
    start = start or end - timedelta(days=365)
    return queries.counts(queries.Territory(worker_id=w.oc.id), start, end)


def _values(figure):
    return {ln.key: (ln.shown.value, ln.percent) for ln in figure.lines}


def test_counts_read_only_the_period_and_the_territory(dataset):
    c = _own(dataset)
    assert c.total == 7
    assert c.by_provider_kind == {"office": 5, "obnl": 2}
    assert c.referred == 3
    assert c.linked_need == 1
    assert c.linked_body == 3


def test_share_by_provider_kind(dataset):
    figure = queries.by_provider_kind(_own(dataset), protected=False)
    assert _values(figure) == {"office": (5, 71.4), "obnl": (2, 28.6), "coop": (0, 0.0)}


def test_share_by_population(dataset):
    values = _values(queries.by_population(_own(dataset), protected=False))
    assert values["families"] == (3, 42.9)
    assert values["youth"] == (2, 28.6)
    assert values["seniors"] == (2, 28.6)  # a tie with youth
    assert values["alone"] == (1, 14.3)
    assert values["everyone"] == (0, 0.0)


def test_share_by_kind_of_intervention_adds_up_to_more_than_100(dataset):
    values = _values(queries.by_kind(_own(dataset), protected=False))
    assert values[str(int(IND))] == (4, 57.1)
    assert values[str(int(C))] == (2, 28.6)
    assert values[str(int(G))] == (1, 14.3)
    assert values[str(int(A))] == (1, 14.3)
    assert values[str(int(P))] == (1, 14.3)
    assert values[str(int(Kind.CONCERTATION))] == (0, 0.0)
    assert sum(v for v, _p in values.values()) > 7


def test_referral_rate(dataset):
    values = _values(queries.referral_rate(_own(dataset), protected=False))
    assert values == {"referred": (3, 42.9), "not_referred": (4, 57.1)}


def test_destinations_by_partner_kind_a_tie(dataset):
    values = _values(queries.destinations_by_partner_kind(_own(dataset), protected=False))
    # Four referrals from three interventions: two to the CISSS, two to community groups.
    assert values == {"cisss": (2, 50.0), "community": (2, 50.0), "municipal": (0, 0.0)}


def test_destinations_by_category(dataset):
    figures = {f.key: f for f in queries.destinations_by_category(_own(dataset), protected=False)}
    assert list(figures) == ["category_cisss", "category_community"]
    assert _values(figures["category_cisss"]) == {"Santé mentale": (2, 100.0)}
    community = figures["category_community"]
    # A tie, by label: the directory's category before the unlisted partner (A < P).
    assert [ln.key for ln in community.lines] == ["Aide alimentaire", ""]
    assert _values(community) == {"Aide alimentaire": (1, 50.0), "": (1, 50.0)}


def test_linked_to_needs_and_to_associations(dataset):
    c = _own(dataset)
    assert _values(queries.linked_to_needs(c, False)) == {
        "linked": (1, 14.3),
        "not_linked": (6, 85.7),
    }
    assert _values(queries.linked_to_associations(c, False)) == {
        "linked": (3, 42.9),
        "not_linked": (4, 57.1),
    }


def test_an_empty_period_has_no_share(dataset):
    start = today() + timedelta(days=1)
    c = _own(dataset, start, start + timedelta(days=30))
    assert c.total == 0
    for make in queries.FIGURES:
        figure = make(c, False)
        assert all(ln.shown.value == 0 and not ln.percent for ln in figure.lines), make
        protected = make(c, True)
        assert all(ln.shown.value in (0, None) for ln in protected.lines), make
    assert queries.destinations_by_category(c, True) == []


def test_the_year_before_is_the_same_dates_a_year_earlier(dataset, app):
    period = queries.Period(today() - timedelta(days=365), today())
    stats = queries.statistics(queries.Territory(worker_id=dataset.oc.id), period)
    assert stats.total.value == 7
    assert stats.previous_total.value == 1
    kinds = {f.key: f for f in stats.figures}["provider_kind"]
    assert [(ln.key, ln.previous.value) for ln in kinds.lines] == [
        ("office", 1),
        ("obnl", 0),
        ("coop", 0),
    ]
