"""Read helpers for minutes pages: a body's list and search results."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.minutes import search
from tenantvoice.minutes.models import Minutes, MinutesSearch, MinutesState


@dataclass
class Hit:
    minutes: Minutes
    snippet: str


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


def search_body_minutes(body, q: str) -> list[Hit]:
    """Published minutes of the body matching every word of `q`, newest first, with a snippet."""
    ids = search.search_ids(body.id, q)
    if not ids:
        return []
    rows = db.session.execute(
        sa.select(Minutes, MinutesSearch.content)
        .join(MinutesSearch, MinutesSearch.minutes_id == Minutes.id)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.id.in_(ids), Minutes.state == MinutesState.PUBLISHED)
        .options(so.contains_eager(Minutes.meeting))  # each hit shows its meeting
        .order_by(Meeting.starts_at.desc())
    )
    return [Hit(minutes=m, snippet=search.snippet(content, q)) for m, content in rows]
