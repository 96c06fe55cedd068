"""ballot_questions.storage_compacted_at: the compaction owed after a secret close is recorded.

VACUUM FULL after a close can be refused (lock not granted within 5 s while someone reads the
ballot tables); the dead row versions, with their old xmin, then stayed in the pages until
the next close. The column records when it was done, so the worker retries what is owed.
Questions closed before this revision are owed one compaction.

Revision ID: 8d4a1c2b3e05
Revises: 6ce8ff7320ef
Create Date: 2026-12-02 13:00:00+00:00

"""
from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '8d4a1c2b3e05'
down_revision = '6ce8ff7320ef'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ballot_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('storage_compacted_at', tenantvoice.models.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('ballot_questions', schema=None) as batch_op:
        batch_op.drop_column('storage_compacted_at')
