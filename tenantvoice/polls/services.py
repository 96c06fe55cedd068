"""Creating a poll: a question of the ballots mechanism with `Purpose.POLL` (services flush,
the view commits). Everything else a poll does — answering, paper check-in and count, closing,
tallying — is the ballots mechanism's (see tenantvoice/ballots/__init__.py)."""

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tenantvoice.accounts.models import User
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.ballots.models import Audience, Kind, Mode, Purpose, Question
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body, Site


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
