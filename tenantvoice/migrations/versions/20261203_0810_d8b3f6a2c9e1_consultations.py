"""Office consultations (issue 11, domain-rules C7 and R1): the office submits a draft to its CCR
at least 7 days before deciding; the CCR's members discuss it; the CCR answers in writing
and/or with a recommendation (a plain reference: recommendations sit above consultations).

Revision ID: d8b3f6a2c9e1
Revises: c5a7e2d1f3b4
Create Date: 2026-12-03 08:10:00.000000+00:00

"""
from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'd8b3f6a2c9e1'
down_revision = 'c5a7e2d1f3b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consultations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('ccr_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('POLICY', 'RULE', 'LEASE_CLAUSE', 'BUDGET', 'OTHER', name='consultationkind', native_enum=False, length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', tenantvoice.models.UTCDateTime(), nullable=False),
        sa.Column('decision_date', sa.Date(), nullable=False),
        sa.Column('answer_text', sa.Text(), nullable=True),
        sa.Column('answered_at', tenantvoice.models.UTCDateTime(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('recommendation_id', sa.Integer(), nullable=True),
        sa.Column('recommendation_at', tenantvoice.models.UTCDateTime(), nullable=True),
        sa.Column('created_at', tenantvoice.models.UTCDateTime(), nullable=False),
        sa.Column('updated_at', tenantvoice.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_consultations_answered_by_id_users')),
        sa.ForeignKeyConstraint(['ccr_id'], ['bodies.id'], name=op.f('fk_consultations_ccr_id_bodies')),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_consultations_provider_id_providers')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_consultations_submitted_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_ccr_id'), ['ccr_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_provider_id'), ['provider_id'], unique=False)

    op.create_table(
        'consultation_comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=120), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', tenantvoice.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_consultation_comments_author_id_users')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_comments_consultation_id_consultations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments')),
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comments_consultation_id'), ['consultation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_comments_consultation_id'))
    op.drop_table('consultation_comments')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_provider_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_ccr_id'))
    op.drop_table('consultations')
