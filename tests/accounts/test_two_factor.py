"""Staff second factor (A-04): setup is forced, TOTP codes and single-use recovery codes."""

import html
import re

import pyotp
import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import RecoveryCode
from tenantvoice.extensions import db
from tests import factories as f

pytestmark = pytest.mark.app_settings(REQUIRE_STAFF_2FA=True)


@pytest.fixture
def staff(app):
    user = f.make_staff(user=f.make_user(name="Olivier OC", email="oc@example.org"),
                        region=f.make_region()).user
    db.session.commit()
    return user


def _login(client, email="oc@example.org"):
    return client.post("/login", data={"identifier": email, "password": f.PASSWORD})


def _setup(client):
    page = html.unescape(client.get("/two-factor/setup").text)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code class="secret" translate="no">([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    response = client.post("/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([0-9A-Z]{4}-[0-9A-Z]{4})</code></li>", response.text)
    return secret, codes


def test_a04_staff_without_totp_is_forced_to_set_it_up(client, staff):
    _login(client)
    response = client.get("/account")
    assert response.status_code == 302
    assert "/two-factor/setup" in response.headers["Location"]


def test_setup_shows_ten_recovery_codes_stored_as_digests(client, staff):
    _login(client)
    secret, codes = _setup(client)
    assert len(codes) == 10
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    db.session.refresh(staff)
    assert staff.has_totp
    assert client.get("/account").status_code == 200  # this session passed the factor


def test_setup_refuses_a_wrong_code(client, staff):
    _login(client)
    client.get("/two-factor/setup")
    response = client.post("/two-factor/setup", data={"code": "000000"})
    assert response.status_code == 422
    db.session.refresh(staff)
    assert not staff.has_totp


def test_a04_staff_with_totp_must_enter_a_code_after_the_password(app, client, staff):
    _login(client)
    secret, _codes = _setup(client)
    phone = app.test_client()
    _login(phone)
    response = phone.get("/account")
    assert response.status_code == 302
    assert "/two-factor" in response.headers["Location"]
    page = phone.get("/two-factor").text
    assert 'autocomplete="one-time-code"' in page
    assert phone.post("/two-factor", data={"code": "123456"}).status_code == 422
    assert phone.get("/account").status_code == 302
    assert phone.post("/two-factor", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert phone.get("/account").status_code == 200


def test_recovery_code_works_once(app, client, staff):
    _login(client)
    _secret, codes = _setup(client)
    first = app.test_client()
    _login(first)
    assert first.post("/two-factor", data={"code": codes[0].lower()}).status_code == 302
    assert first.get("/account").status_code == 200
    second = app.test_client()
    _login(second)
    assert second.post("/two-factor", data={"code": codes[0]}).status_code == 422
    assert second.get("/account").status_code == 302


def test_logout_stays_reachable_before_the_second_factor(client, staff):
    _login(client)
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_tenants_are_not_forced(client):
    f.make_user(email="lucie@example.org")
    db.session.commit()
    _login(client, "lucie@example.org")
    assert client.get("/account").status_code == 200


@pytest.mark.app_settings(REQUIRE_STAFF_2FA=False)
def test_demo_mode_asks_staff_nothing(client, staff):
    _login(client)
    assert client.get("/account").status_code == 200
