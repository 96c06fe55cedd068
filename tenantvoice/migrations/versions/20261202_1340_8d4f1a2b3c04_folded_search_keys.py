"""Folded search keys beside names: members (name and unit), users (name, email and phone)
and bodies (name) (issue 8).

The register, the attendance sheet, the admin's account list and the organizer's list of
bodies now filter, count and paginate in the database. Neither SQLite's lower() nor LIKE fold
accents, so each row keeps a folded copy (tenantvoice.search.search_key: lower case, accents
stripped) that LIKE matches against the folded search. Existing rows are filled here; the ORM
keeps them in step afterwards. users also gets an index in name order, so an unfiltered page
of 30 000 accounts is read without sorting them all, and one on the key, so counting a search's
matches scans that narrow index rather than the table.

Revision ID: 8d4f1a2b3c04
Revises: a8d4c2e6f105
Create Date: 2026-12-02 13:00:00.000000+00:00

"""
from alembic import op
import sqlalchemy as sa

from tenantvoice.search import search_key


# revision identifiers, used by Alembic.
revision = '8d4f1a2b3c04'
down_revision = 'a8d4c2e6f105'
branch_labels = None
depends_on = None

#: table → the columns its key folds, in order
SOURCES = {
    'members': ('name', 'unit'),
    'users': ('name', 'email', 'phone'),
    'bodies': ('name',),
}


def _fill(table: str, columns: tuple[str, ...]) -> None:
    conn = op.get_bind()
    t = sa.table(table, sa.column('id'), sa.column('search_key'), *(sa.column(c) for c in columns))
    rows = conn.execute(sa.select(t.c.id, *(t.c[c] for c in columns))).all()
    if rows:
        conn.execute(
            t.update().where(t.c.id == sa.bindparam('row_id')).values(search_key=sa.bindparam('key')),
            [{'row_id': r[0], 'key': search_key(*r[1:])} for r in rows],
        )


def upgrade():
    for table in SOURCES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('search_key', sa.String(length=400), server_default='', nullable=False)
            )
    for table, columns in SOURCES.items():
        _fill(table, columns)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_name_id', ['name', 'id'], unique=False)
        batch_op.create_index('ix_users_search_key', ['search_key'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_search_key')
        batch_op.drop_index('ix_users_name_id')
    for table in SOURCES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('search_key')
