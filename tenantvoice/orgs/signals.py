"""Signals other domains connect to in the factory (the orgs domain never imports them).

`invitation_offered` is sent inside the transaction that invites an existing account to a body
(``sender`` is the invitation, ``actor`` who invited): the notifications domain tells the
person. Handlers flush, never commit.
"""

from blinker import Namespace

_signals = Namespace()

invitation_offered = _signals.signal("orgs.invitation-offered")
