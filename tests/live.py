"""A live threaded werkzeug server for concurrency tests, and requests released together.

An in-memory SQLite database is one connection shared by every thread, so it cannot race: a
module that uses these helpers overrides `database_url` with `file_database_url` (a SQLite file
per test; PostgreSQL, when TEST_DATABASE_URL is set, stays the per-run database), most simply
through `race_fixtures()`.
"""

import http.client
import secrets
import threading
import urllib.parse

import pytest

from tenantvoice import clock
from tenantvoice.accounts import sessions
from tenantvoice.accounts.models import UserSession, token_digest
from tenantvoice.extensions import db


def file_database_url(database_url: str, tmp_path) -> str:
    if database_url.startswith("postgresql"):
        return database_url
    return f"sqlite:///{tmp_path / 'live.sqlite3'}"


def race_fixtures():
    """The two fixtures of a test that races requests against a live server, for its module:
    `database_url, server = race_fixtures()`. The app runs on a SQLite file (an in-memory
    database cannot race) or on the run's PostgreSQL database, served by `Server`."""

    @pytest.fixture
    def database_url(database_url, tmp_path):
        return file_database_url(database_url, tmp_path)

    @pytest.fixture
    def server(app):
        running = Server(app)
        yield running
        running.stop()

    return database_url, server


class Server:
    """The app served on a free port (port 0) by a threaded werkzeug server."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def post(self, path: str, data: dict, cookie: str) -> tuple[int, str]:
        """POST a form; returns (status, Location header or "")."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(
                "POST",
                path,
                body=urllib.parse.urlencode(data),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "Accept-Language": "en",
                },
            )
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            conn.close()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


def session_cookie(app, user) -> str:
    """A logged-in session for `user`, as the login form would leave it (without scrypt); the
    caller commits."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=token_digest(token), second_factor_at=clock.now())
    )
    value = app.session_interface.get_signing_serializer(app).dumps(
        {sessions.SESSION_KEY: token, "_user_id": str(user.id), "_fresh": True}
    )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def all_at_once(n: int, work) -> list:
    """Run work(i) in n threads released together by a barrier; return the results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            results[i] = repr(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return results
