"""Polls get their own notification kinds (poll.open, poll.closing, poll.result): they used the
votes' (ballot.*), and a tenant told "a vote is open" for a survey was misled. Data only:

- each person's choice for a ballot kind (one row per kind and channel) is copied to the poll
  kind of the same event, so nobody who had turned votes off hears of polls again (and who had
  asked for them hears of both);
- the events already stored for a poll (recognised by their once key, "ballot.open:<question>",
  "ballot.result:<question>", "ballot.closing:<question>:<closing>") take the poll kind, so the
  centre shows them in poll words.

The downgrade gives the events back their ballot kind and drops the poll kinds' choices.

Revision ID: 5e0d2b7c9a41
Revises: 858bc12bf039
Create Date: 2026-12-03 18:00:00.000000+00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e0d2b7c9a41"
down_revision = "858bc12bf039"
branch_labels = None
depends_on = None

EVENTS = ("open", "closing", "result")

preferences = sa.table(
    "notification_preferences",
    sa.column("user_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("channel", sa.String()),
    sa.column("frequency", sa.String()),
)
events = sa.table(
    "notification_events",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("once_key", sa.String()),
)
questions = sa.table(
    "ballot_questions", sa.column("id", sa.Integer()), sa.column("purpose", sa.String())
)


def _poll_ids(conn) -> list[int]:
    return list(conn.scalars(sa.select(questions.c.id).where(questions.c.purpose == "POLL")))


def _rekey_events(conn, old: str, new: str) -> None:
    for question_id in _poll_ids(conn):
        for event in EVENTS:
            once = f"ballot.{event}:{question_id}"
            conn.execute(
                sa.update(events)
                .where(
                    events.c.kind == f"{old}.{event}",
                    sa.or_(events.c.once_key == once, events.c.once_key.like(f"{once}:%")),
                )
                .values(kind=f"{new}.{event}")
            )


def upgrade():
    conn = op.get_bind()
    for event in EVENTS:
        rows = conn.execute(
            sa.select(preferences.c.user_id, preferences.c.channel, preferences.c.frequency).where(
                preferences.c.kind == f"ballot.{event}"
            )
        ).all()
        kept = set(
            conn.execute(
                sa.select(preferences.c.user_id, preferences.c.channel).where(
                    preferences.c.kind == f"poll.{event}"
                )
            ).all()
        )
        copies = [
            {"user_id": u, "kind": f"poll.{event}", "channel": c, "frequency": fr}
            for u, c, fr in rows
            if (u, c) not in kept
        ]
        if copies:
            conn.execute(sa.insert(preferences), copies)
    _rekey_events(conn, "ballot", "poll")


def downgrade():
    conn = op.get_bind()
    _rekey_events(conn, "poll", "ballot")
    conn.execute(
        sa.delete(preferences).where(preferences.c.kind.in_([f"poll.{e}" for e in EVENTS]))
    )
