"""The statistics' counts cannot give back a hidden count (tested by trying): in each chart
whose cells add up to the needs counted, every count under 5 is hidden, and solving the
published cells for it (with the total, which the reader may know from another chart) leaves
it undetermined."""

import csv
import io

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
    # food, gardens, transport (taxonomy order): the gardens' 2 is the only small one, and the
    # next smallest (transport's 6) is hidden beside it, so the 15 needs cannot give it back
    assert [b.shown.hidden for b in by_key["category"].bars] == [False, True, True]
    for key in ("kind", "status"):
        chart = by_key[key]
        assert not _recomputable(chart.bars, 15)


def _csv_rows(client, table):
    text = client.get("/organizing/statistics.csv").get_data(as_text=True)
    return [row for row in csv.reader(io.StringIO(text)) if row and row[0] == table]


def test_a_hidden_category_cannot_be_recomputed_from_the_page_or_the_csv(world, client, auth):
    # Each need has one category here, so the categories add up to the needs counted, a total
    # the reader reads in the status chart: 9 food, 3 gardens (small), 8 transport, 20 needs.
    for codes, n in ((["ALI"], 9), (["JAR"], 3), (["TRA"], 8)):
        for __ in range(n):
            forward(world, raise_need(world, codes=codes))
    auth.login(world.oc)
    page = client.get("/organizing/statistics").get_data(as_text=True)
    assert page.count("fewer than 5") >= 2
    categories = _csv_rows(client, "By category")
    statuses = _csv_rows(client, "By status")
    total = sum(int(row[2]) for row in statuses)
    assert total == 20
    shown = [int(row[2]) for row in categories if row[2].isdigit()]
    hidden = [row[1] for row in categories if not row[2].isdigit()]
    assert len(hidden) == 2  # the 3 and its complement, never the 3 alone
    # What a reader can try: the hidden ones add up to the total less the shown ones; the
    # small one is 1 to 4, the other one 0 or more: several values fit for each.
    rest = total - sum(shown)
    small_values = [v for v in range(1, K) if rest - v >= 0]
    assert len(small_values) > 1
    for row in categories:
        assert row[2] in {"fewer than 5"} or int(row[2]) >= K
