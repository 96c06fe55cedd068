"""Setting up a body (/bodies/new) never tells staff whether an email has an account (issue 6,
A-13): the old form answered "No account has this email address.", so an organizer or an admin
could probe who uses the app. Now an officer named with an email is invited in the app when the
email has an account, and by email with an invitation code when it has none; the register shows
the name typed, and staff get the same answer either way."""

import html
import re

import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations
from tenantvoice.orgs.models import Invitation, Member
from tests import factories as f
from tests.orgs.setup_helpers import body_named as _body
from tests.orgs.setup_helpers import seen_after_setup as _seen
from tests.orgs.setup_helpers import set_up_body
from tests.outbox.helpers import delivered_mail
from tests.same_page import page_told


def _setup(client, w, name, *, officer_name, email):
    return set_up_body(
        client, w.p1, w.s1, name, kind="committee", officer_name=officer_name, email=email
    )


def _answer(client, response, body):
    """What staff see: where they are sent, and the page there without the body's own id
    and name."""
    location = response.headers["Location"].replace(str(body.id), "<id>")
    page = html.unescape(client.get(response.headers["Location"]).text)
    flashes = re.findall(r'<p class="flash [^"]*">(.*?)</p>', page, re.S)
    return response.status_code, location, [m.replace(body.name, "<name>") for m in flashes]


def test_setup_answers_the_same_whether_or_not_the_email_has_an_account(world, client, auth):
    """Fails on the old code: the unknown email got 422 "No account has this email address.\""""
    auth.login(world.oc)
    known = _setup(
        client, world, "Comité A", officer_name="Carlos Mendoza", email="carlos@example.org"
    )
    seen_known = _answer(client, known, _body("Comité A"))
    unknown = _setup(
        client, world, "Comité B", officer_name="Nora Nouvelle", email="nora@example.org"
    )
    seen_unknown = _answer(client, unknown, _body("Comité B"))
    assert seen_known[0] == 302
    assert seen_known == seen_unknown
    assert "invitations/sheet" not in seen_known[1]  # no printed code for either
    assert any("were invited" in m for m in seen_known[2])


def test_an_email_without_an_account_gets_an_invitation_code_by_email(world, client, auth):
    auth.login(world.oc)
    response = _setup(
        client, world, "Comité B", officer_name="Nora Nouvelle", email="nora@example.org"
    )
    assert response.status_code == 302
    body = _body("Comité B")
    entry = db.session.scalar(
        sa.select(Member).where(Member.body_id == body.id, Member.name == "Nora Nouvelle")
    )
    assert entry is not None
    assert entry.user_id is None
    sent = [m for m in delivered_mail() if m["To"] == "nora@example.org"]
    assert len(sent) == 1
    content = sent[0].get_content()
    code = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b", content).group(1)
    invitation = invitations.find_usable(code)
    assert invitation is not None
    assert invitation.member_id == entry.id
    assert "/join" in content
    assert code not in re.findall(r"https?://\S+", content)[0]
    assert "Comité B" in sent[0]["Subject"]


def test_an_email_with_an_account_is_invited_in_the_app_and_gets_no_code(world, client, auth):
    auth.login(world.oc)
    _setup(client, world, "Comité A", officer_name="C. Mendoza", email="carlos@example.org")
    body = _body("Comité A")
    # The register shows the name typed, never the account's own name.
    entry = db.session.scalar(sa.select(Member).where(Member.body_id == body.id))
    assert entry.name == "C. Mendoza"
    assert entry.user_id is None
    offer = db.session.scalar(sa.select(Invitation).where(Invitation.body_id == body.id))
    assert offer.invitee_id == world.tenant_c.id
    assert not [m for m in delivered_mail() if "Comité A" in (m["Subject"] or "")]


def test_an_email_needs_a_name_whether_or_not_it_has_an_account(world, client, auth):
    auth.login(world.oc)
    answers = []
    for email in ("carlos@example.org", "nora@example.org"):
        response = _setup(client, world, "Comité C", officer_name="", email=email)
        assert response.status_code == 422
        answers.append(page_told(response))
    assert "Enter the person's name too" in answers[0]
    assert answers[0].replace("carlos@example.org", "") == answers[1].replace(
        "nora@example.org", ""
    )
    assert _body("Comité C") is None


def _setup_ccr(client, w, name, *, email):
    return set_up_body(client, w.p1, w.s1, name, kind="ccr", email=email)


# --- Office staff named as a CCR's officer (trust hole 2) ---------------------------------------


@pytest.fixture
def office_staff(world):
    """The office's direction (staff scoped to P1), who may never sit on its CCR."""
    staff = f.make_staff(
        role=StaffRole.DIRECTION,
        provider=world.p1,
        user=f.make_user(name="Dana Direction", email="dana@example.org"),
    ).user
    db.session.commit()
    return staff


@pytest.mark.parametrize("organizer", ["admin", "oc"])
def test_a_ccr_setup_answers_the_same_for_office_staff_as_for_an_unknown_email(
    world, client, auth, office_staff, organizer
):
    """Fails on the old code: the staff email got 422 "Office staff cannot be members of its
    CCR." next to it (and no body), an unknown one 302 and the body: whoever sets up a CCR could
    learn who works for the housing office."""
    auth.login(getattr(world, organizer))
    staff = _seen(
        client, _setup_ccr(client, world, "CCR Alpha", email=office_staff.email), "CCR Alpha"
    )
    unknown = _seen(
        client, _setup_ccr(client, world, "CCR Beta", email="inconnu@example.org"), "CCR Beta"
    )
    assert staff[0] == 302
    assert staff == unknown


def test_office_staff_named_at_setup_never_sit_on_the_ccr(world, client, auth, office_staff):
    """The staff account gets the in-app offer any account gets (no code it could use from a
    second account), and accepting it is refused: the register entry stays without an account."""
    auth.login(world.admin)
    _setup_ccr(client, world, "CCR Alpha", email=office_staff.email)
    body = _body("CCR Alpha")
    offer = db.session.scalar(sa.select(Invitation).where(Invitation.body_id == body.id))
    assert offer.invitee_id == office_staff.id
    assert not [m for m in delivered_mail() if m["To"] == office_staff.email]
    auth.login(office_staff)
    response = client.post(f"/invitations/{offer.id}/accept")
    assert response.status_code == 302
    assert "Office staff cannot be members" in html.unescape(
        client.get(response.headers["Location"]).text
    )
    db.session.expire_all()
    entry = db.session.scalar(sa.select(Member).where(Member.body_id == body.id))
    assert entry.user_id is None
    assert db.session.get(Invitation, offer.id).used_at is None
