"""Creating a poll: a question of the ballots mechanism with `Purpose.POLL` (services flush,
the view commits). Everything else a poll does — answering, paper check-in and count, closing,
tallying — is the ballots mechanism's (see tenantvoice/ballots/__init__.py)."""

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from tenantvoice import audit
from tenantvoice.accounts.models import User
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.ballots.models import Audience, Kind, Mode, Purpose, Question
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Site
from tenantvoice.polls.models import PollDraft


def sites_by_id(ids: Iterable[int]) -> list[Site]:
    """The buildings chosen on the form (any provider: the ballots service refuses others)."""
    wanted = sorted({int(i) for i in ids})[:500]
    if not wanted:
        return []
    return list(db.session.scalars(sa.select(Site).where(Site.id.in_(wanted)).order_by(Site.id)))


def create_poll(
    actor: User,
    body: Body,
    *,
    title: str,
    kind: Kind,
    choices: Iterable = (),
    closes_at: datetime | None,
    explanation: str = "",
    max_choices: int | None = None,
    audience: Audience = Audience.MEMBERS,
    sites: Iterable[Site] = (),
    opens_at: datetime | None = None,
    mode: Mode = Mode.SECRET,
    results_live: bool = False,
    confirm_small_electorate: bool = False,
) -> Question:
    """Create a poll; it opens at once unless `opens_at` is in the future.

    Raises `BallotInvalidError` (with `.field`) for every refusal: fewer than two or duplicate
    choices, k out of range, closing before opening or in the past, live results of a secret
    poll, buildings of another provider, a secret poll fewer than 5 can answer (unless
    confirmed). Nothing is recorded then (the view rolls back)."""
    if closes_at is None:
        raise BallotInvalidError(_l("Give a closing date and time."), "closes_at")
    return ballots.create_question(
        actor,
        body,
        purpose=Purpose.POLL,
        title=title,
        kind=kind,
        choices=choices if kind != Kind.YES_NO else (),
        closes_at=closes_at,
        explanation=(explanation or "").strip(),
        mode=mode,
        max_choices=max_choices if kind == Kind.MULTIPLE else None,
        audience=audience,
        sites=list(sites) if audience == Audience.SITES else [],
        opens_at=opens_at,
        results_live=results_live,
        confirm_small_electorate=confirm_small_electorate,
    )


#: Form fields a draft keeps, and how many values of each.
DRAFT_FIELDS = {
    "title": 1,
    "explanation": 1,
    "kind": 1,
    "choice": 31,
    "date": 31,
    "max_choices": 1,
    "audience": 1,
    "sites": 500,
    "opens_at": 1,
    "closes_at": 1,
    "mode": 1,
    "results": 1,
}


def save_draft(
    actor: User, body: Body, form: MultiDict, draft: PollDraft | None = None
) -> PollDraft:
    """Keep the creation form as typed (nothing checked but lengths), for the body's officers."""
    fields = {
        name: [str(v)[:5000] for v in form.getlist(name)[:most]]
        for name, most in DRAFT_FIELDS.items()
        if form.getlist(name)
    }
    title = " ".join((form.get("title") or "").split())[:300]
    if draft is None:
        draft = PollDraft(body=body, created_by_id=getattr(actor, "id", None))
        db.session.add(draft)
    draft.title = title
    draft.fields = fields
    db.session.flush()
    audit.record("poll.draft_saved", actor=actor, body_id=body.id, obj=draft)
    return draft


def delete_draft(actor: User, draft: PollDraft) -> None:
    audit.record("poll.draft_deleted", actor=actor, body_id=draft.body_id, obj=draft)
    db.session.delete(draft)
    db.session.flush()
