"""The project clock and the TV_TEST_NOW switch that starts every test at a chosen instant."""

from datetime import UTC, datetime, timedelta

import pytest

from tenantvoice import clock
from tests.conftest import TEST_NOW


@pytest.fixture
def origin():
    """Put the run's own origin back after a test that changes it."""
    yield
    clock.start_at(TEST_NOW)


def test_start_at_makes_reset_return_to_the_origin(origin):
    moment = datetime(2027, 3, 14, 6, 30, tzinfo=UTC)
    clock.start_at(moment)
    assert abs(clock.now() - moment) < timedelta(seconds=1)
    clock.set(datetime(2030, 1, 1, tzinfo=UTC), frozen=True)
    clock.reset()
    assert abs(clock.now() - moment) < timedelta(seconds=1)


def test_start_at_none_is_the_system_clock(origin):
    clock.start_at(None)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)


def test_start_at_refuses_a_naive_datetime(origin):
    with pytest.raises(ValueError, match="aware"):
        clock.start_at(datetime(2027, 3, 14, 2, 30))  # noqa: DTZ001 - the naive value under test


@pytest.mark.skipif(TEST_NOW is None, reason="TV_TEST_NOW unset: tests run at the real date")
def test_every_test_starts_at_tv_test_now():
    assert abs(clock.now() - TEST_NOW) < timedelta(seconds=5)
