"""Backups and restores of the database: `flask backup` and `flask restore`.

SQLite: Python's online backup API (sqlite3.Connection.backup) copies a consistent snapshot of a
live database, even while the web server and the worker write to it (trust-and-safety R-08), and
copies it back the same way. PostgreSQL: `pg_dump -Fc` (custom format, compressed) and
`pg_restore --clean --if-exists --single-transaction`, so a restore either replaces every table
or changes nothing. Run the same major version of pg_dump as the server (Debian's
postgresql-client-<major>). A backup holds personal information: keep it encrypted and apply the
retention rules (README, "Backups").
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.extensions import db


class BackupError(click.ClickException):
    """A backup or restore could not run (the message says why)."""


def _url() -> sa.engine.URL:
    return db.engine.url


def _sqlite_path() -> Path:
    database = _url().database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _libpq_url() -> str:
    """The SQLAlchemy URL as pg_dump reads it (no +driver, no password: see _pg_env)."""
    return _url().set(drivername="postgresql", password=None).render_as_string()


def _pg_env() -> dict:
    """The password goes in the environment, never on a command line others can list."""
    env = dict(os.environ)
    if _url().password:
        env["PGPASSWORD"] = str(_url().password)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client).")
    return path


def default_path() -> Path:
    stamp = clock.now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if _url().get_backend_name() == "sqlite" else "dump"
    return Path(current_app.instance_path) / "backups" / f"tenantvoice-{stamp}.{suffix}"


def backup(path: Path) -> Path:
    """Write a consistent copy of the whole database to `path`; returns it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _url().get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path())
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return path
    if _url().get_backend_name() == "postgresql":
        result = subprocess.run(  # noqa: S603 - our fixed program and arguments
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(path),
                "--dbname",
                _libpq_url(),
            ],
            check=False,
            capture_output=True,
            text=True,
            env=_pg_env(),
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return path
    raise BackupError(f"No backup method for {_url().get_backend_name()}.")


def restore(path: Path) -> None:
    """Replace the database's content with the backup at `path` (stop the app and the worker
    first: their connections would keep reading the old data)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    db.session.remove()
    db.engine.dispose()
    if _url().get_backend_name() == "sqlite":
        source = sqlite3.connect(path)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not a sound SQLite database.")
            target = sqlite3.connect(_sqlite_path())
            try:
                with target:
                    source.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a SQLite backup: {exc}") from exc
        finally:
            source.close()
        return
    if _url().get_backend_name() == "postgresql":
        result = subprocess.run(  # noqa: S603 - our fixed program and arguments
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                _libpq_url(),
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
            env=_pg_env(),
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")
        return
    raise BackupError(f"No restore method for {_url().get_backend_name()}.")


def register_cli(app) -> None:
    @app.cli.command("backup")
    @click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path):
        """Write a backup of the database (default: instance/backups/tenantvoice-<UTC>.*)."""
        written = backup(path or default_path())
        size = written.stat().st_size
        click.echo(f"Backup written: {written} ({size} bytes).")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path, yes):
        """Replace every table's content with a backup (stop the app and the worker first)."""
        if not yes:
            click.confirm(
                f"Replace the content of {_url().render_as_string(hide_password=True)} with "
                f"{path}? What was written since that backup is lost.",
                abort=True,
            )
        restore(path)
        click.echo(f"Restored from {path}.")
