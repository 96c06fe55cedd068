"""Outside the worker's own view, a count under 5 interventions reads "fewer than 5", and no
hidden count can be worked out from the page, its percentages or the CSV (tested by trying:
every assignment of the hidden cells consistent with what is published is enumerated, and each
small one must keep at least two possible values)."""

import csv
import io
import itertools
import re
from html import unescape

import pytest

from tenantvoice.ballots.anonymity import K
from tenantvoice.extensions import db
from tenantvoice.logbook import queries
from tenantvoice.logbook.models import Kind
from tenantvoice.needs.models import Partner, PartnerKind
from tests.logbook.helpers import make_coordinator, record

PARTITIONS = ("provider_kind", "referral", "partner_kind", "need", "body")


@pytest.fixture
def region(world):
    """In R1: 12 interventions at an office and 3 at an OBNL (a small count), 2 of them
    referred to the CISSS (small), 13 linked to the association; the OC coordinates R1."""
    w = world
    cisss = Partner(
        region_id=w.r1.id, kind=PartnerKind.CISSS, name="CISSS", service="Santé mentale"
    )
    db.session.add(cisss)
    db.session.commit()
    for n in range(12):
        record(
            w.isc,
            w.s1,
            partner_ids=[cisss.id] if n < 2 else [],
            body_id=w.adl_a.id if n < 11 else None,
        )
    for n in range(3):
        record(w.oc, w.s3, kinds=[Kind.COLLECTIVE], body_id=w.adl_c.id if n < 2 else None)
    make_coordinator(w.oc)
    return w


def _possible(published: list[int | None], total: int) -> list[set[int]]:
    """Every value each cell can take given the shown cells and the total: hidden ones are 0 or
    more, whole (a reader does not know which are small: any value is tried)."""
    hidden = [i for i, v in enumerate(published) if v is None]
    rest = total - sum(v for v in published if v is not None)
    seen: list[set[int]] = [set() for _ in published]
    for values in itertools.product(range(rest + 1), repeat=len(hidden)):
        if sum(values) == rest and all(v == 0 or v >= 1 for v in values):
            small_ok = all(0 < v < K or v >= K or v == 0 for v in values)
            if small_ok:
                for i, v in zip(hidden, values, strict=True):
                    seen[i].add(v)
    return seen


def _check_partition(lines: list[tuple[int | None, float | None]], total: int, truth: list[int]):
    for (value, percent), true in zip(lines, truth, strict=True):
        if value is None:
            assert percent is None, "a hidden count has no percentage"
        else:
            assert value == true
        if 0 < true < K:
            assert value is None, "a count under 5 is hidden"
    published = [v for v, _p in lines]
    for i, options in enumerate(_possible(published, total)):
        if published[i] is None and 0 < truth[i] < K:
            # The reader knows a hidden count is 1 to 4 or a complement (5 or more is not
            # told apart): it must stay ambiguous within 1 to 4 and beyond.
            assert len(options) > 1, f"cell {i} can be recomputed"


def test_the_coordinators_figures_hide_and_protect_small_counts(app, region):
    with app.test_request_context():
        stats = queries.statistics(
            queries.Territory(region_ids=frozenset({region.r1.id})),
            queries.Period.parse({}),  # type: ignore[arg-type]
        )
    assert stats.protected
    assert stats.total.value == 15
    figures = {f.key: f for f in stats.figures}
    kinds = figures["provider_kind"]
    assert [ln.shown.value for ln in kinds.lines] == [None, None, 0]  # 12 complement, 3 small
    truths = {
        "provider_kind": [12, 3, 0],
        "referral": [2, 13],
        "partner_kind": [2, 0, 0],
        "need": [0, 15],
        "body": [13, 2],
    }
    for key in PARTITIONS:
        f = figures[key]
        lines = [(ln.shown.value, ln.percent) for ln in f.lines]
        _check_partition(lines, sum(truths[key]), truths[key])
    # The breakdown of a hidden count is hidden too.
    (cisss,) = stats.categories
    assert all(ln.shown.hidden for ln in cisss.lines)


def _pinned(values, total, states):
    """Brute force: each hidden small cell's possible values, given the shown cells, 1 to 4
    for small ones, 0 to total for complements, and every intervention having an answer
    (total - c(X) <= the sum of the others, for each X)."""
    hidden = [i for i, st in enumerate(states) if st]
    ranges = [range(1, K) if states[i] == "small" else range(total + 1) for i in hidden]
    seen = {i: set() for i in hidden}
    for guess in itertools.product(*ranges):
        cells = list(values)
        for i, v in zip(hidden, guess, strict=True):
            cells[i] = v
        if all(total - cells[x] <= sum(cells) - cells[x] for x in range(len(cells))):
            for i, v in zip(hidden, guess, strict=True):
                seen[i].add(v)
    return [i for i in hidden if states[i] == "small" and len(seen[i]) < 2]


@pytest.mark.parametrize(
    ("values", "total"),
    [([11, 4, 0, 0], 15), ([12, 3, 0], 15), ([10, 4, 4, 0], 15), ([15, 2, 1], 15), ([0, 0], 0)],
)
def test_a_question_with_several_answers_gives_no_count_back(values, total):
    states = queries.several_hidden(values, total)
    assert all(st for v, st in zip(values, states, strict=True) if 0 < v < K)
    assert _pinned(values, total, states) == []


def test_the_workers_own_view_shows_every_count(app, region):
    with app.test_request_context():
        stats = queries.statistics(
            queries.Territory(worker_id=region.oc.id),
            queries.Period.parse({}),  # type: ignore[arg-type]
        )
    kinds = {f.key: f for f in stats.figures}["provider_kind"]
    assert [ln.shown.value for ln in kinds.lines] == [0, 3, 0]


def _section(page: str, key: str) -> list[list[str]]:
    block = page.split(f'id="figure-{key}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", block, re.S)
    return [
        [
            unescape(re.sub(r"<.*?>", "", c)).strip()
            for c in re.findall(r"<td>(.*?)</td>", cells, re.S)
        ]
        for _h, cells in rows
    ]


def test_the_page_shows_fewer_than_5_and_no_way_back(region, client, auth):
    auth.login(region.oc)
    page = client.get(f"/logbook/statistics?region={region.r1.id}").get_data(as_text=True)
    rows = _section(page, "provider_kind")
    assert rows[0][:2] == ["fewer than 5", ""]
    assert rows[1][:2] == ["fewer than 5", ""]
    assert rows[2][0] == "0"
    referral = _section(page, "referral")
    assert [r[0] for r in referral] == ["fewer than 5", "fewer than 5"]
    # Neither figure reads 12 or 3 interventions, as a count or as a share of 15.
    for key in ("provider_kind", "referral"):
        for row in _section(page, key):
            assert not {"12", "3", "80%", "20%", "13.3%", "86.7%"} & set(row[:2])


def test_the_csv_hides_the_same_cells_and_is_formula_safe(region, client, auth):
    Partner.query  # noqa: B018 - the model is loaded
    evil = Partner(
        region_id=region.r1.id, kind=PartnerKind.COMMUNITY, name="X", service="=HYPERLINK(1)"
    )
    db.session.add(evil)
    db.session.commit()
    for _n in range(5):
        record(region.isc, region.s1, partner_ids=[evil.id])
    auth.login(region.oc)
    response = client.get(f"/logbook/statistics.csv?region={region.r1.id}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    by_kind = [r for r in rows if r[0] == "By kind of provider"]
    assert [r[2] for r in by_kind] == ["fewer than 5", "fewer than 5", "0"]
    assert [r[3] for r in by_kind[:2]] == ["", ""]
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert any(cell == "'=HYPERLINK(1)" for row in rows for cell in row)
