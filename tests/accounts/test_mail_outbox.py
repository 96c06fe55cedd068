"""Queued mail (X-03, R-11): mail is queued in the transaction of what it announces, tried once
after the commit, retried by `flask mail send-pending` with a growing delay, abandoned after
MAIL_MAX_ATTEMPTS; the answer to /forgot never depends on the mail server (A-13), and delivered
bodies (reset links) do not stay in the database."""

import html
import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.outbox import mail
from tenantvoice.outbox.mail import OutboxMail, outbox, queue_mail
from tests import factories as f

#: Port 9 (discard) on localhost is closed: every connection is refused at once.
SMTP_DOWN = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


def _rows() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


def _send_pending(runner) -> str:
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0, result.output
    return result.output


def _forgot(client, identifier="lucie@example.org"):
    return client.post("/forgot", data={"identifier": identifier})


@pytest.mark.app_settings(**SMTP_DOWN)
def test_x03_smtp_down_forgot_answers_as_for_an_unknown_account(client, lucie):
    known = _forgot(client)
    unknown = _forgot(client, "personne@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page = html.unescape(client.get(known.headers["Location"]).text)
    assert "Si un compte correspond" in page
    assert "nous réessayons" in page
    [row] = _rows()
    assert row.to == "lucie@example.org"
    assert row.sent_at is None
    assert row.gave_up_at is None
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    assert "/reset/" in row.body  # kept until it is delivered: nothing is lost


@pytest.mark.app_settings(**SMTP_DOWN)
def test_r11_send_pending_retries_after_the_backoff_then_delivers(app, client, runner, lucie):
    _forgot(client)
    app.config["MAIL_BACKEND"] = "memory"  # the mail server is back
    assert "sent 0" in _send_pending(runner)  # not due yet: first retry after 1 minute
    assert outbox() == []
    clock.advance(timedelta(minutes=1, seconds=1))
    assert "sent 1" in _send_pending(runner)
    [message] = outbox()
    assert message["To"] == "lucie@example.org"
    assert "/reset/" in message.get_content()
    [row] = _rows()
    assert row.sent_at is not None
    assert row.attempts == 2
    assert row.last_error is None
    assert _send_pending(runner).startswith("sent 0")  # never twice
    assert len(outbox()) == 1


@pytest.mark.app_settings(**SMTP_DOWN)
def test_r11_backoff_doubles_with_each_failed_attempt(client, runner, lucie):
    _forgot(client)
    row = _rows()[0]
    assert row.next_attempt_at - clock.now() <= timedelta(minutes=1)
    clock.advance(timedelta(minutes=1, seconds=1))
    assert "failed 1" in _send_pending(runner)
    row = _rows()[0]
    assert row.attempts == 2
    assert timedelta(minutes=1) < row.next_attempt_at - clock.now() <= timedelta(minutes=2)


@pytest.mark.app_settings(MAIL_MAX_ATTEMPTS=2, **SMTP_DOWN)
def test_r11_gives_up_after_max_attempts_and_logs_it(client, runner, lucie, caplog):
    _forgot(client)
    clock.advance(timedelta(minutes=2))
    with caplog.at_level(logging.ERROR, logger="tenantvoice.outbox.mail"):
        assert "abandoned 1" in _send_pending(runner)
    assert any("abandoned after 2 attempts" in r.getMessage() for r in caplog.records)
    [row] = _rows()
    assert row.gave_up_at is not None
    assert row.sent_at is None
    assert row.body == ""  # the reset link does not stay in the database
    assert row.subject  # the trace keeps the recipient and subject
    clock.advance(timedelta(days=1))
    assert _send_pending(runner).startswith("sent 0, failed 0, abandoned 0")


def test_delivered_mail_body_is_blanked_but_the_trace_stays(client, lucie):
    _forgot(client)
    assert "/reset/" in outbox()[-1].get_content()
    [row] = _rows()
    assert row.sent_at is not None
    assert row.attempts == 1
    assert row.body == ""
    assert row.to == "lucie@example.org"
    assert "mot de passe" in row.subject


def test_mail_is_queued_in_the_callers_transaction(app, lucie):
    queue_mail("lucie@example.org", "Sujet", "Corps")
    db.session.rollback()
    assert _rows() == []


def test_no_mail_for_an_unknown_account(client):
    _forgot(client, "personne@example.org")
    assert _rows() == []
    assert outbox() == []


def test_x03_sender_errors_are_never_shown(client, lucie, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(mail, "send_mail", broken)
    response = _forgot(client)
    assert response.status_code == 302
    [row] = _rows()
    assert row.sent_at is None
    assert "/reset/" in row.body


@pytest.mark.app_settings(**SMTP_DOWN)
def test_l02_reset_link_never_logged_when_mail_fails(client, runner, lucie, caplog):
    with caplog.at_level(logging.DEBUG):
        _forgot(client)
        clock.advance(timedelta(minutes=2))
        _send_pending(runner)
    token = re.search(r"/reset/(\S+)", _rows()[0].body).group(1)
    assert caplog.records
    assert not any(token in r.getMessage() for r in caplog.records)
    assert not any("/reset/" in r.getMessage() for r in caplog.records)
