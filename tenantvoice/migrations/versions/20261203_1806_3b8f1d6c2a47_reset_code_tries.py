"""Wrong reset codes are counted on the code (per person, in the database), so a code burns out
after a few wrong tries however many client addresses guess it (the per-address limit stays).

Revision ID: 3b8f1d6c2a47
Revises: c3ed6d13f8e8
Create Date: 2026-12-03 18:06:00+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8f1d6c2a47'
down_revision = 'c3ed6d13f8e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('failed_attempts', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.drop_column('failed_attempts')
