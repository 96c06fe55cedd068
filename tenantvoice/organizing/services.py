"""The organizer's actions on needs, and the partner directory.

Each action is dated and written to the need's timeline: `public_text` is what the site's
tenants read, `staff_note` stays with the organizer. The first action sets the time to first
response (kept on the need, for the statistics' median in SQL).
"""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tenantvoice import audit, clock
from tenantvoice.extensions import db
from tenantvoice.needs.models import (
    NOTE_MAX,
    EventKind,
    Need,
    NeedError,
    NeedEvent,
    Partner,
    PartnerKind,
    Status,
)
from tenantvoice.needs.services import clean_text, notify_followers
from tenantvoice.notifications.services import notify

ACTIONS = {
    "acknowledge": (Status.ACKNOWLEDGED, EventKind.ACKNOWLEDGED),
    "ask_info": (Status.INFO_REQUESTED, EventKind.INFO_REQUESTED),
    "refer": (Status.REFERRED, EventKind.REFERRED),
    "plan": (Status.ACTION_PLANNED, EventKind.ACTION_PLANNED),
    "close": (Status.CLOSED, EventKind.CLOSED),
}


def act(
    actor: Any,
    need: Need,
    action: str,
    *,
    public_text: str = "",
    staff_note: str = "",
    partner_id: int | None = None,
    notify_people: bool = True,
) -> NeedEvent:
    """Acknowledge, ask the body for more information, refer to a partner, plan a collective
    action, or close with an outcome."""
    if action not in ACTIONS:
        raise NeedError(_l("Please choose an action from the list."))
    if need.status in (Status.CLOSED, Status.MERGED):
        raise NeedError(_l("This need is closed."), 409)
    status, kind = ACTIONS[action]
    public_text = clean_text(
        public_text,
        NOTE_MAX,
        required=action == "close",
        field="outcome" if action == "close" else "message",
    )
    staff_note = clean_text(staff_note, NOTE_MAX, required=False, field="note")
    partner = None
    if action == "refer":
        partner = db.session.get(Partner, partner_id) if partner_id else None
        if partner is None or partner.region_id != need.region_id or not partner.active:
            raise NeedError(_l("Please choose a partner of the need's region."))
    if action == "ask_info" and need.reviewing_body_id is None:
        raise NeedError(_l("No association reviews this need: there is nobody to ask."))
    now = clock.now()
    event = NeedEvent(
        need_id=need.id,
        kind=kind,
        public_text=public_text,
        staff_note=staff_note,
        actor_id=actor.id,
        partner_id=partner.id if partner else None,
        created_at=now,
    )
    db.session.add(event)
    need.status = status
    need.updated_at = now
    if need.first_response_seconds is None:
        start = need.forwarded_at or need.created_at
        need.first_response_seconds = max(0, int((now - start).total_seconds()))
    if status == Status.CLOSED:
        need.closed_at = now
    audit.record(f"need.{action}", actor=actor, obj=need)
    db.session.flush()
    if notify_people:
        if action == "ask_info":
            notify("need.info_requested", need, actor=actor)
        notify_followers(need, actor)
    return event


def act_on_card(actor: Any, needs: list[Need], action: str, **fields: Any) -> int:
    """The same action on every need behind a sensitive card (site × category)."""
    if not needs:
        raise NeedError(_l("There is no open need behind this card."), 409)
    for need in needs:
        act(actor, need, action, **fields)
    return len(needs)


def add_partner(
    actor: Any, region_id: int, *, name: str, kind: str, service: str, phone: str, website: str
) -> Partner:
    name = (name or "").strip()
    if not name or len(name) > 160:
        raise NeedError(_l("Please write the partner's name (at most 160 characters)."))
    try:
        partner_kind = PartnerKind(kind)
    except ValueError:
        raise NeedError(_l("Please choose a value from the list.")) from None
    exists = db.session.scalar(
        sa.select(Partner.id).where(Partner.region_id == region_id, Partner.name == name)
    )
    if exists:
        raise NeedError(_l("This partner is already in the directory."), 409)
    partner = Partner(
        region_id=region_id,
        kind=partner_kind,
        name=name,
        service=(service or "").strip()[:160],
        phone=(phone or "").strip()[:30],
        website=(website or "").strip()[:255],
    )
    db.session.add(partner)
    audit.record("partner.add", actor=actor, obj=partner)
    db.session.flush()
    return partner
