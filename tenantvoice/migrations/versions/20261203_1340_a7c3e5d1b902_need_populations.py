"""Who a need affects is one or more groups (issue 13: everyone, families and children, youth,
seniors, people living alone, newcomers, people with disabilities): the single `needs.population`
becomes rows of `need_populations`, indexed by group so the dashboard filters and the statistics
count on it. Each existing need keeps its one group; the downgrade keeps one group per need.

Revision ID: a7c3e5d1b902
Revises: f37831b36a1d
Create Date: 2026-12-03 13:40:00.000000+00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e5d1b902"
down_revision = "f37831b36a1d"
branch_labels = None
depends_on = None

POPULATION = sa.Enum(
    "EVERYONE",
    "FAMILIES",
    "YOUTH",
    "SENIORS",
    "ALONE",
    "NEWCOMERS",
    "DISABILITIES",
    name="population",
    native_enum=False,
    length=20,
)


def upgrade():
    op.create_table(
        "need_populations",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("population", POPULATION, nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_need_populations_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("need_id", "population", name=op.f("pk_need_populations")),
    )
    with op.batch_alter_table("need_populations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_need_populations_population", ["population", "need_id"], unique=False
        )
    op.execute(
        "INSERT INTO need_populations (need_id, population) "
        "SELECT id, COALESCE(population, 'EVERYONE') FROM needs"
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("population")


def downgrade():
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("population", POPULATION, nullable=False, server_default="EVERYONE")
        )
    # One group per need (the old column holds one): the first of its groups by stored name.
    op.execute(
        "UPDATE needs SET population = ("
        "SELECT MIN(np.population) FROM need_populations np WHERE np.need_id = needs.id) "
        "WHERE EXISTS (SELECT 1 FROM need_populations np WHERE np.need_id = needs.id)"
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.alter_column("population", server_default=None)
    with op.batch_alter_table("need_populations", schema=None) as batch_op:
        batch_op.drop_index("ix_need_populations_population")
    op.drop_table("need_populations")
