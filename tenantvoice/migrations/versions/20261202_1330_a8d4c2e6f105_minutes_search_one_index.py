"""Minutes search: the body and the words in one index (issue 8).

PostgreSQL now searches through one GIN index on (body_id, words) (btree_gin), made with the
other search structures after the upgrade (tenantvoice.minutes.search); the b-tree on body_id
alone is dropped, since the planner chose it and filtered every minutes of the body through
to_tsvector instead of using the words index. SQLite's FTS5 table is rebuilt with the body as a
column of its own by the same search setup.

Revision ID: a8d4c2e6f105
Revises: 8d4a1c2b3e05
Create Date: 2026-12-02 13:00:00.000000+00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a8d4c2e6f105'
down_revision = '8d4a1c2b3e05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('minutes_search', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_search_body_id'))


def downgrade():
    with op.batch_alter_table('minutes_search', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_search_body_id'), ['body_id'], unique=False)
