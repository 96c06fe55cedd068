"""Meetings: scheduling, agenda, RSVP, proposals, calendar, printed notice (domain-rules §5.2
"Notice of meeting, agenda"). Meetings belong to ADL A unless said otherwise.

Hand-written: a published meeting of A is read by A's members (tenant_a, officer_a); managed by
A's officers only; every other role gets 404 (B, C, staff, admin, outsider), except the OC when
invited as a resource person. A draft is seen by A's officers only. The list of a body's meetings
follows the body page (members, site tenants, OC/ISC/direction of its provider, admin).
"""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings import services
from tenantvoice.meetings.models import AgendaProposal, MeetingStatus
from tests import factories as f
from tests.matrix.harness import Case, make_matrix_test

READERS = {"anonymous": 302, "tenant_a": 200, "officer_a": 200}
OFFICER_ONLY_PAGE = {"anonymous": 302, "tenant_a": 403, "officer_a": 200}
OFFICER_ONLY_POST = {"anonymous": 302, "tenant_a": 403, "officer_a": 302}
BODY_PAGE = {
    "anonymous": 302,
    "tenant_a": 200,
    "officer_a": 200,
    "oc": 200,
    "isc": 200,
    "direction": 200,
    "admin": 200,
}


def _meeting(w, **kw):
    meeting = f.make_meeting(body=w.adl_a, **kw)
    db.session.commit()
    return meeting


def _draft(w):
    return _meeting(w, status=MeetingStatus.DRAFT)


def _item_url(w, action):
    meeting = _meeting(w)
    return f"/meetings/{meeting.id}/agenda/{meeting.agenda_items[0].id}/{action}"


def _proposal_url(w, action):
    meeting = _meeting(w)
    proposal = AgendaProposal(meeting_id=meeting.id, proposed_by_id=w.tenant_a.id, title="Item")
    db.session.add(proposal)
    db.session.commit()
    return f"/meetings/{meeting.id}/proposals/{proposal.id}/{action}"


def _decline_reason(w):
    last = db.session.scalar(sa.select(sa.func.max(AgendaProposal.id)))
    return {f"p{last}-reason": "Hors sujet"}


def _new_meeting_form(w):
    day = (clock.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    return {
        "kind": "board",
        "title": "CA",
        "day": day,
        "start_time": "19:00",
        "end_time": "20:30",
        "place": "Salle communautaire",
        "audience": "members",
        "form_key": "fedcba9876543210fedcba9876543210",
    }


def _feed(w):
    url = f"/calendar/{services.feed_token(w.tenant_a)}.ics"
    db.session.commit()
    return url


CASES = [
    Case(
        "meetings.body_list",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/meetings",
        expect=BODY_PAGE,
        default=404,
    ),
    Case(
        "meetings.create",
        "GET",
        lambda w: f"/bodies/{w.adl_a.id}/meetings/new",
        expect={
            "anonymous": 302,
            "tenant_a": 403,
            "officer_a": 200,
            "oc": 403,
            "isc": 403,
            "direction": 403,
            "admin": 403,
        },
        default=404,
    ),
    Case(
        "meetings.create",
        "POST",
        lambda w: f"/bodies/{w.adl_a.id}/meetings/new",
        data=_new_meeting_form,
        expect={
            "anonymous": 302,
            "tenant_a": 403,
            "officer_a": 302,
            "oc": 403,
            "isc": 403,
            "direction": 403,
            "admin": 403,
        },
        default=404,
    ),
    Case(
        "meetings.show",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}",
        expect=READERS,
        default=404,
        label="published",
    ),
    Case(
        "meetings.show",
        "GET",
        lambda w: f"/meetings/{_draft(w).id}",
        expect={"anonymous": 302, "officer_a": 200},
        default=404,
        label="draft",
    ),
    Case(
        "meetings.show",
        "GET",
        lambda w: f"/meetings/{_meeting(w, oc_invited=True).id}",
        expect={**READERS, "oc": 200},
        default=404,
        label="oc-invited",
    ),
    Case(
        "meetings.edit",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/edit",
        expect=OFFICER_ONLY_PAGE,
        default=404,
    ),
    Case(
        "meetings.publish",
        "POST",
        lambda w: f"/meetings/{_draft(w).id}/publish",
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "meetings.cancel",
        "POST",
        lambda w: f"/meetings/{_meeting(w).id}/cancel",
        data={"reason": "Tempête"},
        expect=OFFICER_ONLY_POST,
        default=404,
    ),
    # Destructive actions: GET is the no-JavaScript confirmation page (changes nothing).
    Case(
        "meetings.delete",
        "GET",
        lambda w: f"/meetings/{_draft(w).id}/delete",
        expect={"anonymous": 302, "officer_a": 200},
        default=404,
    ),
    Case(
        "meetings.delete",
        "POST",
        lambda w: f"/meetings/{_draft(w).id}/delete",
        expect={"anonymous": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "meetings.item_add",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/agenda/new",
        expect=OFFICER_ONLY_PAGE,
        default=404,
    ),
    Case(
        "meetings.item_edit",
        "GET",
        lambda w: _item_url(w, "edit"),
        expect=OFFICER_ONLY_PAGE,
        default=404,
    ),
    Case(
        "meetings.item_delete",
        "GET",
        lambda w: _item_url(w, "delete"),
        expect=OFFICER_ONLY_PAGE,
        default=404,
    ),
    Case(
        "meetings.item_delete",
        "POST",
        lambda w: _item_url(w, "delete"),
        expect=OFFICER_ONLY_POST,
        default=404,
    ),
    Case(
        "meetings.item_move",
        "POST",
        lambda w: _item_url(w, "move"),
        data={"direction": "down"},
        expect=OFFICER_ONLY_POST,
        default=404,
    ),
    Case(
        "meetings.rsvp",
        "POST",
        lambda w: f"/meetings/{_meeting(w).id}/rsvp",
        data={"answer": "yes", "party_size": "1"},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "meetings.propose",
        "POST",
        lambda w: f"/meetings/{_meeting(w).id}/proposals",
        data={"title": "Déneigement", "form_key": "0123456789abcdef0123456789abcdef"},
        expect={"anonymous": 302, "tenant_a": 302, "officer_a": 302},
        default=404,
    ),
    Case(
        "meetings.proposal_accept",
        "POST",
        lambda w: _proposal_url(w, "accept"),
        expect=OFFICER_ONLY_POST,
        default=404,
    ),
    Case(
        "meetings.proposal_decline",
        "POST",
        lambda w: _proposal_url(w, "decline"),
        data=_decline_reason,
        expect=OFFICER_ONLY_POST,
        default=404,
    ),
    # Everyone signed in reads their own next meetings (none for staff or an outsider).
    Case(
        "meetings.upcoming",
        "GET",
        lambda w: "/meetings/upcoming",
        expect={"anonymous": 302},
        default=200,
    ),
    Case(
        "meetings.event_ics",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/event.ics",
        expect=READERS,
        default=404,
    ),
    Case(
        "meetings.notice",
        "GET",
        lambda w: f"/meetings/{_meeting(w).id}/notice?lang=both",
        expect=READERS,
        default=404,
    ),
    # The feed needs no login: the token is the credential, whoever holds it.
    Case("meetings.feed", "GET", _feed, default=200),
    Case(
        "meetings.feed",
        "GET",
        lambda w: "/calendar/1-unknown.ics",
        default=404,
        label="unknown-token",
    ),
    Case(
        "meetings.calendar_settings",
        "GET",
        lambda w: "/calendar",
        expect={"anonymous": 302},
        default=200,
    ),
    Case(
        "meetings.calendar_regenerate",
        "GET",
        lambda w: "/calendar/regenerate",
        expect={"anonymous": 302},
        default=200,
    ),
    Case("meetings.calendar_regenerate", "POST", lambda w: "/calendar/regenerate", default=302),
]

test_matrix = make_matrix_test(CASES)
