"""Leave and be forgotten (issue 15; trust-and-safety Q-09's anonymization criteria): a person
deletes their own account; adopted minutes keep the name as written, and nothing else of the
person remains — checked table by table over the whole metadata, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import (
    PasswordResetToken,
    RecoveryCode,
    ResetCode,
    User,
    UserSession,
)
from tenantvoice.assembly.models import Resolution
from tenantvoice.ballots import queries as ballot_queries
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Elector, Kind, Mode, Question, RollEntry
from tenantvoice.extensions import db
from tenantvoice.meetings.models import CalendarToken, Rsvp, RsvpAnswer
from tenantvoice.minutes import services as minutes_services
from tenantvoice.minutes.models import Minutes, MinutesState
from tenantvoice.needs.models import Need, NeedComment, NeedSupport
from tenantvoice.orgs.models import Member
from tenantvoice.outbox.models import PushSubscription
from tenantvoice.polls import services as polls
from tenantvoice.privacy import forget
from tests import factories as f
from tests.minutes.helpers import (
    T0,
    attend,
    board_meeting,
    in_request,
    member_of,
    minutes_in_state,
)

ADOPTED = (MinutesState.APPROVED, MinutesState.SIGNED, MinutesState.PUBLISHED)
MINUTES_TEXT_TABLES = {"minutes_sections", "minutes_versions", "minutes_search"}


def _everything_of(w, person):
    """The person everywhere the app keeps people: register, adopted and draft minutes, a
    resolution, a vote, a need, devices and secrets."""
    published = minutes_in_state(w, MinutesState.PUBLISHED, president=person)
    me = member_of(person, w.adl_a)
    later = board_meeting(w.adl_a, starts_at=T0 + timedelta(days=60), year_number=3)
    attend(later, me)
    with in_request():
        draft = minutes_services.create_draft(w.officer_a, later)
    db.session.add(Rsvp(meeting_id=later.id, user_id=person.id, answer=RsvpAnswer.YES))
    now = clock.now()
    db.session.add_all(
        [
            UserSession(user_id=person.id, token_hash="a" * 64, user_agent="Firefox on Android"),
            PasswordResetToken(user_id=person.id, token_hash="b" * 64, expires_at=now),
            ResetCode(user_id=person.id, code_hash="c" * 64, expires_at=now),
            RecoveryCode(user_id=person.id, code_hash="d" * 64),
            CalendarToken(user_id=person.id, feed_id="e" * 32),
            PushSubscription(
                user_id=person.id, endpoint="https://push.example/x", p256dh="k", auth="a"
            ),
        ]
    )
    person.phone = "4185550199"
    person.totp_secret = "JBSWY3DPEHPK3PXP"
    site = w.adl_a.sites[0]
    need = Need(
        site_id=site.id,
        provider_id=site.provider_id,
        provider_kind=site.provider.kind,
        region_id=site.provider.region_id,
        reviewing_body_id=w.adl_a.id,
        author_id=person.id,
        anonymous=False,
        title="Éclairage du stationnement",
        category="SEC",
        supporters_count=2,
    )
    db.session.add(need)
    db.session.flush()
    db.session.add_all(
        [
            NeedSupport(need_id=need.id, user_id=person.id),
            NeedSupport(need_id=need.id, user_id=w.tenant_a.id),
            NeedComment(need_id=need.id, author_id=person.id, text="Depuis l'hiver."),
        ]
    )
    poll = polls.create_poll(
        w.officer_a,
        w.adl_a,
        title="Quel soir?",
        kind=Kind.SINGLE,
        choices=["Mardi", "Jeudi"],
        mode=Mode.SECRET,
        closes_at=clock.now() + timedelta(days=1),
        confirm_small_electorate=True,
    )
    ballots.cast(person, poll, poll.choices[0].id)
    db.session.commit()
    return published, draft, need, poll


def _leftovers(uid: int, needles: list[str], adopted_ids: set[int]) -> list[str]:
    """Every cell of every table that still points at or names the person."""
    found = []
    for table in db.metadata.sorted_tables:
        user_cols = [
            c
            for c in table.columns
            if any(fk.column.table.name == "users" for fk in c.foreign_keys)
        ]
        for row in db.session.execute(sa.select(table)).mappings():
            for col in user_cols:
                if row[col.name] == uid:
                    found.append(f"{table.name}.{col.name} = {uid}")
            if table.name == "users" and row["id"] == uid:
                found.append(f"users.id = {uid}")
            allowed = table.name in MINUTES_TEXT_TABLES and row["minutes_id"] in adopted_ids
            for name, value in row.items():
                if not isinstance(value, str) or allowed:
                    continue
                if value == f"u:{uid}":
                    found.append(f"{table.name}.{name} = u:{uid}")
                for needle in needles:
                    if needle.lower() in value.lower():
                        found.append(f"{table.name}.{name} holds {needle!r}")
    return found


def test_forget_leaves_only_the_adopted_minutes_names(world):
    w = world
    person = w.president_a
    uid, name = person.id, person.name
    published, draft, need, poll = _everything_of(w, person)
    member_id = member_of(person, w.adl_a).id
    published_id, draft_id, need_id, poll_id = published.id, draft.id, need.id, poll.id
    needles = [name, person.email, person.phone]
    assert name in published.latest_version.text_markdown
    assert name in draft.sections[0].body_markdown
    before = _leftovers(uid, needles, set())
    # The walk sees the person where the scenario put them (so an empty list below means gone).
    for expected in ("users.id", "members.name", "ballot_electors.name", "rsvps.user_id"):
        assert any(line.startswith(expected) for line in before), expected

    assert forget.forget(person)
    db.session.commit()

    adopted = set(db.session.scalars(sa.select(Minutes.id).where(Minutes.state.in_(ADOPTED))))
    assert published_id in adopted
    assert draft_id not in adopted
    assert _leftovers(uid, needles, adopted) == []
    # The legal record keeps the name as written; the draft says "former member".
    version = db.session.get(Minutes, published_id).latest_version
    assert name in version.text_markdown
    draft_text = db.session.get(Minutes, draft_id).sections[0].body_markdown
    assert forget.former_member_label() in draft_text
    # The register entry stays, anonymized, ended, shown as "former member".
    entry = db.session.get(Member, member_id)
    assert entry.forgotten_at is not None
    assert entry.name == ""
    assert entry.phone == ""
    assert entry.user_id is None
    assert not entry.consent_contact
    assert entry.site_id is None
    assert not entry.is_current
    assert entry.shown_name in {"Ex-membre", "Former member"}
    # The resolution the person seconded still points at the entry (the record is whole).
    assert db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Resolution)
        .where(sa.or_(Resolution.seconded_by_id == member_id, Resolution.moved_by_id == member_id))
    )
    # The need stays, without author; its count is unchanged; the other support stays.
    need = db.session.get(Need, need_id)
    assert need.author_id is None
    assert need.anonymous
    assert need.supporters_count == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NeedSupport)) == 1
    # The roll still counts one ballot, under a key that no longer leads to the person.
    roll = db.session.scalars(sa.select(RollEntry).where(RollEntry.question_id == poll_id)).all()
    assert len(roll) == 1
    assert roll[0].vote_key.startswith("x:")
    elector = db.session.scalar(
        sa.select(Elector).where(
            Elector.question_id == poll_id, Elector.vote_key == roll[0].vote_key
        )
    )
    assert elector.user_id is None
    assert elector.name == ""


def test_forget_is_idempotent(world):
    person = world.tenant_a
    uid = person.id
    assert forget.forget(person)
    db.session.commit()
    assert db.session.get(User, uid) is None
    assert not forget.forget(person)


def test_every_foreign_key_to_users_has_a_decision(app):
    undecided = [
        f"{t.name}.{c.name}"
        for t, c in forget.user_foreign_keys()
        if (t.name, c.name) not in forget.DECISIONS
    ]
    assert undecided == []


def test_the_page_deletes_the_account_with_the_password(world, client, auth):
    uid = world.tenant_a.id
    auth.login(world.tenant_a)
    page = client.get("/account/delete")
    assert page.status_code == 200
    assert "What stays, and why" in page.get_data(as_text=True)
    wrong = client.post("/account/delete", data={"current_password": "nope", "understood": "y"})
    assert wrong.status_code == 422
    assert db.session.get(User, uid) is not None
    unticked = client.post("/account/delete", data={"current_password": f.PASSWORD})
    assert unticked.status_code == 422
    done = client.post("/account/delete", data={"current_password": f.PASSWORD, "understood": "y"})
    assert done.status_code == 302
    assert "/login" in done.headers["Location"]
    assert db.session.get(User, uid) is None
    # A double submit finds no session: the login page, nothing else happens.
    again = client.post("/account/delete", data={"current_password": f.PASSWORD, "understood": "y"})
    assert again.status_code == 302


def test_the_register_shows_former_member(world, client, auth):
    entry_id = member_of(world.tenant_a, world.adl_a).id
    body_id = world.adl_a.id
    forget.forget(world.tenant_a)
    db.session.commit()
    auth.login(world.officer_a)
    page = client.get(f"/bodies/{body_id}/members?former=1").get_data(as_text=True)
    assert f'id="member-{entry_id}"' in page
    assert "Former member" in page
    assert "Lucie Tremblay" not in page


@pytest.mark.parametrize("locale", ["fr_CA", "en"])
def test_the_page_says_what_stays_in_both_languages(world, client, auth, locale):
    world.tenant_a.locale = locale
    db.session.commit()
    auth.login(world.tenant_a)
    page = client.get("/account/delete").get_data(as_text=True)
    expected = "Ce qui reste, et pourquoi" if locale == "fr_CA" else "What stays, and why"
    assert expected in page


def test_a_named_vote_keeps_its_line_without_the_voter(world):
    """The roll-call of an open question keeps the departed voter's answer (the count stays
    checkable) under no name; the pages show "former member" for it."""
    w = world
    poll = polls.create_poll(
        w.officer_a,
        w.adl_a,
        title="Quel soir?",
        kind=Kind.SINGLE,
        choices=["Mardi", "Jeudi"],
        mode=Mode.OPEN,
        closes_at=clock.now() + timedelta(days=1),
        confirm_small_electorate=True,
    )
    ballots.cast(w.tenant_a, poll, poll.choices[0].id)
    ballots.cast(w.officer_a, poll, poll.choices[1].id)
    db.session.commit()
    poll_id, tuesday = poll.id, poll.choices[0].id
    forget.forget(w.tenant_a)
    db.session.commit()
    rows = ballot_queries.named_votes(db.session.get(Question, poll_id))
    assert sorted((e.name, answer) for e, answer in rows)[0] == ("", tuesday)
    assert {e.name for e, _answer in rows} == {"", "Jean Gagnon"}
