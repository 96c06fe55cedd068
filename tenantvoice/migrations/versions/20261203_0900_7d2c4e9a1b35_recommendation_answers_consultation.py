"""A recommendation may answer an office consultation (issue 11).

The CCR drafts its answer to a consultation as a recommendation; when it is transmitted, the
consultation records it (and whether it came before the office's decision). No existing
recommendation answers one.

Revision ID: 7d2c4e9a1b35
Revises: d8b3f6a2c9e1
Create Date: 2026-12-03 09:00:00.000000+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2c4e9a1b35'
down_revision = 'd8b3f6a2c9e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_recommendations_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_recommendations_consultation_id_consultations'), 'consultations', ['consultation_id'], ['id'])


def downgrade():
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recommendations_consultation_id_consultations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_recommendations_consultation_id'))
        batch_op.drop_column('consultation_id')
