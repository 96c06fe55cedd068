"""The logbook's tests run on a stopped clock."""

import pytest

from tenantvoice import clock


@pytest.fixture(autouse=True)
def _the_day_stands_still():
    """They write days from today (tests/logbook/helpers.today: a record's day, a period's ends,
    the form's default) and the app reads today again (the form shows it, the service refuses a
    day to come, the figures cut their periods): with the clock running, a run crossing midnight
    in Montréal between the two reads (CI at 05:00 UTC, or TV_TEST_NOW just before midnight) saw
    the form show tomorrow, or a record fall out of its period."""
    clock.set(clock.now(), frozen=True)
