"""Notify the people an event concerns, each through the channels they chose; the centre's
read state; preferences, quiet hours and push devices. Flush, never commit: a notification is
written in the transaction of the event that causes it, and its deliveries with it.

The API other domains call: `notify(kind, obj, actor=..., only=..., once_key=...)`.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from tenantvoice import clock, policy
from tenantvoice.accounts import consents
from tenantvoice.accounts.models import User
from tenantvoice.accounts.sessions import device_parts
from tenantvoice.extensions import db
from tenantvoice.models import rowcount
from tenantvoice.notifications.kinds import Kind, all_kinds, get_kind
from tenantvoice.notifications.models import (
    CHANNEL_FREQUENCIES,
    Channel,
    DigestItem,
    Frequency,
    Notification,
    NotificationEvent,
    Preference,
    Settings,
)
from tenantvoice.outbox import push
from tenantvoice.outbox.delivery import email_values, push_values, queue_many, withdraw_held_push
from tenantvoice.outbox.models import PushSubscription
from tenantvoice.web.i18n import of_name

logger = logging.getLogger(__name__)

DIGESTED = (Frequency.DAILY, Frequency.WEEKLY)


# --- people's choices -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSettings:
    quiet_start: time
    quiet_end: time
    email_details: bool


def default_settings() -> PersonSettings:
    cfg = current_app.config
    return PersonSettings(cfg["NOTIFY_QUIET_START"], cfg["NOTIFY_QUIET_END"], False)


def settings_for_many(user_ids: Iterable[int]) -> dict[int, PersonSettings]:
    ids = list(user_ids)
    found = {
        row.user_id: PersonSettings(row.quiet_start, row.quiet_end, row.email_details)
        for row in db.session.scalars(sa.select(Settings).where(Settings.user_id.in_(ids)))
    }
    default = default_settings()
    return {uid: found.get(uid, default) for uid in ids}


def settings_for(user: User) -> PersonSettings:
    return settings_for_many([user.id])[user.id]


def save_settings(user: User, *, quiet_start: time, quiet_end: time, email_details: bool) -> None:
    row = db.session.get(Settings, user.id)
    if row is None:
        row = Settings(user_id=user.id, email_details=False)
        db.session.add(row)
    changed = bool(row.email_details) != bool(email_details)
    row.quiet_start, row.quiet_end, row.email_details = quiet_start, quiet_end, email_details
    if changed:
        consents.record(user, consents.EMAIL_DETAILS, email_details)  # a purpose of its own
    db.session.flush()


def preferences_for(user_ids: Iterable[int], kind_keys: Iterable[str]) -> dict:
    rows = db.session.scalars(
        sa.select(Preference).where(
            Preference.user_id.in_(list(user_ids)), Preference.kind.in_(list(kind_keys))
        )
    )
    return {(p.user_id, p.kind, p.channel): p.frequency for p in rows}


def frequency(prefs: dict, user_id: int, kind: Kind, channel: Channel) -> Frequency:
    return prefs.get((user_id, kind.key, channel), kind.default(channel))


def preferences_of(user: User) -> dict[tuple[str, Channel], Frequency]:
    """Every registered kind × channel for this person, their choice or the default."""
    kinds = all_kinds()
    prefs = preferences_for([user.id], kinds)
    return {
        (key, channel): frequency(prefs, user.id, kind, channel)
        for key, kind in kinds.items()
        for channel in Channel
    }


def kinds_offered(user: User) -> dict[str, Kind]:
    """The kinds whose settings the person is offered: those of their audiences (policy), and
    any kind they already received (a role they no longer hold, or one the audiences missed:
    what reaches someone can always be turned down)."""
    audiences = policy.notification_audiences(user)
    received = set(
        db.session.scalars(
            sa.select(NotificationEvent.kind)
            .join(Notification, Notification.event_id == NotificationEvent.id)
            .where(Notification.user_id == user.id)
            .distinct()
        )
    )
    return {
        key: kind
        for key, kind in all_kinds().items()
        if audiences.intersection(kind.audiences) or key in received
    }


def set_preferences(user: User, choices: dict[tuple[str, Channel], Frequency]) -> None:
    """Keep a row only where the choice differs from the kind's default."""
    kinds = all_kinds()
    existing = {
        (p.kind, p.channel): p
        for p in db.session.scalars(sa.select(Preference).where(Preference.user_id == user.id))
    }
    for (key, channel), choice in choices.items():
        kind = kinds.get(key)
        if kind is None or choice not in CHANNEL_FREQUENCIES[channel]:
            raise ValueError(f"no such choice: {key} {channel} {choice}")
        row = existing.get((key, channel))
        if choice == kind.default(channel):
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(Preference(user_id=user.id, kind=key, channel=channel, frequency=choice))
        else:
            row.frequency = choice
    db.session.flush()


def quiet_until(settings: PersonSettings, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if `now` is inside them (Montréal time), else None."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return None
    local = now.astimezone(clock.MONTREAL)
    moment = local.time()
    if start < end:
        inside, day = start <= moment < end, local.date()
    else:  # across midnight: 21:00–08:00
        inside = moment >= start or moment < end
        day = local.date() + timedelta(days=1) if moment >= start else local.date()
    if not inside:
        return None
    return datetime.combine(day, end, tzinfo=clock.MONTREAL).astimezone(UTC)


# --- writing notifications --------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return current_app.config["BASE_URL"] + path


_UNSUBSCRIBE_SALT = "tv-unsubscribe-email"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT)


#: Tokens carry the generation of the kinds they name: a token without one was written before
#: kinds were split (Kind.split_from) and also names the kinds split out of those it names.
_TOKEN_GENERATION = 2


def unsubscribe_token(user_id: int, kind_keys: Iterable[str]) -> str:
    return _serializer().dumps([user_id, sorted(set(kind_keys)), _TOKEN_GENERATION])


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    try:
        found = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(found, list) or len(found) not in (2, 3):
        return None
    user_id, keys = found[0], found[1]
    if not isinstance(user_id, int) or not isinstance(keys, list):
        return None
    keys = [k for k in keys if isinstance(k, str)]
    if len(found) == 2:  # written before the split: "ballot.open" then spoke of polls too
        keys += [k for k, kind in all_kinds().items() if kind.split_from in keys and k not in keys]
    return user_id, keys


def unsubscribe_email(user_id: int, kind_keys: Iterable[str]) -> list[str]:
    """One-click unsubscribe (RFC 8058): these kinds stop coming by email for this person."""
    kinds = all_kinds()
    keys = [k for k in kind_keys if k in kinds]
    if db.session.get(User, user_id) is None:
        return []
    for key in keys:
        row = db.session.get(Preference, (user_id, key, Channel.EMAIL))
        if row is None:
            db.session.add(
                Preference(
                    user_id=user_id, kind=key, channel=Channel.EMAIL, frequency=Frequency.NEVER
                )
            )
        else:
            row.frequency = Frequency.NEVER
    db.session.flush()
    return keys


def mail_headers(user: User, kind_keys: Iterable[str]) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe (for these kinds), and the message's language."""
    link = absolute_url(
        url_for("notifications.unsubscribe", token=unsubscribe_token(user.id, kind_keys))
    )
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Content-Language": locale_of(user).replace("_", "-"),
    }


def keep_language(user: User, locale: str) -> None:
    """Someone choosing how to be told, in a language they never saved: keep it, so what is
    sent to them (by the worker, with no browser to ask) is in the language they read."""
    if not user.locale and locale in current_app.config["LANGUAGES"]:
        user.locale = locale


def locale_of(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def headline(kind: Kind, body_name: str) -> str:
    """The kind and the body, nothing more (push text, email subject, the centre's line): in the
    current locale, which is the recipient's when sending (the name after "of" is elided in that
    locale: "de l'Association…", "du Comité…"). An object of no body has the kind's line without
    a body, when it has one."""
    if not body_name and kind.headline_no_body is not None:
        return str(kind.headline_no_body)
    return str(kind.headline) % {"body": body_name, "of_body": of_name(body_name, "body")}


def _email(
    kind: Kind, event: Any, obj: Any, user: User, address: str, settings: PersonSettings
) -> dict:
    with force_locale(locale_of(user)):
        subject = headline(kind, event.body.name if event.body else "")
        context = {
            "user": user,
            "headline": subject,
            "title": event.title if settings.email_details else "",
            "details": kind.details(obj) if settings.email_details else [],
            "link": absolute_url(event.url),
            "settings_link": absolute_url(url_for("notifications.settings")),
            "unsubscribe_link": absolute_url(
                url_for("notifications.unsubscribe", token=unsubscribe_token(user.id, [kind.key]))
            ),
            "kind_label": str(kind.label),
        }
        text = render_template("notifications/email/notification.txt", **context)
        html = render_template("notifications/email/notification.html", **context)
    return email_values(
        address,
        subject,
        text,
        html=html,
        headers=mail_headers(user, [kind.key]),
        kind=kind.key,
        user_id=user.id,
        private=kind.private,
    )


def push_payload(text: str, url: str, tag: str) -> dict:
    return {"title": "TenantVoice", "body": text, "url": url, "tag": tag}


def _pushes(
    kind: Kind,
    event: Any,
    user: User,
    subscriptions: list[PushSubscription],
    settings: PersonSettings,
    now: datetime,
) -> list[dict]:
    with force_locale(locale_of(user)):
        text = headline(kind, event.body.name if event.body else "")
    payload = push_payload(text, event.url, f"{kind.key}:{event.url}")
    hold = quiet_until(settings, now)
    return [
        push_values(subscription, payload, kind=kind.key, not_before=hold, private=kind.private)
        for subscription in subscriptions
    ]


def _add_unread(user_ids: list[int], delta: int) -> None:
    if not user_ids:
        return
    value = User.unread_notifications + delta
    if delta < 0:
        value = sa.case((User.unread_notifications + delta < 0, 0), else_=value)
    db.session.execute(
        sa.update(User)
        .where(User.id.in_(user_ids))
        .values(unread_notifications=value)
        .execution_options(synchronize_session="fetch")
    )


def recipients(
    kind: Kind,
    obj: Any,
    *,
    actor: User | None = None,
    only: Iterable[int] | None = None,
    exclude: Iterable[int] = (),
) -> list[User]:
    """The active people who may open `obj`, by the kind's policy predicate, from the body's
    candidates (members, site tenants, staff in scope), restricted to `only` when given."""
    body = kind.body(obj)
    # An object of no body (a need of a site without an association) has only the kind's extra
    # candidates.
    candidates = policy.candidate_user_ids(body) if body is not None else set()
    if kind.extra_candidates is not None:
        candidates |= set(kind.extra_candidates(obj))
    if only is not None:
        candidates &= set(only)
    candidates -= set(exclude)
    if actor is not None:
        candidates.discard(actor.id)
    if not candidates:
        return []
    users = list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(sorted(candidates)), User.active.is_(True))
            .order_by(User.id)
        )
    )
    with policy.facts_preloaded(users):
        return [user for user in users if kind.may_open(user, obj)]


def notify(
    kind_key: str,
    obj: Any,
    *,
    actor: User | None = None,
    only: Iterable[int] | None = None,
    exclude: Iterable[int] = (),
    once_key: str | None = None,
) -> NotificationEvent | None:
    """Tell everyone who may open `obj` (but the actor) that a `kind_key` event happened, each
    on the channels they chose: in the centre now, push now (held through quiet hours), email
    now, or in a digest. Call it in the transaction of the event (it flushes).

    `only` restricts the audience to these user ids (e.g. the eligible people who have not voted
    yet, computed by the system from the voter roll); `exclude` leaves these out (people who
    said they will not come); the kind's predicate decides in every case.
    `once_key` makes the event happen at most once (reminders, closings): None if it already did.
    """
    if not has_request_context():
        # A job, a command or a test: links are built as the worker builds them (BASE_URL).
        with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
            return notify(kind_key, obj, actor=actor, only=only, exclude=exclude, once_key=once_key)
    kind = get_kind(kind_key)
    body = kind.body(obj)
    if once_key is not None:
        known = db.session.scalar(
            sa.select(NotificationEvent.id).where(NotificationEvent.once_key == once_key)
        )
        if known is not None:
            return None
    event = NotificationEvent(
        kind=kind.key,
        body=body,
        url=kind.url(obj),
        title=(kind.title(obj) or "")[:200],
        once_key=once_key,
        created_at=clock.now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:  # another worker wrote the same once_key first
        return None
    people = recipients(kind, obj, actor=actor, only=only, exclude=exclude)
    if not people:
        return event
    ids = [u.id for u in people]
    prefs = preferences_for(ids, [kind.key])
    settings = settings_for_many(ids)
    now = clock.now()
    chosen = {
        user.id: {ch: frequency(prefs, user.id, kind, ch) for ch in Channel} for user in people
    }
    push_now = [uid for uid in ids if chosen[uid][Channel.PUSH] == Frequency.IMMEDIATELY]
    devices = defaultdict(list)
    if push_now:
        for sub in db.session.scalars(
            sa.select(PushSubscription)
            .where(PushSubscription.user_id.in_(push_now))
            .order_by(PushSubscription.id)
        ):
            devices[sub.user_id].append(sub)
    told = [user for user in people if any(f != Frequency.NEVER for f in chosen[user.id].values())]
    if not told:
        return event
    # Batched inserts: a notice to a whole building is a handful of statements.
    note_ids = {
        user_id: note_id
        for note_id, user_id in db.session.execute(
            sa.insert(Notification).returning(Notification.id, Notification.user_id),
            [
                {
                    "user_id": user.id,
                    "event_id": event.id,
                    "in_app": chosen[user.id][Channel.APP] == Frequency.IMMEDIATELY,
                    "created_at": now,
                }
                for user in told
            ],
        )
    }
    digest_rows, outbox_rows, unread = [], [], []
    for user in told:
        choice = chosen[user.id]
        if choice[Channel.APP] == Frequency.IMMEDIATELY:
            unread.append(user.id)
        for channel in (Channel.PUSH, Channel.EMAIL):
            if choice[channel] in DIGESTED:
                digest_rows.append(
                    {
                        "notification_id": note_ids[user.id],
                        "user_id": user.id,
                        "channel": channel,
                        "frequency": choice[channel],
                        "created_at": now,
                    }
                )
        if choice[Channel.EMAIL] == Frequency.IMMEDIATELY and user.email:
            outbox_rows.append(_email(kind, event, obj, user, user.email, settings[user.id]))
        if devices.get(user.id):
            outbox_rows.extend(_pushes(kind, event, user, devices[user.id], settings[user.id], now))
    if digest_rows:
        db.session.execute(sa.insert(DigestItem), digest_rows)
    queue_many(outbox_rows)
    _add_unread(unread, +1)
    logger.info("notification %s: %d people", kind.key, len(people))
    return event


# --- the centre -------------------------------------------------------------------------------


def mark_read(user: User, notification: Notification) -> bool:
    """Mark one notification read; the badge's counter moves in the same transaction."""
    result = db.session.execute(
        sa.update(Notification)
        .where(
            Notification.id == notification.id,
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
        )
        .values(read_at=clock.now())
        .execution_options(synchronize_session="fetch")
    )
    changed = rowcount(result) == 1
    if changed and notification.in_app:
        _add_unread([user.id], -1)
    if changed:
        event = notification.event
        withdraw_held_push(user.id, kind=event.kind, url=event.url)
    return changed


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.in_app.is_(True),
            Notification.read_at.is_(None),
        )
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    count = rowcount(result) or 0
    if count:
        _add_unread([user.id], -count)
        withdraw_held_push(user.id)
    return count


# --- push devices -----------------------------------------------------------------------------


class PushRefusedError(Exception):
    """A subscription we do not accept (not a known push service, malformed keys)."""


def subscribe_push(
    user: User,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str = "",
    session_id: int | None = None,
) -> PushSubscription:
    """Keep this device's subscription for `user` (a phone shared after a new login moves to
    the person now logged in), tied to the login session it came from (`session_id`): logging
    out of that session forgets it (accounts.sessions.end_current)."""
    if not endpoint or len(endpoint) > 1000 or not push.endpoint_allowed(endpoint):
        raise PushRefusedError("endpoint")
    if len(p256dh) > 120 or len(auth) > 40 or not push.keys_valid(p256dh, auth):
        raise PushRefusedError("keys")
    browser, system = device_parts(user_agent)
    device = " · ".join(part for part in (browser, system) if part)[:80]
    row = db.session.scalar(
        sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )
    if row is None:
        row = PushSubscription(endpoint=endpoint, user_id=user.id, created_at=clock.now())
        db.session.add(row)
    row.user_id, row.p256dh, row.auth, row.device = user.id, p256dh, auth, device
    row.session_id = session_id
    row.last_used_at = clock.now()
    db.session.flush()
    return row


def unsubscribe_push(
    user: User, *, endpoint: str | None = None, subscription_id: int | None = None
) -> int:
    """Forget one of the person's own devices (by endpoint from the phone, or by id)."""
    stmt = sa.delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        stmt = stmt.where(PushSubscription.endpoint == endpoint)
    elif subscription_id is not None:
        stmt = stmt.where(PushSubscription.id == subscription_id)
    else:
        return 0
    return rowcount(db.session.execute(stmt.execution_options(synchronize_session=False))) or 0


def devices_of(user: User) -> list[PushSubscription]:
    return list(
        db.session.scalars(
            sa.select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        )
    )
