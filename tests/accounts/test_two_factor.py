"""Second factor: staff setup is forced (A-04), TOTP codes work once (A-06, ASVS 6.5.1),
single-use recovery codes; tenants may turn TOTP off, staff may not while it is required."""

import html
import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import RecoveryCode
from tenantvoice.extensions import db
from tests import factories as f

pytestmark = pytest.mark.app_settings(REQUIRE_STAFF_2FA=True)


@pytest.fixture
def staff(app):
    user = f.make_staff(
        user=f.make_user(name="Olivier OC", email="oc@example.org"), region=f.make_region()
    ).user
    db.session.commit()
    return user


def _login(client, email="oc@example.org"):
    return client.post("/login", data={"identifier": email, "password": f.PASSWORD})


@pytest.fixture(autouse=True)
def _time_stands_still(app):
    """Codes change every 30 s: with the clock running, a test that reads a code, then sends
    it, crossed a period now and then and saw a fresh code accepted. Time moves only when a
    test says so (_next_period)."""
    clock.set(clock.now(), frozen=True)


def _code(secret, steps=0):
    """The code of the app at the app's clock, `steps` periods of 30 s later."""
    return pyotp.TOTP(secret).at(clock.now(), counter_offset=steps)


def _next_period():
    """Wait for the app to show a new code (each code works once)."""
    clock.advance(timedelta(seconds=30))


def _setup(client):
    page = html.unescape(client.get("/two-factor/setup").text)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code class="secret" translate="no">([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    response = client.post("/two-factor/setup", data={"code": _code(secret)})
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
    _next_period()
    assert phone.post("/two-factor", data={"code": _code(secret)}).status_code == 302
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


def test_a_recovery_code_is_read_as_printed_whatever_the_look_alikes(
    app, client, staff, monkeypatch
):
    """ "o" for 0, "I" or "l" for 1, lower case, spaces, dashes: read as printed (issue 9)."""
    from tenantvoice.accounts import services

    fresh = iter(f"AB01-CD{n:02d}" for n in range(10, 30))
    monkeypatch.setattr(services, "generate_code", lambda: next(fresh))
    _login(client)
    _secret, codes = _setup(client)
    assert codes[0] == "AB01-CD10"
    phone = app.test_client()
    _login(phone)
    assert phone.post("/two-factor", data={"code": "ab-Ol cd-lo"}).status_code == 302
    assert phone.get("/account").status_code == 200


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


# --- A TOTP code works once (ASVS 6.5.1: no replay within its window) ------------------------


def _second_device(app, code):
    device = app.test_client()
    _login(device)
    return device, device.post("/two-factor", data={"code": code})


def test_a06_totp_code_is_accepted_only_once(app, client, staff):
    _login(client)
    secret, _codes = _setup(client)
    _next_period()
    code = _code(secret)
    first, response = _second_device(app, code)
    assert response.status_code == 302
    assert first.get("/account").status_code == 200
    db.session.refresh(staff)
    assert staff.totp_last_step == pyotp.TOTP(secret).timecode(clock.now())
    second, replay = _second_device(app, code)  # same code, still inside its window
    assert replay.status_code == 422
    assert "déjà été utilisé" in html.unescape(replay.text)
    assert second.get("/account").status_code == 302
    _next_period()
    assert second.post("/two-factor", data={"code": _code(secret)}).status_code == 302


def test_a06_setup_code_cannot_log_in_again(app, client, staff):
    _login(client)
    secret, _codes = _setup(client)
    _device, response = _second_device(app, _code(secret))
    assert response.status_code == 422


def test_a06_older_code_refused_after_a_newer_one(app, client, staff):
    _login(client)
    secret, _codes = _setup(client)
    _next_period()
    older, newer = _code(secret), _code(secret, 1)  # the app's clock may run 30 s ahead
    assert _second_device(app, newer)[1].status_code == 302
    assert _second_device(app, older)[1].status_code == 422


# --- Turning TOTP off --------------------------------------------------------------------------


@pytest.fixture
def tenant(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


def test_tenant_turns_totp_off_with_the_password(app, client, tenant):
    _login(client, "lucie@example.org")
    _setup(client)
    page = html.unescape(client.get("/account").text)
    assert "Désactiver la vérification en deux étapes" in page
    wrong = client.post("/account/two-factor/disable", data={"current_password": "pas le bon"})
    assert wrong.status_code == 422
    assert "Ce n'est pas votre mot de passe actuel." in html.unescape(wrong.text)
    db.session.refresh(tenant)
    assert tenant.has_totp
    response = client.post("/account/two-factor/disable", data={"current_password": f.PASSWORD})
    assert response.status_code == 302
    db.session.refresh(tenant)
    assert not tenant.has_totp
    assert tenant.totp_secret is None
    assert tenant.totp_last_step is None
    assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 0
    other = app.test_client()
    _login(other, "lucie@example.org")
    assert other.get("/account").status_code == 200  # no code asked any more


def test_staff_cannot_turn_totp_off_while_it_is_required(client, staff):
    _login(client)
    _setup(client)
    page = html.unescape(client.get("/account").text)
    assert "ne peut pas être désactivée" in page
    assert "/account/two-factor/disable" not in page
    response = client.post("/account/two-factor/disable", data={"current_password": f.PASSWORD})
    assert response.status_code == 403
    db.session.refresh(staff)
    assert staff.has_totp


@pytest.mark.app_settings(REQUIRE_STAFF_2FA=False)
def test_staff_may_turn_totp_off_when_it_is_not_required(client, staff):
    _login(client)
    _setup(client)
    response = client.post("/account/two-factor/disable", data={"current_password": f.PASSWORD})
    assert response.status_code == 302
    db.session.refresh(staff)
    assert not staff.has_totp
