"""Wrong reset codes sent all at once (a guesser with many connections) are counted one by one
against the live server, on a SQLite file and on PostgreSQL with TEST_DATABASE_URL: the hold
starts at the fifth and no try slips past it (accounts.services.count_wrong_reset_code)."""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts import services
from tenantvoice.accounts.models import ResetCode
from tenantvoice.extensions import db
from tests import factories as f
from tests.live import all_at_once, race_fixtures

N = 20


database_url, server = race_fixtures()


def test_wrong_codes_sent_at_once_stop_counting_at_the_hold(app, server):
    clock.set(clock.now(), frozen=True)  # the server runs in this process: same clock
    lucie = f.make_user(name="Lucie Tremblay", phone="4185550123")
    code = services.issue_reset_code(None, lucie)
    db.session.commit()
    data = {"identifier": "4185550123", "code": "ZZZZ-ZZZZ", "password": "une phrase secrète"}

    results = all_at_once(N, lambda i: server.post("/reset-code", data, cookie=""))

    assert [status for status, __ in results] == [422] * N
    db.session.expire_all()
    row = db.session.scalar(sa.select(ResetCode))
    assert row.failed_attempts == 5  # never more: the 6th on saw the hold the 5th started
    assert row.locked_until == clock.now() + timedelta(minutes=15)
    # The owner, once the hold is over.
    clock.advance(timedelta(minutes=15))
    data["code"] = code
    assert server.post("/reset-code", data, cookie="")[0] == 302
