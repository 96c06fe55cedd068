"""The one clock the app reads, so tests can move time across notice periods and meetings.

Production reads the system clock. Tests (and only tests: `set`/`advance` refuse to run outside
TESTING) shift it by an offset or freeze it. The offset lives in this module because the browser
tests run the server in the test's own process; a deployed process never changes it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time, aware, in UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


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
    """Back to the system clock."""
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None


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
