"""Secrets at rest and in logs (issue 6, item 4): TOTP secrets encrypted; the pending TOTP
secret and the invitation sheet's codes kept server-side, not in the readable cookie; secret
URLs redacted in access logs; calendar feed tokens that do not name the user and die with a
password change; the account page tells whose an email is only behind the password."""

import html
import logging
import re
import uuid

import pytest
import sqlalchemy as sa

from tenantvoice import create_app
from tenantvoice.accounts import services
from tenantvoice.accounts.models import User
from tenantvoice.config import ConfigError
from tenantvoice.crypto import DEV_ENCRYPTION_KEY
from tenantvoice.extensions import db
from tests import factories as f

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = pytest.mark.app_settings(TEST_ACCEPT_LANGUAGE="en")


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org", phone="4185550123")
    db.session.commit()
    return user


def _login(client, identifier="lucie@example.org", password=f.PASSWORD):
    return client.post("/login", data={"identifier": identifier, "password": password})


def _cookie_payload(app, client) -> str:
    """What the session cookie holds, as anyone holding it can read it."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    serializer = app.session_interface.get_signing_serializer(app)
    return repr(serializer.loads(cookie.value))


# --- TOTP secrets ----------------------------------------------------------------------------


def test_totp_secret_is_encrypted_at_rest(app, lucie):
    """Fails on the old code: the column held the secret in clear."""
    services.enable_totp(lucie, SECRET)
    db.session.commit()
    stored = db.session.execute(
        sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": lucie.id}
    ).scalar()
    assert SECRET not in stored
    db.session.expire_all()
    assert db.session.get(User, lucie.id).totp_secret == SECRET


@pytest.mark.parametrize("key", ["", DEV_ENCRYPTION_KEY, "not-a-key"])
def test_production_refuses_a_missing_or_public_encryption_key(key):
    with pytest.raises(ConfigError, match="ENCRYPTION_KEY"):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "x" * 40,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "BASE_URL": "https://tv.example.org",
                "ENCRYPTION_KEY": key,
            }
        )


def test_pending_totp_secret_is_not_in_the_cookie(app, client, lucie):
    """Fails on the old code: the secret being set up sat in the signed, readable cookie."""
    _login(client)
    page = html.unescape(client.get("/two-factor/setup").text)
    shown = re.search(r'<code class="secret" translate="no">([A-Z2-7 ]+)</code>', page).group(1)
    assert shown.replace(" ", "") not in _cookie_payload(app, client)
    again = html.unescape(client.get("/two-factor/setup").text)
    assert shown in again  # the same secret until it is confirmed


def test_invitation_codes_are_not_in_the_cookie(app, world, client, auth):
    """Fails on the old code: the last batch's codes sat in the cookie."""
    auth.login(world.officer_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/invitations/new",
        data={"form_key": uuid.uuid4().hex, "count": "2", "label": "Hall"},
    )
    assert response.status_code == 302
    sheet = html.unescape(client.get(response.headers["Location"]).text)
    codes = re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b", sheet)
    assert codes
    payload = _cookie_payload(app, client)
    assert not any(code in payload or code.replace("-", "") in payload for code in codes)


# --- access logs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("GET /join?code=ABCD-EFGH HTTP/1.1", "ABCD-EFGH"),
        ("GET /reset/Zm9vYmFyYmF6cXV4cXV1eA HTTP/1.1", "Zm9vYmFyYmF6cXV4cXV1eA"),
        ("GET /calendar/abc123XYZ.q1w2e3r4t5.ics HTTP/1.1", "abc123XYZ.q1w2e3r4t5"),
        ("POST /notifications/unsubscribe/eyJ1Ijo0fQ.sig HTTP/1.1", "eyJ1Ijo0fQ.sig"),
    ],
)
def test_access_logs_redact_secret_urls(app, caplog, line, secret):
    """Fails on the old code: the development server's and gunicorn's lines kept the secret."""
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s -', line, 200)
        logging.getLogger("gunicorn.access").info(
            '%(h)s "%(r)s" %(s)s', {"h": "10.0.0.1", "r": line, "s": "200"}
        )
    assert len(caplog.records) == 2
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert "[redacted]" in record.getMessage()


# --- calendar feed tokens --------------------------------------------------------------------


def _feed_url(client):
    page = html.unescape(client.get("/calendar").text)
    return re.search(r"http://localhost(/calendar/[^\s\"<]+\.ics)", page).group(1)


def test_feed_token_does_not_begin_with_the_user_id(world, client, auth):
    """Fails on the old code: the token was '<user id>-<mac>'."""
    auth.login(world.tenant_a)
    url = _feed_url(client)
    token = url.removeprefix("/calendar/").removesuffix(".ics")
    assert not token.startswith(f"{world.tenant_a.id}-")
    assert str(world.tenant_a.id) not in token.split(".")[0] or len(token.split(".")[0]) > 8
    assert client.get(url).status_code == 200
    assert client.get(f"/calendar/0{token}.ics").status_code == 404
    assert client.get(f"/calendar/{token}x.ics").status_code == 404


def test_password_change_rotates_the_feed_token(world, client, auth):
    """Fails on the old code: the feed URL survived a password change."""
    auth.login(world.tenant_a)
    old = _feed_url(client)
    response = client.post(
        "/account/password",
        data={"current_password": f.PASSWORD, "new_password": "une toute nouvelle phrase"},
    )
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    new = _feed_url(client)
    assert new != old
    assert client.get(new).status_code == 200


# --- /account: whose email is it? -------------------------------------------------------------


def _no_tokens(page: str) -> str:
    """The page without its CSRF tokens (signed with the time: they change every second)."""
    return re.sub(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}", "TOKEN", page)


def test_account_does_not_say_whose_email_it_is_without_the_password(client, lucie):
    """Fails on the old code: 'already used by another account' came before the password."""
    f.make_user(email="pris@example.org")
    db.session.commit()
    _login(client)
    data = {"name": "Lucie", "email": "pris@example.org", "phone": "4185550123", "locale": ""}
    taken = html.unescape(client.post("/account", data=data).text)
    free = html.unescape(client.post("/account", data={**data, "email": "libre@example.org"}).text)
    assert "already used" not in taken
    assert "Enter your current password" in taken
    assert _no_tokens(taken).replace("pris@", "X@") == _no_tokens(free).replace("libre@", "X@")
    data["current_password"] = f.PASSWORD
    answer = html.unescape(client.post("/account", data=data).text)
    assert "already used by another account" in answer, re.findall(
        r'class="error[^>]*>([^<]+)', answer
    )


@pytest.mark.app_settings(RATELIMIT_ENABLED=True)
def test_account_changes_are_rate_limited(client, lucie):
    _login(client)
    data = {"name": "Lucie", "email": "x@example.org", "phone": "", "locale": ""}
    statuses = [client.post("/account", data=data).status_code for _n in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
