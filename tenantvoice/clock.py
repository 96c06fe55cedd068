"""The one clock the app reads, so tests can move time across notice periods and meetings.

Production reads the system clock. Tests shift it by an offset or freeze it. The offset lives in
this module because the browser tests run the server in the test's own process; a deployed
process never changes it.

A test run can also choose its origin (`start_at`, which tests/conftest.py calls with the
TV_TEST_NOW environment variable): every test then starts at that instant, and `reset()` goes
back to it instead of the system clock, so the whole suite can be run as if it were New Year's
Eve or a daylight-saving change day.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

#: The one time zone of the app: meeting times, notice deadlines, resolution years, quiet hours.
MONTREAL = ZoneInfo("America/Montreal")

_offset = timedelta(0)
_frozen: datetime | None = None
#: Where `reset()` goes back to: None is the system clock.
_origin: datetime | None = None


def now() -> datetime:
    """Return the current time, aware, in UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def today() -> date:
    """Today's date in Montréal: what "today" means to every person using the app (the UTC date
    is already tomorrow from 19 h or 20 h on)."""
    return now().astimezone(MONTREAL).date()


def set(moment: datetime, *, frozen: bool = False) -> None:  # noqa: A001 - reads well: clock.set()
    """Make `now()` return `moment` (and move on from there unless frozen)."""
    global _offset, _frozen
    if moment.tzinfo is None:
        raise ValueError("clock.set needs an aware datetime")
    if frozen:
        _frozen = moment.astimezone(UTC)
    else:
        _frozen = None
        _offset = moment.astimezone(UTC) - datetime.now(UTC)


def advance(delta: timedelta) -> None:
    """Move the clock forward (or back) by `delta`."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen = _frozen + delta
    else:
        _offset = _offset + delta


def reset() -> None:
    """Back to the origin: the system clock, or the instant given to `start_at` (from there on)."""
    global _offset, _frozen
    _frozen = None
    _offset = timedelta(0) if _origin is None else _origin - datetime.now(UTC)


def start_at(moment: datetime | None) -> None:
    """Make `moment` the origin that `reset()` returns to (None: the system clock), and reset."""
    global _origin
    if moment is not None and moment.tzinfo is None:
        raise ValueError("clock.start_at needs an aware datetime")
    _origin = None if moment is None else moment.astimezone(UTC)
    reset()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run a block as if it were `moment`, then put the clock back as it was.

    The demo seeder uses it to hold a year of past meetings through the real services (their
    attendance windows are checked against this clock).
    """
    global _offset, _frozen
    saved = (_offset, _frozen)
    set(moment, frozen=True)
    try:
        yield
    finally:
        _offset, _frozen = saved
