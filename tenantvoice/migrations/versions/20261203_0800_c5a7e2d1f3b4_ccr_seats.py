"""A CCR's seats (issue 11): the association that designated a seat, and the link from the seat
to the association's resolution (owned by the assembly domain, which owns resolutions).

Existing entries keep no designating association (NULL); their officers complete it.

Revision ID: c5a7e2d1f3b4
Revises: ad367843fb1a
Create Date: 2026-12-03 08:00:00.000000+00:00

"""
from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'c5a7e2d1f3b4'
down_revision = 'ad367843fb1a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('designated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_members_designated_by_id_bodies'), 'bodies', ['designated_by_id'], ['id']
        )

    op.create_table(
        'seat_designations',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('resolution_id', sa.Integer(), nullable=False),
        sa.Column('linked_by_id', sa.Integer(), nullable=True),
        sa.Column('linked_at', tenantvoice.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_seat_designations_linked_by_id_users')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_seat_designations_member_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolution_id'], ['resolutions.id'], name=op.f('fk_seat_designations_resolution_id_resolutions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_seat_designations')),
    )
    with op.batch_alter_table('seat_designations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_designations_resolution_id'), ['resolution_id'], unique=False)


def downgrade():
    with op.batch_alter_table('seat_designations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_designations_resolution_id'))
    op.drop_table('seat_designations')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_members_designated_by_id_bodies'), type_='foreignkey')
        batch_op.drop_column('designated_by_id')
