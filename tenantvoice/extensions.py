"""Extension singletons, created unbound; create_app binds them."""

import sqlalchemy as sa
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from tenantvoice.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def _pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the worker's writes
    cursor.execute("PRAGMA busy_timeout=15000")  # a writer waits for the other process's commit
    cursor.close()


def _foreign_keys(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_foreign_keys(engine) -> None:
    """SQLite checks foreign keys (and runs their ON DELETE) only when each connection asks, as
    PostgreSQL always does: ask on every SQLite connection, file or memory (the migrations turn
    it off for their table rebuilds: migrations/env.py)."""
    if engine.dialect.name == "sqlite" and not sa.event.contains(engine, "connect", _foreign_keys):
        sa.event.listen(engine, "connect", _foreign_keys)


def sqlite_file_pragmas(engine) -> None:
    """The embedded setup has two processes on one SQLite file (web server and worker)."""
    if not sa.event.contains(engine, "connect", _pragmas):
        sa.event.listen(engine, "connect", _pragmas)
