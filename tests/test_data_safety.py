"""Data safety (issue 6): a backup restores the data as it was (SQLite file and PostgreSQL), a
downgrade on a populated database refuses outside development unless forced, no minutes text
outlives a downgrade in the SQLite full-text table, and no table is a foreign-key cycle."""

import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting
from tenantvoice.minutes import search
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import Body, Member
from tests.conftest import make_test_app
from tests.live import file_database_url
from tests.minutes.helpers import T0, minutes_in_state
from tests.orphan_rows import rows_without_parents


@pytest.fixture
def database_url(database_url, tmp_path):
    """A SQLite file (there is nothing to back up in memory), or the run's PostgreSQL database."""
    return file_database_url(database_url, tmp_path)


def _snapshot() -> dict:
    """Every table's rows, sorted: what "the data as it was" means."""
    db.session.expire_all()
    tables = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(sa.select(table)).all()
            tables[table.name] = sorted(repr(tuple(r)) for r in rows)
    return tables


def test_backup_then_restore_finds_the_data_as_it_was(app, world, runner, tmp_path):
    clock.set(T0 + timedelta(days=1))
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    body_id, minutes_id = minutes.body_id, minutes.id
    before = _snapshot()
    assert search.search_ids(body_id, "election annuelle") == [minutes_id]
    path = tmp_path / "backup.dump"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0

    # Life goes on: a member leaves, a body is renamed, a meeting is added, minutes removed.
    db.session.execute(sa.delete(Member).where(Member.id == world.paper_member_a.id))
    db.session.execute(sa.update(Body).values(name="Renommée"))
    db.session.add(Meeting(**{**_meeting_values(world), "title": "Après la sauvegarde"}))
    db.session.execute(sa.text("DELETE FROM minutes_search"))
    db.session.commit()
    assert _snapshot() != before

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _snapshot() == before
    assert search.search_ids(body_id, "election annuelle") == [minutes_id]


def _meeting_values(world) -> dict:
    m = db.session.scalar(sa.select(Meeting))
    return {
        "body_id": world.adl_a.id,
        "kind": m.kind,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
    }


def test_restore_asks_before_replacing_the_data(app, world, runner, tmp_path):
    path = tmp_path / "backup.dump"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code != 0
    assert "Aborted" in result.output


# --- migrations (SQLite files of their own, like tests/test_migrations.py) --------------------


@pytest.fixture
def migrated(tmp_path, monkeypatch):
    """An app outside development on a SQLite file upgraded to head, with a region in it and
    published minutes' text in the full-text table."""
    monkeypatch.delenv("TENANTVOICE_ALLOW_DOWNGRADE", raising=False)
    application = make_test_app(f"sqlite:///{tmp_path / 'm.sqlite3'}", ENV_NAME="staging")
    with application.app_context():
        upgrade()
        db.session.execute(
            sa.text(
                "INSERT INTO regions (name, created_at, updated_at) "
                "VALUES ('Région des Etchemins', '2026-01-01', '2026-01-01')"
            )
        )
        db.session.execute(
            sa.text("INSERT INTO minutes_fts (rowid, body, content) VALUES (1, '1', 'plainte')")
        )
        db.session.commit()
        yield application
        db.session.remove()
        db.engine.dispose()


def _tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names()) - {"alembic_version"}


def test_downgrade_of_a_populated_database_refuses_outside_development(migrated):
    with pytest.raises(SystemExit, match="Refusing to downgrade"):
        downgrade(revision="base")
    assert "regions" in _tables()
    assert db.session.scalar(sa.text("SELECT count(*) FROM regions")) == 1


@pytest.mark.parametrize("how", ["x-argument", "environment"])
def test_a_forced_downgrade_runs_and_leaves_no_minutes_text(migrated, monkeypatch, how):
    if how == "environment":
        monkeypatch.setenv("TENANTVOICE_ALLOW_DOWNGRADE", "1")
        downgrade(revision="base")
    else:
        downgrade(revision="base", x_arg=["force=yes"])
    assert _tables() == set()  # minutes_fts (and its shadow tables) included


def test_amendments_survive_the_migration_both_ways(tmp_path):
    """resolutions.amends_id moves to resolution_amendments and back (6ce8ff7320ef)."""
    application = make_test_app(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    with application.app_context():
        upgrade(revision="7c3e2f9a1b03")
        insert = (
            "INSERT INTO resolutions (id, meeting_id, seq, number, text, casting_vote, amends_id, "
            "created_at, updated_at) VALUES (:id, 1, :id, :n, 'que', 0, :amends, "
            "'2026-01-01', '2026-01-01')"
        )
        with rows_without_parents() as conn:
            conn.execute(sa.text(insert), {"id": 1, "n": "2026-01-01", "amends": None})
            conn.execute(sa.text(insert), {"id": 2, "n": "2026-01-02", "amends": 1})
        upgrade()
        links = db.session.execute(
            sa.text("SELECT resolution_id, amends_id FROM resolution_amendments")
        )
        assert links.all() == [(2, 1)]
        db.session.commit()
        downgrade(revision="7c3e2f9a1b03")
        rows = db.session.execute(sa.text("SELECT id, amends_id FROM resolutions ORDER BY id"))
        assert rows.all() == [(1, None), (2, 1)]
        db.session.remove()
        db.engine.dispose()


def test_no_table_is_a_foreign_key_cycle(app):
    """A cycle (a table referring to itself included) cannot be ordered by a data-only dump."""
    graph = {
        t.name: {fk.column.table.name for fk in t.foreign_keys} for t in db.metadata.sorted_tables
    }

    def cycle_from(start, node, seen):
        for nxt in graph.get(node, ()):
            if nxt == start:
                return True
            if nxt not in seen:
                seen.add(nxt)
                if cycle_from(start, nxt, seen):
                    return True
        return False

    assert [t for t in graph if cycle_from(t, t, set())] == []


def test_a_data_only_dump_warns_of_no_circular_key(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump reads PostgreSQL")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(  # noqa: S603 - fixed program
        ["pg_dump", "--data-only", "--dbname", url],  # noqa: S607 - found on PATH above
        capture_output=True,
        text=True,
        check=True,
    )
    assert "circular" not in result.stderr, result.stderr
