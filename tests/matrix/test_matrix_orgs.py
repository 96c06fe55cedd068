"""Orgs routes: body page, member register, rules, invitations, reset codes, body set-up.

Hand-written from domain-rules §5.2: the register is the officers' only (direction, OC, ISC and
the platform admin never see it); its existence is hidden (404) from non-members, and members
who are not officers get 403. The body page (recognition) is readable by its members, the
tenants of its sites, the OC/ISC and direction of its provider, and the platform admin.
"""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.orgs.models import Member
from tests.matrix.harness import Case, make_matrix_test

OFFICERS_ONLY = {"anonymous": 302, "officer_a": 200, "tenant_a": 403}
OFFICERS_POST = {"anonymous": 302, "officer_a": 302, "tenant_a": 403}
#: Who reads ADL A's body page but may not record its recognition.
RECOGNITION_READERS = {
    "anonymous": 302,
    "tenant_a": 403,
    "officer_a": 403,
    "oc": 403,
    "isc": 403,
    "admin": 403,
}


def _a(w, suffix=""):
    return f"/bodies/{w.adl_a.id}{suffix}"


def _member_data(w):
    return {
        "form_key": "0123456789abcdef0123456789abcdef",
        "name": "Amina Haddad",
        "site_id": str(w.s1.id),
        "unit": "204",
        "phone": "",
        "is_adult": "y",
        "role": "member",
        "seat_source": "registered",
    }


def _paper_data(w):
    return {
        "name": "Gérard Côté",
        "site_id": str(w.s1.id),
        "unit": "112",
        "phone": "",
        "is_adult": "y",
        "role": "treasurer",
        "seat_source": "elected",
    }


def _rules_data(w):
    return {
        "notice_days_general": "10",
        "notice_days_board": "3",
        "quorum_mode": "percent",
        "quorum_number": "5",
        "quorum_percent": "10",
        "quorum_base": "adults",
        "quorum_minimum": "5",
        "franchise": "adult",
        "minutes_audience": "members",
        "secret_ballot_default": "y",
        "answer_delay_days": "45",
    }


def _tenant_entry_reset(w):
    entry = db.session.scalar(sa.select(Member).where(Member.user_id == w.tenant_a.id))
    return _a(w, f"/members/{entry.id}/reset-code")


def _revoke_url(w):
    from tenantvoice.orgs.invitations import create_invitation

    invitation, _code = create_invitation(w.officer_a, w.adl_a, label="Porte 104")
    db.session.commit()
    return _a(w, f"/invitations/{invitation.id}/revoke")


def _setup_data(w):
    return {
        "provider_id": str(w.p1.id),
        "kind": "committee",
        "name": "Comité des loisirs",
        "site_ids": [str(w.s1.id)],
        "officers-0-role": "president",
        "officers-0-name": "Lucie Tremblay",
        "officers-0-email": "lucie@example.org",
        "officers-1-role": "member",
        "officers-2-role": "member",
    }


def _offer_to_tenant_a(w, action):
    """ADL B's secretary invites tenant A's account into ADL B: only tenant A answers."""
    from flask import current_app

    from tenantvoice.orgs.invitations import offer_to_account

    entry = Member(body=w.adl_b, name="Lucie", role="member")
    db.session.add(entry)
    db.session.flush()
    with current_app.test_request_context():  # the notification's link is built with url_for
        invitation = offer_to_account(w.officer_b, w.adl_b, w.tenant_a, entry)
    db.session.commit()
    return f"/invitations/{invitation.id}/{action}"


CASES = [
    # Invitations addressed to my account: the list is everyone's own; only the invitee answers.
    Case(
        "orgs.my_invitations",
        "GET",
        lambda w: "/invitations",
        expect={"anonymous": 302},
        default=200,
    ),
    Case(
        "orgs.invitation_accept",
        "POST",
        lambda w: _offer_to_tenant_a(w, "accept"),
        expect={"anonymous": 302, "tenant_a": 302},
        default=404,
    ),
    Case(
        "orgs.invitation_decline",
        "POST",
        lambda w: _offer_to_tenant_a(w, "decline"),
        expect={"anonymous": 302, "tenant_a": 302},
        default=404,
    ),
    Case(
        "orgs.body",
        "GET",
        lambda w: _a(w),
        expect={
            "anonymous": 302,
            "tenant_a": 200,
            "officer_a": 200,
            "oc": 200,
            "isc": 200,
            "direction": 200,
            "admin": 200,
        },
        default=404,
    ),
    Case("orgs.register", "GET", lambda w: _a(w, "/members"), expect=OFFICERS_ONLY, default=404),
    Case(
        "orgs.member_new", "GET", lambda w: _a(w, "/members/new"), expect=OFFICERS_ONLY, default=404
    ),
    Case(
        "orgs.member_new",
        "POST",
        lambda w: _a(w, "/members/new"),
        data=_member_data,
        expect=OFFICERS_POST,
        default=404,
    ),
    Case(
        "orgs.member_edit",
        "GET",
        lambda w: _a(w, f"/members/{w.paper_member_a.id}/edit"),
        expect=OFFICERS_ONLY,
        default=404,
    ),
    Case(
        "orgs.member_edit",
        "POST",
        lambda w: _a(w, f"/members/{w.paper_member_a.id}/edit"),
        data=_paper_data,
        expect=OFFICERS_POST,
        default=404,
    ),
    Case(
        "orgs.member_end",
        "GET",
        lambda w: _a(w, f"/members/{w.paper_member_a.id}/end"),
        expect=OFFICERS_ONLY,
        default=404,
    ),
    Case(
        "orgs.member_end",
        "POST",
        lambda w: _a(w, f"/members/{w.paper_member_a.id}/end"),
        expect=OFFICERS_POST,
        default=404,
    ),
    Case(
        "orgs.member_reset_code",
        "POST",
        _tenant_entry_reset,
        expect={"anonymous": 302, "officer_a": 200, "tenant_a": 403},
        default=404,
    ),
    Case("orgs.rules", "GET", lambda w: _a(w, "/rules"), expect=OFFICERS_ONLY, default=404),
    # The office records its recognition of an association (§5.2 "Recognition status": the
    # office ✔, everyone else reads it on the body page): the direction of the association's
    # provider. Who sees the body page gets 403; who does not learns nothing (404).
    Case(
        "orgs.recognition",
        "GET",
        lambda w: _a(w, "/recognition"),
        expect=RECOGNITION_READERS | {"direction": 200},
        default=404,
    ),
    Case(
        "orgs.recognition",
        "POST",
        lambda w: _a(w, "/recognition"),
        data={"recognized_on": "2024-05-01", "recognition_reference": "CA-2024-12"},
        expect=RECOGNITION_READERS | {"direction": 302},
        default=404,
    ),
    # An officer's own consent that the organizer sees their contact (issue 9): the officer
    # alone gives it; a member gets 403; nobody else (staff included) learns of the route.
    Case(
        "orgs.organizer_consent",
        "POST",
        lambda w: _a(w, "/my-contact-for-organizer"),
        data={"share": "1"},
        expect=OFFICERS_POST,
        default=404,
    ),
    Case(
        "orgs.rules",
        "POST",
        lambda w: _a(w, "/rules"),
        data=_rules_data,
        expect=OFFICERS_POST,
        default=404,
    ),
    Case(
        "orgs.invitation_list",
        "GET",
        lambda w: _a(w, "/invitations"),
        expect=OFFICERS_ONLY,
        default=404,
    ),
    Case(
        "orgs.invitation_new",
        "GET",
        lambda w: _a(w, "/invitations/new"),
        expect=OFFICERS_ONLY,
        default=404,
    ),
    Case(
        "orgs.invitation_new",
        "POST",
        lambda w: _a(w, "/invitations/new"),
        data={"count": "2", "label": "Hall", "form_key": "0123456789abcdef0123456789abcdef"},
        expect=OFFICERS_POST,
        default=404,
    ),
    Case(
        "orgs.invitation_sheet",
        "GET",
        lambda w: _a(w, "/invitations/sheet"),
        expect=OFFICERS_ONLY,
        default=404,
    ),
    Case(
        "orgs.invitation_sheet_forget",
        "POST",
        lambda w: _a(w, "/invitations/sheet/forget"),
        expect=OFFICERS_POST,
        default=404,
    ),
    Case("orgs.invitation_revoke", "GET", _revoke_url, expect=OFFICERS_ONLY, default=404),
    Case("orgs.invitation_revoke", "POST", _revoke_url, expect=OFFICERS_POST, default=404),
    # Set up a body: the platform admin, or an OC (each in their own region).
    Case(
        "orgs.setup_body",
        "GET",
        lambda w: "/bodies/new",
        expect={"anonymous": 302, "oc": 200, "oc_other": 200, "admin": 200},
        default=403,
    ),
    Case(
        "orgs.setup_body",
        "POST",
        lambda w: "/bodies/new",
        data=_setup_data,
        expect={"anonymous": 302, "oc": 302, "oc_other": 422, "admin": 302},
        default=403,
    ),
]

test_matrix = make_matrix_test(CASES)
