"""Reset-link poisoning (issue 6, item 3): a forged Host header must never reach a link in mail.

Links are built on BASE_URL alone; with TRUSTED_HOSTS set (production sets it from BASE_URL),
a request for another host is refused outright."""

import re

import pytest

from tenantvoice.extensions import db
from tests import factories as f
from tests.outbox.helpers import delivered_mail


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


def test_forged_host_does_not_reach_the_reset_link(client, lucie):
    """Fails on the old code: the link was built with url_for(_external=True) on the Host."""
    response = client.post(
        "/forgot", data={"identifier": "lucie@example.org"}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 302
    body = delivered_mail()[-1].get_content()
    assert "evil.example" not in body
    assert re.search(r"http://localhost/reset/\S+", body)


@pytest.mark.app_settings(TRUSTED_HOSTS=["localhost"])
def test_trusted_hosts_refuse_a_forged_host(client, lucie):
    response = client.post(
        "/forgot", data={"identifier": "lucie@example.org"}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 400
    assert delivered_mail() == []
    assert client.get("/login").status_code == 200


@pytest.mark.app_settings(BASE_URL="https://tv.example.org/quartier")
def test_links_keep_the_base_url_path_prefix(client, lucie):
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    body = delivered_mail()[-1].get_content()
    assert re.search(r"https://tv\.example\.org/quartier/reset/\S+", body)
