"""The migration to several groups per need carries each need's one group over, and back."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tenantvoice.extensions import db
from tests.conftest import make_test_app

BEFORE = "f37831b36a1d"


def _rows(conn, sql):
    return conn.execute(sa.text(sql)).all()


def test_each_needs_group_is_carried_over_and_back(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'populations.sqlite3'}")
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(sa.text("PRAGMA foreign_keys=OFF"))
            for need_id, population in ((1, "SENIORS"), (2, "EVERYONE")):
                conn.execute(
                    sa.text(
                        "INSERT INTO needs (id, site_id, provider_id, provider_kind, region_id, "
                        "origin, anonymous, share_text, title, description, population, urgency, "
                        "sensitive, category, status, supporters_count, to_organizer, "
                        "to_direction, priority, created_at, updated_at, search_key, "
                        "organizer_search_key) VALUES (:id, 1, 1, 'OFFICE', 1, 'TENANT', 1, 0, "
                        "'Titre', '', :population, 'MEDIUM', 0, 'ALI', 'RAISED', 1, 0, 0, "
                        "'NORMAL', '2026-12-01 12:00:00', '2026-12-01 12:00:00', '', '')"
                    ),
                    {"id": need_id, "population": population},
                )
        upgrade()
        with db.engine.connect() as conn:
            assert _rows(
                conn, "SELECT need_id, population FROM need_populations ORDER BY need_id"
            ) == [(1, "SENIORS"), (2, "EVERYONE")]
            conn.execute(sa.text("PRAGMA foreign_keys=OFF"))
            conn.execute(sa.text("INSERT INTO need_populations VALUES (1, 'ALONE')"))
            conn.commit()
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            # one group per need again (the first of its groups by stored name)
            assert _rows(conn, "SELECT id, population FROM needs ORDER BY id") == [
                (1, "ALONE"),
                (2, "EVERYONE"),
            ]
        db.engine.dispose()
