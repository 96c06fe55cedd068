"""Queued mail (X-03, R-11): a reset link is queued in the transaction of its token and sent by
the worker, never inside the request; a failed send is retried with a growing delay and abandoned
after OUTBOX_MAX_ATTEMPTS; the answer to /forgot never depends on the mail server (A-13), and
delivered bodies (reset links) do not stay in the database."""

import html
import json
import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.outbox import delivery
from tenantvoice.outbox.delivery import queue_mail
from tenantvoice.outbox.mail import outbox
from tenantvoice.outbox.models import Delivery
from tenantvoice.outbox.queue import run_pending_tasks
from tests import factories as f

#: Port 9 (discard) on localhost is closed: every connection is refused at once.
SMTP_DOWN = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


def _rows() -> list[Delivery]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Delivery).order_by(Delivery.id)))


def _sweep(runner) -> str:
    result = runner.invoke(args=["jobs", "run", "outbox.deliver_due"])
    assert result.exit_code == 0, result.output
    return result.output


def _forgot(client, identifier="lucie@example.org"):
    return client.post("/forgot", data={"identifier": identifier})


def test_forgot_never_sends_inside_the_request_the_worker_does(app, client, lucie):
    _forgot(client)
    assert outbox() == []  # nothing left during the request
    [row] = _rows()
    assert row.attempts == 0
    assert run_pending_tasks(app) == 1  # the commit woke the worker: one task waits
    [message] = outbox()
    assert message["To"] == "lucie@example.org"
    assert "/reset/" in message.get_content()


@pytest.mark.app_settings(**SMTP_DOWN)
def test_x03_smtp_down_forgot_answers_as_for_an_unknown_account(app, client, lucie):
    known = _forgot(client)
    unknown = _forgot(client, "personne@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page = html.unescape(client.get(known.headers["Location"]).text)
    assert "Si un compte correspond" in page  # accounts tests run in French
    run_pending_tasks(app)
    [row] = _rows()
    assert row.to == "lucie@example.org"
    assert row.sent_at is None
    assert row.gave_up_at is None
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    assert "/reset/" in json.loads(row.payload)["text"]  # kept until delivered: nothing is lost


@pytest.mark.app_settings(**SMTP_DOWN)
def test_r11_the_sweep_retries_after_the_backoff_then_delivers(app, client, runner, lucie):
    _forgot(client)
    run_pending_tasks(app)  # first try: the server is down
    app.config["MAIL_BACKEND"] = "memory"  # the mail server is back
    assert "'sent': 0" in _sweep(runner)  # not due yet: first retry after 1 minute
    assert outbox() == []
    clock.advance(timedelta(minutes=1, seconds=1))
    assert "'sent': 1" in _sweep(runner)
    [message] = outbox()
    assert message["To"] == "lucie@example.org"
    assert "/reset/" in message.get_content()
    [row] = _rows()
    assert row.sent_at is not None
    assert row.attempts == 2
    assert row.last_error is None
    assert "'sent': 0" in _sweep(runner)  # never twice
    assert len(outbox()) == 1


@pytest.mark.app_settings(**SMTP_DOWN)
def test_r11_backoff_doubles_with_each_failed_attempt(app, client, runner, lucie):
    # The waits are compared with the clock: running, it moved on between the failed try and
    # the check, by as much as a slow machine took (over a second: "59 s <= wait" failed).
    clock.set(clock.now(), frozen=True)
    _forgot(client)
    run_pending_tasks(app)
    row = _rows()[0]
    assert timedelta(seconds=59) <= row.next_attempt_at - clock.now() <= timedelta(minutes=1)
    clock.advance(timedelta(minutes=1, seconds=1))
    assert "'failed': 1" in _sweep(runner)
    row = _rows()[0]
    assert row.attempts == 2
    assert timedelta(minutes=1) < row.next_attempt_at - clock.now() <= timedelta(minutes=2)


@pytest.mark.app_settings(OUTBOX_MAX_ATTEMPTS=2, **SMTP_DOWN)
def test_r11_gives_up_after_max_attempts_and_logs_it(app, client, runner, lucie, caplog):
    _forgot(client)
    run_pending_tasks(app)
    clock.advance(timedelta(minutes=2))
    with caplog.at_level(logging.ERROR, logger="tenantvoice.outbox.delivery"):
        assert "'gave_up': 1" in _sweep(runner)
    assert any("abandoned after 2 attempts" in r.getMessage() for r in caplog.records)
    [row] = _rows()
    assert row.gave_up_at is not None
    assert row.sent_at is None
    assert row.payload == ""  # the reset link does not stay in the database
    assert row.subject  # the trace keeps the recipient and subject
    clock.advance(timedelta(days=1))
    assert "'sent': 0, 'failed': 0, 'gave_up': 0" in _sweep(runner)


def test_delivered_mail_body_is_blanked_but_the_trace_stays(app, client, lucie):
    _forgot(client)
    run_pending_tasks(app)
    assert "/reset/" in outbox()[-1].get_content()
    [row] = _rows()
    assert row.sent_at is not None
    assert row.attempts == 1
    assert row.payload == ""
    assert row.to == "lucie@example.org"
    assert "mot de passe" in row.subject


def test_mail_is_queued_in_the_callers_transaction(app, lucie):
    queue_mail("lucie@example.org", "Sujet", "Corps")
    db.session.rollback()
    assert _rows() == []
    assert run_pending_tasks(app) == 0  # a rolled-back delivery wakes nobody


def test_no_mail_for_an_unknown_account(app, client):
    _forgot(client, "personne@example.org")
    assert _rows() == []
    run_pending_tasks(app)
    assert outbox() == []


def test_x03_worker_errors_never_reach_the_person(app, client, lucie, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(delivery.mail, "send_message", broken)
    response = _forgot(client)
    assert response.status_code == 302
    run_pending_tasks(app)
    [row] = _rows()
    assert row.sent_at is None
    assert "/reset/" in json.loads(row.payload)["text"]


@pytest.mark.app_settings(**SMTP_DOWN)
def test_l02_reset_link_never_logged_when_mail_fails(app, client, runner, lucie, caplog):
    with caplog.at_level(logging.DEBUG):
        _forgot(client)
        run_pending_tasks(app)
        clock.advance(timedelta(minutes=2))
        _sweep(runner)
    token = re.search(r"/reset/(\S+)", json.loads(_rows()[0].payload)["text"]).group(1)
    assert caplog.records
    assert not any(token in r.getMessage() for r in caplog.records)
    assert not any("/reset/" in r.getMessage() for r in caplog.records)


def test_the_queue_down_never_fails_the_request(app, client, lucie, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setitem(app.extensions, "outbox_wakeup", unreachable)
    assert _forgot(client).status_code == 302
    [row] = _rows()  # queued all the same: the periodic sweep delivers it
    assert row.sent_at is None
    delivery.deliver_due()
    assert len(outbox()) == 1
