"""The calendar feed at the size of a region: the same events the policy grants, one statement
for the meetings whatever the region's size, 304 while unchanged, compressed (issue 8)."""

import gzip
from datetime import timedelta

import icalendar
import sqlalchemy as sa
from sqlalchemy import event

from tenantvoice import clock, policy
from tenantvoice.extensions import db
from tenantvoice.meetings import queries, services
from tenantvoice.meetings.models import AgendaItem, Audience, Meeting, MeetingKind, MeetingStatus
from tests import factories as f


def _feed_path(user) -> str:
    token = services.feed_token(user)
    db.session.commit()
    return f"/calendar/{token}.ics"


def _uids(data: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def _variety(w) -> None:
    """Meetings of every kind the feed's rules tell apart, in every body of the world."""
    for body in (w.adl_a, w.adl_b, w.ccr, w.adl_c, w.adl_d):
        for days in (-500, -30, 10, 800):
            f.make_meeting(body=body, title="Membres", starts_in=timedelta(days=days))
        f.make_meeting(body=body, title="Locataires", audience=Audience.SITE_TENANTS)
        f.make_meeting(body=body, title="OC invité", oc_invited=True)
        f.make_meeting(body=body, title="Brouillon", status=MeetingStatus.DRAFT, oc_invited=True)
        f.make_meeting(body=body, title="Annulée", status=MeetingStatus.CANCELLED)
        f.make_meeting(body=body, title="CCR conjoint", kind=MeetingKind.CCR_JOINT)
    db.session.commit()


def _as_the_policy_says(user) -> list[int]:
    """Every non-draft meeting of the window that the policy lets the user see (what the feed
    held before it asked the database: all candidates, filtered in Python)."""
    now = clock.now()
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.status != MeetingStatus.DRAFT,
            Meeting.starts_at >= now - queries.FEED_HISTORY,
            Meeting.starts_at < now + queries.FEED_AHEAD,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [m.id for m in meetings if policy.can_see_meeting(user, m)]


def test_feed_has_the_events_the_policy_grants_to_everyone(world):
    _variety(world)
    users = [v for v in vars(world).values() if getattr(v, "__tablename__", "") == "users"]
    assert len(users) >= 12
    for user in users:
        expected = _as_the_policy_says(user)
        assert [m.id for m in queries.feed_meetings(user)] == expected, user.name
    # The rules were exercised: staff see some meetings, the other region's OC none of these.
    assert _as_the_policy_says(world.oc)
    assert _as_the_policy_says(world.direction)
    assert _as_the_policy_says(world.tenant_a)


def test_feed_window_leaves_out_meetings_long_past_or_far_ahead(world, client):
    old = f.make_meeting(body=world.adl_a, title="Ancienne", starts_in=timedelta(days=-401))
    far = f.make_meeting(body=world.adl_a, title="Lointaine", starts_in=timedelta(days=731))
    near = f.make_meeting(body=world.adl_a, title="Prochaine", starts_in=timedelta(days=30))
    db.session.commit()
    uids = _uids(client.get(_feed_path(world.tenant_a)).data)
    assert f"meeting-{near.id}@tenantvoice" in uids
    assert f"meeting-{old.id}@tenantvoice" not in uids
    assert f"meeting-{far.id}@tenantvoice" not in uids


def _statements(client, path: str) -> int:
    db.session.commit()
    db.session.remove()
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    client.get(path)  # per-process caches first
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def _grow_region(w, bodies: int) -> None:
    """More providers, bodies and meetings in the OC's region (r1): invited or not, joint or not,
    with agendas."""
    for n in range(bodies):
        provider = f.make_provider(region=w.r1)
        body = f.make_body(provider=provider)
        for days in (-60, -20, 15, 45):
            f.make_meeting(
                body=body, title=f"R{n}", starts_in=timedelta(days=days), oc_invited=True
            )
        f.make_meeting(body=body, title=f"N{n}", kind=MeetingKind.CCR_JOINT)
    db.session.commit()


def test_statements_do_not_grow_with_the_region(world, client):
    w = world
    f.make_meeting(body=w.adl_a, title="Invitée", oc_invited=True)
    db.session.commit()
    oc_path, tenant_path = _feed_path(w.oc), _feed_path(w.tenant_a)
    small = (_statements(client, oc_path), _statements(client, tenant_path))
    _grow_region(w, 12)
    db.session.add_all(
        AgendaItem(meeting_id=m.id, position=9, title="Varia")
        for m in db.session.scalars(sa.select(Meeting))
    )
    db.session.commit()
    large = (_statements(client, oc_path), _statements(client, tenant_path))
    assert large == small
    assert max(large) <= 8
    assert len(_uids(client.get(oc_path).data)) == 1 + 12 * 4


def test_unchanged_feed_is_answered_304_and_a_change_gives_a_new_etag(world, client):
    meeting = f.make_meeting(body=world.adl_a, title="AGA")
    db.session.commit()
    path = _feed_path(world.tenant_a)
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, no-cache"
    # A change of the agenda alone (the meeting's row untouched) is a new feed.
    meeting.agenda_items[0].title = "Ouverture et bienvenue"
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert b"Ouverture et bienvenue" in changed.data


def test_the_same_feed_is_the_same_bytes_later(world, client):
    """DTSTAMP is each meeting's last change, not the time of the request: nothing differs."""
    f.make_meeting(body=world.adl_a, title="AGA")
    db.session.commit()
    path = _feed_path(world.tenant_a)
    first = client.get(path)
    clock.advance(timedelta(minutes=5))
    later = client.get(path)
    assert later.data == first.data
    assert later.headers["ETag"] == first.headers["ETag"]


def test_a_feed_in_another_language_has_its_own_etag(world, client):
    f.make_meeting(body=world.adl_a, title="AGA")
    db.session.commit()
    path = _feed_path(world.tenant_a)
    etag = client.get(path).headers["ETag"]
    world.tenant_a.locale = "en" if world.tenant_a.locale != "en" else "fr_CA"
    db.session.commit()
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 200


def test_feed_is_compressed_and_its_compressed_etag_revalidates(world, client):
    for n in range(5):
        f.make_meeting(body=world.adl_a, title=f"Séance {n}", starts_in=timedelta(days=n + 1))
    db.session.commit()
    path = _feed_path(world.tenant_a)
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(_uids(gzip.decompress(response.data))) == 5
    again = client.get(
        path, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_revoked_feed_is_404_even_with_an_etag(world, client):
    f.make_meeting(body=world.adl_a, title="AGA")
    db.session.commit()
    path = _feed_path(world.tenant_a)
    etag = client.get(path).headers["ETag"]
    services.regenerate_feed_token(world.tenant_a)
    db.session.commit()
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 404


def test_an_unchanged_feed_is_not_rebuilt_for_a_client_without_etag(world, client, monkeypatch):
    """Calendar apps that never send If-None-Match, and tenants of one body whose feeds hold the
    same events, get the bytes built once; any change builds anew."""
    from tenantvoice.meetings import ical

    builds = []
    real = ical.calendar_for
    monkeypatch.setattr(ical, "calendar_for", lambda *a, **k: builds.append(1) or real(*a, **k))
    meeting = f.make_meeting(body=world.adl_a, title="Séance unique du cache")
    db.session.commit()
    tenant_path, president_path = _feed_path(world.tenant_a), _feed_path(world.president_a)
    first = client.get(tenant_path).data
    assert client.get(tenant_path).data == first
    assert client.get(president_path).data == first  # same events, same language
    assert len(builds) == 1
    meeting.title = "Seance renommee"
    db.session.commit()
    assert b"Seance renommee" in client.get(tenant_path).data
    assert len(builds) == 2
