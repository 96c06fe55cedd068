"""Recognition ended, and meetings that invite the housing office (issue 9).

The office's direction records its recognition of an association (reference of the decision)
and the day it ended (withdrawn or lapsed), so the organizer's alert "recognition lapsed" rests
on data. An assembly may invite the direction, which then reads its notice and agenda. Existing
rows: no reference, no end, nobody invited.

Revision ID: 5c1e9a7b3d20
Revises: 49ae7f244fff
Create Date: 2026-12-03 08:10:00.000000+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e9a7b3d20'
down_revision = '49ae7f244fff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recognition_reference', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('recognition_ended_on', sa.Date(), nullable=True))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_invited', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('office_invited')

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('recognition_ended_on')
        batch_op.drop_column('recognition_reference')
