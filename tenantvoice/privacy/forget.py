"""Leave and be forgotten (Law 25 s. 28 and 23, issue 15): a person deletes their own account.

What is the person's alone goes: the account row and everything hanging from it (sessions,
devices, push subscriptions, reset links and codes, two-factor secrets and recovery codes,
notifications and their settings, calendar token, RSVPs, agenda proposals, tenancies, staff
roles, pending deliveries). What belongs to the association's record stays, without the person:

- **Adopted minutes** keep the names as written: their text (sections and published versions)
  is a snapshot made when the draft was composed, never a live read of a name. Draft and
  proposed minutes (not adopted yet) have the name replaced by "Former member".
- **Register entries** stay (attendance, resolutions moved or seconded, seats and designations
  point at them) but lose the name, phone, unit, building, consents and the link to the account;
  officers see "Former member" (`Member.shown_name`). Their membership ended yesterday:
  from today they are counted nowhere (quorum, electorates, notices).
- **Needs** raised stay without author (anonymous); "me too" supports are deleted but the need's
  count stays as it was (unlinked). Comments on needs, consultations and recommendations stay
  unsigned.
- **Votes**: secret ballots hold no name already. The voter roll of a question (who voted, needed
  so the result's turnout stays checkable) keeps a line under a random key that no longer leads to
  the person; the electorate line loses name, building and unit. A roll-call (named vote) in
  adopted minutes keeps its text, as written.
- **Traces** where the person acted for the association (audit events, meetings published,
  minutes signed, resolutions corrected…) keep the act and lose the actor (NULL).

`forget` runs in the caller's transaction (flush only; the view commits once) and is idempotent:
a second call finds nothing left. `DECISIONS` names, for every foreign key to `users`, what
happens to its rows; tests/privacy/test_forget.py fails when a new one has no decision.
"""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tenantvoice import audit, clock
from tenantvoice.accounts.models import ConsentRecord, User
from tenantvoice.assembly.models import Attendance, Resolution, ResolutionCorrection
from tenantvoice.audit import AuditEvent
from tenantvoice.ballots.models import Elector, NamedVote, RollEntry
from tenantvoice.consultations.models import ConsultationComment
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem
from tenantvoice.minutes.models import Minutes, MinutesSection, MinutesState
from tenantvoice.needs.models import Need, NeedSupport
from tenantvoice.orgs.models import Invitation, Member

DELETE = "delete"  #: the person's own rows: deleted
UNLINK = "unlink"  #: the association's record: kept, the column set to NULL
SPECIAL = "special"  #: handled by a step of its own below (anonymized, see the docstring)

#: (table, column) of every foreign key to users.id → what forgetting does with it.
DECISIONS: dict[tuple[str, str], str] = {
    ("agenda_proposals", "decided_by_id"): UNLINK,
    ("agenda_proposals", "proposed_by_id"): DELETE,
    ("attendances", "recorded_by_id"): UNLINK,
    ("audit_events", "actor_id"): UNLINK,
    ("consent_log", "user_id"): DELETE,
    ("consent_log", "recorded_by_id"): UNLINK,  # the person's log keeps that it was on paper
    ("data_exports", "user_id"): DELETE,
    ("logbook_interventions", "worker_id"): UNLINK,  # the region's figures keep them (no names)
    ("logbook_referrals", "worker_id"): UNLINK,
    ("ballot_electors", "user_id"): SPECIAL,
    ("ballot_questions", "closed_early_by_id"): UNLINK,
    ("ballot_questions", "created_by_id"): UNLINK,
    ("ballot_questions", "paper_entered_by_id"): UNLINK,
    ("calendar_tokens", "user_id"): DELETE,
    ("consultation_comments", "author_id"): SPECIAL,
    ("consultations", "answered_by_id"): UNLINK,
    ("consultations", "submitted_by_id"): UNLINK,
    ("form_submissions", "user_id"): DELETE,
    ("invitations", "created_by_id"): UNLINK,
    ("invitations", "invitee_id"): DELETE,
    ("invitations", "used_by_id"): SPECIAL,
    ("meeting_changes", "by_id"): UNLINK,
    ("meetings", "created_by_id"): UNLINK,
    ("meetings", "published_by_id"): UNLINK,
    ("members", "user_id"): SPECIAL,
    ("minutes", "created_by_id"): UNLINK,
    ("minutes", "president_signed_by_id"): UNLINK,
    ("minutes", "secretary_signed_by_id"): UNLINK,
    ("minutes", "updated_by_id"): UNLINK,
    ("minutes_versions", "author_id"): UNLINK,
    ("need_comments", "author_id"): UNLINK,
    ("need_events", "actor_id"): UNLINK,
    ("need_supports", "user_id"): DELETE,
    ("needs", "author_id"): SPECIAL,
    ("notification_digest_items", "user_id"): DELETE,
    ("notification_preferences", "user_id"): DELETE,
    ("notification_settings", "user_id"): DELETE,
    ("notifications", "user_id"): DELETE,
    ("outbox_deliveries", "user_id"): DELETE,
    ("password_reset_tokens", "user_id"): DELETE,
    ("poll_drafts", "created_by_id"): UNLINK,
    ("privacy_alerts", "user_id"): UNLINK,
    ("privacy_incidents", "created_by_id"): UNLINK,
    ("privacy_incidents", "updated_by_id"): UNLINK,
    ("privacy_small_cell_views", "user_id"): DELETE,
    ("push_subscriptions", "user_id"): DELETE,
    ("recommendation_amendments", "author_id"): UNLINK,
    ("recommendation_amendments", "decided_by_id"): UNLINK,
    ("recommendation_attachments", "uploaded_by_id"): UNLINK,
    ("recommendation_comments", "author_id"): UNLINK,
    ("recommendation_events", "actor_id"): UNLINK,
    ("recommendation_versions", "created_by_id"): UNLINK,
    ("recommendations", "answered_by_id"): UNLINK,
    ("recommendations", "author_id"): UNLINK,
    ("recovery_codes", "user_id"): DELETE,
    ("reset_codes", "issued_by_id"): UNLINK,
    ("reset_codes", "user_id"): DELETE,
    ("resolution_corrections", "corrected_by_id"): UNLINK,
    ("rsvps", "user_id"): DELETE,
    ("seat_designations", "linked_by_id"): UNLINK,
    ("staff_assignments", "user_id"): DELETE,
    ("tenancies", "user_id"): DELETE,
    ("user_sessions", "user_id"): DELETE,
}

#: Minutes not adopted yet: the name is replaced in their text.
NOT_ADOPTED = (MinutesState.DRAFT, MinutesState.PROPOSED)


class UndecidedColumnError(RuntimeError):
    """A foreign key to users.id with no entry in DECISIONS: decide before shipping it."""


def user_foreign_keys() -> list[tuple[sa.Table, sa.Column]]:
    """Every (table, column) of the metadata that points at users.id."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def former_member_label() -> str:
    """ "Former member" in the installation's language (written into records, not shown live)."""
    with force_locale("fr_CA"):
        return _("Former member")


def forget(user: User) -> bool:
    """Delete the person's account and anonymize what the association keeps. Returns False when
    there was nothing left to forget (a second call). Flushes; the caller commits."""
    uid = user.id
    if db.session.get(User, uid) is None:
        return False
    now = clock.now()
    today = now.astimezone(clock.MONTREAL).date()
    yesterday = today - timedelta(days=1)
    names = {user.name.strip()} | set(
        db.session.scalars(sa.select(Member.name).where(Member.user_id == uid))
    )
    names = {n for n in names if len(n) >= 3}
    member_ids = list(db.session.scalars(sa.select(Member.id).where(Member.user_id == uid)))

    _scrub_drafts(member_ids, names)
    # Consents recorded on paper for the person's entries and not yet theirs (consent_log's
    # member_id; the lines under their account go with it, DECISIONS).
    db.session.execute(
        sa.delete(ConsentRecord).where(
            ConsentRecord.member_id.in_(member_ids or [-1]), ConsentRecord.user_id.is_(None)
        )
    )
    _forget_ballots(uid, member_ids)
    _forget_needs(uid)
    db.session.execute(
        sa.update(ConsultationComment)
        .where(ConsultationComment.author_id == uid)
        .values(author_id=None, author_name="")
    )
    db.session.execute(
        sa.update(Invitation)
        .where(sa.or_(Invitation.used_by_id == uid, Invitation.member_id.in_(member_ids or [-1])))
        .values(used_by_id=None, label="", unit="", site_id=None)
    )
    if names:
        db.session.execute(
            sa.update(AgendaItem)
            .where(AgendaItem.presenter.in_(sorted(names)))
            .values(presenter="")
        )
    # Audit events about the account itself: the act stays, the account's id goes.
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == uid)
        .values(object_id=None, detail="")
    )
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.action == "reset_code.issue", AuditEvent.detail == f"user {uid}")
        .values(detail="")
    )
    db.session.execute(
        sa.update(Member)
        .where(Member.user_id == uid)
        .values(
            user_id=None,
            name="",
            phone="",
            unit="",
            site_id=None,
            consent_contact=False,
            consent_recorded_at=None,
            consent_share_with_organizer=False,
            consent_organizer_recorded_at=None,
            linked_at=None,
            search_key="",
            forgotten_at=now,
            # Not a member from today on: no longer counted in quorums, electorates, notices.
            until=sa.case(
                (sa.or_(Member.until.is_(None), Member.until >= today), yesterday),
                else_=Member.until,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    for table, column in user_foreign_keys():
        decision = DECISIONS.get((table.name, column.name))
        if decision is None:
            raise UndecidedColumnError(f"{table.name}.{column.name}")
        if decision == DELETE:
            db.session.execute(sa.delete(table).where(column == uid))
        elif decision == UNLINK:
            db.session.execute(sa.update(table).where(column == uid).values({column.name: None}))
    db.session.execute(sa.delete(User).where(User.id == uid))
    # No actor, no object id: the trail says an account was deleted, never whose.
    audit.record("account.forget")
    db.session.flush()
    db.session.expire_all()
    return True


def _scrub_drafts(member_ids: list[int], names: set[str]) -> None:
    """Replace the name in the text of minutes not adopted yet, of meetings the person's entries
    appear in (attendance, moved or seconded), and make open editors start again."""
    if not member_ids or not names:
        return
    involved = sa.union(
        sa.select(Attendance.meeting_id).where(Attendance.member_id.in_(member_ids)),
        sa.select(Resolution.meeting_id).where(
            sa.or_(
                Resolution.moved_by_id.in_(member_ids), Resolution.seconded_by_id.in_(member_ids)
            )
        ),
        sa.select(Resolution.meeting_id)
        .join(ResolutionCorrection, ResolutionCorrection.resolution_id == Resolution.id)
        .where(
            sa.or_(
                ResolutionCorrection.old_moved_by_id.in_(member_ids),
                ResolutionCorrection.old_seconded_by_id.in_(member_ids),
            )
        ),
    )
    label = former_member_label()
    drafts = db.session.scalars(
        sa.select(Minutes).where(Minutes.state.in_(NOT_ADOPTED), Minutes.meeting_id.in_(involved))
    ).all()
    for minutes in drafts:
        changed = False
        for section in db.session.scalars(
            sa.select(MinutesSection).where(MinutesSection.minutes_id == minutes.id)
        ):
            text = section.body_markdown
            for name in sorted(names, key=len, reverse=True):
                text = text.replace(name, label)
            if text != section.body_markdown:
                section.body_markdown = text
                changed = True
        if changed:
            minutes.version += 1


def _forget_ballots(uid: int, member_ids: list[int]) -> None:
    """The electorate line loses the person; the roll and a named vote keep a line under a random
    key (the turnout and the tally stay as counted), never the person's key."""
    old_key = f"u:{uid}"
    mine = sa.or_(Elector.user_id == uid, Elector.member_id.in_(member_ids or [-1]))
    for elector in db.session.scalars(sa.select(Elector).where(mine)).all():
        new_key = f"x:{secrets.token_hex(8)}"
        question_id = elector.question_id
        old_vote_key = elector.vote_key
        new_vote_key = new_key if old_vote_key == elector.person_key else old_vote_key
        if new_vote_key != old_vote_key:
            db.session.execute(
                sa.update(RollEntry)
                .where(RollEntry.question_id == question_id, RollEntry.vote_key == old_vote_key)
                .values(vote_key=new_vote_key)
            )
            db.session.execute(
                sa.update(NamedVote)
                .where(NamedVote.question_id == question_id, NamedVote.vote_key == old_vote_key)
                .values(vote_key=new_vote_key)
            )
        db.session.execute(
            sa.update(NamedVote)
            .where(NamedVote.question_id == question_id, NamedVote.person_key == old_key)
            .values(person_key=new_key)
        )
        db.session.execute(
            sa.update(Elector)
            .where(Elector.question_id == question_id, Elector.person_key == elector.person_key)
            .values(
                person_key=new_key,
                vote_key=new_vote_key,
                user_id=None,
                name="",
                site_id=None,
                unit="",
            )
            .execution_options(synchronize_session=False)
        )


def _forget_needs(uid: int) -> None:
    """Needs stay, without author and anonymous; supports go, the counts stay as they were."""
    db.session.execute(
        sa.update(Need).where(Need.author_id == uid).values(author_id=None, anonymous=True)
    )
    db.session.execute(sa.delete(NeedSupport).where(NeedSupport.user_id == uid))
