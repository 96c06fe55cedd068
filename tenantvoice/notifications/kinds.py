"""Kinds of notification: each domain describes its own (`KINDS = [Kind(...)]` in its
`kinds.py`) and the factory registers them from its explicit NOTIFICATION_KINDS list.

A kind says who may be told (the policy predicate that decides who may open the object: nobody is
notified of what they may not open), what the short text says (only the kind of thing and the
body, trust-and-safety Q-03), where the notification leads, and the defaults of each channel.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app

from tenantvoice.notifications.models import Channel, Frequency

#: Meeting notices and votes: in the app and on the phone at once, and in the daily email digest
#: (a notice nobody receives is no notice: people without the app get it by email).
URGENT = {Channel.APP: Frequency.IMMEDIATELY, Channel.PUSH: Frequency.IMMEDIATELY,
          Channel.EMAIL: Frequency.DAILY}  # fmt: skip
#: Everything else: in the app, and in the daily email digest.
ROUTINE = {Channel.APP: Frequency.IMMEDIATELY, Channel.PUSH: Frequency.NEVER,
           Channel.EMAIL: Frequency.DAILY}  # fmt: skip


EVERYONE, OFFICERS, CCR, STAFF = "everyone", "officers", "ccr", "staff"


def _no_details(obj) -> list[str]:
    return []


def _no_title(obj) -> str:
    return ""


@dataclass(frozen=True)
class Kind:
    key: str  #: "meeting.notice": stored on events and preferences, never renamed
    #: The settings page's name for the kind ("Meeting notices"), lazily translated.
    label: object
    #: A digest line under the body's name ("New meeting notice"), lazily translated.
    summary: object
    #: The one line push and email subjects carry: kind and body only, lazily translated, with
    #: "%(body)s" for the name as it stands ("%(body)s invites you to join") or "%(of_body)s" for
    #: the name after "of", which French elides: "New notice from %(of_body)s" reads
    #: "Nouvel avis de convocation de l'Association…" / "du Comité…" (the French leaves "de" out).
    headline: object
    #: The policy predicate deciding who may open the object: `may_open(user, obj)`.
    may_open: Callable[[Any, Any], bool]
    #: The object's path in the app.
    url: Callable[[Any], str]
    #: The body the object belongs to (digests group by it; candidates come from it).
    body: Callable[[Any], Any]
    defaults: Mapping[Channel, Frequency] = field(default_factory=lambda: dict(ROUTINE))
    #: The object's title for the centre and opt-in fuller email; never a ballot, a poll answer,
    #: an anonymous author's name or a sensitive need's text.
    title: Callable[[Any], str] = _no_title
    #: Lines for opt-in fuller email (date, place…), same rule as `title`.
    details: Callable[[Any], list[str]] = _no_details
    #: The recipients themselves reveal something (a reminder to people who have not voted):
    #: delivery traces forget them once sent, and the admin's mail folder hides them.
    private: bool = False
    #: The line for an object of no body (a need of a site without an association), if the kind
    #: has such objects: the headline without the body's name.
    headline_no_body: object = None
    #: Who the kind can reach, for the settings page (a tenant does not wade through the
    #: organizer's kinds): EVERYONE, OFFICERS (a body's officers), CCR (a CCR's members), STAFF
    #: (staff roles). The
    #: predicate still decides who is told; this only decides who is offered the setting.
    audiences: tuple[str, ...] = ("everyone",)
    #: The heading the settings page lists the kind under (its domain's `GROUP`, set when the
    #: factory registers it), lazily translated.
    group: object = None
    #: Extra people to consider beyond the body's members, site tenants and staff in scope
    #: (user ids); the predicate still decides.
    extra_candidates: Callable[[Any], Iterable[int]] | None = None
    #: The older kind this one was split out of ("poll.open" out of "ballot.open"): an email's
    #: unsubscribe link written before the split, for the older kind, stops this one too (the
    #: split's migration copied people's choices from the older kind to this one).
    split_from: str | None = None

    def default(self, channel: Channel) -> Frequency:
        return self.defaults.get(channel, Frequency.NEVER)


def register_kinds(app, kinds: Iterable[Kind], group: object = None) -> None:
    """Register a domain's kinds, under its settings heading `group` when it has one."""
    registry = app.extensions.setdefault("notification_kinds", {})
    for kind in kinds:
        if group is not None and kind.group is None:
            kind = replace(kind, group=group)
        if kind.key in registry:
            raise ValueError(f"notification kind {kind.key!r} registered twice")
        if len(kind.key) > 40:
            raise ValueError(f"notification kind {kind.key!r} is longer than 40 characters")
        registry[kind.key] = kind


def all_kinds() -> dict[str, Kind]:
    return current_app.extensions.get("notification_kinds", {})


def get_kind(key: str) -> Kind:
    try:
        return all_kinds()[key]
    except KeyError:
        raise LookupError(f"unknown notification kind {key!r}: register it in create_app") from None
