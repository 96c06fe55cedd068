"""Signals other domains connect to in the factory (the ballots domain never imports them).

`result_final` is sent inside the transaction that makes a question's result final (at close,
or when the paper count is entered after closing), with ``question`` and ``result`` (a
`counting.Result`): the recommendations domain records the vote and offers a resolution to the
meeting, the polls domain notifies. Handlers flush, never commit.
"""

from blinker import Namespace

_signals = Namespace()

result_final = _signals.signal("ballots.result-final")
