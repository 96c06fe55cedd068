"""A push subscription remembers the login session it was made (or renewed) in, so logging out
of that session forgets it: the next person on a shared phone never gets the previous one's
notifications. Older subscriptions have none.

Revision ID: 6d2a9e4f1c83
Revises: 3b8f1d6c2a47
Create Date: 2026-12-03 18:10:00+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d2a9e4f1c83'
down_revision = '3b8f1d6c2a47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_push_subscriptions_session_id'), ['session_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_push_subscriptions_session_id_user_sessions'),
            'user_sessions',
            ['session_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_push_subscriptions_session_id_user_sessions'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_session_id'))
        batch_op.drop_column('session_id')
