"""Wrong reset codes hold the code back for a while (15 min, doubling each round) instead of
burning it: anyone who knew a tenant's email or phone could destroy the tenant's code on purpose
with five wrong tries. The count stays in failed_attempts; the end of the hold is kept here.

Revision ID: e1d9ea39b75b
Revises: 6d2a9e4f1c83
Create Date: 2026-12-04 15:27:00+00:00

"""
from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'e1d9ea39b75b'
down_revision = '6d2a9e4f1c83'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('locked_until', tenantvoice.models.UTCDateTime(), nullable=True)
        )
    # A code burnt under the old rule stays refused until it expires (its tries were spent).
    op.execute("UPDATE reset_codes SET locked_until = expires_at WHERE failed_attempts >= 5")


def downgrade():
    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
