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


def test_stored_change_sentences_become_data_that_hides_agenda_titles(tmp_path):
    """Issue 6, item 2: a stored agenda sentence may name an in-camera item; after the upgrade its
    text is kept for the officers only, while time and place sentences stay visible to all."""
    app = make_test_app(f"sqlite:///{tmp_path / 'changes.sqlite3'}")
    with app.app_context():
        upgrade(revision="5a1c0de7f001")
        with db.engine.begin() as conn:
            for n, summary in enumerate(
                [
                    "Nouvel horaire : mardi 3 mars, 19 h à 21 h",
                    "New place: Salle communautaire",
                    "Ordre du jour : point « Plainte contre le concierge » ajouté.",
                ],
                start=1,
            ):
                conn.execute(
                    sa.text(
                        "INSERT INTO meeting_changes (id, meeting_id, at, summary) "
                        "VALUES (:id, 1, '2026-11-30 12:00:00', :summary)"
                    ),
                    {"id": n, "summary": summary},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, kind, in_camera, data FROM meeting_changes ORDER BY id")
            ).all()
        assert [r.kind for r in rows] == ["LEGACY", "LEGACY", "LEGACY_AGENDA"]
        assert "Plainte" in rows[2].data  # kept, for the officers' eyes
        downgrade(revision="5a1c0de7f001")
        with db.engine.connect() as conn:
            summaries = conn.execute(
                sa.text("SELECT summary FROM meeting_changes ORDER BY id")
            ).scalars()
            assert list(summaries)[0].startswith("Nouvel horaire")
        db.engine.dispose()


def test_totp_secrets_are_encrypted_by_the_upgrade_and_back(tmp_path):
    """Issue 6, item 4: a secret stored in clear before the revision is encrypted after it."""
    app = make_test_app(f"sqlite:///{tmp_path / 'totp.sqlite3'}")
    with app.app_context():
        upgrade(revision="6b2d1e8f0a02")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, name, password_hash, active, totp_secret, "
                    "unread_notifications, created_at, updated_at) VALUES (1, 'A', 'x', 1, "
                    "'JBSWY3DPEHPK3PXP', 0, '2026-11-30 12:00:00', '2026-11-30 12:00:00')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT totp_secret FROM users")).scalar()
        assert "JBSWY3DPEHPK3PXP" not in stored
        from tenantvoice.accounts.models import User

        assert db.session.get(User, 1).totp_secret == "JBSWY3DPEHPK3PXP"
        db.session.remove()
        downgrade(revision="6b2d1e8f0a02")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT totp_secret FROM users")).scalar() == (
                "JBSWY3DPEHPK3PXP"
            )
        db.engine.dispose()


def test_published_notices_are_signed_by_who_published_them(tmp_path):
    """Issue 9: meetings published before the signatory was recorded take the actor of their
    first "meeting.publish" audit event; drafts stay unsigned."""
    app = make_test_app(f"sqlite:///{tmp_path / 'signatory.sqlite3'}")
    with app.app_context():
        upgrade(revision="8d4f1a2b3c04")
        with db.engine.begin() as conn:
            columns = sa.inspect(conn).get_columns("meetings")
            for meeting_id in (1, 2):
                values = {"id": meeting_id}
                for column in columns:
                    if column["name"] in values or column["nullable"] or column["default"]:
                        continue
                    kind = str(column["type"]).upper()
                    values[column["name"]] = (
                        "2026-11-30 12:00:00"
                        if "DATE" in kind
                        else 0
                        if kind in ("INTEGER", "BOOLEAN")
                        else ""
                    )
                values.update(body_id=1, kind="agm", status="published", title=f"R{meeting_id}")
                table = sa.table("meetings", *(sa.column(name) for name in values))
                conn.execute(sa.insert(table).values(**values))
            for event_id, actor, action in ((1, 7, "meeting.publish"), (2, 8, "meeting.publish")):
                conn.execute(
                    sa.text(
                        "INSERT INTO audit_events (id, at, actor_id, action, object_type, "
                        "object_id, detail) VALUES (:id, '2026-11-30 12:00:00', :actor, :action, "
                        "'Meeting', 1, '')"
                    ),
                    {"id": event_id, "actor": actor, "action": action},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, published_by_id, notice_contact FROM meetings ORDER BY id")
            ).all()
        assert [(r.id, r.published_by_id, r.notice_contact) for r in rows] == [
            (1, 7, ""),
            (2, None, ""),
        ]
        db.engine.dispose()
