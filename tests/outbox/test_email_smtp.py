"""Email through a real SMTP server on loopback (aiosmtpd): headers, the recipient's language,
plain text plus HTML, one-click unsubscribe (RFC 8058) that turns that kind off for that person,
STARTTLS with a login, and a refused login retried later."""

import re
from datetime import timedelta

import pytest

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.notifications import services
from tenantvoice.notifications.models import Channel, Frequency
from tenantvoice.outbox import mail
from tenantvoice.outbox.delivery import deliver_due, queue_mail
from tenantvoice.outbox.models import Delivery
from tests.minutes.helpers import in_request
from tests.notifications.helpers import deliveries, draft_meeting, publish

BODY = "Association des locataires du Parc"


@pytest.fixture
def smtp(app, smtp_server):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return smtp_server


@pytest.fixture
def email_right_away(world):
    """tenant_a reads French (the default), president_a English; both want notices by email."""
    world.president_a.locale = "en"
    with in_request():
        for user in (world.tenant_a, world.president_a):
            services.set_preferences(
                user, {("meeting.notice", Channel.EMAIL): Frequency.IMMEDIATELY}
            )
    db.session.commit()
    return world


def _by_recipient(inbox):
    return {str(m["To"]): m for m in inbox.messages}


def test_each_person_gets_the_notice_in_their_language(smtp, email_right_away):
    w = email_right_away
    publish(draft_meeting(w.adl_a, title="AGA secrète"), w.officer_a)
    assert deliver_due()["sent"] == 2
    mine = _by_recipient(smtp)
    fr, en = mine[w.tenant_a.email], mine[w.president_a.email]
    assert fr["Subject"] == f"Nouvel avis de convocation de l'{BODY}"
    assert en["Subject"] == f"New meeting notice from {BODY}"
    assert fr["Content-Language"] == "fr-CA"
    assert en["Content-Language"] == "en"
    assert "Bonjour Lucie Tremblay" in fr.get_body(("plain",)).get_content()
    assert "Hello Fatima Benali" in en.get_body(("plain",)).get_content()
    for message in (fr, en):
        assert message.get_content_type() == "multipart/alternative"
        assert message.get_body(("html",)) is not None
        assert "AGA secrète" not in message.as_string()  # kind and body only, by default
        assert message["From"] == "TenantVoice <no-reply@tenantvoice.local>"


def test_message_id_is_the_deliverys_stable_identity(smtp, email_right_away):
    w = email_right_away
    publish(draft_meeting(w.adl_a), w.officer_a)
    identities = {d.to: d.identity for d in deliveries()}
    deliver_due()
    for to, message in _by_recipient(smtp).items():
        assert message["Message-ID"] == f"<{identities[to]}@tenantvoice.local>"


def test_one_click_unsubscribe_turns_that_kind_off_for_that_person(smtp, email_right_away, client):
    w = email_right_away
    publish(draft_meeting(w.adl_a), w.officer_a)
    deliver_due()
    message = _by_recipient(smtp)[w.tenant_a.email]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<http://localhost(/unsubscribe/\S+)>", message["List-Unsubscribe"])[1]
    # What a mail client does (RFC 8058 §3.1): a POST with this body, no cookie, no CSRF token.
    response = client.post(
        link,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    with in_request():
        prefs = services.preferences_of(w.tenant_a)
        others = services.preferences_of(w.president_a)
    assert prefs[("meeting.notice", Channel.EMAIL)] == Frequency.NEVER
    assert prefs[("meeting.cancelled", Channel.EMAIL)] == Frequency.DAILY  # that kind only
    assert others[("meeting.notice", Channel.EMAIL)] == Frequency.IMMEDIATELY  # that person only
    smtp.received.clear()
    publish(draft_meeting(w.adl_a, title="Deuxième"), w.officer_a)
    deliver_due()
    assert list(_by_recipient(smtp)) == [w.president_a.email]


def test_the_unsubscribe_link_asks_before_acting_on_a_get(smtp, email_right_away, client):
    w = email_right_away
    token = services.unsubscribe_token(w.tenant_a.id, ["meeting.notice"])
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Meeting notices" in page.text
    with in_request():
        prefs = services.preferences_of(w.tenant_a)
    assert prefs[("meeting.notice", Channel.EMAIL)] == Frequency.IMMEDIATELY  # scanners: no harm


def test_starttls_and_login(app, tls_smtp_server, monkeypatch):
    monkeypatch.setattr(mail.ssl, "create_default_context", lambda: tls_smtp_server.client_context)
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=tls_smtp_server.port,
        MAIL_USE_TLS=True,
        MAIL_USERNAME="tenantvoice",
        MAIL_PASSWORD="s3cret",
    )
    queue_mail("lucie@example.org", "Sujet", "Corps")
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert tls_smtp_server.logins == [(b"tenantvoice", b"s3cret")]
    [message] = tls_smtp_server.messages
    assert message["Subject"] == "Sujet"


def test_a_refused_login_is_retried_later_not_lost(app, tls_smtp_server, monkeypatch):
    monkeypatch.setattr(mail.ssl, "create_default_context", lambda: tls_smtp_server.client_context)
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=tls_smtp_server.port,
        MAIL_USE_TLS=True,
        MAIL_USERNAME="tenantvoice",
        MAIL_PASSWORD="wrong",
    )
    queue_mail("lucie@example.org", "Sujet", "Corps")
    db.session.commit()
    assert deliver_due()["failed"] == 1
    [row] = db.session.scalars(db.select(Delivery)).all()
    assert row.last_error.startswith("SMTP")  # the server refused the login (and hung up)
    assert row.sent_at is None
    assert tls_smtp_server.messages == []
    app.config["MAIL_PASSWORD"] = "s3cret"
    clock.advance(timedelta(minutes=2))
    assert deliver_due()["sent"] == 1
    assert len(tls_smtp_server.messages) == 1
