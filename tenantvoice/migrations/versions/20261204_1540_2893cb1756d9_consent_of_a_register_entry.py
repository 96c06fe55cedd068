"""A consent an officer records on paper for a register entry without an account (a tenant with
no smartphone) goes to the consent log too, under the entry: consent_log.member_id, and
consent_log.user_id may be empty until the person joins (a line is a person's or an entry's).
Existing lines are people's; the lines of officers' paper records for accounts get no entry.

Revision ID: 2893cb1756d9
Revises: e1d9ea39b75b
Create Date: 2026-12-04 15:40:00+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2893cb1756d9'
down_revision = 'e1d9ea39b75b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consent_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_consent_log_member_id'), ['member_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_consent_log_member_id_members'), 'members', ['member_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_check_constraint(
            op.f('ck_consent_log_person_or_entry'), 'user_id IS NOT NULL OR member_id IS NOT NULL'
        )


def downgrade():
    # An entry's lines without an account cannot stay in a log whose lines all name a person.
    op.execute('DELETE FROM consent_log WHERE user_id IS NULL')
    with op.batch_alter_table('consent_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_consent_log_person_or_entry'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_consent_log_member_id_members'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consent_log_member_id'))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('member_id')
