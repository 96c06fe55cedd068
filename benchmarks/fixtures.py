"""Benchmark fixtures on top of the demo seed: the pages a logged-in tenant reads.

The demo leaves its minutes "proposed" (no approving resolution is recorded), so
`published_minutes` brings the oldest one to "published" through the real services (attendance
of the secretary and the president at both meetings, a carried resolution of the approving
meeting, approval, two signatures, publication). Used by benchmarks/throughput.py and handy for
profiling:

  DATABASE_URL=sqlite:///... flask --app wsgi seed-demo
  DATABASE_URL=sqlite:///... python -m benchmarks.fixtures [EMAIL]   # JSON: email, paths
"""

import json

import sqlalchemy as sa


def plain_tenant_email(largest_body: bool = False) -> str:
    """A plain tenant of the demo: a current register member (role "member") with an account
    and a tenancy, officer of no body and holding no staff role. Exits when there is none:
    measuring an officer's or staff's pages as "the tenant's" would hide what a tenant pays.
    `largest_body`: one of the body with the largest register (a generated province's 600
    members, whose pages cost the most). Call inside an app context."""
    from tenantvoice.accounts.models import User
    from tenantvoice.extensions import db
    from tenantvoice.orgs.models import OFFICER_ROLES, Member, MemberRole, StaffAssignment, Tenancy

    officer = sa.select(Member.user_id).where(
        Member.role.in_(OFFICER_ROLES), Member.is_current, Member.user_id.is_not(None)
    )
    staff = sa.select(StaffAssignment.user_id)
    query = (
        sa.select(User.email)
        .join(Member, Member.user_id == User.id)
        .join(Tenancy, Tenancy.user_id == User.id)
        .where(
            Member.role == MemberRole.MEMBER,
            Member.is_current,
            Tenancy.ended_on.is_(None),
            User.id.not_in(officer),
            User.id.not_in(staff),
        )
        .order_by(Member.id)
        .limit(1)
    )
    if largest_body:
        size = sa.func.count(Member.id)
        biggest = (
            sa.select(Member.body_id)
            .where(Member.is_current)
            .group_by(Member.body_id)
            .order_by(size.desc(), Member.body_id)
            .limit(1)
        )
        query = query.where(
            Member.body_id == biggest.correlate(None).scalar_subquery(),
            User.email.is_not(None),  # generated accounts may have a phone only: log in by email
            User.email != "",
        )
    email = db.session.scalar(query)
    if email is None:
        raise SystemExit("no plain tenant in the seeded data: nothing to measure as a tenant")
    return email


def published_minutes(body_id: int) -> int | None:
    """Id of published minutes of `body_id`, publishing the oldest proposed ones if needed.
    Call inside an app context; commits."""
    from flask import current_app, g

    from tenantvoice.assembly.models import Attendance, Resolution, ResolutionOutcome
    from tenantvoice.extensions import db
    from tenantvoice.meetings.models import Meeting
    from tenantvoice.minutes import services
    from tenantvoice.minutes.models import Minutes, MinutesState
    from tenantvoice.orgs.models import Member, MemberRole

    def of_body(state):
        return db.session.scalar(
            sa.select(Minutes)
            .join(Meeting, Meeting.id == Minutes.meeting_id)
            .where(Meeting.body_id == body_id, Minutes.state == state)
            .order_by(Meeting.starts_at, Minutes.id)
            .limit(1)
        )

    done = of_body(MinutesState.PUBLISHED)
    if done is not None:
        return done.id
    minutes = of_body(MinutesState.PROPOSED)
    if minutes is None or minutes.approving_meeting_id is None:
        return None

    def officer(role):
        return db.session.scalar(
            sa.select(Member).where(
                Member.body_id == body_id,
                Member.role == role,
                Member.user_id.is_not(None),
                Member.until.is_(None),
            )
        )

    secretary, president = officer(MemberRole.SECRETARY), officer(MemberRole.PRESIDENT)
    with current_app.test_request_context():  # generated text goes through gettext
        for meeting_id in (minutes.meeting_id, minutes.approving_meeting_id):
            present = set(
                db.session.scalars(
                    sa.select(Attendance.member_id).where(Attendance.meeting_id == meeting_id)
                )
            )
            for m in (secretary, president):
                if m.id not in present:
                    db.session.add(Attendance(meeting_id=meeting_id, member_id=m.id))
        approving = db.session.get(Meeting, minutes.approving_meeting_id)
        seq = 1 + (
            db.session.scalar(
                sa.select(sa.func.max(Resolution.seq)).where(Resolution.meeting_id == approving.id)
            )
            or 0
        )
        resolution = Resolution(
            meeting_id=approving.id,
            seq=seq,
            number=f"B-{approving.id}-{seq:02d}",
            text="que le procès-verbal de la réunion précédente soit adopté",
            moved_by_id=secretary.id,
            seconded_by_id=president.id,
            outcome=ResolutionOutcome.CARRIED_UNANIMOUSLY,
        )
        db.session.add(resolution)
        db.session.flush()
        services.approve(secretary.user, minutes, resolution.id)
        services.sign(secretary.user, minutes, secretary)
        services.sign(president.user, minutes, president)
        services.publish(secretary.user, minutes)
        g.pop("_policy_facts", None)
        g.pop("_login_user", None)
    db.session.commit()
    return minutes.id


def tenant_pages(email: str) -> dict:
    """Paths a tenant reads: home, a meeting page of their body, its meetings list, minutes."""
    from tenantvoice.accounts.models import User
    from tenantvoice.extensions import db
    from tenantvoice.meetings.models import Meeting, MeetingKind, MeetingStatus
    from tenantvoice.policy import body_ids_as_member

    user = db.session.scalar(sa.select(User).where(User.email == email))
    body_id = min(body_ids_as_member(user))
    meeting_id = db.session.scalar(
        sa.select(Meeting.id)
        .where(
            Meeting.body_id == body_id,
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.kind != MeetingKind.BOARD,  # convenes the board only
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    minutes_id = published_minutes(body_id)
    pages = {
        "home": "/",
        "meeting": f"/meetings/{meeting_id}",
        "meetings list": f"/bodies/{body_id}/meetings",
    }
    if minutes_id is not None:
        pages["minutes"] = f"/minutes/{minutes_id}"
    return pages


def main():
    """Print the tenant's pages for the seeded database named by DATABASE_URL."""
    import sys

    from tenantvoice import create_app

    app = create_app()
    with app.app_context():
        email = sys.argv[1] if len(sys.argv) > 1 else plain_tenant_email()
        print(json.dumps({"email": email, "pages": tenant_pages(email)}))


if __name__ == "__main__":
    main()


def feed_pages(email: str) -> dict:
    """The tenant's calendar feed, as their calendar app fetches it (no cookie). Makes the
    feed's random id at the first call (committed). Call inside an app context."""
    from flask import current_app, url_for

    from tenantvoice.accounts.models import User
    from tenantvoice.extensions import db
    from tenantvoice.meetings.services import feed_token

    user = db.session.scalar(sa.select(User).where(User.email == email))
    token = feed_token(user)
    db.session.commit()
    with current_app.test_request_context():
        return {"calendar feed (app)": url_for("meetings.feed", token=token)}
