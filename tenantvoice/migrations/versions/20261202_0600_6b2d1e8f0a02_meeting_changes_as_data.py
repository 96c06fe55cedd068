"""Changes since the notice are stored as data and rendered per reader (issue 6, item 2).

A change used to be stored as a sentence in the officer's language, naming the agenda item even
when it was in camera, and shown to every reader of the meeting. Now: kind, item id, whether the
item is in camera, and the fields. Existing sentences cannot be taken apart reliably, so:
a time or place change (its sentence starts "New time"/"New place", or "Nouvel horaire"/
"Nouveau lieu") stays visible to all as stored (kind "legacy"); any other (agenda) sentence may
name an in-camera item, so its text is kept for the officers only and every other reader sees
"The agenda changed." (kind "legacy_agenda").

Revision ID: 6b2d1e8f0a02
Revises: 5a1c0de7f001
Create Date: 2026-12-02 06:00:00+00:00

"""
import json

from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '6b2d1e8f0a02'
down_revision = '5a1c0de7f001'
branch_labels = None
depends_on = None

_TIME_OR_PLACE = ("New time", "New place", "Nouvel horaire", "Nouveau lieu")


def upgrade():
    with op.batch_alter_table('meeting_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('TIME', 'PLACE', 'ITEM_ADDED', 'ITEM_CHANGED', 'ITEM_RENAMED', 'ITEM_REMOVED', 'ITEM_MOVED', 'LEGACY', 'LEGACY_AGENDA', name='changekind', native_enum=False, length=20), nullable=False, server_default='LEGACY_AGENDA'))
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('in_camera', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('data', sa.JSON(), nullable=False, server_default='{}'))

    conn = op.get_bind()
    table = sa.table(
        'meeting_changes',
        sa.column('id', sa.Integer()),
        sa.column('summary', sa.String()),
        sa.column('kind', sa.String()),
        sa.column('data', sa.JSON()),
    )
    rows = conn.execute(sa.select(table.c.id, table.c.summary)).all()
    for row_id, summary in rows:
        text = summary or ""
        kind = 'LEGACY' if text.startswith(_TIME_OR_PLACE) else 'LEGACY_AGENDA'
        conn.execute(
            table.update().where(table.c.id == row_id).values(kind=kind, data={"text": text})
        )

    with op.batch_alter_table('meeting_changes', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('in_camera', server_default=None)
        batch_op.alter_column('data', server_default=None)
        batch_op.drop_column('summary')


def downgrade():
    with op.batch_alter_table('meeting_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.String(length=500), nullable=False, server_default=''))

    conn = op.get_bind()
    table = sa.table(
        'meeting_changes',
        sa.column('id', sa.Integer()),
        sa.column('summary', sa.String()),
        sa.column('kind', sa.String()),
        sa.column('in_camera', sa.Boolean()),
        sa.column('data', sa.JSON()),
    )
    rows = conn.execute(
        sa.select(table.c.id, table.c.kind, table.c.in_camera, table.c.data)
    ).all()
    for row_id, kind, in_camera, data in rows:
        if isinstance(data, str):
            data = json.loads(data or "{}")
        data = data or {}
        if kind in ('LEGACY', 'LEGACY_AGENDA'):
            text = data.get("text", "")
        elif kind == 'TIME':
            text = "New time: " + data.get("starts_at", "")
        elif kind == 'PLACE':
            text = "New place: " + ", ".join(
                data.get(k) or "" for k in ("place", "address", "video_url") if data.get(k)
            )
        elif in_camera:
            text = "Agenda changed."  # the old column was shown to every reader: no title
        else:
            text = f"Agenda: item “{data.get('title', '')}” changed."
        conn.execute(table.update().where(table.c.id == row_id).values(summary=text[:500]))

    with op.batch_alter_table('meeting_changes', schema=None) as batch_op:
        batch_op.alter_column('summary', server_default=None)
        batch_op.drop_column('data')
        batch_op.drop_column('in_camera')
        batch_op.drop_column('item_id')
        batch_op.drop_column('kind')
