"""What the logbook's pages read: a worker's records, and the statistics of a period.

The statistics read the database twice per period (one pass over the interventions grouped by
provider kind, with the kind, population, referral and link counts as sums; one pass over the
referrals grouped by partner kind and category), on the indexes (worker, day) and (region,
day). Each published figure is then one pure function of those counts (tested against small
hand-computed datasets).

Outside the worker's own view, a count from 1 to 4 interventions shows as "fewer than 5", and a
figure whose cells add up to a published total (provider kinds, referred or not, linked or not,
referral destinations) hides more cells so none can be recomputed (`anonymity.protect`);
a percentage is shown only beside a shown count. When the total itself may not be published,
nothing is.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.ballots.anonymity import K, Shown, protect
from tenantvoice.extensions import db
from tenantvoice.logbook import labels
from tenantvoice.logbook.models import POPULATION_BITS, Intervention, Kind, Referral
from tenantvoice.needs import taxonomy
from tenantvoice.needs.models import Need, Origin, Partner, PartnerKind, Status
from tenantvoice.organizing.queries import Period
from tenantvoice.orgs.models import Body, Provider, ProviderKind, Region, Site

__all__ = ["Period"]

PAGE_SIZE = 50
#: The category of a referral to a partner the directory does not list.
UNLISTED = ""


# --- a worker's records ----------------------------------------------------------------------


def own_records(worker_id: int, page: int = 1) -> tuple[list[Intervention], bool]:
    """The worker's interventions, newest first (a page, and whether there are more)."""
    rows = list(
        db.session.scalars(
            sa.select(Intervention)
            .where(Intervention.worker_id == worker_id)
            .options(so.joinedload(Intervention.site), so.selectinload(Intervention.referrals))
            .order_by(Intervention.day.desc(), Intervention.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def region_records(region_ids: set[int], period: Period, page: int = 1):
    """Every intervention of the coordinator's regions in a period (with its worker)."""
    rows = list(
        db.session.scalars(
            sa.select(Intervention)
            .where(
                Intervention.region_id.in_(sorted(region_ids) or [-1]),
                Intervention.day >= period.start,
                Intervention.day <= period.end,
            )
            .options(
                so.joinedload(Intervention.site),
                so.joinedload(Intervention.worker),
                so.selectinload(Intervention.referrals),
            )
            .order_by(Intervention.day.desc(), Intervention.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def intervention(intervention_id: int) -> Intervention | None:
    return db.session.scalar(
        sa.select(Intervention)
        .where(Intervention.id == intervention_id)
        .options(
            so.joinedload(Intervention.site),
            so.joinedload(Intervention.need),
            so.joinedload(Intervention.body),
            so.selectinload(Intervention.themes),
            so.selectinload(Intervention.referrals).joinedload(Referral.partner),
        )
    )


def sites_of(scope: Any) -> list[Site]:
    """The sites of the providers a worker's scope covers (active), by provider then name."""
    return list(
        db.session.scalars(
            sa.select(Site)
            .join(Provider, Provider.id == Site.provider_id)
            .where(scope.providers_clause(), Site.active.is_(True), Provider.active.is_(True))
            .options(so.contains_eager(Site.provider))
            .order_by(Provider.name, Site.name)
            .limit(2000)
        )
    )


def partners_of(region_ids: set[int]) -> list[Partner]:
    return list(
        db.session.scalars(
            sa.select(Partner)
            .where(Partner.region_id.in_(sorted(region_ids) or [-1]), Partner.active.is_(True))
            .order_by(Partner.kind, Partner.name)
        )
    )


def bodies_of(scope: Any) -> list[Body]:
    return list(
        db.session.scalars(
            sa.select(Body)
            .join(Provider, Provider.id == Body.provider_id)
            .where(scope.providers_clause())
            .order_by(Body.name)
            .limit(500)
        )
    )


def linkable_needs(scope: Any, limit: int = 200) -> list[Need]:
    """Recent needs of the worker's scope that may have reached them (recorded by an ISC,
    forwarded to the organizer, or of a site without a reviewing body); the view keeps those
    the policy lets the worker link (`can_link_need`)."""
    return list(
        db.session.scalars(
            sa.select(Need)
            .where(
                sa.or_(
                    Need.provider_id.in_(sorted(scope.provider_ids) or [-1]),
                    Need.region_id.in_(sorted(scope.region_ids) or [-1]),
                ),
                sa.or_(
                    Need.origin == Origin.ISC,
                    Need.to_organizer.is_(True),
                    Need.reviewing_body_id.is_(None),
                ),
                Need.status != Status.MERGED,
            )
            .order_by(Need.created_at.desc(), Need.id.desc())
            .limit(limit)
        )
    )


def regions(region_ids: set[int]) -> list[Region]:
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.id.in_(sorted(region_ids) or [-1])).order_by(Region.name)
        )
    )


# --- statistics: the counts ------------------------------------------------------------------


@dataclass
class Territory:
    """Whose records: one worker's own, or every record of some regions (a coordinator)."""

    worker_id: int | None = None
    region_ids: frozenset[int] = frozenset()

    @property
    def own(self) -> bool:
        return self.worker_id is not None

    def clause(self, model: Any = Intervention):
        """On the interventions, or on the referrals (which carry the same copied columns)."""
        if self.worker_id is not None:
            return model.worker_id == self.worker_id
        return model.region_id.in_(sorted(self.region_ids) or [-1])


@dataclass
class Counts:
    """The raw counts of a period, before anything is hidden."""

    total: int = 0
    by_provider_kind: dict[str, int] = field(default_factory=dict)
    by_kind: dict[int, int] = field(default_factory=dict)
    by_population: dict[str, int] = field(default_factory=dict)
    referred: int = 0  #: interventions with at least one referral
    linked_need: int = 0
    linked_body: int = 0
    #: referrals (not interventions) by (partner kind, category); category "" when unlisted
    referrals: dict[tuple[str, str], int] = field(default_factory=dict)


def _has(column, bit: int):
    return sa.func.sum(sa.case((column.op("&")(bit) != 0, 1), else_=0))


def counts(territory: Territory, start: date, end: date) -> Counts:
    """Two statements: the interventions (grouped by provider kind), and their referrals (on
    the referrals' own copied columns and indexes)."""
    where = [territory.clause(), Intervention.day >= start, Intervention.day <= end]
    kinds = list(Kind)
    populations = list(POPULATION_BITS.items())
    columns = [
        Intervention.provider_kind,
        sa.func.count(),
        sa.func.sum(sa.case((Intervention.referrals_count > 0, 1), else_=0)),
        sa.func.sum(sa.case((Intervention.need_id.is_not(None), 1), else_=0)),
        sa.func.sum(sa.case((Intervention.body_id.is_not(None), 1), else_=0)),
        *[_has(Intervention.kinds, int(k)) for k in kinds],
        *[_has(Intervention.populations, bit) for _p, bit in populations],
    ]
    result = Counts()
    for row in db.session.execute(
        sa.select(*columns).where(*where).group_by(Intervention.provider_kind)
    ):
        provider_kind, n, referred, need, body, *rest = row
        key = getattr(provider_kind, "value", provider_kind)
        result.by_provider_kind[key] = n
        result.total += n
        result.referred += int(referred or 0)
        result.linked_need += int(need or 0)
        result.linked_body += int(body or 0)
        for k, v in zip(kinds, rest[: len(kinds)], strict=True):
            result.by_kind[int(k)] = result.by_kind.get(int(k), 0) + int(v or 0)
        for (p, _bit), v in zip(populations, rest[len(kinds) :], strict=True):
            result.by_population[p.value] = result.by_population.get(p.value, 0) + int(v or 0)
    for partner_kind, cat, n in db.session.execute(
        sa.select(Referral.partner_kind, Referral.category, sa.func.count())
        .where(territory.clause(Referral), Referral.day >= start, Referral.day <= end)
        .group_by(Referral.partner_kind, Referral.category)
    ):
        key = (getattr(partner_kind, "value", partner_kind), cat or UNLISTED)
        result.referrals[key] = result.referrals.get(key, 0) + n
    return result


# --- statistics: one function per figure -----------------------------------------------------


@dataclass
class Line:
    key: str
    label: str
    shown: Shown
    percent: float | None  #: of the figure's base, one decimal; None when hidden
    width: int = 0  #: 0-100, of the largest shown value (the bar)
    previous: Shown | None = None  #: the same line a year before


@dataclass
class Figure:
    key: str
    base: Shown  #: what the percentages are of (interventions, or referrals)
    lines: list[Line]


def _percent(value: int | None, base: int | None) -> float | None:
    if value is None or not base:
        return None
    return round(float(Fraction(value, base) * 100), 1)


def _bars(lines: list[Line]) -> list[Line]:
    top = max([ln.shown.value or 0 for ln in lines] + [1])
    for ln in lines:
        ln.width = round(100 * (ln.shown.value or 0) / top) if not ln.shown.hidden else 0
    return lines


def _partition(key: str, labelled: list[tuple[str, str, int]], protected: bool) -> Figure:
    """Cells that add up to the figure's total: complementary suppression when protected."""
    values = [n for _k, _l, n in labelled]
    total = sum(values)
    if not protected:
        shown = [Shown(n) for n in values]
        base = Shown(total)
    elif not labelled:
        return Figure(key, Shown(0), [])
    else:
        table = protect([values])
        shown, base = table.cells[0], table.total
    lines = [
        Line(k, label, s, _percent(s.value, base.value) if not base.hidden else None)
        for (k, label, _n), s in zip(labelled, shown, strict=True)
    ]
    return Figure(key, base, _bars(lines))


def several_hidden(values: list[int], total: int, k: int = K) -> list[str | None]:
    """Which cells of a question with several answers to hide ("small", "complement", or None
    for shown). The cells need not add up to the total, but every intervention has at least
    one answer, so they add up to the total or more. With the other cells published, that
    bounds a hidden count from below; when the bound reaches k - 1 it pins the count, and the
    smallest shown count is hidden too (its upper bound is then the total), until nothing is
    pinned."""
    state: list[str | None] = ["small" if 0 < v < k else None for v in values]

    def upper(i: int) -> int:
        return k - 1 if state[i] == "small" else total if state[i] else values[i]

    def pinned() -> bool:
        for h, st in enumerate(state):
            if st != "small":
                continue
            lowest = total - sum(upper(i) for i in range(len(values)) if i != h)
            if lowest >= k - 1:
                return True
        return False

    while pinned():
        shown = [i for i, st in enumerate(state) if st is None and values[i] > 0]
        if not shown:
            return ["small" if v else None for v in values]
        state[min(shown, key=lambda i: (values[i], i))] = "complement"
    return state


def _several(key: str, labelled: list[tuple[str, str, int]], total: Shown, protected) -> Figure:
    """Cells of a question with several answers (they add up to more than the total): each
    count under 5 hidden, and more where the bounds would give one back (`several_hidden`)."""
    values = [n for _k, _l, n in labelled]
    states = several_hidden(values, total.value or 0) if protected else [None] * len(values)
    lines = []
    for (k, label, n), state in zip(labelled, states, strict=True):
        s = Shown(None, state) if state else Shown(n)
        lines.append(Line(k, label, s, None if total.hidden else _percent(s.value, total.value)))
    return Figure(key, total, _bars(lines))


def total_shown(c: Counts, protected: bool) -> Shown:
    """The number of interventions, when it may be published (every partition of it agrees)."""
    if not protected:
        return Shown(c.total)
    if c.total == 0:
        return Shown(0)
    if c.total < K:
        return Shown(None, "small")
    partitions = [
        list(c.by_provider_kind.values()),
        [c.referred, c.total - c.referred],
        [c.linked_need, c.total - c.linked_need],
        [c.linked_body, c.total - c.linked_body],
    ]
    if any(protect([p]).total.hidden for p in partitions):
        return Shown(None, "small")
    return Shown(c.total)


def by_provider_kind(c: Counts, protected: bool) -> Figure:
    """Share of interventions by kind of provider (office, OBNL, co-op): a partition."""
    labelled = [
        (k.value, labels.PROVIDER_KIND[k.value], c.by_provider_kind.get(k.value, 0))
        for k in ProviderKind
    ]
    return _gate(_partition("provider_kind", labelled, protected), c, protected)


def by_population(c: Counts, protected: bool) -> Figure:
    """Share of interventions that reached each population (several per intervention)."""
    labelled = [
        (p.value, str(label), c.by_population.get(p.value, 0))
        for p, label in taxonomy.POPULATION.items()
    ]
    return _gate(
        _several("population", labelled, total_shown(c, protected), protected), c, protected
    )


def by_kind(c: Counts, protected: bool) -> Figure:
    """Share of interventions of each kind (several per intervention)."""
    labelled = [
        (str(int(k)), str(label), c.by_kind.get(int(k), 0)) for k, label in labels.KIND.items()
    ]
    return _gate(_several("kind", labelled, total_shown(c, protected), protected), c, protected)


def referral_rate(c: Counts, protected: bool) -> Figure:
    """Interventions that ended in at least one referral, and the others: a partition."""
    labelled = [
        ("referred", _text("referred"), c.referred),
        ("not_referred", _text("not_referred"), c.total - c.referred),
    ]
    return _gate(_partition("referral", labelled, protected), c, protected)


def linked_to_needs(c: Counts, protected: bool) -> Figure:
    labelled = [
        ("linked", _text("linked_need"), c.linked_need),
        ("not_linked", _text("not_linked"), c.total - c.linked_need),
    ]
    return _gate(_partition("need", labelled, protected), c, protected)


def linked_to_associations(c: Counts, protected: bool) -> Figure:
    labelled = [
        ("linked", _text("linked_body"), c.linked_body),
        ("not_linked", _text("not_linked"), c.total - c.linked_body),
    ]
    return _gate(_partition("body", labelled, protected), c, protected)


def destinations_by_partner_kind(c: Counts, protected: bool) -> Figure:
    """Referrals (not interventions) by kind of partner: a partition of the referrals."""
    per_kind: dict[str, int] = {}
    for (kind, _cat), n in c.referrals.items():
        per_kind[kind] = per_kind.get(kind, 0) + n
    labelled = [
        (k.value, str(taxonomy.PARTNER_KIND[k]), per_kind.get(k.value, 0)) for k in PartnerKind
    ]
    return _partition("partner_kind", labelled, protected)


def destinations_by_category(c: Counts, protected: bool) -> list[Figure]:
    """For each kind of partner, its referrals by category (the directory's service; "not
    listed" when the partner is not in the directory): shares of that kind's referrals. A kind
    whose count is hidden in `destinations_by_partner_kind` hides its whole breakdown (its
    cells would add up to the hidden count)."""
    kinds = destinations_by_partner_kind(c, protected)
    hidden = {ln.key for ln in kinds.lines if ln.shown.hidden}
    figures = []
    for kind in PartnerKind:
        labelled = sorted(
            (
                (cat, cat or _text("unlisted"), n)
                for (k, cat), n in c.referrals.items()
                if k == kind.value
            ),
            key=lambda t: (-t[2], t[1]),
        )
        if not labelled:
            continue
        if kind.value in hidden:
            small = Shown(None, "small")
            lines = [Line(cat, label, small, None) for cat, label, _n in labelled]
            figures.append(Figure(f"category_{kind.value}", small, lines))
        else:
            figures.append(_partition(f"category_{kind.value}", labelled, protected))
    return figures


def _gate(figure: Figure, c: Counts, protected: bool) -> Figure:
    """When the number of interventions may not be published, no count of it is."""
    if protected and c.total and total_shown(c, protected).hidden:
        small = Shown(None, "small")
        return Figure(
            figure.key, small, [Line(ln.key, ln.label, small, None) for ln in figure.lines]
        )
    return figure


def _text(key: str) -> str:
    return str(labels.LINE[key])


# --- statistics: the page --------------------------------------------------------------------


@dataclass
class Statistics:
    period: Period
    previous_period: Period
    territory: Territory
    protected: bool
    total: Shown
    previous_total: Shown
    figures: list[Figure]
    categories: list[Figure]


def _year_before(period: Period) -> Period:
    def back(d: date) -> date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)

    return Period(back(period.start), back(period.end))


FIGURES = [
    by_provider_kind,
    by_population,
    by_kind,
    referral_rate,
    destinations_by_partner_kind,
    linked_to_needs,
    linked_to_associations,
]


def statistics(territory: Territory, period: Period) -> Statistics:
    """Every figure of the period, each line with the same line a year before."""
    protected = not territory.own
    before = _year_before(period)
    now_counts = counts(territory, period.start, period.end)
    then_counts = counts(territory, before.start, before.end)
    figures = []
    for make in FIGURES:
        figure = make(now_counts, protected)
        previous = {ln.key: ln.shown for ln in make(then_counts, protected).lines}
        for ln in figure.lines:
            ln.previous = previous.get(ln.key, Shown(0))
        figures.append(figure)
    return Statistics(
        period=period,
        previous_period=before,
        territory=territory,
        protected=protected,
        total=total_shown(now_counts, protected),
        previous_total=total_shown(then_counts, protected),
        figures=figures,
        categories=destinations_by_category(now_counts, protected),
    )
