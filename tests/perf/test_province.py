"""The province-size generator at its tiny size: the `flask generate-province` command fills an
empty database with the counts of its size, and the rows keep the app's rules (register entries
at the body's sites, officers with accounts, attendance of the body's members, minutes approved
by a resolution of the body's next meeting and indexed for search, meeting numbers per year).
Counts and invariants only: the generator's speed is printed by benchmarks/scale.py."""

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole, User
from tenantvoice.assembly.models import Attendance, Resolution
from tenantvoice.extensions import db
from tenantvoice.logbook.models import Intervention, Referral
from tenantvoice.meetings.models import AgendaItem, Meeting, MeetingStatus
from tenantvoice.minutes.models import Minutes, MinutesSearch, MinutesState, MinutesVersion
from tenantvoice.minutes.search import search_ids
from tenantvoice.orgs.models import (
    Body,
    Member,
    MemberRole,
    Provider,
    Site,
    StaffAssignment,
    Tenancy,
    body_sites,
)
from tenantvoice.province import SIZES, generate
from tenantvoice.search import search_key

TINY = SIZES["tiny"]


@pytest.fixture
def generated(app):
    result = app.test_cli_runner().invoke(args=["generate-province", "--size", "tiny"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    return result


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def test_counts_of_the_size_and_no_second_run(generated, app):
    assert count(Provider) == TINY.providers
    assert count(Site) == TINY.providers * TINY.sites_per_provider
    assert count(Tenancy) == TINY.tenants
    assert count(Body) == TINY.bodies
    assert count(Meeting) == TINY.meetings
    assert count(Minutes, Minutes.state == MinutesState.PUBLISHED) == TINY.published_minutes
    assert count(MinutesVersion) == TINY.published_minutes
    assert count(MinutesSearch) == TINY.published_minutes
    assert count(AgendaItem) > TINY.meetings * 4
    assert count(Attendance) > 0
    per_body = sa.select(sa.func.count(Member.id)).group_by(Member.body_id)
    sizes = sorted(db.session.scalars(per_body), reverse=True)
    assert sizes[: TINY.big_bodies] == [TINY.big_members] * TINY.big_bodies
    assert count(StaffAssignment, StaffAssignment.role == StaffRole.ADMIN) == 1
    assert count(StaffAssignment, StaffAssignment.role == StaffRole.OC) == 2 * TINY.regions
    # a second run refuses the database that has data

    users = count(User)
    result = app.test_cli_runner().invoke(args=["generate-province", "--size", "tiny"])
    assert result.exit_code != 0
    assert "already has data" in result.output
    assert count(User) == users


def check_every_account_member_lives_at_one_of_the_body_sites():
    at_site = (
        sa.select(Tenancy.id)
        .join(body_sites, body_sites.c.site_id == Tenancy.site_id)
        .where(
            Tenancy.user_id == Member.user_id,
            body_sites.c.body_id == Member.body_id,
            Tenancy.site_id == Member.site_id,
            Tenancy.unit == Member.unit,
        )
    )
    assert count(Member, Member.user_id.is_not(None)) > TINY.big_members // 2
    assert count(Member, Member.user_id.is_not(None), ~at_site.exists()) == 0


def check_every_body_has_officers_with_accounts():
    for role in (MemberRole.PRESIDENT, MemberRole.SECRETARY):
        with_officer = sa.select(Member.body_id).where(
            Member.role == role, Member.user_id.is_not(None), Member.is_current
        )
        assert count(Body, Body.id.not_in(with_officer)) == 0


def check_attendance_is_of_the_body_members_at_meetings_held():
    wrong = (
        sa.select(sa.func.count())
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Member, Member.id == Attendance.member_id)
        .where(
            (Member.body_id != Meeting.body_id)
            | (Meeting.status != MeetingStatus.PUBLISHED)
            | (Meeting.starts_at > clock.now())
            | (Attendance.on_paper != Member.user_id.is_(None))
        )
    )
    assert db.session.scalar(wrong) == 0


def check_published_minutes_were_approved_by_the_next_meeting():
    for minutes in db.session.scalars(sa.select(Minutes)):
        resolution = db.session.get(Resolution, minutes.approved_by_resolution_id)
        assert resolution.meeting_id == minutes.approving_meeting_id
        approving = db.session.get(Meeting, minutes.approving_meeting_id)
        assert approving.body_id == minutes.body_id == minutes.meeting.body_id
        assert approving.starts_at > minutes.meeting.ends_at
        assert minutes.published_at <= clock.now()
        present = set(
            db.session.scalars(
                sa.select(Attendance.member_id).where(Attendance.meeting_id == approving.id)
            )
        )
        assert {resolution.moved_by_id, resolution.seconded_by_id} <= present
        assert minutes.president_signed_by_id is not None
        assert minutes.secretary_signed_by_id is not None


def check_meeting_numbers_rank_each_body_year():
    numbered = db.session.execute(
        sa.select(Meeting.body_id, Meeting.starts_at, Meeting.year_number).where(
            Meeting.published_at.is_not(None)
        )
    ).all()
    keys = [(b, s.astimezone(clock.MONTREAL).year, n) for b, s, n in numbered]
    assert None not in [n for *_k, n in keys]
    assert len(keys) == len(set(keys))


def check_interventions_are_of_their_workers_scope():
    """The logbook (issue 14): every intervention copies its site's provider, kind and region,
    is recorded by an ISC or OC whose scope covers the site, counts its referrals, and each
    region's organizer coordinates its logbook."""
    assert count(Intervention) == TINY.interventions
    wrong_copy = (
        sa.select(sa.func.count())
        .select_from(Intervention)
        .join(Site, Site.id == Intervention.site_id)
        .join(Provider, Provider.id == Site.provider_id)
        .where(
            (Intervention.provider_id != Provider.id)
            | (Intervention.region_id != Provider.region_id)
            | (Intervention.provider_kind != Provider.kind)
        )
    )
    assert db.session.scalar(wrong_copy) == 0
    covered = sa.select(StaffAssignment.id).where(
        StaffAssignment.user_id == Intervention.worker_id,
        StaffAssignment.role.in_([StaffRole.OC, StaffRole.ISC]),
        (StaffAssignment.region_id == Intervention.region_id)
        | (StaffAssignment.provider_id == Intervention.provider_id),
    )
    assert count(Intervention, ~covered.exists()) == 0
    referrals = (
        sa.select(sa.func.count(Referral.id))
        .where(Referral.intervention_id == Intervention.id)
        .scalar_subquery()
    )
    assert count(Intervention, Intervention.referrals_count != referrals) == 0
    assert 0 < count(Referral) < TINY.interventions
    copied = sa.select(Intervention.id).where(
        Intervention.id == Referral.intervention_id,
        Intervention.worker_id == Referral.worker_id,
        Intervention.region_id == Referral.region_id,
        Intervention.day == Referral.day,
    )
    assert count(Referral, ~copied.exists()) == 0
    assert count(StaffAssignment, StaffAssignment.coordinator.is_(True)) == TINY.regions


def test_the_app_rules_hold(generated):
    """One generation, every rule (a generation takes seconds: one per rule would add up)."""
    check_every_account_member_lives_at_one_of_the_body_sites()
    check_every_body_has_officers_with_accounts()
    check_attendance_is_of_the_body_members_at_meetings_held()
    check_published_minutes_were_approved_by_the_next_meeting()
    check_meeting_numbers_rank_each_body_year()
    check_interventions_are_of_their_workers_scope()


def test_search_finds_the_big_body_minutes_and_new_ids_follow(generated):
    big = db.session.scalar(
        sa.select(Member.body_id).group_by(Member.body_id).order_by(sa.func.count().desc())
    )
    published = count(Minutes, Minutes.body_id == big)
    assert published > 0
    assert len(search_ids(big, "entretien")) == published
    assert count(StaffAssignment, StaffAssignment.role == StaffRole.ADMIN) == 1
    assert count(StaffAssignment, StaffAssignment.role == StaffRole.OC) == 2 * TINY.regions
    # ids were chosen by the generator: the next id the database gives is past them
    user = User(name="Après", email="apres@example.test", password_hash="x")
    db.session.add(user)
    db.session.flush()
    assert user.id > TINY.tenants


def test_generated_rows_carry_their_folded_search_keys(generated):
    """COPY on PostgreSQL bypasses SQLAlchemy: the generator computes the context-sensitive
    defaults itself, so the register, admin and organizer searches find generated people."""
    user = db.session.scalars(sa.select(User).where(User.name.is_not(None)).limit(1)).one()
    assert user.search_key == search_key(user.name, user.email, user.phone)
    member = db.session.scalars(sa.select(Member).limit(1)).one()
    assert member.search_key == search_key(member.name, member.unit)
    body = db.session.scalars(sa.select(Body).limit(1)).one()
    assert body.search_key == search_key(body.name)
    assert count(User, User.search_key == "") == 0


def snapshot() -> list:
    """What a generation wrote, without the write times."""
    return [
        db.session.execute(sa.select(User.name, User.email, User.phone).order_by(User.id)).all(),
        db.session.execute(
            sa.select(Member.body_id, Member.user_id, Member.name, Member.role).order_by(Member.id)
        ).all(),
        db.session.execute(
            sa.select(Meeting.body_id, Meeting.starts_at, Meeting.status).order_by(Meeting.id)
        ).all(),
        db.session.execute(
            sa.select(Attendance.meeting_id, Attendance.member_id).order_by(Attendance.id)
        ).all(),
        list(
            db.session.scalars(sa.select(MinutesVersion.text_markdown).order_by(MinutesVersion.id))
        ),
    ]


def test_the_same_seed_gives_the_same_rows(app):
    def generation(seed: int) -> list:
        generate("tiny", seed)
        rows = snapshot()
        db.session.rollback()  # generate() flushes, never commits
        return rows

    first = generation(7)
    assert generation(7) == first
    assert generation(8) != first
