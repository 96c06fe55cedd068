"""The demo seeder publishes minutes for past meetings whose approval is on record."""

from datetime import timedelta

from tenantvoice import clock, seed
from tenantvoice.assembly.models import ResolutionOutcome
from tenantvoice.assembly.resolutions import resolutions_of
from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tenantvoice.minutes.seed import seed_minutes
from tenantvoice.minutes.services import minutes_of
from tests.minutes.helpers import attend, board_meeting, make_resolution, member_of


def test_seeder_is_registered(app):
    assert seed_minutes in seed.EXTRA_SEEDERS


def test_seeder_publishes_approved_past_minutes(world):
    start = clock.now() - timedelta(days=60)
    first = board_meeting(world.adl_a, starts_at=start)
    second = board_meeting(world.adl_a, starts_at=start + timedelta(days=30), year_number=2)
    sec, pres = member_of(world.officer_a, world.adl_a), member_of(world.president_a, world.adl_a)
    attend(first, sec, pres)
    attend(second, sec, pres)
    make_resolution(second, mover=sec, seconder=pres)
    db.session.commit()
    seed_minutes(None)
    assert minutes_of(first).state == MinutesState.PUBLISHED
    assert minutes_of(first).versions[0].number == 1
    assert minutes_of(second).state == MinutesState.DRAFT  # nothing approves it yet


def test_seeder_adopts_nothing_without_quorum(world):
    """Issue 9: the demo recorded "adopted unanimously" at meetings without quorum."""
    world.adl_a.board_quorum = 3  # the by-laws want three directors; the two directors come
    start = clock.now() - timedelta(days=60)
    first = board_meeting(world.adl_a, starts_at=start)
    second = board_meeting(world.adl_a, starts_at=start + timedelta(days=30), year_number=2)
    db.session.commit()
    seed_minutes(None)
    (motion,) = resolutions_of(second)
    assert motion.outcome == ResolutionOutcome.NO_QUORUM
    assert minutes_of(first).state == MinutesState.PROPOSED  # never approved
