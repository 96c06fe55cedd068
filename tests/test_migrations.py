"""Models and migrations cannot drift apart: upgrade an empty SQLite file to head, compare with
the models (autogenerate diff must be empty), then downgrade to base."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tenantvoice.extensions import db
from tests.conftest import make_test_app


def _include_name(name, type_, parent_names):
    if type_ == "table":
        return not ("_fts" in (name or "") or (name or "").startswith(("fts_", "search_")))
    return True


def test_upgrade_to_head_matches_the_models_and_downgrades(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            mc = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": _include_name}
            )
            diff = compare_metadata(mc, db.metadata)
        assert diff == [], f"models and migrations differ; run tools/regen_migration.sh: {diff}"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        left = {t for t in left if _include_name(t, "table", {})}
        assert left == set()
        db.engine.dispose()
