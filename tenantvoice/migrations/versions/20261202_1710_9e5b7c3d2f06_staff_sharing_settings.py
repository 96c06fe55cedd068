"""What a body shares with staff, and an officer's own consent toward the organizer (issue 9,
"What each staff role needs to see").

bodies.minutes_shared_with_organizer: the body's published minutes are readable by the
organizer (OC) of its region or provider. Off by default (domain-rules 5.2 "Approved minutes":
OC "R if shared").
bodies.minutes_shared_with_office: a CCR's published minutes are readable by the housing
office's direction. Off by default; the policy ignores it on any body that is not a CCR
(domain-rules 5.3: the office never sees an association's internal life).
members.consent_share_with_organizer (+ its time): the person agrees that the organizer sees
their name, role and phone; a consent of its own, apart from consent_contact (trust-and-safety
Q-05: one unchecked box per purpose).

regions.active, providers.active, sites.active: the platform admin retires a record without
deleting it (bodies and people keep pointing at it); a retired one is no longer offered when
setting up a body, a building or a staff role.

Revision ID: 9e5b7c3d2f06
Revises: c3b9e7d1a2f4
Create Date: 2026-12-02 17:10:00+00:00

"""
from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '9e5b7c3d2f06'
down_revision = 'c3b9e7d1a2f4'
branch_labels = None
depends_on = None


RETIRABLE = ('regions', 'providers', 'sites')


def upgrade():
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False)
            )
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('minutes_shared_with_organizer', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('minutes_shared_with_office', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('consent_share_with_organizer', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('consent_organizer_recorded_at', tenantvoice.models.UTCDateTime(), nullable=True)
        )


def downgrade():
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('active')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('consent_organizer_recorded_at')
        batch_op.drop_column('consent_share_with_organizer')
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('minutes_shared_with_office')
        batch_op.drop_column('minutes_shared_with_organizer')
