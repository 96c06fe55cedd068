"""Linking an account to a body needs its owner's consent (issue 6, item 1).

invitations.invitee_id: an invitation addressed to an existing account, accepted in the app.
members.linked_at: when the owner linked their account to the entry themselves. Existing links
made by redeeming an invitation get that invitation's time; links made for someone else (first
officers named by email at a body's setup) stay NULL, so they never let a body's officers issue
that person a reset code: the owner's consent cannot be shown for them.

Revision ID: 5a1c0de7f001
Revises: 3b9513e3a0bc
Create Date: 2026-12-02 05:30:00+00:00

"""
from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '5a1c0de7f001'
down_revision = '3b9513e3a0bc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitee_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitations_invitee_id'), ['invitee_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invitations_invitee_id_users'), 'users', ['invitee_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('linked_at', tenantvoice.models.UTCDateTime(), nullable=True))

    op.execute(
        """
        UPDATE members SET linked_at = (
            SELECT MIN(invitations.used_at) FROM invitations
            WHERE invitations.used_by_id = members.user_id
              AND invitations.body_id = members.body_id
              AND invitations.used_at IS NOT NULL
        )
        WHERE members.user_id IS NOT NULL
        """
    )


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('linked_at')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitations_invitee_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invitations_invitee_id'))
        batch_op.drop_column('invitee_id')
