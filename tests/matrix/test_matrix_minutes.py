"""Minutes routes. Expectations written by hand from domain-rules §5.2–5.3: draft minutes are for
the body's officers only (everyone else, the housing office included, gets 404: existence is
private); a projet proposed for approval is read by the body's members; published minutes by the
body's members (ADL A's minutes_audience is "members" here); staff who are not members never read
them. Writing (draft, edit, propose, approve, publish, correct) is the officers' job: a member who
can read the minutes gets 403, anyone who cannot gets 404. Signing: president or secretary."""

from datetime import timedelta

import pytest

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tests.matrix.harness import Case, make_matrix_test
from tests.minutes.helpers import T0, board_meeting, minutes_in_state

READ_OFFICER_ONLY = {"anonymous": 302, "officer_a": 200}
READ_MEMBERS = {"anonymous": 302, "tenant_a": 200, "officer_a": 200}


@pytest.fixture(autouse=True)
def _after_t0():
    """Minutes are drafted once their meeting (T0) has begun, whatever instant TV_TEST_NOW
    starts the clock at (set before the harness logs in)."""
    if clock.now() < T0 + timedelta(days=1):
        clock.set(T0 + timedelta(days=1))


def _minutes(state):
    def url_for_state(w, suffix=""):
        w.minutes = minutes_in_state(w, state)
        return f"/minutes/{w.minutes.id}{suffix}"

    return url_for_state


def _draft_with_next_meeting(w):
    w.minutes = minutes_in_state(w, MinutesState.DRAFT)
    board_meeting(w.adl_a, starts_at=T0 + timedelta(days=30), title="Suivante", year_number=2)
    db.session.commit()
    return f"/minutes/{w.minutes.id}/propose"


def _meeting(w):
    meeting = board_meeting(w.adl_a)
    db.session.commit()
    return f"/meetings/{meeting.id}/minutes"


def _editor_data(w):
    data = {"version": str(w.minutes.version), "adjourned_at": "21:00"}
    for s in w.minutes.sections:
        data[f"section-{s.id}"] = s.body_markdown + " ajout"
    return data


def _shared(*, organizer: bool, office: bool):
    """Published minutes of ADL A after it chose what to share (issue 9). The office setting is
    set behind the form's back: on an association it must change nothing (§5.3)."""

    def url(w):
        w.adl_a.minutes_shared_with_organizer = organizer
        w.adl_a.minutes_shared_with_office = office
        return published(w)

    return url


draft = _minutes(MinutesState.DRAFT)
proposed = _minutes(MinutesState.PROPOSED)
approved = _minutes(MinutesState.APPROVED)
signed = _minutes(MinutesState.SIGNED)
published = _minutes(MinutesState.PUBLISHED)

CASES = [
    Case(
        "minutes.create",
        "POST",
        _meeting,
        data={"form_key": "0123456789abcdef0123456789abcdef"},
        # A board meeting: hidden (404) from members off the board, like tenant_a (issue 9).
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case("minutes.detail", "GET", draft, expect=READ_OFFICER_ONLY, default=404, label="draft"),
    Case("minutes.detail", "GET", proposed, expect=READ_MEMBERS, default=404, label="proposed"),
    Case("minutes.detail", "GET", published, expect=READ_MEMBERS, default=404, label="published"),
    # Shared with its organizer: the OC of its region reads them; the ISC, another region's OC,
    # the office and the admin still never do; an association never shares with the office.
    Case(
        "minutes.detail",
        "GET",
        _shared(organizer=True, office=True),
        expect={**READ_MEMBERS, "oc": 200},
        default=404,
        label="published-shared",
    ),
    Case(
        "minutes.body_index",
        "GET",
        lambda w: _shared(organizer=True, office=True)(w) and f"/bodies/{w.adl_a.id}/minutes",
        expect={**READ_MEMBERS, "oc": 200},
        default=404,
        label="shared",
    ),
    Case("minutes.edit", "GET", lambda w: draft(w, "/edit"), expect=READ_OFFICER_ONLY, default=404),
    Case(
        "minutes.edit",
        "POST",
        lambda w: draft(w, "/edit"),
        data=_editor_data,
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
        label="save",
    ),
    Case(
        "minutes.edit",
        "POST",
        lambda w: proposed(w, "/edit"),
        data=_editor_data,
        expect={"anonymous": 302, "officer_a": 302, "tenant_a": 403},
        default=404,
        label="save-proposed",
    ),
    Case(
        "minutes.autosave",
        "POST",
        lambda w: draft(w, "/autosave"),
        data=_editor_data,
        expect={"anonymous": 302, "officer_a": 200},
        default=404,
    ),
    Case(
        "minutes.resolve",
        "POST",
        lambda w: draft(w, "/resolve"),
        data={"resolution": "theirs", "version": "1"},
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "minutes.propose",
        "POST",
        _draft_with_next_meeting,
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "minutes.approve",
        "GET",
        lambda w: proposed(w, "/approve"),
        expect={"anonymous": 302, "officer_a": 200, "tenant_a": 403},
        default=404,
    ),
    Case(
        "minutes.approve",
        "POST",
        lambda w: proposed(w, "/approve"),
        data={"resolution_id": "0"},
        expect={"anonymous": 302, "officer_a": 422, "tenant_a": 403},
        default=404,
        label="invalid",
    ),
    Case(
        "minutes.sign",
        "POST",
        lambda w: approved(w, "/sign"),
        expect={"anonymous": 302, "officer_a": 302, "tenant_a": 403},
        default=404,
    ),
    Case(
        "minutes.publish",
        "POST",
        lambda w: signed(w, "/publish"),
        expect={"anonymous": 302, "officer_a": 302, "tenant_a": 403},
        default=404,
    ),
    Case(
        "minutes.correct",
        "GET",
        lambda w: published(w, "/correct"),
        expect={"anonymous": 302, "officer_a": 200, "tenant_a": 403},
        default=404,
    ),
    Case(
        "minutes.correct",
        "POST",
        lambda w: published(w, "/correct"),
        data={
            "text": "Texte corrigé",
            "change_note": "Coquille",
            "form_key": "00112233445566778899aabbccddeeff",
        },
        expect={"anonymous": 302, "officer_a": 302, "tenant_a": 403},
        default=404,
        label="submit",
    ),
    Case(
        "minutes.version",
        "GET",
        lambda w: published(w, "/versions/1"),
        expect=READ_MEMBERS,
        default=404,
    ),
    Case(
        "minutes.body_index",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/minutes?q=reunion",
        expect=READ_MEMBERS,
        default=404,
    ),
]

test_matrix = make_matrix_test(CASES)
