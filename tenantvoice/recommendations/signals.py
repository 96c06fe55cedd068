"""Signals of the recommendations domain (connected by the factory; never from here).

`transmitted` is sent (sender = the recommendation) inside the transaction that transmits a
recommendation to its provider's direction: the consultations domain links a recommendation
that answers a consultation. Handlers flush, never commit.
"""

from blinker import Namespace

_signals = Namespace()

transmitted = _signals.signal("recommendations.transmitted")
