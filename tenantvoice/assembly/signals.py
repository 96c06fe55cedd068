"""Signals other domains connect to in the factory (the assembly domain never imports them).

`record_closing` asks whether a meeting's record (attendance, resolutions) is closed: a
receiver returns a translated reason when it is (the minutes domain: once the minutes are
proposed for approval, the record is what they say), or None.
"""

from blinker import Namespace

_signals = Namespace()

record_closing = _signals.signal("assembly.record-closing")


def record_closed(meeting) -> str | None:
    """Why the meeting's record can no longer be completed or corrected, or None."""
    for _receiver, reason in record_closing.send(meeting):
        if reason:
            return str(reason)
    return None
