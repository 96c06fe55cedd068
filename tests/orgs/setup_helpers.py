"""Setting up a body through /bodies/new with one named first officer, and what the person who
set it up sees next: shared by the tests that check the setup tells nobody who has an account or
who is office staff."""

import re

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Body
from tests.same_page import page_told


def set_up_body(client, provider, site, name, *, kind, email, officer_name="Dana Dubé"):
    return client.post(
        "/bodies/new",
        data={
            "provider_id": str(provider.id),
            "kind": kind,
            "name": name,
            "site_ids": [str(site.id)],
            "officers-0-role": "president",
            "officers-0-name": officer_name,
            "officers-0-email": email,
            "officers-1-role": "member",
            "officers-2-role": "member",
        },
    )


def body_named(name):
    return db.session.scalar(sa.select(Body).where(Body.name == name))


def seen_after_setup(client, response, name):
    """Where the person is sent and the page there, without the new body's own id and name."""
    body = body_named(name)
    assert body is not None, response.status_code
    location = response.headers["Location"]
    page = re.sub(rf"/bodies/{body.id}\b", "/bodies/<id>", page_told(client.get(location)))
    return response.status_code, location.replace(str(body.id), "<id>"), page.replace(name, "<n>")
