"""Models and migrations cannot drift apart: upgrade an empty SQLite file to head, compare with
the models (autogenerate diff must be empty), then downgrade to base."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tenantvoice.extensions import db
from tests.conftest import make_test_app
from tests.orphan_rows import rows_without_parents


def test_sqlite_checks_foreign_keys_on_every_connection(tmp_path):
    """Fails on the old code: SQLite ran without PRAGMA foreign_keys, so an orphan row went in
    (and no ON DELETE ran), unlike PostgreSQL. After the migrations (which turn it off for their
    table rebuilds) the pooled connection checks them again."""
    app = make_test_app(f"sqlite:///{tmp_path / 'keys.sqlite3'}")
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:  # the migrations' own connection, back from the pool
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()  # a new connection: the connect hook's doing
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO reset_codes (user_id, code_hash, created_at, expires_at, "
                    "failed_attempts) VALUES (999, 'x', '2026-12-03 12:00:00', "
                    "'2026-12-04 12:00:00', 0)"
                )
            )
        db.engine.dispose()


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
        with rows_without_parents() as conn:
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
        with rows_without_parents() as conn:
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


def _insert_filled(conn, table_name: str, **values) -> None:
    """Insert a row giving every required column a plain value (foreign keys are not checked)."""
    for column in sa.inspect(conn).get_columns(table_name):
        if column["name"] in values or column["nullable"] or column["default"]:
            continue
        kind = str(column["type"]).upper()
        values[column["name"]] = (
            "2026-11-30 12:00:00"
            if "DATE" in kind
            else 0
            if kind in ("INTEGER", "BOOLEAN", "BIGINT")
            else ""
        )
    table = sa.table(table_name, *(sa.column(name) for name in values))
    conn.execute(sa.insert(table).values(**values))


def test_choices_for_the_votes_kinds_carry_over_to_the_polls_kinds(tmp_path):
    """Polls got their own notification kinds: who had turned vote emails off (or on) has the
    same choice for polls, and a poll's stored events read as a poll's in the centre."""
    app = make_test_app(f"sqlite:///{tmp_path / 'poll_kinds.sqlite3'}")
    with app.app_context():
        upgrade(revision="858bc12bf039")
        with rows_without_parents() as conn:
            window = {"opens_at": "2026-11-30 12:00:00", "closes_at": "2026-12-02 12:00:00"}
            _insert_filled(conn, "ballot_questions", id=1, purpose="POLL", **window)
            _insert_filled(conn, "ballot_questions", id=2, purpose="RECOMMENDATION", **window)
            for event_id, kind, once in (
                (1, "ballot.open", "ballot.open:1"),
                (2, "ballot.closing", "ballot.closing:1:1790000000"),
                (3, "ballot.result", "ballot.result:1"),
                (4, "ballot.open", "ballot.open:2"),
                (5, "ballot.closing", "ballot.closing:2:1790000000"),
                (6, "ballot.open", "ballot.open:12"),  # another question, no poll: untouched
            ):
                _insert_filled(
                    conn, "notification_events", id=event_id, kind=kind, once_key=once, url="/b"
                )
            for user_id, kind, channel, frequency in (
                (7, "ballot.open", "EMAIL", "NEVER"),
                (7, "ballot.open", "PUSH", "NEVER"),
                (7, "ballot.result", "EMAIL", "WEEKLY"),
                (8, "ballot.closing", "APP", "NEVER"),
                (8, "meeting.notice", "EMAIL", "NEVER"),
            ):
                conn.execute(
                    sa.text(
                        "INSERT INTO notification_preferences (user_id, kind, channel, "
                        "frequency) VALUES (:u, :k, :c, :f)"
                    ),
                    {"u": user_id, "k": kind, "c": channel, "f": frequency},
                )
        upgrade()
        with db.engine.connect() as conn:
            prefs = set(
                conn.execute(
                    sa.text(
                        "SELECT user_id, kind, channel, frequency FROM notification_preferences"
                    )
                ).all()
            )
            kinds = dict(conn.execute(sa.text("SELECT id, kind FROM notification_events")).all())
        assert {p for p in prefs if p[1].startswith("poll.")} == {
            (7, "poll.open", "EMAIL", "NEVER"),
            (7, "poll.open", "PUSH", "NEVER"),
            (7, "poll.result", "EMAIL", "WEEKLY"),
            (8, "poll.closing", "APP", "NEVER"),
        }
        assert (7, "ballot.open", "EMAIL", "NEVER") in prefs  # the votes' choices stay
        assert kinds == {
            1: "poll.open",
            2: "poll.closing",
            3: "poll.result",
            4: "ballot.open",
            5: "ballot.closing",
            6: "ballot.open",
        }
        downgrade(revision="858bc12bf039")
        with db.engine.connect() as conn:
            left = conn.execute(
                sa.text("SELECT count(*) FROM notification_preferences WHERE kind LIKE 'poll.%'")
            ).scalar()
            kinds = set(conn.execute(sa.text("SELECT kind FROM notification_events")).scalars())
        assert left == 0
        assert kinds == {"ballot.open", "ballot.closing", "ballot.result"}
        db.engine.dispose()
