"""B-03: one ballot per voter under concurrency, through a live threaded werkzeug server on a
file SQLite database (or on PostgreSQL when TEST_DATABASE_URL is set): 200 voters at once leave
200 ballots and the right counts; 50 simultaneous submissions by one voter leave one."""

import http.client
import secrets
import threading
import urllib.parse
from collections import Counter

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tenantvoice import clock
from tenantvoice.accounts import sessions
from tenantvoice.accounts.models import UserSession, token_digest
from tenantvoice.ballots import queries, services
from tenantvoice.ballots.models import Ballot, Mode, NamedVote, RollEntry
from tenantvoice.extensions import db
from tests.ballots.helpers import choice_id, make_body_with_voters, make_question
from tests.conftest import make_test_app


@pytest.fixture
def live_app(request, database_url, tmp_path):
    """The `app` fixture on PostgreSQL (its own per-run database); on SQLite a file database,
    since an in-memory one is a single connection shared by every thread."""
    if database_url.startswith("postgresql"):
        yield request.getfixturevalue("app")
        return
    application = make_test_app(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()
    clock.reset()


class Server:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def post(self, path: str, data: dict, cookie: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(
                "POST",
                path,
                body=urllib.parse.urlencode(data),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                },
            )
            return conn.getresponse().status
        finally:
            conn.close()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def server(live_app):
    running = Server(live_app)
    yield running
    running.stop()


def session_cookie(app, user) -> str:
    """A logged-in session for `user`, as the login form would leave it (without scrypt)."""
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
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = repr(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _count(model, question):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(model.question_id == question.id)
    )


def test_b03_200_voters_at_once_leave_200_ballots_and_correct_counts(live_app, server):
    body, officer, voters, _ = make_body_with_voters(200)
    question = make_question(body, officer)
    cookies = [session_cookie(live_app, v) for v in voters]
    db.session.commit()
    codes = ["for", "against", "abstain"]
    wanted = [choice_id(question, codes[i % 3]) for i in range(200)]
    statuses = all_at_once(
        200,
        lambda i: server.post(
            f"/ballots/{question.id}/vote", {"choice": wanted[i], "confirm": "yes"}, cookies[i]
        ),
    )
    assert Counter(statuses) == {302: 200}
    db.session.expire_all()
    assert _count(RollEntry, question) == 200
    assert _count(Ballot, question) == 200
    services.close_question(question)
    db.session.commit()
    result = queries.result_view(question).result
    assert result.counts == dict(Counter(wanted))
    assert result.turnout == 200


def test_b03_50_simultaneous_submissions_by_one_voter_leave_one_ballot(live_app, server):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    cookie = session_cookie(live_app, voters[1])
    db.session.commit()
    data = {"choice": choice_id(question, "for"), "confirm": "yes"}
    statuses = all_at_once(50, lambda i: server.post(f"/ballots/{question.id}/vote", data, cookie))
    assert Counter(statuses) == {302: 1, 409: 49}
    db.session.expire_all()
    assert _count(RollEntry, question) == 1
    assert _count(Ballot, question) == 1


def test_b03_50_simultaneous_changes_of_a_named_vote_leave_one_row(live_app, server):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer, mode=Mode.OPEN)
    cookie = session_cookie(live_app, voters[1])
    db.session.commit()
    choices = [choice_id(question, code) for code in ("for", "against")]
    statuses = all_at_once(
        50,
        lambda i: server.post(f"/ballots/{question.id}/vote", {"choice": choices[i % 2]}, cookie),
    )
    assert Counter(statuses) == {302: 50}
    db.session.expire_all()
    assert _count(RollEntry, question) == 1
    assert _count(NamedVote, question) == 1


def test_b03_a_locked_sqlite_database_delays_the_roll_insert_but_loses_nothing(tmp_path):
    """Another writer holds SQLite's lock past the busy timeout: the roll insert waits and tries
    again instead of answering 500 (nothing was written by the refused attempt)."""
    import sqlite3
    import time

    from tenantvoice.ballots import storage
    from tenantvoice.ballots.models import Channel

    path = tmp_path / "locked.sqlite3"
    application = make_test_app(
        f"sqlite:///{path}", SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.05}}
    )
    with application.app_context():
        db.create_all()
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        threading.Timer(0.3, other.execute, args=("COMMIT",)).start()
        started = time.monotonic()
        assert storage.roll_insert(7, "u:1", Channel.APP)
        db.session.commit()
        assert time.monotonic() - started >= 0.25
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RollEntry)) == 1
        other.close()
        db.session.remove()
        db.engine.dispose()
