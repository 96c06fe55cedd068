"""The notification an invitation to an existing account sends (the orgs domain sits below
notifications, so it sends a signal and this module, connected by the factory, tells the
person). Only the invitee may open it (policy.can_answer_invitation)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.notifications.kinds import URGENT, Kind
from tenantvoice.notifications.services import notify

#: The settings page's heading for these kinds.
GROUP = _l("Invitations")

KINDS = [
    Kind(
        key="orgs.invitation",
        label=_l("Invitations to join an association or committee"),
        summary=_l("An invitation to join"),
        headline=_l("%(body)s invites you to join"),
        may_open=policy.can_answer_invitation,
        url=lambda invitation: url_for("orgs.my_invitations"),
        body=lambda invitation: invitation.body,
        title=lambda invitation: invitation.body.name,
        defaults=URGENT,
        # Only the invitee, who is not yet a member: the body's candidates never include them.
        extra_candidates=lambda invitation: [invitation.invitee_id],
    ),
]


def on_invitation_offered(invitation, actor=None, **_extra) -> None:
    """orgs.signals.invitation_offered: tell the invitee, in the same transaction."""
    notify("orgs.invitation", invitation, actor=actor, only=[invitation.invitee_id])
