"""Login limits keyed on the account and the address, a per-account failure ceiling that never
locks the owner out (A-01), trusted proxies, and Redis down (issue 6, "Rate limits and Redis")."""

import logging

import pytest

from tenantvoice.extensions import db, limiter
from tests import factories as f

pytestmark = pytest.mark.app_settings(RATELIMIT_ENABLED=True, TEST_ACCEPT_LANGUAGE="en")

WIFI = "203.0.113.7"


def _login(client, email, password=f.PASSWORD, address=WIFI, headers=None):
    return client.post(
        "/login",
        data={"identifier": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers or {},
    )


@pytest.fixture
def tenants(app):
    people = [f.make_user(email=f"locataire{n}@example.org") for n in range(12)]
    db.session.commit()
    return people


def test_a_meeting_room_on_one_wifi_logs_in_together(app, tenants):
    """Fails on the old code: the eleventh tenant on the room's Wi-Fi got 429."""
    for person in tenants:
        client = app.test_client()
        assert _login(client, person.email).status_code == 302, person.email


def test_guessing_one_account_from_one_address_is_limited(client, tenants):
    statuses = [
        _login(client, tenants[0].email, "mauvais mot de passe").status_code for _n in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429


def test_failures_spread_over_addresses_never_lock_the_owner_out(app, tenants):
    """Twenty addresses fail on one account: those addresses are held back, but the owner's
    right password from another address is accepted (A-01: no malicious lockout)."""
    target = tenants[0].email
    client = app.test_client()
    for n in range(20):
        assert _login(client, target, "devine", address=f"198.51.100.{n}").status_code == 422
    # A guessing address, even with the right password now: held back.
    assert _login(client, target, address="198.51.100.3").status_code == 429
    # Another address: a guess is still answered (one per address)…
    assert _login(client, target, "devine", address="192.0.2.50").status_code == 422
    assert _login(client, target, "devine", address="192.0.2.50").status_code == 429
    # …and the owner, from their own address, logs in.
    assert _login(app.test_client(), target, address="192.0.2.99").status_code == 302


@pytest.mark.app_settings(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1)
def test_behind_one_trusted_proxy_each_client_has_its_own_bucket(app, tenants):
    client = app.test_client()
    target = tenants[1].email
    for n in range(10):
        xff = {"X-Forwarded-For": f"192.0.2.{n}"}
        assert _login(client, target, "devine", address="10.0.0.1", headers=xff).status_code == 422
    xff = {"X-Forwarded-For": "192.0.2.200"}
    assert _login(client, target, "devine", address="10.0.0.1", headers=xff).status_code == 422
    same = {"X-Forwarded-For": "192.0.2.1"}
    for _n in range(9):
        _login(client, target, "devine", address="10.0.0.1", headers=same)
    assert _login(client, target, "devine", address="10.0.0.1", headers=same).status_code == 429


def test_without_trusted_proxies_a_forwarded_header_is_ignored(client, tenants):
    statuses = [
        _login(
            client,
            tenants[2].email,
            "devine",
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        ).status_code
        for n in range(11)
    ]
    assert statuses[10] == 429


@pytest.fixture
def redis_down():
    """The limiter pointed at a closed port (never the shared Redis); the singleton's 'storage
    dead' state is put back afterwards so later tests start clean."""
    yield
    limiter._storage_dead = False  # noqa: SLF001 - Flask-Limiter keeps it on the singleton


@pytest.mark.app_settings(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
    TEST_ACCEPT_LANGUAGE="en",
)
def test_redis_down_login_forgot_and_join_keep_serving(redis_down, client, tenants, caplog):
    """Fails on the old code: each answered 500 when the limiter's storage was unreachable."""
    with caplog.at_level(logging.WARNING):
        assert _login(client, tenants[3].email, "devine").status_code == 422
        assert client.post("/forgot", data={"identifier": "x@example.org"}).status_code == 302
        assert client.post("/join", data={"code": "ABCD-EFGH"}).status_code == 422
        assert _login(client, tenants[3].email).status_code == 302
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)
