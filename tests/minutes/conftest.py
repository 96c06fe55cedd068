from datetime import timedelta

import pytest

from tenantvoice import clock
from tests.minutes.helpers import T0


@pytest.fixture(autouse=True)
def _recorded_meeting_is_over():
    """Minutes are drafted once their meeting has begun: the helpers' meeting (T0) is over in
    every test of this folder, whatever instant TV_TEST_NOW starts the clock at (tests that
    need another moment set the clock themselves)."""
    if clock.now() < T0 + timedelta(days=1):
        clock.set(T0 + timedelta(days=1))
