"""Lists cut into pages by the database: one COUNT and one LIMIT/OFFSET query, whatever the
number of rows (never every row loaded into Python), and the links between the pages.

A page number comes from the query string (`?page=3`); anything that is not a positive number
reads as the first page, and a number past the end shows the last page (a list that shrank
between two clicks still shows something)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import request, url_for

from tenantvoice.extensions import db

#: Page numbers above this read as this (a crafted ?page=10**9 costs one clamped query).
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, the number of rows in all, and where it stands."""

    items: Sequence[Any]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first(self) -> int:
        """Position (from 1) of the first row shown; 0 on an empty list."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def page_number(args: Mapping[str, str] | None = None, name: str = "page") -> int:
    """The page asked for in the query string: 1 unless a positive number (capped) is given."""
    raw = (request.args if args is None else args).get(name, "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def paginate(
    stmt: sa.Select,
    count: sa.Select[Any],
    number: int,
    size: int,
    *,
    scalars: bool = True,
) -> Page:
    """Run `count` (a SELECT count(...)) and the page `number` of `stmt` (ordered by the caller,
    with a unique last key so pages never overlap): two statements."""
    total = db.session.scalar(count) or 0
    pages = max(1, -(-total // size))
    number = min(max(number, 1), pages)
    stmt = stmt.limit(size).offset((number - 1) * size)
    rows: Sequence[Any] = (
        list(db.session.scalars(stmt)) if scalars else [tuple(r) for r in db.session.execute(stmt)]
    )
    return Page(items=rows, total=total, number=number, size=size)


@dataclass(frozen=True)
class PageLinks:
    """The previous and next page's addresses (None at either end), for the pager macro."""

    previous: str | None
    next: str | None
    number: int
    pages: int


def links(
    page: Page, endpoint: str | None = None, args: Mapping[str, Any] | None = None
) -> PageLinks:
    """Links to the neighbouring pages of a GET view (the current one unless `endpoint` is
    given), keeping its query arguments (the search, the filters: the current request's unless
    `args` is given)."""
    kept = dict(request.args.to_dict() if args is None else args)
    kept.pop("page", None)
    kept = {k: v for k, v in kept.items() if v not in (None, "")}
    target = endpoint or request.endpoint or ""
    view_args = request.view_args or {}

    def at(number: int) -> str:
        values: dict[str, Any] = {**view_args, **kept}
        if number > 1:
            values["page"] = number
        return url_for(target, **values)

    return PageLinks(
        previous=at(page.number - 1) if page.has_previous else None,
        next=at(page.number + 1) if page.has_next else None,
        number=page.number,
        pages=page.pages,
    )
