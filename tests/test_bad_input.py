"""Bad input that gave a 500 (issue 6), one cause each: ids past the database's INTEGER or
written with other digits, control characters in text, year 9999 in a meeting date, a 400-digit
number in a number field. Run on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

import uuid

import pytest
import sqlalchemy as sa

from tenantvoice.ballots import services as ballot_services
from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaProposal, Meeting, Rsvp
from tenantvoice.minutes.models import MinutesState
from tenantvoice.web.ids import MAX_ID, parse_id
from tests import factories as f
from tests.minutes.helpers import minutes_in_state

BIG = "9" * 400


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/2147483648",  # past PostgreSQL INTEGER
        "/meetings/9223372036854775808",  # past SQLite's
        "/meetings/²",  # str.isdigit() says yes, int() says no
        "/meetings/{fullwidth}",  # int() reads fullwidth digits: an alias of the meeting's id
        "/meetings/0{id}",  # a leading zero: another alias
        "/minutes/2147483648",
        "/bodies/2147483648/meetings",
    ],
)
def test_an_id_no_record_can_have_is_not_found(world, client, auth, path):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    # The aliases are written from the meeting's own id, not "1": an id is whatever the
    # sequence gives, and an alias of an id no meeting has would be a 404 proving nothing.
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    fullwidth = str(meeting.id).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert client.get(path.format(id=meeting.id, fullwidth=fullwidth)).status_code == 404


@pytest.mark.parametrize(
    "token", ["2147483648-x", "²-x", "9223372036854775808-x", "a%00b.x", "%00.%00", "é.x"]
)
def test_a_calendar_feed_token_with_an_impossible_id_is_not_found(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_parse_id_reads_ascii_digits_within_integer_only():
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    for value in (str(MAX_ID + 1), "²", "١٢", "０", "012", "-3", "0", "", None, "4 2", True):
        assert parse_id(value) is None, value


def test_a_nul_byte_in_text_is_dropped_not_stored(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.post(
        f"/meetings/{meeting.id}/proposals",
        data={
            "title": "Punaises\x00 de lit\x1b",
            "description": "ligne 1\r\nligne\x07 2",
            "form_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 302
    proposal = db.session.scalar(sa.select(AgendaProposal))
    assert proposal.title == "Punaises de lit"
    assert proposal.description == "ligne 1\r\nligne 2"


def test_a_meeting_in_year_9999_is_refused_with_a_message(world, client, auth):
    auth.login(world.officer_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/meetings/new",
        data={
            "kind": "board",
            "title": "CA",
            "day": "9999-12-31",
            "start_time": "23:00",
            "end_time": "23:30",
            "place": "Salle",
            "audience": "members",
            "form_key": uuid.uuid4().hex,
        },
        headers={"Accept-Language": "fr-CA"},
    )
    assert response.status_code == 422
    assert "Choisissez une date entre" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_meetings_are_dated_within_five_years_back_and_three_ahead(app):
    from datetime import datetime

    from tenantvoice import clock
    from tenantvoice.meetings.forms import MEETING_DATES

    clock.set(datetime.fromisoformat("2026-12-02T12:00:00+00:00"))
    first, last = MEETING_DATES.bounds()
    assert (first.isoformat(), last.isoformat()) == ("2021-12-02", "2029-12-02")


def test_a_400_digit_party_size_is_refused_with_a_message(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.post(
        f"/meetings/{meeting.id}/rsvp", data={"answer": "yes", "party_size": BIG}
    )
    assert response.status_code == 422
    assert "Enter a whole number." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Rsvp.id))) == 0


def test_a_400_digit_guest_count_is_refused(world, client, auth):
    from datetime import timedelta

    from tenantvoice import clock
    from tests.minutes.helpers import T0, board_meeting

    clock.set(T0 + timedelta(minutes=30))
    meeting = board_meeting(world.adl_a, starts_at=T0)
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(f"/meetings/{meeting.id}/attendance/guests", data={"guests_count": BIG})
    assert response.status_code == 422
    db.session.refresh(meeting)
    assert meeting.guests_count == 0


def test_a_minutes_version_past_integer_is_a_stale_form(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/autosave",
        data={"version": "9223372036854775808", f"section-{minutes.sections[1].id}": "x"},
    )
    assert response.status_code == 422


def test_a_400_digit_paper_ballot_count_is_refused():
    with pytest.raises(BallotInvalidError):
        ballot_services._count(BIG, "ballots")
    with pytest.raises(BallotInvalidError):
        ballot_services._count("²", "ballots")
    assert ballot_services._count("12", "ballots") == 12


def test_a_json_body_is_cleaned_like_a_form(world, client, auth):
    """The push subscription (JSON from app.js): a NUL in it never reaches the database."""
    import json

    auth.login(world.tenant_a)
    response = client.post(
        "/notifications/push/subscribe",
        data=json.dumps(
            {
                "endpoint": "https://fcm.googleapis.com/fcm/send/abc\u0000def",
                "keys": {"p256dh": "B\u0000" + "A" * 86, "auth": "\u0000" + "A" * 22},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code < 500


def test_a_device_id_past_integer_is_a_bad_request(world, client, auth):
    auth.login(world.tenant_a)
    response = client.post(
        "/notifications/push/unsubscribe", data={"subscription_id": "2147483648"}
    )
    assert response.status_code == 400
