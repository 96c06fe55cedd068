"""Secrets at rest (issue 6, item 4).

users.totp_secret is encrypted with ENCRYPTION_KEY (Fernet): existing secrets are encrypted here,
with the key of the app running the upgrade (set ENCRYPTION_KEY first in production), and
decrypted back on downgrade. user_sessions.scratch keeps, encrypted, what a session used to put
in its readable cookie (the TOTP secret being set up, the last invitation codes).
calendar_tokens.feed_id: feed URLs no longer begin with the user id; existing rows get a random
id, so every feed URL given out before this revision stops working (its owner copies the new
one from the calendar page).

Revision ID: 7c3e2f9a1b03
Revises: 6b2d1e8f0a02
Create Date: 2026-12-02 06:30:00+00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '7c3e2f9a1b03'
down_revision = '6b2d1e8f0a02'
branch_labels = None
depends_on = None


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in current_app.config["ENCRYPTION_KEY"].split(",") if k.strip()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.Text(), existing_nullable=True)
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scratch', sa.Text(), nullable=True))
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_id', sa.String(length=32), nullable=True))

    conn = op.get_bind()
    fernet = _fernet()
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('totp_secret', sa.Text()))
    for user_id, secret in conn.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all():
        token = fernet.encrypt(secret.encode()).decode()
        conn.execute(users.update().where(users.c.id == user_id).values(totp_secret=token))
    tokens = sa.table('calendar_tokens', sa.column('id', sa.Integer()), sa.column('feed_id', sa.String()))
    for (row_id,) in conn.execute(sa.select(tokens.c.id)).all():
        conn.execute(
            tokens.update().where(tokens.c.id == row_id).values(feed_id=secrets.token_urlsafe(12))
        )

    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.alter_column('feed_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_calendar_tokens_feed_id'), ['feed_id'])


def downgrade():
    conn = op.get_bind()
    fernet = _fernet()
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('totp_secret', sa.Text()))
    for user_id, token in conn.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all():
        secret = fernet.decrypt(token.encode()).decode()
        conn.execute(users.update().where(users.c.id == user_id).values(totp_secret=secret))

    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_calendar_tokens_feed_id'), type_='unique')
        batch_op.drop_column('feed_id')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('scratch')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.Text(), type_=sa.String(length=64), existing_nullable=True)
