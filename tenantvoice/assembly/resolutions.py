"""Resolutions: motions moved and seconded at a meeting, their outcome, their number and the
Québec wording the minutes use (« Il est proposé par …, appuyé par …, que … — Adoptée … »).

Procedure (domain-rules M3, M4, M6; Code Morin): a motion is moved and seconded by two different
members present; an amendment is dealt with before the motion it amends; the chair votes only to
break a tie (casting vote). Numbers are YYYY-MM-RR: the meeting's year (America/Montreal), the
meeting's rank in the year, the resolution's rank in the meeting.
"""

import logging
import re
from types import SimpleNamespace
from typing import cast

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from tenantvoice import audit, clock
from tenantvoice.assembly import attendance
from tenantvoice.assembly.attendance import members_present_now
from tenantvoice.assembly.models import (
    Resolution,
    ResolutionAmendment,
    ResolutionCorrection,
    ResolutionOutcome,
)
from tenantvoice.assembly.signals import record_closed
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, Meeting, MeetingStateError, MeetingStatus
from tenantvoice.orgs.models import Franchise, QuorumBase

logger = logging.getLogger(__name__)

MAX_TEXT = 5000
MAX_REASON = 500
MAX_VOTES = 100_000

#: Outcome labels for choice lists (the sentence itself uses whole msgids, below).
OUTCOME = {
    ResolutionOutcome.CARRIED_UNANIMOUSLY: _l("Carried unanimously"),
    ResolutionOutcome.CARRIED_MAJORITY: _l("Carried by majority (give the counts)"),
    ResolutionOutcome.CARRIED_ON_DIVISION: _l("Carried on division (no counts)"),
    ResolutionOutcome.DEFEATED: _l("Defeated"),
    ResolutionOutcome.TABLED: _l("Tabled (postponed)"),
    ResolutionOutcome.NO_QUORUM: _l("No quorum — not adopted"),
}

#: Outcomes that take vote counts (required for a majority, optional for a defeat).
_COUNTED = (ResolutionOutcome.CARRIED_MAJORITY, ResolutionOutcome.DEFEATED)


class ResolutionInvalidError(Exception):
    """The motion breaks a procedure rule; `errors` maps form field → translated message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class ResolutionStateError(MeetingStateError):
    """The meeting or the motion does not allow this now (views answer 409)."""


# --- numbering ----------------------------------------------------------------------------------


def resolution_number(meeting: Meeting, seq: int) -> str:
    """YYYY-MM-RR: year of the meeting (Montréal time), meeting rank, resolution rank."""
    if meeting.year_number is None:
        raise ResolutionStateError(
            _("This meeting has no number yet: publish it before recording resolutions.")
        )
    year = meeting.starts_at.astimezone(clock.MONTREAL).year
    return f"{year:04d}-{meeting.year_number:02d}-{seq:02d}"


def _next_seq(meeting: Meeting) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.max(Resolution.seq)).where(Resolution.meeting_id == meeting.id)
        )
        or 0
    ) + 1


# --- reading ------------------------------------------------------------------------------------


def resolutions_of(meeting: Meeting) -> list[Resolution]:
    """The meeting's resolutions in order, with movers, seconders and amended motions loaded."""
    return list(
        db.session.scalars(
            sa.select(Resolution)
            .where(Resolution.meeting_id == meeting.id)
            .options(
                so.selectinload(Resolution.moved_by),
                so.selectinload(Resolution.seconded_by),
                so.selectinload(Resolution.amends),
                so.selectinload(Resolution.agenda_item),
            )
            .order_by(Resolution.seq)
        )
    )


def pending_motions(meeting: Meeting) -> list[Resolution]:
    """Motions still under debate (no outcome yet): what an amendment may amend."""
    return [r for r in resolutions_of(meeting) if r.outcome is None]


def open_amendments(resolution: Resolution) -> list[Resolution]:
    return list(
        db.session.scalars(
            sa.select(Resolution)
            .join(ResolutionAmendment, ResolutionAmendment.resolution_id == Resolution.id)
            .where(ResolutionAmendment.amends_id == resolution.id, Resolution.outcome.is_(None))
        )
    )


# --- validation ---------------------------------------------------------------------------------


def _check_outcome(
    outcome, votes_for, votes_against, abstentions, casting_vote, errors: dict[str, str]
) -> None:
    counts = (votes_for, votes_against, abstentions)
    given = [c is not None for c in counts]
    if any(c is not None and (c < 0 or c > MAX_VOTES) for c in counts):
        errors["votes_for"] = _("Vote counts must be between 0 and %(max)d.", max=MAX_VOTES)
        return
    if outcome is None or outcome not in _COUNTED:
        if any(given):
            errors["votes_for"] = _("Leave the counts empty for this outcome.")
        if casting_vote:
            errors["casting_vote"] = _(
                "The chair's casting vote only applies to a counted vote that ended in a tie."
            )
        return
    if outcome == ResolutionOutcome.CARRIED_MAJORITY and not all(given):
        errors["votes_for"] = _("Give the votes for, against and the abstentions.")
        return
    if any(given) and not all(given):
        errors["votes_for"] = _("Give all three counts (for, against, abstentions) or none.")
        return
    if not any(given):  # a defeat without counts
        if casting_vote:
            errors["casting_vote"] = _(
                "The chair's casting vote only applies to a counted vote that ended in a tie."
            )
        return
    tie = votes_for == votes_against
    if casting_vote and not tie:
        errors["casting_vote"] = _(
            "The chair votes only to break a tie: the votes for and against are not equal."
        )
        return
    if outcome == ResolutionOutcome.CARRIED_MAJORITY and not (
        votes_for > votes_against or (tie and casting_vote)
    ):
        errors["votes_for"] = _(
            "A motion carried by majority needs more votes for than against "
            "(on a tie, only the chair's casting vote carries it)."
        )
    if outcome == ResolutionOutcome.DEFEATED and votes_for > votes_against:
        errors["votes_for"] = _(
            "More votes for than against: the motion cannot be defeated with these counts."
        )


def voters_present(meeting: Meeting) -> int:
    """How many votes the people in the room can cast: adult members present, or the units
    they represent under a one-vote-per-unit franchise (guests never vote)."""
    base = QuorumBase.UNITS if meeting.body.franchise == Franchise.UNIT else QuorumBase.ADULTS
    return attendance.count_present(meeting, base, attendance.present_facts(meeting))


def _check_room(
    meeting: Meeting, outcome, votes_for, votes_against, abstentions, errors: dict[str, str]
) -> None:
    """What the room allows: no decision without quorum (only "no quorum — not adopted"), and
    no more votes than the voters present."""
    if outcome is None or outcome == ResolutionOutcome.NO_QUORUM:
        return
    state = attendance.quorum_state(meeting)
    if not state.reached:
        errors["outcome"] = _(
            "Quorum is not reached (%(present)d present, %(required)d required): nothing can "
            "be decided. Record this motion as “No quorum — not adopted”.",
            present=state.present,
            required=state.required,
        )
        return
    counts = [c for c in (votes_for, votes_against, abstentions) if c is not None]
    if "votes_for" in errors or not counts:
        return
    voters = voters_present(meeting)
    if sum(counts) > voters:
        errors["votes_for"] = _(
            "At most %(voters)d people present can vote: the votes for, against and the "
            "abstentions add up to %(total)d.",
            voters=voters,
            total=sum(counts),
        )


def _check_people(meeting: Meeting, moved_by_id, seconded_by_id, errors: dict[str, str]) -> None:
    present = {m.id for m in members_present_now(meeting)}
    if moved_by_id is None:
        errors["moved_by_id"] = _("Choose who moved the motion.")
    elif moved_by_id not in present:
        errors["moved_by_id"] = _("The mover must be a member present at this meeting.")
    if seconded_by_id is None:
        errors["seconded_by_id"] = _("Choose who seconded the motion.")
    elif seconded_by_id not in present:
        errors["seconded_by_id"] = _("The seconder must be a member present at this meeting.")
    elif moved_by_id is not None and moved_by_id == seconded_by_id:
        errors["seconded_by_id"] = _("The seconder must be a different person from the mover.")


def _ensure_numbered(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PUBLISHED:
        raise ResolutionStateError(
            _("Resolutions are recorded only for a published meeting that is not cancelled.")
        )
    closed = record_closed(meeting)
    if closed:
        raise ResolutionStateError(closed)
    if meeting.year_number is None:
        raise ResolutionStateError(
            _("This meeting has no number yet: publish it before recording resolutions.")
        )


# --- changes ------------------------------------------------------------------------------------


def record_resolution(
    actor,
    meeting: Meeting,
    *,
    text: str,
    moved_by_id: int | None,
    seconded_by_id: int | None,
    agenda_item_id: int | None = None,
    amends_id: int | None = None,
    outcome: ResolutionOutcome | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    casting_vote: bool = False,
) -> Resolution:
    """Record a motion (and its outcome, if already voted), numbered YYYY-MM-RR.

    Raises ResolutionStateError (409) when the meeting cannot take resolutions, and
    ResolutionInvalidError (422) with per-field messages when a procedure rule is broken.
    """
    _ensure_numbered(meeting)
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write the text of the motion.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("At most %(max)d characters.", max=MAX_TEXT)
    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != meeting.id:
            errors["agenda_item_id"] = _("Choose an item of this meeting's agenda.")
    amended = None
    if amends_id is not None:
        amended = db.session.get(Resolution, amends_id)
        if amended is None or amended.meeting_id != meeting.id or amended.outcome is not None:
            errors["amends_id"] = _(
                "An amendment amends a motion of this meeting still under debate."
            )
    _check_people(meeting, moved_by_id, seconded_by_id, errors)
    _check_outcome(outcome, votes_for, votes_against, abstentions, casting_vote, errors)
    _check_room(meeting, outcome, votes_for, votes_against, abstentions, errors)
    if errors:
        raise ResolutionInvalidError(errors)
    if amended is not None and agenda_item_id is None:
        agenda_item_id = amended.agenda_item_id

    # Officers recording at once take their ranks one after the other (PostgreSQL row lock;
    # SQLite writes one at a time already, and the UNIQUE (meeting, seq) stays the last guard).
    db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    for attempt in (1, 2):
        seq = _next_seq(meeting)
        resolution = Resolution(
            meeting_id=meeting.id,
            agenda_item_id=agenda_item_id,
            amends=amended,
            seq=seq,
            number=resolution_number(meeting, seq),
            text=text,
            moved_by_id=moved_by_id,
            seconded_by_id=seconded_by_id,
            outcome=outcome,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            casting_vote=casting_vote,
            entered_afterwards=attendance.is_afterwards(meeting),
        )
        try:
            with db.session.begin_nested():
                db.session.add(resolution)
                db.session.flush()
        except IntegrityError:
            # Another officer took this rank at the same moment: take the next one, once.
            if attempt == 2:
                raise
            logger.info("Resolution rank %s of %s taken concurrently; retrying", seq, meeting)
            continue
        break
    audit.record(
        "resolution.record",
        actor=actor,
        body_id=meeting.body_id,
        obj=resolution,
        detail=resolution.number,
    )
    logger.info("Resolution %s recorded at %s by %s", resolution.number, meeting, actor)
    return resolution


def decide_resolution(
    actor,
    resolution: Resolution,
    *,
    outcome: ResolutionOutcome,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    casting_vote: bool = False,
) -> Resolution:
    """Record the outcome of a motion under debate (its amendments must be decided first)."""
    if resolution.outcome is not None:
        raise ResolutionStateError(_("This motion already has an outcome."))
    closed = record_closed(resolution.meeting)
    if closed:
        raise ResolutionStateError(closed)
    if open_amendments(resolution):
        raise ResolutionStateError(
            _("Deal with the amendment first: an amendment of this motion has no outcome yet.")
        )
    errors: dict[str, str] = {}
    if outcome is None:
        errors["outcome"] = _("Choose the outcome.")
    _check_outcome(outcome, votes_for, votes_against, abstentions, casting_vote, errors)
    _check_room(resolution.meeting, outcome, votes_for, votes_against, abstentions, errors)
    if errors:
        raise ResolutionInvalidError(errors)
    # One conditional UPDATE: of two officers recording the outcome at once, one wins.
    won = db.session.execute(
        sa.update(Resolution)
        .where(Resolution.id == resolution.id, Resolution.outcome.is_(None))
        .values(
            outcome=outcome,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            casting_vote=casting_vote,
        )
        .returning(Resolution.id)
        .execution_options(synchronize_session=False)
    ).first()
    db.session.refresh(resolution)
    if won is None:
        raise ResolutionStateError(_("This motion already has an outcome."))
    audit.record(
        "resolution.decide",
        actor=actor,
        body_id=resolution.meeting.body_id,
        obj=resolution,
        detail=f"{resolution.number} {outcome.value}",
    )
    return resolution


def corrections_of(meetings_resolutions: list[Resolution]) -> dict[int, list[ResolutionCorrection]]:
    """The corrections of these resolutions, oldest first, by resolution id (one query)."""
    ids = [r.id for r in meetings_resolutions]
    found: dict[int, list[ResolutionCorrection]] = {}
    if not ids:
        return found
    for c in db.session.scalars(
        sa.select(ResolutionCorrection)
        .where(ResolutionCorrection.resolution_id.in_(ids))
        .options(
            so.selectinload(ResolutionCorrection.corrected_by),
            so.selectinload(ResolutionCorrection.old_moved_by),
            so.selectinload(ResolutionCorrection.old_seconded_by),
        )
        .order_by(ResolutionCorrection.corrected_at, ResolutionCorrection.id)
    ):
        found.setdefault(c.resolution_id, []).append(c)
    return found


def correction_problem(resolution: Resolution) -> str | None:
    """Why this resolution cannot be corrected now (translated), or None."""
    if resolution.outcome is None:
        return _("This motion is still under debate: record its outcome instead.")
    return record_closed(resolution.meeting)


def correct_resolution(
    actor,
    resolution: Resolution,
    *,
    reason: str,
    text: str,
    moved_by_id: int | None,
    seconded_by_id: int | None,
    outcome: ResolutionOutcome | None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    casting_vote: bool = False,
) -> ResolutionCorrection:
    """Correct a recorded resolution: never a silent edit. The correction keeps who, when, why
    and what the resolution said before; the same procedure rules as recording apply.

    Raises ResolutionStateError (409) once the minutes were proposed (the record is closed), and
    ResolutionInvalidError (422) with per-field messages.
    """
    problem = correction_problem(resolution)
    if problem:
        raise ResolutionStateError(problem)
    meeting = resolution.meeting
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the resolution is corrected.")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("At most %(max)d characters.", max=MAX_REASON)
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write the text of the motion.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("At most %(max)d characters.", max=MAX_TEXT)
    if outcome is None:
        errors["outcome"] = _("Choose the outcome.")
    _check_people(meeting, moved_by_id, seconded_by_id, errors)
    _check_outcome(outcome, votes_for, votes_against, abstentions, casting_vote, errors)
    _check_room(meeting, outcome, votes_for, votes_against, abstentions, errors)
    if errors:
        raise ResolutionInvalidError(errors)
    # Two officers correcting at once: one after the other (PostgreSQL row lock).
    db.session.execute(
        sa.select(Resolution.id).where(Resolution.id == resolution.id).with_for_update()
    )
    db.session.refresh(resolution)
    correction = ResolutionCorrection(
        resolution_id=resolution.id,
        corrected_by_id=actor.id,
        corrected_at=clock.now(),
        reason=reason,
        old_text=resolution.text,
        old_moved_by_id=resolution.moved_by_id,
        old_seconded_by_id=resolution.seconded_by_id,
        old_outcome=resolution.outcome,
        old_votes_for=resolution.votes_for,
        old_votes_against=resolution.votes_against,
        old_abstentions=resolution.abstentions,
        old_casting_vote=resolution.casting_vote,
    )
    db.session.add(correction)
    resolution.text = text
    resolution.moved_by_id = moved_by_id
    resolution.seconded_by_id = seconded_by_id
    resolution.outcome = outcome
    resolution.votes_for = votes_for
    resolution.votes_against = votes_against
    resolution.abstentions = abstentions
    resolution.casting_vote = casting_vote
    db.session.flush()
    db.session.refresh(resolution)
    audit.record(
        "resolution.correct",
        actor=actor,
        body_id=meeting.body_id,
        obj=resolution,
        detail=resolution.number,
    )
    return correction


# --- wording ------------------------------------------------------------------------------------

_LEADING_THAT = re.compile(r"^(?:that|que|qu['’])\s*", re.IGNORECASE)
#: French elides « que » before a vowel: « qu'une lettre », « qu'il ».
_FR_ELISION = re.compile(r"\bque (?=[aeiouyàâäéèêëîïôöùûü])", re.IGNORECASE)


def _counts(r: Resolution) -> dict:
    return {
        "for": r.votes_for or 0,
        "against": r.votes_against or 0,
        "abstentions": r.abstentions or 0,
    }


def outcome_sentence(r: Resolution) -> str:
    """The outcome as one whole translated sentence."""
    counted = r.votes_for is not None and r.votes_against is not None
    match r.outcome:
        case None:
            return _("Under debate.")
        case ResolutionOutcome.CARRIED_UNANIMOUSLY:
            return _("Carried unanimously.")
        case ResolutionOutcome.CARRIED_ON_DIVISION:
            return _("Carried on division.")
        case ResolutionOutcome.TABLED:
            return _("Tabled.")
        case ResolutionOutcome.NO_QUORUM:
            return _("No quorum — not adopted.")
        case ResolutionOutcome.CARRIED_MAJORITY if r.casting_vote:
            return _(
                "Carried by majority on the chair's casting vote (for: %(for)d, against: "
                "%(against)d, abstentions: %(abstentions)d).",
                **_counts(r),
            )
        case ResolutionOutcome.CARRIED_MAJORITY:
            return _(
                "Carried by majority (for: %(for)d, against: %(against)d, abstentions: "
                "%(abstentions)d).",
                **_counts(r),
            )
        case ResolutionOutcome.DEFEATED if counted and r.casting_vote:
            return _(
                "Defeated on the chair's casting vote (for: %(for)d, against: %(against)d, "
                "abstentions: %(abstentions)d).",
                **_counts(r),
            )
        case ResolutionOutcome.DEFEATED if counted:
            return _(
                "Defeated (for: %(for)d, against: %(against)d, abstentions: %(abstentions)d).",
                **_counts(r),
            )
        case _:
            return _("Defeated.")


def previous_sentence(correction: ResolutionCorrection) -> str:
    """What the resolution said before `correction`, in the minutes' wording."""
    before = SimpleNamespace(
        text=correction.old_text,
        moved_by=correction.old_moved_by,
        seconded_by=correction.old_seconded_by,
        amends=correction.resolution.amends,
        outcome=correction.old_outcome,
        votes_for=correction.old_votes_for,
        votes_against=correction.old_votes_against,
        abstentions=correction.old_abstentions,
        casting_vote=correction.old_casting_vote,
    )
    return resolution_sentence(cast(Resolution, before))


def resolution_sentence(resolution: Resolution) -> str:
    """The minutes' wording of a resolution in the current locale, e.g. « Il est proposé par
    Jean Gagnon, appuyé par Lucie Tremblay, que l'association demande … — Adoptée à
    l'unanimité. » / "Moved by Jean Gagnon, seconded by Lucie Tremblay, that the association
    asks … — Carried unanimously."
    """
    r = resolution
    nobody = _("(not recorded)")
    mover = r.moved_by.shown_name if r.moved_by else nobody
    seconder = r.seconded_by.shown_name if r.seconded_by else nobody
    text = _LEADING_THAT.sub("", r.text.strip()).rstrip(" .")
    if r.amends is not None:
        motion = _(
            "Moved by %(mover)s, seconded by %(seconder)s, to amend motion %(number)s as "
            "follows: %(text)s",
            mover=mover,
            seconder=seconder,
            number=r.amends.number,
            text=text,
        )
    else:
        motion = _(
            "Moved by %(mover)s, seconded by %(seconder)s, that %(text)s",
            mover=mover,
            seconder=seconder,
            text=text,
        )
        locale = get_locale()
        if locale is not None and locale.language == "fr":
            motion = _FR_ELISION.sub("qu'", motion, count=1)
    return _("%(motion)s — %(outcome)s", motion=motion, outcome=outcome_sentence(r))
