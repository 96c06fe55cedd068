"""Collective needs at province size (issue 13): a need's categories as a bit mask (counted in
one pass), a covering index the organizer's dashboard and statistics read a region from without
the table (PostgreSQL INCLUDE), and indexes for the statistics' referrals and participation.
The trigram index of the organizer's search is made after the migrations (SEARCH_SETUP,
tenantvoice/needs/search.py), like the minutes' full-text index.

Revision ID: a4e7c2b9d615
Revises: a7c3e5d1b902
Create Date: 2026-12-03 13:40:00+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4e7c2b9d615'
down_revision = 'a7c3e5d1b902'
branch_labels = None
depends_on = None

#: taxonomy.BIT at the time of this migration (a stored mapping: never changes).
BITS_CASE = "CASE code WHEN 'ENT' THEN 1 WHEN 'VER' THEN 2 WHEN 'SAL' THEN 4 WHEN 'SEC' THEN 8 WHEN 'COH' THEN 16 WHEN 'ALI' THEN 32 WHEN 'ISO' THEN 64 WHEN 'AIN' THEN 128 WHEN 'SMN' THEN 256 WHEN 'DEP' THEN 512 WHEN 'JEU' THEN 1024 WHEN 'VIE' THEN 2048 WHEN 'JAR' THEN 4096 WHEN 'TRA' THEN 8192 WHEN 'EMP' THEN 16384 WHEN 'BUD' THEN 32768 WHEN 'INF' THEN 65536 WHEN 'DRO' THEN 131072 WHEN 'ACC' THEN 262144 WHEN 'ACS' THEN 524288 WHEN 'EQU' THEN 1048576 WHEN 'AUT' THEN 2097152 ELSE 0 END"

COVERED = [
    'provider_id', 'provider_kind', 'site_id', 'status', 'category',
    'category_mask', 'supporters_count', 'origin', 'sensitive', 'to_organizer',
    'reviewing_body_id', 'first_response_seconds',
]


def upgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_mask', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "UPDATE needs SET category_mask = COALESCE((SELECT SUM(" + BITS_CASE + ") "
        "FROM need_categories WHERE need_categories.need_id = needs.id), 0)"
    )
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index(
            'ix_needs_region_created_cover', ['region_id', 'created_at', 'id'], unique=False,
            postgresql_include=COVERED,
        )
    with op.batch_alter_table('need_events', schema=None) as batch_op:
        batch_op.create_index('ix_need_events_kind_need', ['kind', 'need_id', 'partner_id'], unique=False)
    with op.batch_alter_table('need_supports', schema=None) as batch_op:
        batch_op.create_index('ix_need_supports_need_created', ['need_id', 'created_at', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('need_supports', schema=None) as batch_op:
        batch_op.drop_index('ix_need_supports_need_created')
    with op.batch_alter_table('need_events', schema=None) as batch_op:
        batch_op.drop_index('ix_need_events_kind_need')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_index('ix_needs_region_created_cover')
        batch_op.drop_column('category_mask')
