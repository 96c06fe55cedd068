"""Signals other domains connect to in the factory (organizing never imports them).

`small_cells_shown(sender, user=…, view=…)`: a page showed `user` a table where some counts are
suppressed ("fewer than 5"). The privacy domain counts such views of the housing office's
direction and alerts the administrators when they repeat (trust-and-safety Q-08).
"""

from blinker import Namespace

_signals = Namespace()

small_cells_shown = _signals.signal("organizing.small-cells-shown")
