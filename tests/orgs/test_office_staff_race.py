"""The admin giving someone an office staff role at the very moment that person accepts a seat in
a body of that office: exactly one of the two wins, and nobody ends up both the office's staff
and seated in one of its bodies (policy.can_sit_in / can_take_office_role).

Each request checks the other's absence: without a lock both checks pass and both write. Both
take the person's row lock first (orgs.seats.lock_person), on a SQLite file and on PostgreSQL
with TEST_DATABASE_URL, released together against a live threaded server (tests/live.py)."""

import uuid

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations
from tenantvoice.orgs.models import Member, StaffAssignment
from tests import factories as f
from tests.live import all_at_once, race_fixtures, session_cookie

#: Rounds of the race, each with a new person: one round often lets both through without the
#: lock on PostgreSQL; twelve nearly always do.
ROUNDS = 12


database_url, server = race_fixtures()


def _person_and_offer(w, i):
    """A tenant with an account, offered an entry of association A (office P1) in the app."""
    person = f.make_user(name=f"Personne {i}", email=f"course{i}@example.org")
    entry = f.make_member(body=w.adl_a, name=person.name, unit=str(300 + i))
    offer = invitations.offer_to_account(w.oc, w.adl_a, person, entry)
    return person, offer


def test_a_seat_and_an_office_role_at_once_never_both(app, world, server):
    clock.set(clock.now(), frozen=True)  # the server runs in this process: same clock
    admin_cookie = session_cookie(app, world.admin)
    rounds = []
    for i in range(ROUNDS):
        person, offer = _person_and_offer(world, i)
        rounds.append((person.id, person.email, offer.id, session_cookie(app, person)))
    db.session.commit()
    adl_id, p1_id = world.adl_a.id, world.p1.id

    won: list[str] = []  # which one won each round: the scheduler decides
    for person_id, email, offer_id, cookie in rounds:

        def go(i, email=email, offer_id=offer_id, cookie=cookie):
            if i == 0:
                data = {
                    "form_key": uuid.uuid4().hex,
                    "email": email,
                    "role": "direction",
                    "provider_id": str(p1_id),
                    "region_id": "",
                    "employer": "",
                }
                return server.post("/admin/staff", data, admin_cookie)
            return server.post(f"/invitations/{offer_id}/accept", {}, cookie)

        (given, __), (status, where) = all_at_once(2, go)
        assert given in (302, 422)
        assert status == 302
        seated_answer = where.endswith(f"/bodies/{adl_id}")
        assert seated_answer or where.endswith("/invitations")
        db.session.expire_all()
        staff = db.session.scalar(
            sa.select(sa.func.count(StaffAssignment.id)).where(
                StaffAssignment.user_id == person_id,
                StaffAssignment.role == StaffRole.DIRECTION,
                StaffAssignment.provider_id == p1_id,
            )
        )
        seated = db.session.scalar(
            sa.select(sa.func.count(Member.id)).where(
                Member.user_id == person_id, Member.body_id == adl_id
            )
        )
        # Exactly one of the two won, and what each was told is what was written.
        assert staff + seated == 1, f"round {len(won) + 1}: both the office role and the seat"
        assert (staff, seated) == (int(given == 302), int(seated_answer))
        won.append("role" if staff else "seat")
