"""Daily and weekly digests: one message per person and channel, items grouped by body, never
sent when empty.

The job runs every hour and works from the database alone, so it is idempotent and catches up
after the worker was down: a digest takes the items queued before the last cutoff (DIGEST_HOUR
Montréal time, every day for daily digests, on Mondays for weekly ones) that are still waiting.
Items the person already read in the app, or whose kind they since turned off on that channel,
are dropped instead of sent.
"""

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, render_template, url_for
from flask_babel import force_locale, ngettext

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.notifications.kinds import all_kinds
from tenantvoice.notifications.models import (
    Channel,
    DigestItem,
    Frequency,
    Notification,
    NotificationEvent,
)
from tenantvoice.notifications.services import (
    absolute_url,
    frequency,
    locale_of,
    mail_headers,
    preferences_for,
    push_payload,
    quiet_until,
    settings_for_many,
    unsubscribe_token,
)
from tenantvoice.outbox.delivery import queue_email, queue_push
from tenantvoice.outbox.models import PushSubscription


def cutoffs(now: datetime) -> dict[Frequency, datetime]:
    """The last daily cutoff and the last weekly (Monday) cutoff at or before `now`."""
    hour = time(current_app.config.get("DIGEST_HOUR", 7))
    local = now.astimezone(clock.MONTREAL)
    day = local.date() if local.time() >= hour else local.date() - timedelta(days=1)
    monday = day - timedelta(days=day.weekday())

    def at(d):
        return datetime.combine(d, hour, tzinfo=clock.MONTREAL).astimezone(UTC)

    return {Frequency.DAILY: at(day), Frequency.WEEKLY: at(monday)}


def _waiting(freq: Frequency, cutoff: datetime) -> list[DigestItem]:
    return list(
        db.session.scalars(
            sa.select(DigestItem)
            .options(
                so.joinedload(DigestItem.notification)
                .joinedload(Notification.event)
                .joinedload(NotificationEvent.body)
            )
            .where(
                DigestItem.done_at.is_(None),
                DigestItem.frequency == freq,
                DigestItem.created_at < cutoff,
            )
            .order_by(DigestItem.user_id, DigestItem.channel, DigestItem.id)
        )
    )


def _groups(items: list[DigestItem], kinds) -> list[dict]:
    """Items grouped by body (in order of first appearance), each with its kind."""
    by_body: dict = {}
    for item in items:
        event = item.notification.event
        name = event.body.name if event.body is not None else ""
        by_body.setdefault(name, []).append((kinds[event.kind], event))
    return [{"body": name, "entries": entries} for name, entries in by_body.items()]


def _send_email(user, freq, items, kinds, settings) -> None:
    keys = sorted({item.notification.event.kind for item in items})
    with force_locale(locale_of(user)):
        count = len(items)
        if freq == Frequency.DAILY:
            subject = ngettext(
                "Your TenantVoice day: %(num)d new item",
                "Your TenantVoice day: %(num)d new items",
                count,
            )
        else:
            subject = ngettext(
                "Your TenantVoice week: %(num)d new item",
                "Your TenantVoice week: %(num)d new items",
                count,
            )
        context = {
            "user": user,
            "subject": subject,
            "groups": _groups(items, kinds),
            "details": settings.email_details,
            "absolute": absolute_url,
            "centre_link": absolute_url(url_for("notifications.index")),
            "settings_link": absolute_url(url_for("notifications.settings")),
            "unsubscribe_link": absolute_url(
                url_for("notifications.unsubscribe", token=unsubscribe_token(user.id, keys))
            ),
        }
        text = render_template("notifications/email/digest.txt", **context)
        html = render_template("notifications/email/digest.html", **context)
    queue_email(
        user.email,
        subject,
        text,
        html=html,
        headers=mail_headers(user, keys),
        kind=f"digest.{freq}",
        user_id=user.id,
        private=any(kinds[k].private for k in keys),
    )


def _send_push(user, freq, items, kinds, devices, settings, now) -> None:
    with force_locale(locale_of(user)):
        text = ngettext(
            "%(num)d new item in TenantVoice", "%(num)d new items in TenantVoice", len(items)
        )
        url = url_for("notifications.index")
    private = any(kinds[item.notification.event.kind].private for item in items)
    hold = quiet_until(settings, now)  # the 07:00 digest waits for the end of quiet hours
    for device in devices:
        queue_push(
            device,
            push_payload(text, url, f"digest.{freq}"),
            kind=f"digest.{freq}",
            not_before=hold,
            private=private,
        )


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """Queue every digest due at `now`; returns how many messages and items went out."""
    now = now or clock.now()
    kinds = all_kinds()
    counts = {"messages": 0, "items": 0, "dropped": 0}
    for freq, cutoff in cutoffs(now).items():
        items = _waiting(freq, cutoff)
        if not items:
            continue
        user_ids = sorted({i.user_id for i in items})
        users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))}
        prefs = preferences_for(user_ids, kinds)
        settings = settings_for_many(user_ids)
        devices = defaultdict(list)
        for sub in db.session.scalars(
            sa.select(PushSubscription).where(PushSubscription.user_id.in_(user_ids))
        ):
            devices[sub.user_id].append(sub)
        grouped = defaultdict(list)
        for item in items:
            item.done_at = now
            user = users.get(item.user_id)
            kind = kinds.get(item.notification.event.kind)
            keep = (
                user is not None
                and user.active
                and kind is not None
                and item.notification.read_at is None
                and frequency(prefs, user.id, kind, item.channel) != Frequency.NEVER
            )
            if keep:
                grouped[(item.user_id, item.channel)].append(item)
            else:
                counts["dropped"] += 1
        for (user_id, channel), kept in grouped.items():
            user = users[user_id]
            if channel == Channel.EMAIL and user.email:
                _send_email(user, freq, kept, kinds, settings[user_id])
            elif channel == Channel.PUSH and devices.get(user_id):
                _send_push(user, freq, kept, kinds, devices[user_id], settings[user_id], now)
            else:
                counts["dropped"] += len(kept)
                continue
            counts["messages"] += 1
            counts["items"] += len(kept)
    db.session.flush()
    return counts
