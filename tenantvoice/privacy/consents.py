"""Consents per purpose (Law 25, trust-and-safety Q-03 and Q-05): each optional purpose is its
own unticked box with one line saying why we ask; giving or withdrawing is one tap, logged
(accounts.consents) and in force at once: the organizer stops seeing what a consent allowed in
the same transaction.

A fresh account has given none of them (tests/privacy/test_consents.py checks every setting).
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tenantvoice import audit, clock
from tenantvoice.accounts import consents
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.needs import services as needs_services
from tenantvoice.notifications import services as notification_services
from tenantvoice.orgs import services as org_services
from tenantvoice.orgs.models import OFFICER_ROLES, Body, Member
from tenantvoice.policy.core import facts_for


class ConsentError(Exception):
    """A purpose that does not exist, or a body the person cannot consent for."""


@dataclass(frozen=True)
class Purpose:
    key: str
    label: Any
    #: Why we ask, as it reads after "Why we ask:" ("Pourquoi nous le demandons :"): it starts in
    #: lower case, as French continues after a colon (and English reads well too).
    why: Any
    #: Given per body (one box per register entry) rather than once for the person.
    per_body: bool = False


PURPOSES = [
    Purpose(
        consents.CONTACT_BY_BODY,
        _l("%(body)s may contact me"),
        _l("so its officers can phone or write to you about meetings and activities."),
        per_body=True,
    ),
    Purpose(
        consents.CONTACT_TO_ORGANIZER,
        _l("The community organizer may see my name, role and phone for %(body)s"),
        _l("so the organizer who supports your association can reach you as one of its officers."),
        per_body=True,
    ),
    Purpose(
        consents.NEED_TEXT_TO_ORGANIZER,
        _l("Share the text of my needs with the community organizer"),
        _l(
            "so the organizer reads your own words; otherwise only your association's wording "
            "reaches them. You can still choose for each need."
        ),
    ),
    Purpose(
        consents.EMAIL_DETAILS,
        _l("Emails may say what they are about"),
        _l(
            "so an email names the meeting or vote; otherwise it only says that something new "
            "awaits you in the app, in case someone else reads your mailbox."
        ),
    ),
]
BY_KEY = {p.key: p for p in PURPOSES}


@dataclass(frozen=True)
class Setting:
    purpose: Purpose
    given: bool
    body: Body | None = None

    @property
    def label(self) -> str:
        return str(self.purpose.label) % {"body": self.body.name if self.body else ""}


def _entries(user: User) -> list[Member]:
    facts = facts_for(user)
    return sorted(facts.members.values(), key=lambda m: m.body_id)


def settings_for(user: User) -> list[Setting]:
    """Every consent the person can give, with the one in force (most private when never given)."""
    rows: list[Setting] = []
    entries = _entries(user)
    ids = [m.body_id for m in entries]
    bodies = {b.id: b for b in db.session.scalars(sa.select(Body).where(Body.id.in_(ids)))}
    for member in entries:
        body = bodies[member.body_id]
        rows.append(Setting(BY_KEY[consents.CONTACT_BY_BODY], bool(member.consent_contact), body))
        if member.role in OFFICER_ROLES:
            rows.append(
                Setting(
                    BY_KEY[consents.CONTACT_TO_ORGANIZER],
                    bool(member.consent_share_with_organizer),
                    body,
                )
            )
    rows.append(
        Setting(
            BY_KEY[consents.NEED_TEXT_TO_ORGANIZER],
            consents.given(user, consents.NEED_TEXT_TO_ORGANIZER),
        )
    )
    rows.append(
        Setting(
            BY_KEY[consents.EMAIL_DETAILS],
            notification_services.settings_for(user).email_details,
        )
    )
    return rows


def set_consent(actor: User, key: str, given: bool, body_id: int | None = None) -> None:
    """Give or withdraw one consent, for the person themselves; logged, in force at once
    (flushes). Setting it to what it already is changes nothing (a double tap)."""
    purpose = BY_KEY.get(key)
    if purpose is None or purpose.per_body != (body_id is not None):
        raise ConsentError(key)
    if purpose.per_body:
        member = next((m for m in _entries(actor) if m.body_id == body_id), None)
        if member is None:
            raise ConsentError(key)
        if key == consents.CONTACT_TO_ORGANIZER:
            if member.role not in OFFICER_ROLES:
                raise ConsentError(key)
            org_services.set_organizer_consent(actor, member, given)  # logs it
            return
        if bool(member.consent_contact) == given:
            return
        member.consent_contact = given
        member.consent_recorded_at = clock.now() if given else None
        consents.record(actor, key, given, body_id=body_id)
        audit.record(
            "member.consent_contact",
            actor=actor,
            body_id=body_id,
            obj=member,
            detail="given" if given else "withdrawn",
        )
        db.session.flush()
        return
    if key == consents.EMAIL_DETAILS:
        current = notification_services.settings_for(actor)
        notification_services.save_settings(
            actor,
            quiet_start=current.quiet_start,
            quiet_end=current.quiet_end,
            email_details=given,
        )  # logs it
        return
    if consents.given(actor, key) != given:
        consents.record(actor, key, given)
    if key == consents.NEED_TEXT_TO_ORGANIZER and not given:
        # Also the needs whose own box was ticked: withdrawing covers every text shared.
        needs_services.stop_sharing_texts(actor)
