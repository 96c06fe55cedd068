"""What the organizer's dashboard, statistics and the direction's page read.

Everything aggregates in the database on the need's own indexed columns (region, provider,
provider kind, site, status, category, created_at, supporters_count): one statement for the
page of needs, one per filter's counts, one for the sensitive cards; the wording of the page's
needs comes in one more statement (no N+1). Sensitive needs never appear one by one here: only
as counts of people per site and category, "fewer than 5" under 5.

At province size (200 000 needs, 2 million supports; issue 13) every page stays in the
database's indexes on PostgreSQL: `ix_needs_region_created_cover` carries every column these
queries filter, group or count on (an index-only scan of a region's 12 000 needs instead of
6 000 table pages), categories are counted from the need's bit mask (`category_mask`, one pass,
no join), the search's LIKE uses a trigram index (needs/search.py), the statistics' referrals
and participation have their own covering indexes. No summary table: every figure is computed
when the page is read, so it is always current (nothing to refresh, no freshness to show) and
the median time to first response is the exact median of the period.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.datastructures import MultiDict

from tenantvoice import clock
from tenantvoice.ballots.anonymity import K, Shown, protect_row
from tenantvoice.extensions import db
from tenantvoice.needs import taxonomy
from tenantvoice.needs.models import (
    EventKind,
    Need,
    NeedCategory,
    NeedEvent,
    NeedForward,
    NeedPopulation,
    NeedSupport,
    Origin,
    Partner,
    PartnerKind,
    Population,
    Status,
)
from tenantvoice.orgs.models import Provider, ProviderKind, Region, Site
from tenantvoice.search import fold

PAGE_SIZE = 25
AGES = {"week": 7, "month": 30, "quarter": 91}
SORTS = ("new", "old", "supporters")
SUPPORTERS = (5, 10, 20, 50)


@dataclass
class Filters:
    region: int | None = None
    kind: str | None = None
    provider: int | None = None
    site: int | None = None
    category: str | None = None
    population: str | None = None
    status: str | None = None
    age: str | None = None
    supporters: int | None = None
    q: str = ""
    sort: str = "new"
    page: int = 1

    @classmethod
    def parse(cls, args: MultiDict) -> "Filters":
        """From the URL; a value out of its list is ignored (never an error page)."""

        def number(name: str) -> int | None:
            value = args.get(name, type=int)
            return value if value is not None and 0 < value < 2**31 else None

        def one_of(name: str, allowed) -> str | None:
            value = args.get(name) or None
            return value if value in allowed else None

        supporters = number("supporters")
        return cls(
            region=number("region"),
            kind=one_of("kind", {k.value for k in ProviderKind}),
            provider=number("provider"),
            site=number("site"),
            category=one_of("category", set(taxonomy.CODES)),
            population=one_of("population", {p.value for p in Population}),
            status=one_of("status", {s.value for s in Status} - {Status.MERGED.value}),
            age=one_of("age", set(AGES) | {"older"}),
            supporters=supporters if supporters in SUPPORTERS else None,
            q=(args.get("q") or "").strip()[:80],
            sort=one_of("sort", set(SORTS)) or "new",
            page=min(number("page") or 1, 10_000),
        )

    def args(self, **changes: Any) -> dict:
        """The URL arguments of these filters with `changes` (None removes one)."""
        values = {
            "region": self.region,
            "kind": self.kind,
            "provider": self.provider,
            "site": self.site,
            "category": self.category,
            "population": self.population,
            "status": self.status,
            "age": self.age,
            "supporters": self.supporters,
            "q": self.q or None,
            "sort": None if self.sort == "new" else self.sort,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool(self.args(sort=None))


def scope_clause(scope: Any) -> sa.ColumnElement[bool]:
    """The needs of the staff member's regions and providers. Only the non-empty parts: an
    organizer of one region filters `region_id = r` alone, which the covering index
    `ix_needs_region_created_cover` answers without reading the table (an OR with an empty
    provider list made PostgreSQL read every need of the region from the heap)."""
    parts = []
    if scope.region_ids:
        parts.append(Need.region_id.in_(sorted(scope.region_ids)))
    if scope.provider_ids:
        parts.append(Need.provider_id.in_(sorted(scope.provider_ids)))
    if not parts:
        return sa.false()
    return parts[0] if len(parts) == 1 else sa.or_(*parts)


def reached_clause() -> sa.ColumnElement[bool]:
    """Needs that reached the organizer: recorded by an ISC, forwarded to the organizer, or of a
    site without a reviewing body."""
    return sa.or_(
        Need.origin == Origin.ISC,
        sa.and_(
            Need.origin == Origin.TENANT,
            sa.or_(Need.to_organizer.is_(True), Need.reviewing_body_id.is_(None)),
        ),
    )


def _listed(scope: Any) -> list[sa.ColumnElement[bool]]:
    """The needs the organizer reads one by one (no sensitive tenant need)."""
    return [
        scope_clause(scope),
        reached_clause(),
        Need.status != Status.MERGED,
        sa.or_(Need.origin == Origin.ISC, Need.sensitive.is_(False)),
    ]


def has_category(code: str) -> sa.ColumnElement[bool]:
    """Needs of this category (one of theirs), read from the need's own bit mask."""
    return Need.category_mask.op("&")(taxonomy.BIT[code]) != 0


#: One count per category's bit, built once (22 expressions cost ~10 ms to build per call).
_CATEGORY_COUNTS = [
    sa.func.count().filter(Need.category_mask.op("&")(sa.literal_column(str(bit))) != 0)
    for bit in taxonomy.BIT.values()
]


def category_counts(where: list[sa.ColumnElement[bool]]) -> dict[str, int]:
    """Needs per category (a need counts in each of its categories), in one pass over the
    needs: a sum per category's bit, instead of a join with need_categories."""
    row = db.session.execute(sa.select(*_CATEGORY_COUNTS).select_from(Need).where(*where)).one()
    return {code: int(n) for code, n in zip(taxonomy.BIT_ORDER, row, strict=True) if n}


def _filter_clauses(f: Filters, skip: str = "") -> list[sa.ColumnElement[bool]]:
    now = clock.now()
    out: list[sa.ColumnElement[bool]] = []
    if f.region and skip != "region":
        out.append(Need.region_id == f.region)
    if f.kind and skip != "kind":
        out.append(Need.provider_kind == f.kind)
    if f.provider and skip != "provider":
        out.append(Need.provider_id == f.provider)
    if f.site and skip != "site":
        out.append(Need.site_id == f.site)
    if f.category and skip != "category":
        out.append(has_category(f.category))
    if f.population and skip != "population":
        out.append(
            Need.id.in_(
                sa.select(NeedPopulation.need_id).where(NeedPopulation.population == f.population)
            )
        )
    if f.status and skip != "status":
        out.append(Need.status == f.status)
    if f.age and skip != "age":
        if f.age == "older":
            out.append(Need.created_at < now - timedelta(days=AGES["quarter"]))
        else:
            out.append(Need.created_at >= now - timedelta(days=AGES[f.age]))
    if f.supporters and skip != "supporters":
        out.append(Need.supporters_count >= f.supporters)
    if f.q and skip != "q":
        words = fold(f.q).split()[:5]
        out.extend(Need.organizer_search_key.contains(w, autoescape=True) for w in words)
    return out


@dataclass
class DashboardRow:
    need: Need
    site: str
    provider: str
    wording: str  #: the body's latest wording ("" when none)


@dataclass
class Page:
    rows: list[DashboardRow]
    total: int
    page: int
    pages: int


def dashboard_page(scope: Any, f: Filters) -> Page:
    where = _listed(scope) + _filter_clauses(f)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Need).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    orders: dict[str, tuple[Any, ...]] = {
        "new": (Need.created_at.desc(), Need.id.desc()),
        "old": (Need.created_at.asc(), Need.id.asc()),
        "supporters": (Need.supporters_count.desc(), Need.id.desc()),
    }
    order = orders[f.sort]
    stmt = (
        sa.select(Need, Site.name, Provider.name)
        .join(Site, Site.id == Need.site_id)
        .join(Provider, Provider.id == Need.provider_id)
        .where(*where)
        .options(so.selectinload(Need.categories), so.selectinload(Need.populations))
        .order_by(*order)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    found = db.session.execute(stmt).all()
    wordings = latest_wordings([n.id for n, _s, _p in found], to_direction=False)
    rows = [DashboardRow(n, s, p, wordings.get(n.id, "")) for n, s, p in found]
    return Page(rows, total, page, pages)


def latest_wordings(need_ids: list[int], *, to_direction: bool) -> dict[int, str]:
    """The body's latest wording per need (to the organizer, or to the direction)."""
    if not need_ids:
        return {}
    which = NeedForward.to_direction if to_direction else NeedForward.to_organizer
    latest = (
        sa.select(sa.func.max(NeedForward.id))
        .where(NeedForward.need_id.in_(need_ids), which.is_(True))
        .group_by(NeedForward.need_id)
    )
    return dict(
        db.session.execute(
            sa.select(NeedForward.need_id, NeedForward.wording).where(NeedForward.id.in_(latest))
        ).all()
    )


@dataclass
class Facet:
    name: str
    values: list[tuple[Any, str, int]] = field(default_factory=list)  #: (value, label, count)
    #: More values than the list offers (providers and buildings): the "all" page lists them.
    more: bool = False


#: Providers and buildings a filter list offers (the busiest); `places` pages through all.
FACET_TOP = 50
PLACES: dict[str, tuple[Any, Any]] = {
    "provider": (Provider, Need.provider_id),
    "site": (Site, Need.site_id),
}


def _places_stmt(scope: Any, f: Filters, name: str) -> sa.Select:
    model, column = PLACES[name]
    return (
        sa.select(column, model.name, sa.func.count(Need.id))
        .select_from(Need)
        .join(model, model.id == column)
        .where(*(_listed(scope) + _filter_clauses(f, name)))
        .group_by(column, model.name)
    )


def places(scope: Any, f: Filters, name: str, page: int) -> tuple[list[tuple[int, str, int]], int]:
    """Every provider or building with needs under the other filters, by name, a page at a
    time, and the number of pages (one statement each)."""
    stmt = _places_stmt(scope, f, name).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt)) or 0
    pages = max(1, -(-total // PLACES_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        sa.select(stmt)
        .order_by(stmt.c.name, stmt.c[0])
        .limit(PLACES_PAGE)
        .offset((page - 1) * PLACES_PAGE)
    ).all()
    return [(v, label, c) for v, label, c in rows], pages


PLACES_PAGE = 100


def _grouped(scope: Any, f: Filters, skip: str, column: Any):
    where = _listed(scope) + _filter_clauses(f, skip)
    stmt = sa.select(column, sa.func.count()).select_from(Need)
    return db.session.execute(stmt.where(*where).group_by(column)).all()


def facets(scope: Any, f: Filters) -> list[Facet]:
    """Counts per value of each filter, the other filters applied (one statement each)."""
    out = []
    regions = dict(
        db.session.execute(
            sa.select(Region.id, Region.name).where(Region.id.in_(sorted(scope.region_ids) or [-1]))
        ).all()
    )
    counts = _grouped(scope, f, "region", Need.region_id)
    regions.update(
        db.session.execute(
            sa.select(Region.id, Region.name).where(Region.id.in_([v for v, _c in counts] or [-1]))
        ).all()
    )
    out.append(
        Facet("region", sorted(((v, regions.get(v, ""), c) for v, c in counts), key=lambda t: t[1]))
    )
    kinds = {"office": "OMH", "obnl": "OBNL", "coop": "COOP"}
    counts = _grouped(scope, f, "kind", Need.provider_kind)
    out.append(
        Facet(
            "kind",
            [
                (
                    str(v.value if hasattr(v, "value") else v),
                    kinds.get(str(getattr(v, "value", v)), str(v)),
                    c,
                )
                for v, c in counts
            ],
        )
    )
    for name in PLACES:
        model, column = PLACES[name]
        selected = getattr(f, name)
        # The busiest first; the selected one always among them (even when it is not busy).
        first = sa.case((column == selected, 0), else_=1) if selected else sa.literal(1)
        stmt = (
            _places_stmt(scope, f, name)
            .order_by(first, sa.func.count(Need.id).desc(), model.name)
            .limit(FACET_TOP + 1)
        )
        found = [(v, label, c) for v, label, c in db.session.execute(stmt)]
        top = sorted(found[:FACET_TOP], key=lambda t: (-t[2], t[1]))
        out.append(Facet(name, top, more=len(found) > FACET_TOP))
    counts = category_counts(_listed(scope) + _filter_clauses(f, "category"))
    out.append(
        Facet(
            "category",
            [
                (c.code, str(c.label), counts[c.code])
                for c in taxonomy.CATEGORIES
                if c.code in counts
            ],
        )
    )
    counts = _population_counts(scope, f)
    out.append(
        Facet(
            "population",
            [
                (p.value, str(label), counts[p.value])
                for p, label in taxonomy.POPULATION.items()
                if p.value in counts
            ],
        )
    )
    counts = {getattr(k, "value", k): v for k, v in _grouped(scope, f, "status", Need.status)}
    out.append(
        Facet(
            "status",
            [
                (s.value, str(label), counts[s.value])
                for s, label in taxonomy.STATUS.items()
                if s.value in counts
            ],
        )
    )
    return out


def _population_counts(scope: Any, f: Filters) -> dict[str, int]:
    """Needs per group affected, the other filters applied: a need counts once per group it
    names (the counts may add up to more than the needs)."""
    where = _listed(scope) + _filter_clauses(f, "population")
    rows = db.session.execute(
        sa.select(NeedPopulation.population, sa.func.count(Need.id))
        .select_from(Need)
        .join(NeedPopulation, NeedPopulation.need_id == Need.id)
        .where(*where)
        .group_by(NeedPopulation.population)
    ).all()
    return {getattr(k, "value", k): v for k, v in rows}


@dataclass
class Card:
    site_id: int
    site: str
    code: str
    people: Shown  #: people concerned (supporters), "fewer than 5" under 5


def sensitive_cards(scope: Any, f: Filters, limit: int = 60) -> list[Card]:
    """Sensitive needs that reached the organizer, as counts of people per site and category,
    for the first `limit` sites by name. Each site's row is protected with its total
    (complementary suppression)."""
    needs = [
        scope_clause(scope),
        Need.origin == Origin.TENANT,
        Need.sensitive.is_(True),
        sa.or_(Need.to_organizer.is_(True), Need.reviewing_body_id.is_(None)),
        Need.status != Status.MERGED,
    ]
    # The place, kind, status and age filters apply; no text search (a card has no text).
    needs += _filter_clauses(replace(f, q="", supporters=None, population=None))
    # The sites shown first, from the needs alone (the covering index): only their supports
    # are counted (a region has 30 000 supports of sensitive needs at province size).
    shown_sites = (
        sa.select(Site.id)
        .where(Site.id.in_(sa.select(Need.site_id).where(*needs)))
        .order_by(Site.name, Site.id)
        .limit(limit)
    )
    stmt = (
        sa.select(
            Need.site_id,
            Site.name,
            NeedCategory.code,
            sa.func.count(sa.distinct(NeedSupport.user_id)),
        )
        .select_from(Need)
        .join(NeedCategory, NeedCategory.need_id == Need.id)
        .join(NeedSupport, NeedSupport.need_id == Need.id)
        .join(Site, Site.id == Need.site_id)
        .where(
            *needs,
            Need.site_id.in_(shown_sites.scalar_subquery()),
            NeedCategory.code.in_(sorted(taxonomy.SENSITIVE)),
        )
        .group_by(Need.site_id, Site.name, NeedCategory.code)
        .order_by(Site.name, Need.site_id, NeedCategory.code)
    )
    by_site: dict[int, tuple[str, list[tuple[str, int]]]] = {}
    for site_id, name, code, people in db.session.execute(stmt):
        by_site.setdefault(site_id, (name, []))[1].append((code, people))
    cards = []
    for site_id, (name, cells) in by_site.items():
        table = protect_row([n for _c, n in cells])
        for (code, _n), shown in zip(cells, table.cells[0], strict=True):
            cards.append(Card(site_id, name, code, shown))
    return cards


def card_needs(scope: Any, site_id: int, code: str) -> list[Need]:
    """The needs behind a sensitive card (to act on them together; never listed)."""
    return list(
        db.session.scalars(
            sa.select(Need).where(
                scope_clause(scope),
                Need.site_id == site_id,
                Need.origin == Origin.TENANT,
                Need.sensitive.is_(True),
                sa.or_(Need.to_organizer.is_(True), Need.reviewing_body_id.is_(None)),
                Need.status.not_in([Status.MERGED, Status.CLOSED]),
                Need.id.in_(sa.select(NeedCategory.need_id).where(NeedCategory.code == code)),
            )
        )
    )


def organizer_timeline(need: Need) -> list[NeedEvent]:
    return list(
        db.session.scalars(
            sa.select(NeedEvent)
            .where(NeedEvent.need_id == need.id)
            .order_by(NeedEvent.created_at, NeedEvent.id)
        )
    )


def organizer_forwards(need: Need) -> list[NeedForward]:
    return list(
        db.session.scalars(
            sa.select(NeedForward)
            .where(NeedForward.need_id == need.id, NeedForward.to_organizer.is_(True))
            .options(so.joinedload(NeedForward.body))
            .order_by(NeedForward.id)
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


def scope_region_ids(scope: Any) -> set[int]:
    ids = set(scope.region_ids)
    if scope.provider_ids:
        ids |= set(
            db.session.scalars(
                sa.select(Provider.region_id).where(Provider.id.in_(sorted(scope.provider_ids)))
            )
        )
    return ids


def regions(ids: set[int]) -> list[Region]:
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.id.in_(sorted(ids) or [-1])).order_by(Region.name)
        )
    )


# --- statistics -----------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    shown: Shown
    width: int  #: 0-100, of the largest shown value


@dataclass
class Chart:
    key: str
    bars: list[Bar]
    total: Shown


def _chart(key: str, labelled: list[tuple[str, int]], *, partition: bool = True) -> Chart:
    """Bars of a table of counts, with complementary suppression (`protect_row`, linear time):
    a count under 5 is hidden, and so is the next smallest when it alone is hidden or when only
    small counts are, so that none can be recomputed from the total. `partition`: the cells add
    up to the needs counted (kind, status), whose total is shown. Otherwise (categories and
    populations: a need may name several) the page shows no total, but the reader may know it
    (when every need has one category it is the number of needs, shown in the other charts):
    the cells are protected as if it were known."""
    if not labelled:
        return Chart(key, [], Shown(0))
    table = protect_row([n for _l, n in labelled])
    shown = table.cells[0]
    total = table.total if partition else Shown(None, "small")
    top = max([s.value or 0 for s in shown] + [1])
    bars = [
        Bar(label, s, round(100 * (s.value or 0) / top) if not s.hidden else 0)
        for (label, _n), s in zip(labelled, shown, strict=True)
    ]
    return Chart(key, bars, total)


@dataclass
class Period:
    start: date
    end: date

    @classmethod
    def parse(cls, args: MultiDict) -> "Period":
        today = clock.now().astimezone(clock.MONTREAL).date()

        def day(name: str, default: date) -> date:
            try:
                return date.fromisoformat(args.get(name, ""))
            except ValueError:
                return default

        end = day("end", today)
        start = day("start", end - timedelta(days=365))
        if start > end:
            start, end = end, start
        return cls(start, end)

    def bounds(self) -> tuple[datetime, datetime]:
        low = datetime.combine(self.start, time(0), tzinfo=clock.MONTREAL)
        high = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=clock.MONTREAL)
        return low, high


@dataclass
class Statistics:
    period: Period
    charts: list[Chart]
    referred: Shown
    referred_share: float | None
    partner_kinds: Chart
    median_hours: float | None
    responses: int
    participation: list[tuple[str, int, Shown, float | None]]  #: site, units, people, share


def statistics(scope: Any, period: Period) -> Statistics:
    low, high = period.bounds()
    where = [
        scope_clause(scope),
        reached_clause(),
        Need.status != Status.MERGED,
        Need.created_at >= low,
        Need.created_at < high,
    ]

    def counts(column: Any, join_populations: bool = False) -> dict:
        stmt = sa.select(column, sa.func.count()).select_from(Need)
        if join_populations:  # (need, group) is unique: one row per need and group
            stmt = stmt.join(NeedPopulation, NeedPopulation.need_id == Need.id)
        rows = db.session.execute(stmt.where(*where).group_by(column)).all()
        return {getattr(k, "value", k): v for k, v in rows}

    by_category = category_counts(where)
    by_kind = counts(Need.provider_kind)
    # A need counts once per group it names: the bars may add up to more than the needs.
    by_population = counts(NeedPopulation.population, join_populations=True)
    by_status = counts(Need.status)
    kind_labels = {"office": "OMH / ORH", "obnl": "OBNL", "coop": "COOP"}
    charts = [
        _chart(
            "category",
            [
                (str(c.label), by_category[c.code])
                for c in taxonomy.CATEGORIES
                if c.code in by_category
            ],
            partition=False,
        ),
        _chart(
            "kind",
            [(kind_labels[k.value], by_kind[k.value]) for k in ProviderKind if k.value in by_kind],
        ),
        _chart(
            "population",
            [
                (str(label), by_population[p.value])
                for p, label in taxonomy.POPULATION.items()
                if p.value in by_population
            ],
            partition=False,
        ),
        _chart(
            "status",
            [
                (str(label), by_status[s.value])
                for s, label in taxonomy.STATUS.items()
                if s.value in by_status
            ],
        ),
    ]
    total = sum(by_status.values())
    referred_rows = db.session.execute(
        sa.select(Partner.kind, sa.func.count(sa.distinct(Need.id)))
        .select_from(Need)
        .join(NeedEvent, NeedEvent.need_id == Need.id)
        .join(Partner, Partner.id == NeedEvent.partner_id)
        .where(*where, NeedEvent.kind == EventKind.REFERRED)
        .group_by(Partner.kind)
    ).all()
    by_partner = {getattr(k, "value", k): v for k, v in referred_rows}
    referred_count = (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Need.id)))
            .select_from(Need)
            .join(NeedEvent, NeedEvent.need_id == Need.id)
            .where(*where, NeedEvent.kind == EventKind.REFERRED)
        )
        or 0
    )
    referred_table = protect_row([referred_count, max(total - referred_count, 0)])
    referred = referred_table.cells[0][0]
    share = float(referred.percent) if referred.percent is not None else None
    partner_chart = _chart(
        "partner",
        [
            (str(taxonomy.PARTNER_KIND[k]), by_partner[k.value])
            for k in PartnerKind
            if k.value in by_partner
        ],
    )
    responded = [*where, Need.first_response_seconds.is_not(None)]
    responses = (
        db.session.scalar(sa.select(sa.func.count()).select_from(Need).where(*responded)) or 0
    )
    median_hours = None
    if responses:
        middle = db.session.scalars(
            sa.select(Need.first_response_seconds)
            .where(*responded)
            .order_by(Need.first_response_seconds)
            .offset((responses - 1) // 2)
            .limit(2 - responses % 2)
        ).all()
        seconds = [int(x or 0) for x in middle]
        median_hours = round(sum(seconds) / len(seconds) / 3600, 1)
    people = (
        sa.select(Need.site_id, sa.func.count(sa.distinct(NeedSupport.user_id)).label("people"))
        .select_from(Need)
        .join(NeedSupport, NeedSupport.need_id == Need.id)
        .where(
            scope_clause(scope),
            Need.origin == Origin.TENANT,
            NeedSupport.created_at >= low,
            NeedSupport.created_at < high,
        )
        .group_by(Need.site_id)
        .subquery()
    )
    participation = []
    for name, units, count in db.session.execute(
        sa.select(Site.name, Site.units_count, people.c.people)
        .join(people, people.c.site_id == Site.id)
        .order_by(people.c.people.desc(), Site.name)
        .limit(100)
    ):
        shown = Shown(count) if count >= K else Shown(None, "small")
        rate = round(100 * count / units, 1) if units and not shown.hidden else None
        participation.append((name, units, shown, rate))
    return Statistics(
        period=period,
        charts=charts,
        referred=referred,
        referred_share=share,
        partner_kinds=partner_chart,
        median_hours=median_hours,
        responses=responses,
        participation=participation,
    )


# --- the direction ---------------------------------------------------------------------------


@dataclass
class DirectionRow:
    need_id: int
    site: str
    code: str
    wording: str
    people: Shown
    status: str
    forwarded_at: datetime | None


def direction_page(provider_ids: set[int]) -> tuple[list[DirectionRow], list[tuple[str, str, int]]]:
    """What bodies forwarded to the direction: per non-sensitive need the category, site, the
    body's wording and the people concerned ("fewer than 5" under 5); sensitive needs only as
    counts of 5 or more per site and category. Never a tenant's text, never a name."""
    where = [
        Need.provider_id.in_(sorted(provider_ids) or [-1]),
        Need.origin == Origin.TENANT,
        Need.to_direction.is_(True),
        Need.status != Status.MERGED,
    ]
    found = db.session.execute(
        sa.select(
            Need.id, Site.name, Need.category, Need.supporters_count, Need.status, Need.forwarded_at
        )
        .join(Site, Site.id == Need.site_id)
        .where(*where, Need.sensitive.is_(False))
        .order_by(Need.forwarded_at.desc(), Need.id.desc())
        .limit(200)
    ).all()
    wordings = latest_wordings([r[0] for r in found], to_direction=True)
    rows = [
        DirectionRow(
            nid,
            site,
            code,
            wordings.get(nid, ""),
            Shown(count) if count >= K else Shown(None, "small"),
            getattr(status, "value", status),
            at,
        )
        for nid, site, code, count, status, at in found
    ]
    counts = db.session.execute(
        sa.select(Site.name, NeedCategory.code, sa.func.count(sa.distinct(NeedSupport.user_id)))
        .select_from(Need)
        .join(Site, Site.id == Need.site_id)
        .join(NeedCategory, NeedCategory.need_id == Need.id)
        .join(NeedSupport, NeedSupport.need_id == Need.id)
        .where(*where, Need.sensitive.is_(True), NeedCategory.code.in_(sorted(taxonomy.SENSITIVE)))
        .group_by(Site.name, NeedCategory.code)
        .having(sa.func.count(sa.distinct(NeedSupport.user_id)) >= K)
        .order_by(Site.name, NeedCategory.code)
    ).all()
    return rows, [(s, c, n) for s, c, n in counts]
