"""Fixtures: a fresh database per test (in-memory SQLite, or a per-run PostgreSQL database when
TEST_DATABASE_URL names a server), the test client, and login helpers."""

import datetime as dt
import os
import secrets
import sqlite3
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings
from jinja2 import BytecodeCache
from werkzeug.routing.rules import Rule

from tenantvoice import clock, create_app
from tenantvoice.extensions import db, limiter
from tests import htmlcheck

pytest_plugins = ["tests.factories_fixtures"]

_PG_BASE = os.environ.get("TEST_DATABASE_URL", "")


def _test_now() -> dt.datetime | None:
    """TV_TEST_NOW: the instant every test starts at (ISO 8601; without an offset, Montréal time),
    e.g. TV_TEST_NOW=2026-12-31T23:30. Unset: the real date."""
    raw = os.environ.get("TV_TEST_NOW", "").strip()
    if not raw:
        return None
    moment = dt.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("America/Montreal"))
    return moment


TEST_NOW = _test_now()


def pytest_report_header(config):
    if TEST_NOW is None:
        return "TV_TEST_NOW unset: tests start at the real date"
    return (
        f"TV_TEST_NOW={TEST_NOW.isoformat()}: every test starts at "
        f"{TEST_NOW.astimezone(ZoneInfo('America/Montreal')).isoformat()} Montréal "
        f"(replay with TV_TEST_NOW={TEST_NOW.isoformat()})"
    )


def pytest_configure(config):
    # Session fixtures (the browser tests' live server and its world) read the clock too.
    clock.start_at(TEST_NOW)
    htmlcheck.start(config)


def pytest_sessionfinish(session, exitstatus):
    """The Nu HTML checker, once per session, over the pages the browser tests saved."""
    htmlcheck.finish(session)


@pytest.fixture(autouse=True)
def _clock_at_test_now():
    """Every test starts at TV_TEST_NOW (or the real time) and leaves the clock as it found it."""
    clock.reset()
    yield
    clock.reset()


# One hypothesis profile everywhere: hypothesis switches to its own "ci" profile (derandomized)
# when CI is set, so a developer's run and CI's drew different examples, and one that only CI
# drew hung the run. Derandomized here too: every run tries the same examples.
hypothesis_settings.register_profile(
    "tenantvoice", derandomize=True, deadline=None, database=None, print_blob=True
)
hypothesis_settings.load_profile("tenantvoice")

#: One VAPID key per test run (the app would otherwise write one into instance/).
_VAPID_TEST_KEY = (
    ec.generate_private_key(ec.SECP256R1())
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)


def _cached_builders() -> None:
    """Every test builds its own app, and werkzeug compiles two URL-builder functions per
    route (source → AST → bytecode): with ~170 routes that was 0.2 s of every test's setup, a
    fifth of the matrix cases' time. A builder depends only on the rule's parsed parts, its
    defaults and whether unknown arguments are appended, so one compiled function per such key
    serves every app of the run (it takes the rule as its first argument)."""
    compile_builder = Rule._compile_builder

    compiled: dict = {}

    def _compile_builder(self, append_unknown=True):
        defaults = tuple(sorted((self.defaults or {}).items(), key=lambda kv: kv[0]))
        key = (self.rule, self.host, self.subdomain, tuple(self._trace), repr(defaults))
        key += (append_unknown,)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]


_cached_builders()


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every app of the run: each test's app has its own Jinja
    environment, which otherwise compiled each template again for each test."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _SharedTemplateCode()


def _pg_url_for(dbname: str) -> str:
    base = sa.engine.make_url(_PG_BASE)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    return base.set(database=dbname).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url():
    """sqlite:// per test by default; with TEST_DATABASE_URL, one PostgreSQL database per run,
    created here and dropped at the end, so two runs at once never collide."""
    if not _PG_BASE:
        yield "sqlite://"
        return
    name = f"tv_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = sa.create_engine(_pg_url_for("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = _pg_url_for(name)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def make_test_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production-use-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_BACKEND": "memory",
        "TASK_QUEUE_URL": "memory://",
        "BASE_URL": "http://localhost",
        "PRIVACY_OFFICER_EMAIL": "vie-privee@example.org",
        "PRIVACY_OFFICER_TITLE": "Direction générale",
        "VAPID_PRIVATE_KEY": _VAPID_TEST_KEY,
        "REQUIRE_STAFF_2FA": False,
        "SERVER_NAME": None,
        "TEST_ACCEPT_LANGUAGE": "en",
        # The other xdist worker's transactions are always running on PostgreSQL: a close
        # leaves compaction owed sooner, and the tests that check it run the worker's job.
        "BALLOT_COMPACT_WAIT_SECONDS": 0.5,
    }
    config.update(overrides)
    application = create_app(config)
    application.jinja_env.bytecode_cache = _TEMPLATE_CODE
    return application


@pytest.fixture
def app_config():
    """Override in a test module (or parametrize) to change settings for its app."""
    return {}


#: PostgreSQL: the schema is built once per run; each test then empties the tables it wrote to.
_pg_schema_ready = False

#: SQLite: the schema built once per process in a private in-memory database, then copied into
#: each test's new in-memory database with SQLite's backup API (a page copy: about a
#: millisecond, where `create_all` and the search DDL took 0.15 s of every test).
_sqlite_template: sqlite3.Connection | None = None


def _create_sqlite_schema() -> None:
    from tenantvoice.search import setup_search  # full-text index (FTS5)

    global _sqlite_template
    raw = db.engine.raw_connection()
    try:
        test_db = raw.driver_connection
        if _sqlite_template is None:
            db.create_all()
            setup_search()
            template = sqlite3.connect(":memory:", check_same_thread=False)
            test_db.backup(template)
            _sqlite_template = template
        else:
            _sqlite_template.backup(test_db)
    finally:
        raw.close()


#: Tables emptied by TRUNCATE even when DELETE would do: the secret-ballot tests read these
#: tables' files, where a DELETE would leave an earlier test's rows as dead tuples.
_TRUNCATED_TABLES = ("ballot_box", "ballot_roll")


def _truncate_all() -> None:
    """Empty every table a test wrote to and restart every sequence.

    A TRUNCATE of all ~45 tables creates a new file for each table and index, and took about a
    second per test even when the test wrote nothing: most of the PostgreSQL run. One query
    finds the non-empty tables; DELETE (children first) empties them without new files."""
    tables = db.metadata.sorted_tables  # names from our own models, never from input
    probe = " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"  # noqa: S608
        for t in tables
    )
    with db.engine.begin() as conn:
        filled = set(conn.execute(sa.text(probe)).scalars())
        for table in reversed(tables):
            if table.name not in filled:
                continue
            if table.name in _TRUNCATED_TABLES:
                conn.execute(sa.text(f'TRUNCATE "{table.name}"'))
            else:
                conn.execute(sa.text(f'DELETE FROM "{table.name}"'))  # noqa: S608
        # RESTART IDENTITY as before: a rolled-back insert also moves a sequence on.
        conn.execute(
            sa.text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        )


#: Apps of the tests marked `shared_app` (the permission matrix: thousands of cases, all with the
#: default settings), one per database: building an app took 0.1 to 0.2 s of each case. Each
#: test still gets its own database contents (SQLite: the schema copied in again; PostgreSQL:
#: the tables emptied after it) and its own `g`; the app's settings are never changed by them.
_SHARED_APPS: dict[str, Any] = {}


@pytest.fixture
def app(request, database_url, app_config):
    global _pg_schema_ready
    shared = request.node.get_closest_marker("shared_app") is not None and not app_config
    application = _SHARED_APPS.get(database_url) if shared else None
    if application is None:
        application = make_test_app(database_url, **app_config)
        application.test_client_class = IsolatedClient
        if shared:
            _SHARED_APPS[database_url] = application
    postgres = database_url.startswith("postgresql")
    with application.app_context():
        from tenantvoice.search import setup_search  # full-text index (FTS5 / tsvector)

        if database_url == "sqlite://" and app_config.get("SQLALCHEMY_DATABASE_URI") is None:
            _create_sqlite_schema()
        elif not postgres or not _pg_schema_ready:
            db.create_all()
            setup_search()
            _pg_schema_ready = postgres
        if application.config["RATELIMIT_ENABLED"] and application.config[
            "RATELIMIT_STORAGE_URI"
        ].startswith("memory://"):
            # Never on Redis: its reset deletes every run's counters, not just ours.
            limiter.reset()
        yield application
        db.session.remove()
        if postgres:
            _truncate_all()
            if not shared:
                db.engine.dispose()
    clock.reset()


class IsolatedClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    The `app` fixture keeps one app context pushed for the whole test (so factories can use the
    session), and Flask reuses a pushed app context for requests: without this, Flask-Login's
    cached user, the policy facts and the chosen locale would leak from one request, or one
    client, to the next, and hide bugs a real deployment would show.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most tests assert on the English msgids; the French default is tested where it
        # matters (tests/test_i18n.py, tests/accounts, browser tests) with TEST_ACCEPT_LANGUAGE
        # set to None or an explicit Accept-Language header (which wins over this default).
        language = self.application.config.get("TEST_ACCEPT_LANGUAGE")
        if language:
            self.environ_base["HTTP_ACCEPT_LANGUAGE"] = language

    def open(self, *args, **kwargs):
        from flask import g

        g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.__dict__.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log a test client in as a user without going through the form (fast, and the form has
    its own tests)."""

    def __init__(self, client):
        self._client = client

    @staticmethod
    def _forget_cached_user():
        """The test's app context (and its `g`) outlives each request: drop Flask-Login's cached
        user and the policy facts so the next request sees whoever is now logged in."""
        from flask import g

        g.pop("_login_user", None)
        g.pop("_policy_facts", None)

    def login(self, user):
        from tenantvoice.accounts import sessions

        self._forget_cached_user()
        from tenantvoice.accounts.models import UserSession, token_digest

        token = secrets.token_urlsafe(32)
        row = UserSession(
            user_id=user.id, token_hash=token_digest(token), second_factor_at=clock.now()
        )
        db.session.add(row)
        db.session.commit()
        with self._client.session_transaction() as sess:
            sess.clear()
            sess[sessions.SESSION_KEY] = token
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True
        return user

    def logout(self):
        self._forget_cached_user()
        with self._client.session_transaction() as sess:
            sess.clear()


@pytest.fixture
def auth(client):
    return AuthActions(client)
