"""Read helpers for minutes pages: a body's list and search results."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from markupsafe import Markup

from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.minutes import search
from tenantvoice.minutes.models import Minutes, MinutesSearch, MinutesState
from tenantvoice.web.pagination import Page


@dataclass
class Hit:
    minutes: Minutes
    snippet: Markup


#: The minutes page's one statement, built once (building it cost as much as running it): the
#: minutes with their body (the permission reads it), versions, and what the page shows of the
#: approval and the signatures (the template never loads anything).
_FOR_PAGE = (
    sa.select(Minutes)
    .where(Minutes.id == sa.bindparam("minutes_id"))
    .options(
        so.joinedload(Minutes.body),
        so.joinedload(Minutes.approved_by_resolution),
        so.joinedload(Minutes.president_signed_by),
        so.joinedload(Minutes.secretary_signed_by),
        so.selectinload(Minutes.versions),
    )
)


def minutes_for_page(minutes_id: int) -> Minutes | None:
    return db.session.scalars(_FOR_PAGE, {"minutes_id": minutes_id}).unique().one_or_none()


#: Results per page of a minutes search.
SEARCH_PAGE_SIZE = 20


def body_minutes(body, *, include_unpublished: bool) -> list[Minutes]:
    """The body's minutes, newest meeting first; unpublished ones only for officers."""
    stmt = (
        sa.select(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.body_id == body.id)
        .options(so.contains_eager(Minutes.meeting))
        .order_by(Meeting.starts_at.desc())
    )
    if not include_unpublished:
        stmt = stmt.where(Minutes.state == MinutesState.PUBLISHED)
    return list(db.session.scalars(stmt))


def search_body_minutes(body, q: str, *, page: int = 1, per_page: int = SEARCH_PAGE_SIZE) -> Page:
    """One page of the body's published minutes holding every word of `q`, newest meeting
    first, each with its meeting and a snippet. The database matches (full-text index), counts,
    orders, pages and cuts the snippets: two statements whatever the number of hits."""
    words = search.query_words(q)
    if not words:
        return Page([], 0, 1, per_page)
    published = sa.and_(
        Minutes.id == MinutesSearch.minutes_id, Minutes.state == MinutesState.PUBLISHED
    )
    total = db.session.scalar(
        search.matching(
            sa.select(sa.func.count()).select_from(MinutesSearch).join(Minutes, published),
            body.id,
            words,
        )
    )
    pages = max(1, -(-(total or 0) // per_page))
    page = min(max(page, 1), pages)
    if not total:
        return Page([], 0, page, per_page)
    stmt = search.matching(
        sa.select(Minutes, search.snippet_column(words))
        .select_from(MinutesSearch)
        .join(Minutes, published)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .options(so.contains_eager(Minutes.meeting))  # each hit shows its meeting
        .order_by(Meeting.starts_at.desc(), Minutes.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page),
        body.id,
        words,
    )
    hits = [Hit(minutes=m, snippet=search.snippet_html(raw)) for m, raw in db.session.execute(stmt)]
    return Page(hits, total, page, per_page)
