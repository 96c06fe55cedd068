"""The session row's upkeep (last seen, expiry) never commits the request's own work.

Flask-Login loads the user when a request first asks who is there, possibly after the view
has flushed changes: a commit there would write them half done, or write a refused action's
changes. The loader writes the row apart (its own transaction) and the request commits once.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.accounts.models import UserSession
from tenantvoice.extensions import db
from tests import factories as f


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


@pytest.fixture
def session_commits():
    """How many times the ORM session committed while the fixture was active."""
    commits = []

    def count(session):
        commits.append(session)

    sa.event.listen(so.Session, "after_commit", count)
    yield commits
    sa.event.remove(so.Session, "after_commit", count)


def _row(user) -> UserSession:
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == user.id))
    db.session.refresh(row)
    return row


def test_reading_a_page_moves_last_seen_without_committing_the_request(
    client, auth, lucie, session_commits
):
    auth.login(lucie)
    seen = _row(lucie).last_seen_at
    clock.advance(timedelta(minutes=10))
    session_commits.clear()
    response = client.get("/account")
    assert response.status_code == 200
    assert session_commits == []  # the old loader committed here, on every touch
    assert _row(lucie).last_seen_at > seen


def test_an_idle_session_ends_without_committing_the_request(client, auth, lucie, session_commits):
    auth.login(lucie)
    clock.advance(timedelta(days=8))  # past SESSION_IDLE_TIMEOUT (7 days)
    session_commits.clear()
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert session_commits == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
