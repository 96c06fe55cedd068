"""Minutes workflows: draft from the agenda, save with a version check, propose, approve, sign,
publish, correct. Services flush, never commit; the acting user is explicit."""

import logging
from datetime import time
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _

from tenantvoice import audit, clock
from tenantvoice.accounts.models import User
from tenantvoice.assembly.attendance import members_ever_present
from tenantvoice.assembly.models import Resolution, ResolutionOutcome
from tenantvoice.assembly.resolutions import resolution_sentence
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingStatus
from tenantvoice.meetings.services import quorum_required
from tenantvoice.minutes import search
from tenantvoice.minutes.markdown import render
from tenantvoice.minutes.models import (
    MAX_TEXT,
    Minutes,
    MinutesSection,
    MinutesState,
    MinutesStateError,
    MinutesVersion,
)
from tenantvoice.models import rowcount
from tenantvoice.notifications.services import notify
from tenantvoice.orgs.models import Member, MemberRole
from tenantvoice.web.i18n import clock_time

logger = logging.getLogger(__name__)

CARRIED = (
    ResolutionOutcome.CARRIED_UNANIMOUSLY,
    ResolutionOutcome.CARRIED_MAJORITY,
    ResolutionOutcome.CARRIED_ON_DIVISION,
)
MAX_NOTE = 500


class MinutesInvalidError(Exception):
    """Input breaks a rule; `errors` maps form field → translated message (views answer 422)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class MinutesConflictError(Exception):
    """Someone saved the minutes since the version the editor started from (views answer 409)."""


# --- reading ------------------------------------------------------------------------------------


#: Built once (every meeting page asks whether it has minutes).
_MINUTES_OF = sa.select(Minutes).where(Minutes.meeting_id == sa.bindparam("meeting_id"))


def minutes_of(meeting: Meeting) -> Minutes | None:
    return db.session.scalar(_MINUTES_OF, {"meeting_id": meeting.id})


def _resolution_block(resolution: Resolution) -> str:
    title = _("Resolution %(number)s", number=resolution.number)
    return f"> **{title}**\n>\n> {resolution_sentence(resolution)}"


def _opening_text(meeting: Meeting) -> str:
    place = ", ".join(p for p in (meeting.place, meeting.address) if p) or _("(place not given)")
    parts = [
        _(
            "The meeting was held on %(date)s at %(time)s, at %(place)s.",
            date=format_date(meeting.opened_at or meeting.starts_at, "full"),
            time=format_time(meeting.opened_at or meeting.starts_at, "short"),
            place=place,
        )
    ]
    present = members_ever_present(meeting)
    if present:
        names = ", ".join(m.shown_name for m in present)
        parts.append(
            ngettext(
                "%(num)d member present: %(names)s.",
                "%(num)d members present: %(names)s.",
                len(present),
                names=names,
            )
        )
    else:
        parts.append(_("No member was recorded as present."))
    if meeting.guests_count:
        parts.append(ngettext("%(num)d guest.", "%(num)d guests.", meeting.guests_count))
    required = quorum_required(meeting.body, meeting)
    if len(present) >= required:
        parts.append(
            _(
                "Quorum: %(required)d members required, %(present)d present. Quorum was reached.",
                required=required,
                present=len(present),
            )
        )
    else:
        parts.append(
            _(
                "Quorum: %(required)d members required, %(present)d present. Quorum was "
                "not reached.",
                required=required,
                present=len(present),
            )
        )
    return "\n\n".join(parts)


def compose_markdown(minutes: Minutes, *, in_camera: bool = False) -> str:
    """The minutes as one Markdown document; in-camera sections only when asked (officers)."""
    meeting = minutes.meeting
    lines = [f"## {meeting.title}"]
    for section in minutes.sections:
        if section.in_camera and not in_camera:
            continue
        lines.append(f"### {section.title}")
        if section.body_markdown.strip():
            lines.append(section.body_markdown.strip())
    if minutes.adjourned_at is not None:
        lines.append(
            _("The meeting was adjourned at %(time)s.", time=clock_time(minutes.adjourned_at))
        )
    return "\n\n".join(lines) + "\n"


def has_begun(meeting: Meeting) -> bool:
    """The meeting has started (or was opened early): its minutes may be drafted."""
    return meeting.opened_at is not None or meeting.starts_at <= clock.now()


def has_ended(meeting: Meeting) -> bool:
    """The meeting is over (adjourned, or past its end): its minutes may be proposed."""
    return meeting.adjourned_at is not None or meeting.ends_at <= clock.now()


def _transition(minutes: Minutes, *conditions: Any, **values: Any) -> bool:
    """Change the minutes' row only if `conditions` still hold when the write happens.

    One conditional UPDATE: of several officers acting at once (a double tap, two phones), one
    wins and the others find the conditions false (PostgreSQL re-checks them once the winner
    commits; SQLite writes one at a time). Returns whether this request won; the object is
    refreshed either way.
    """
    result = db.session.execute(
        sa.update(Minutes)
        .where(Minutes.id == minutes.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(minutes)
    return rowcount(result) == 1


def closes_the_record(meeting: Meeting, **_kwargs: Any) -> str | None:
    """Receiver of assembly's `record_closing`: once the minutes are proposed for approval, the
    meeting's attendance and resolutions are what they record (PV2: later corrections go
    through the approval, with the consent of the mover and the seconder)."""
    minutes = minutes_of(meeting)
    if minutes is None or minutes.state == MinutesState.DRAFT:
        return None
    return _(
        "The minutes of this meeting were proposed for approval: its record is closed. A "
        "correction is now made when the minutes are approved."
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The next meeting of the same body (not cancelled): where these minutes are approved."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.body_id == meeting.body_id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )


def approval_choices(minutes: Minutes) -> list[Resolution]:
    """Carried resolutions of later meetings of the same body (the one that adopts the minutes)."""
    return list(
        db.session.scalars(
            sa.select(Resolution)
            .join(Meeting, Meeting.id == Resolution.meeting_id)
            .where(
                Meeting.body_id == minutes.body_id,
                Meeting.starts_at > minutes.meeting.starts_at,
                Resolution.outcome.in_(CARRIED),
            )
            .order_by(Meeting.starts_at, Resolution.seq)
        )
    )


# --- writing ------------------------------------------------------------------------------------


def create_draft(actor: User, meeting: Meeting) -> Minutes:
    """Start the minutes from the agenda: opening (date, place, attendance, quorum), one section
    per item with its resolutions in the Québec wording, and the adjournment time."""
    # Officers drafting at once: one after the other (PostgreSQL row lock; on SQLite the
    # request's first write, its form key, already took the database's write lock), so the
    # second finds the first one's minutes instead of breaking the UNIQUE meeting.
    db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    existing = minutes_of(meeting)
    if existing is not None:
        return existing
    if not has_begun(meeting):
        raise MinutesStateError(
            _("The minutes are drafted once the meeting has begun: it has not happened yet.")
        )
    minutes = Minutes(
        meeting=meeting, body_id=meeting.body_id, created_by_id=actor.id, updated_by_id=actor.id
    )
    if meeting.adjourned_at is not None:
        local = meeting.adjourned_at.astimezone(clock.MONTREAL)
        minutes.adjourned_at = time(local.hour, local.minute)
    minutes.sections.append(
        MinutesSection(
            position=0,
            title=_("Opening, attendance and quorum"),
            body_markdown=_opening_text(meeting),
        )
    )
    resolutions = list(
        db.session.scalars(
            sa.select(Resolution)
            .where(Resolution.meeting_id == meeting.id, Resolution.outcome.is_not(None))
            .order_by(Resolution.seq)
        )
    )
    for position, item in enumerate(meeting.agenda_items, start=1):
        blocks = [_resolution_block(r) for r in resolutions if r.agenda_item_id == item.id]
        minutes.sections.append(
            MinutesSection(
                position=position,
                agenda_item_id=item.id,
                title=item.title[:200],
                in_camera=item.in_camera,
                body_markdown="\n\n".join(blocks),
            )
        )
    item_ids = {item.id for item in meeting.agenda_items}
    loose = [_resolution_block(r) for r in resolutions if r.agenda_item_id not in item_ids]
    if loose:
        minutes.sections.append(
            MinutesSection(
                position=len(meeting.agenda_items) + 1,
                title=_("Other resolutions"),
                body_markdown="\n\n".join(loose),
            )
        )
    db.session.add(minutes)
    db.session.flush()
    audit.record("minutes.draft", actor=actor, body_id=minutes.body_id, obj=minutes)
    return minutes


def check_lengths(minutes: Minutes, texts: dict[int, str]) -> None:
    """Refuse (nothing saved) a draft longer than MAX_TEXT characters in all."""
    total = sum(len(texts.get(s.id, s.body_markdown)) for s in minutes.sections)
    if total > MAX_TEXT:
        raise MinutesInvalidError(
            {
                "text": _(
                    "The minutes are too long: %(count)d characters, at most %(max)d.",
                    count=total,
                    max=MAX_TEXT,
                )
            }
        )


def save(
    actor: User,
    minutes: Minutes,
    *,
    expected_version: int,
    texts: dict[int, str],
    adjourned_at: time | None,
) -> Minutes:
    """Store the editor's text if nobody saved since `expected_version` (else MinutesConflictError).

    The version check is one conditional UPDATE, so two officers saving at once cannot both win.
    """
    minutes.check_editable()
    check_lengths(minutes, texts)
    result = db.session.execute(
        sa.update(Minutes)
        .where(Minutes.id == minutes.id, Minutes.version == expected_version)
        .values(version=expected_version + 1, updated_by_id=actor.id, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        db.session.refresh(minutes)
        raise MinutesConflictError(minutes)
    db.session.refresh(minutes, ["version", "updated_by_id", "updated_at"])
    for section in minutes.sections:
        if section.id in texts:
            section.body_markdown = texts[section.id]
    minutes.adjourned_at = adjourned_at
    db.session.flush()
    return minutes


def propose(actor: User, minutes: Minutes) -> Minutes:
    """Send the draft to the members convened to the next meeting of the body."""
    if minutes.state != MinutesState.DRAFT:
        raise MinutesStateError(_("Only draft minutes can be proposed for approval."))
    if not has_ended(minutes.meeting):
        raise MinutesStateError(
            _("The minutes are proposed once the meeting is over: it has not ended yet.")
        )
    approving = next_meeting(minutes.meeting)
    if approving is None:
        raise MinutesStateError(
            _("Schedule the next meeting of the body first: the minutes are approved there.")
        )
    if not _transition(
        minutes,
        Minutes.state == MinutesState.DRAFT,
        state=MinutesState.PROPOSED,
        approving_meeting_id=approving.id,
        proposed_at=clock.now(),
    ):
        raise MinutesStateError(_("These minutes were already proposed for approval."))
    notify("minutes.proposed", minutes, actor=actor)
    audit.record("minutes.propose", actor=actor, body_id=minutes.body_id, obj=minutes)
    return minutes


def approve(actor: User, minutes: Minutes, resolution_id: int | None) -> Minutes:
    """Link the resolution of a later meeting that adopted the minutes. Only members present at
    the recorded meeting vote on their approval: its mover and seconder must have been there."""
    if minutes.state != MinutesState.PROPOSED:
        raise MinutesStateError(_("Only minutes proposed for approval can be approved."))
    resolution = db.session.get(Resolution, resolution_id) if resolution_id else None
    if resolution is None or resolution.id not in {r.id for r in approval_choices(minutes)}:
        raise MinutesInvalidError(
            {"resolution_id": _("Choose a carried resolution of a later meeting of this body.")}
        )
    present = {m.id for m in members_ever_present(minutes.meeting)}
    if resolution.moved_by_id not in present or resolution.seconded_by_id not in present:
        raise MinutesInvalidError(
            {
                "resolution_id": _(
                    "Only members present at the meeting these minutes record may move and second "
                    "their approval."
                )
            }
        )
    if not _transition(
        minutes,
        Minutes.state == MinutesState.PROPOSED,
        state=MinutesState.APPROVED,
        approved_by_resolution_id=resolution.id,
        # The day the meeting adopted them, not the day an officer typed it in (issue 9).
        approved_at=resolution.meeting.starts_at,
    ):
        raise MinutesStateError(_("Only minutes proposed for approval can be approved."))
    notify("minutes.to_sign", minutes, actor=actor)
    audit.record(
        "minutes.approve",
        actor=actor,
        body_id=minutes.body_id,
        obj=minutes,
        detail=resolution.number,
    )
    return minutes


def sign(actor: User, minutes: Minutes, member: Member) -> Minutes:
    """Sign as the president or the secretary (`member` is the actor's own register entry)."""
    if member.user_id != actor.id or member.body_id != minutes.body_id:
        raise MinutesStateError(_("Sign from your own account."))
    if member.role not in (MemberRole.PRESIDENT, MemberRole.SECRETARY):
        raise MinutesStateError(_("Only the president and the secretary sign the minutes."))
    as_president = member.role == MemberRole.PRESIDENT
    minutes.check_signable(as_president)  # the plain refusals, before writing anything
    signed_at, signed_by = (
        (Minutes.president_signed_at, "president_signed_by_id")
        if as_president
        else (Minutes.secretary_signed_at, "secretary_signed_by_id")
    )
    if not _transition(
        minutes,
        Minutes.state == MinutesState.APPROVED,
        signed_at.is_(None),
        **{signed_by: actor.id, signed_at.key: clock.now()},
    ):
        minutes.check_signable(as_president)  # someone signed meanwhile: say who
        raise MinutesStateError(_("These minutes changed meanwhile: reload the page."))
    # The second signature freezes them; of two signers at once, whoever commits last sees both.
    _transition(
        minutes,
        Minutes.state == MinutesState.APPROVED,
        Minutes.president_signed_at.is_not(None),
        Minutes.secretary_signed_at.is_not(None),
        state=MinutesState.SIGNED,
    )
    audit.record(
        "minutes.sign", actor=actor, body_id=minutes.body_id, obj=minutes, detail=str(member.role)
    )
    return minutes


def _add_version(actor: User, minutes: Minutes, text: str, note: str) -> MinutesVersion:
    latest = minutes.latest_version
    number = latest.number + 1 if latest is not None else 1
    version = MinutesVersion(
        number=number,
        text_markdown=text,
        rendered_html=str(render(text)),
        author_id=actor.id,
        change_note=note,
        created_at=clock.now(),
    )
    minutes.versions.append(version)
    db.session.flush()
    search.index_minutes(minutes, text)
    return version


def publish(actor: User, minutes: Minutes) -> MinutesVersion:
    """Publish signed minutes: version 1 is the public text (no in-camera section)."""
    minutes.check_publishable()
    if not _transition(
        minutes,
        Minutes.state == MinutesState.SIGNED,
        state=MinutesState.PUBLISHED,
        published_at=clock.now(),
    ):
        raise MinutesStateError(_("These minutes are already published."))
    version = _add_version(actor, minutes, compose_markdown(minutes), "")
    notify("minutes.published", minutes, actor=actor)
    audit.record("minutes.publish", actor=actor, body_id=minutes.body_id, obj=minutes)
    return version


def correct(actor: User, minutes: Minutes, text: str, note: str) -> MinutesVersion:
    """Correct published minutes: a new version N+1; earlier versions stay readable."""
    # Corrections at once: one after the other (PostgreSQL row lock; on SQLite the form key
    # already took the write lock), each numbering after the last one committed.
    db.session.execute(sa.select(Minutes.id).where(Minutes.id == minutes.id).with_for_update())
    db.session.refresh(minutes)
    minutes.check_correctable()
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the corrected text.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _(
            "The minutes are too long: %(count)d characters, at most %(max)d.",
            count=len(text),
            max=MAX_TEXT,
        )
    if not note.strip():
        errors["change_note"] = _("Say what the correction changes.")
    elif len(note) > MAX_NOTE:
        errors["change_note"] = _("At most %(max)d characters.", max=MAX_NOTE)
    if errors:
        raise MinutesInvalidError(errors)
    version = _add_version(actor, minutes, text, note.strip())
    audit.record(
        "minutes.correct",
        actor=actor,
        body_id=minutes.body_id,
        obj=minutes,
        detail=str(version.number),
    )
    return version
