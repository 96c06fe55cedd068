"""Who each recommendation notification reaches (expectations by hand, domain-rules §5.2): the
provider's tenants and the OC read a transmitted recommendation; the direction is told of what
is sent to it; an overdue answer goes to the direction, the body's officers and the organizer
only. Never the ISC, the admin, another provider."""

from datetime import timedelta

import pytest

from tenantvoice import clock
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import Status
from tests.notifications.helpers import told
from tests.recommendations.helpers import ccr_seats, make_rec

pytestmark = pytest.mark.usefixtures("request_ctx")


def _names(world, ids):
    roles = [
        "tenant_a", "officer_a", "president_a", "tenant_b", "officer_b", "tenant_c",
        "officer_c", "oc", "oc_other", "isc", "direction", "direction_other", "admin", "outsider",
    ]  # fmt: skip
    return {r for r in roles if getattr(world, r).id in ids}


def test_a_transmitted_recommendation_reaches_the_providers_tenants_oc_and_direction(world):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.ADOPTED)
    services.transmit(world.officer_a, rec)
    assert _names(world, told("recommendation.transmitted")) == {
        "tenant_a", "president_a", "tenant_b", "officer_b", "oc", "direction",
    }  # fmt: skip


def test_an_answer_reaches_the_same_readers_but_its_author(world):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    services.answer(world.direction, rec, decision="refused", explanation="Non.")
    assert _names(world, told("recommendation.answered")) == {
        "tenant_a", "officer_a", "president_a", "tenant_b", "officer_b", "oc",
    }  # fmt: skip


def test_an_overdue_answer_reaches_the_direction_the_officers_and_the_organizer(world):
    ccr_seats(world)
    make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    clock.advance(timedelta(days=world.ccr.answer_delay_days + 2))
    services.flag_overdue()
    assert _names(world, told("recommendation.overdue")) == {"officer_a", "oc", "direction"}
