"""A CCR never holds more than 25 members, even when officers add people at the same moment:
distinct additions released together by a barrier against a live threaded server, on a SQLite
file (and on PostgreSQL with TEST_DATABASE_URL, where the count runs under the body's row lock)."""

import uuid
from collections import Counter

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Member, MemberRole
from tests import factories as f
from tests.live import all_at_once, race_fixtures, session_cookie

N = 12


database_url, server = race_fixtures()


def test_concurrent_additions_stop_at_25(app, world, server):
    officer = f.make_tenant(body=world.ccr, role=MemberRole.SECRETARY, name="Chantal Lévesque")
    for i in range(19):  # with the officer: 20 members, 5 seats left
        f.make_member(body=world.ccr, name=f"Délégué {i}")
    cookie = session_cookie(app, officer)
    db.session.commit()
    ccr_id, site_id = world.ccr.id, world.s1.id
    url = f"/bodies/{ccr_id}/members/new"

    def add(i):
        data = {
            "form_key": uuid.uuid4().hex,  # distinct additions: a key each
            "name": f"Nouvelle {i}",
            "site_id": str(site_id),
            "unit": str(500 + i),
            "is_adult": "y",
            "role": "member",
            "seat_source": "appointed",
        }
        return server.post(url, data, cookie)

    results = all_at_once(N, add)
    statuses = Counter(r[0] if isinstance(r, tuple) else r for r in results)
    assert statuses == {302: 5, 422: N - 5}, results
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count(Member.id)).where(Member.body_id == ccr_id))
    assert count == 25
