"""The printed notice names its signatory and a contact (issue 9, notices on paper).

meetings.published_by_id: the officer who published the notice (signs it, with their role in
the body). Meetings published before this revision take the actor of their "meeting.publish"
audit event. meetings.notice_contact: who to ask, as the officers want it printed (a phone
number, the association's mailbox in the lobby…); nobody's personal contact is printed unless
an officer typed it there.

Revision ID: c3b9e7d1a2f4
Revises: 8d4f1a2b3c04
Create Date: 2026-12-02 17:00:00.000000+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3b9e7d1a2f4'
down_revision = '8d4f1a2b3c04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('notice_contact', sa.String(length=200), nullable=False, server_default='')
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_meetings_published_by_id_users'), 'users', ['published_by_id'], ['id']
        )
    meetings = sa.table('meetings', sa.column('id'), sa.column('published_by_id'))
    events = sa.table(
        'audit_events',
        sa.column('id'),
        sa.column('actor_id'),
        sa.column('action'),
        sa.column('object_type'),
        sa.column('object_id'),
    )
    first_publisher = (
        sa.select(events.c.actor_id)
        .where(
            events.c.action == 'meeting.publish',
            events.c.object_type == 'Meeting',
            events.c.object_id == meetings.c.id,
        )
        .order_by(events.c.id)
        .limit(1)
        .scalar_subquery()
    )
    op.get_bind().execute(sa.update(meetings).values(published_by_id=first_publisher))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_published_by_id_users'), type_='foreignkey')
        batch_op.drop_column('notice_contact')
        batch_op.drop_column('published_by_id')
