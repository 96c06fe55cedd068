"""Privacy a tenant can exercise alone (issue 15): the consent log and "download my data".

consent_log: each consent given or withdrawn, per purpose (and body for the per-body ones), with
the privacy policy's version; the latest line is the consent in force.
data_exports: a person's export waiting to be downloaded (encrypted; deleted after 24 hours).

Revision ID: b4e1c7d9a2f0
Revises: a4e7c2b9d615
Create Date: 2026-12-03 13:30:00.000000+00:00

"""

from alembic import op
import sqlalchemy as sa

import tenantvoice.models  # custom column types (UTCDateTime)


# revision identifiers, used by Alembic.
revision = "b4e1c7d9a2f0"
down_revision = "a4e7c2b9d615"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consent_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", tenantvoice.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["bodies.id"],
            name=op.f("fk_consent_log_body_id_bodies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_consent_log_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_log")),
    )
    with op.batch_alter_table("consent_log", schema=None) as batch_op:
        batch_op.create_index("ix_consent_log_user", ["user_id", "purpose", "id"], unique=False)

    op.create_table(
        "data_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", tenantvoice.models.UTCDateTime(), nullable=False),
        sa.Column("ready_at", tenantvoice.models.UTCDateTime(), nullable=True),
        sa.Column("expires_at", tenantvoice.models.UTCDateTime(), nullable=False),
        sa.Column("json_text", sa.Text(), nullable=True),
        sa.Column("csv_zip_b64", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_data_exports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
    )
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_exports_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_exports_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_exports_user_id"))
        batch_op.drop_index(batch_op.f("ix_data_exports_expires_at"))
    op.drop_table("data_exports")
    with op.batch_alter_table("consent_log", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_log_user")
    op.drop_table("consent_log")
