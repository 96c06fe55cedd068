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


def test_a_process_started_with_a_clock_offset_reads_the_shifted_time(origin):
    """What a test's worker process gets (TENANTVOICE_CLOCK_OFFSET_SECONDS), outside TESTING."""
    from tenantvoice import create_app

    create_app(
        {
            "CLOCK_OFFSET_SECONDS": 86400.0,
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    expected = datetime.now(UTC) + timedelta(days=1)
    assert abs(clock.now() - expected) < timedelta(seconds=1)


def test_production_refuses_a_clock_start(origin):
    from tenantvoice import create_app
    from tenantvoice.config import ConfigError

    with pytest.raises(ConfigError, match="CLOCK_OFFSET"):
        create_app(
            {
                "ENV_NAME": "production",
                "CLOCK_OFFSET_SECONDS": 86400.0,
                "SECRET_KEY": "x" * 40,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "BASE_URL": "https://tenantvoice.example.org",
            }
        )
