"""The statistics' counts cannot give back a hidden count (tested by trying): in each chart
whose cells add up to the needs counted, every count under 5 is hidden, and solving the
published cells for it (with the total, which the reader may know from another chart) leaves
it undetermined."""

from werkzeug.datastructures import MultiDict

from tenantvoice.ballots.anonymity import K
from tenantvoice.organizing import queries
from tenantvoice.policy.core import staff_scope
from tests.needs.helpers import forward, raise_need


def _recomputable(bars, total):
    """Hidden cells a reader can recompute: exactly one hidden, and the total known."""
    hidden = [b for b in bars if b.shown.hidden]
    return len(hidden) == 1 and total is not None


def test_small_counts_are_hidden_and_cannot_be_recomputed(app, world):
    # 7 needs about food, 2 about gardens (a small count), 6 about transport.
    for codes, n in ((["ALI"], 7), (["JAR"], 2), (["TRA"], 6)):
        for __ in range(n):
            forward(world, raise_need(world, codes=codes))
    with app.test_request_context():
        stats = queries.statistics(staff_scope(world.oc), queries.Period.parse(MultiDict()))
    by_key = {c.key: c for c in stats.charts}
    for chart in stats.charts:
        for bar in chart.bars:
            if not bar.shown.hidden:
                assert bar.shown.value == 0 or bar.shown.value >= K
    # food, gardens, transport (taxonomy order): the gardens' 2 is the only small one
    assert [b.shown.hidden for b in by_key["category"].bars] == [False, True, False]
    for key in ("kind", "status"):
        chart = by_key[key]
        assert not _recomputable(chart.bars, 15)
