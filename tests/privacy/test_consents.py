"""Consents per purpose (Q-03, Q-05): a fresh account has given none; each is one tap, logged
with the policy version, and a withdrawal takes effect at once."""

import html
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tenantvoice.accounts import consents
from tenantvoice.accounts.models import ConsentRecord
from tenantvoice.extensions import db
from tenantvoice.notifications import services as notification_services
from tenantvoice.orgs.models import Member, MemberRole
from tenantvoice.privacy import consents as privacy_consents
from tests import factories as f
from tests.needs.helpers import forward, raise_need

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr-CA"}


def _entry(user, body):
    return db.session.scalar(
        sa.select(Member).where(Member.user_id == user.id, Member.body_id == body.id)
    )


def test_a_fresh_account_has_every_setting_at_its_most_private_value(world):
    """Q-03: no intervention by the person; every consent off, every sharing off."""
    officer = f.make_tenant(body=world.adl_a, role=MemberRole.PRESIDENT, name="Nouvelle")
    db.session.commit()
    settings = privacy_consents.settings_for(officer)
    assert {s.purpose.key for s in settings} == {p.key for p in privacy_consents.PURPOSES}
    assert [s for s in settings if s.given] == []
    member = _entry(officer, world.adl_a)
    assert member.consent_contact is False
    assert member.consent_share_with_organizer is False
    assert notification_services.settings_for(officer).email_details is False
    assert consents.given(officer, consents.NEED_TEXT_TO_ORGANIZER) is False


def test_every_box_is_unticked_with_its_reason_on_the_page(world, client, auth):
    auth.login(world.tenant_a)
    page = client.get("/account/privacy", headers=EN).text
    assert page.count("Why we ask:") == len(privacy_consents.settings_for(world.tenant_a))
    assert 'data-given="yes"' not in page
    assert "Give my consent" in page
    assert "Withdraw my consent" not in page


def test_the_need_form_box_is_unticked_unless_the_person_consented(world, client, auth):
    auth.login(world.tenant_a)
    assert "checked" not in _share_box(client.get("/needs/new").text)
    client.post(
        "/account/privacy/consent", data={"purpose": "need_text_to_organizer", "given": "1"}
    )
    assert "checked" in _share_box(client.get("/needs/new").text)


def _share_box(page: str) -> str:
    start = page.index('id="share_text"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


def test_giving_and_withdrawing_are_logged_with_the_policy_version(world, client, auth):
    auth.login(world.tenant_a)
    for given in ("1", "0"):
        response = client.post(
            "/account/privacy/consent", data={"purpose": "need_text_to_organizer", "given": given}
        )
        assert response.status_code == 302
    log = db.session.scalars(sa.select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [(r.purpose, r.given, r.policy_version) for r in log] == [
        ("need_text_to_organizer", True, "2026-12"),
        ("need_text_to_organizer", False, "2026-12"),
    ]


def test_the_same_tap_twice_records_once(world, client, auth):
    auth.login(world.tenant_a)
    for __ in range(2):
        client.post("/account/privacy/consent", data={"purpose": "email_details", "given": "1"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentRecord)) == 1
    assert notification_services.settings_for(world.tenant_a).email_details is True


def test_withdrawing_the_need_text_consent_hides_the_text_from_the_organizer_at_once(
    world, client, auth
):
    """Q-05's test idea: the organizer no longer sees the need's text."""
    auth.login(world.tenant_a)
    client.post(
        "/account/privacy/consent", data={"purpose": "need_text_to_organizer", "given": "1"}
    )
    need = raise_need(world, title="Punaises au troisième", share_text=True)
    forward(world, need, wording="Problème signalé au bâtiment")
    auth.login(world.oc)
    assert "Punaises au troisième" in client.get(f"/organizing/needs/{need.id}").text
    auth.login(world.tenant_a)
    client.post(
        "/account/privacy/consent", data={"purpose": "need_text_to_organizer", "given": "0"}
    )
    db.session.refresh(need)
    assert need.share_text is False
    assert "punaises" not in need.organizer_search_key
    auth.login(world.oc)
    page = client.get(f"/organizing/needs/{need.id}").text
    assert "Punaises au troisième" not in page
    assert "Problème signalé au bâtiment" in page


def test_contact_by_the_body_is_given_and_withdrawn_per_register_entry(world, client, auth):
    auth.login(world.tenant_a)
    data = {"purpose": "contact_by_body", "body_id": str(world.adl_a.id), "given": "1"}
    client.post("/account/privacy/consent", data=data)
    assert _entry(world.tenant_a, world.adl_a).consent_contact is True
    client.post("/account/privacy/consent", data=data | {"given": "0"})
    member = _entry(world.tenant_a, world.adl_a)
    assert member.consent_contact is False
    assert member.consent_recorded_at is None
    assert consents.given(world.tenant_a, consents.CONTACT_BY_BODY, body_id=world.adl_a.id) is False


def test_withdrawing_the_organizer_consent_hides_the_officers_contact_at_once(world, client, auth):
    auth.login(world.officer_a)
    data = {"purpose": "contact_to_organizer", "body_id": str(world.adl_a.id), "given": "1"}
    client.post("/account/privacy/consent", data=data)
    assert _entry(world.officer_a, world.adl_a).consent_share_with_organizer is True
    client.post("/account/privacy/consent", data=data | {"given": "0"})
    assert _entry(world.officer_a, world.adl_a).consent_share_with_organizer is False
    # In the order they were written: without ORDER BY, PostgreSQL may return the rows in any
    # order (after the DELETEs that empty tables between tests, a new row can fill an old gap).
    purposes = db.session.scalars(sa.select(ConsentRecord.given).order_by(ConsentRecord.id)).all()
    assert purposes == [True, False]


def test_a_tenant_cannot_give_the_officers_consent_nor_one_for_another_body(world, client, auth):
    auth.login(world.tenant_a)
    officer_only = {"purpose": "contact_to_organizer", "body_id": str(world.adl_a.id), "given": "1"}
    assert client.post("/account/privacy/consent", data=officer_only).status_code == 404
    elsewhere = {"purpose": "contact_by_body", "body_id": str(world.adl_b.id), "given": "1"}
    assert client.post("/account/privacy/consent", data=elsewhere).status_code == 404
    unknown = {"purpose": "sell_my_data", "given": "1"}
    assert client.post("/account/privacy/consent", data=unknown).status_code == 404


def test_the_reason_continues_in_lower_case_after_the_colon_in_both_languages(world, client, auth):
    """Québec usage: after « : » the text goes on in lower case ("Pourquoi nous le demandons :
    pour que…"), and the English reads "Why we ask: so…"; one sentence to translate, not two."""
    auth.login(world.tenant_a)
    french = html.unescape(client.get("/account/privacy", headers=FR).text)
    assert "Pourquoi nous le demandons\u00a0: pour qu" in french
    assert "demandons\u00a0: Pour" not in french
    english = html.unescape(client.get("/account/privacy", headers=EN).text)
    assert "Why we ask: so its officers can phone or write to you" in english
    assert "Why we ask: So" not in english


def _register_form(member, **over):
    data = {
        "name": member.name,
        "site_id": str(member.site_id or ""),
        "unit": member.unit or "",
        "phone": member.phone or "",
        "is_adult": "y",
        "role": member.role.value,
        "seat_source": member.seat_source.value,
        "since": "",
        "until": "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_a_consent_an_officer_records_from_paper_is_in_the_person_s_log(world, client, auth):
    """A tenant without a smartphone signs the association's form: the officer ticks "agrees to
    be contacted" in the register, and the tenant's consent log says so, on paper, by whom."""
    member = _entry(world.tenant_a, world.adl_a)
    url = f"/bodies/{world.adl_a.id}/members/{member.id}/edit"
    auth.login(world.officer_a)
    assert client.post(url, data=_register_form(member, consent_contact="y")).status_code == 302
    [line] = consents.history(world.tenant_a)
    assert (line.purpose, line.body_id, line.given) == (
        consents.CONTACT_BY_BODY,
        world.adl_a.id,
        True,
    )
    assert line.on_paper is True
    assert line.recorded_by_id == world.officer_a.id
    assert line.policy_version
    assert consents.given(world.tenant_a, consents.CONTACT_BY_BODY, body_id=world.adl_a.id)

    # Saving the entry again changes nothing in the log; unticking records the withdrawal.
    assert client.post(url, data=_register_form(member, consent_contact="y")).status_code == 302
    assert len(consents.history(world.tenant_a)) == 1
    assert client.post(url, data=_register_form(member)).status_code == 302
    lines = consents.history(world.tenant_a)
    assert [(x.given, x.on_paper, x.recorded_by_id) for x in lines] == [
        (True, True, world.officer_a.id),
        (False, True, world.officer_a.id),
    ]


def test_the_person_s_own_consent_is_not_on_paper(world, client, auth):
    auth.login(world.tenant_a)
    client.post(
        "/account/privacy/consent",
        data={"purpose": consents.NEED_TEXT_TO_ORGANIZER, "given": "1"},
        headers=EN,
    )
    [line] = consents.history(world.tenant_a)
    assert (line.on_paper, line.recorded_by_id) == (False, None)


def _lines(**where):
    db.session.expire_all()
    query = sa.select(ConsentRecord).filter_by(**where).order_by(ConsentRecord.id)
    return list(db.session.scalars(query))


def test_a_paper_entry_without_an_account_has_its_consent_logged(world, client, auth):
    """A tenant with no smartphone signs the association's form: the officer's tick goes to the
    log under the register entry (no account yet), on paper, by whom; unticking is logged too."""
    paper = world.paper_member_a
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/members/{paper.id}/edit"
    assert client.post(url, data=_register_form(paper, consent_contact="y")).status_code == 302
    db.session.refresh(paper)
    assert paper.consent_contact is True  # the register still shows it
    [line] = _lines(member_id=paper.id)
    assert (line.user_id, line.purpose, line.body_id, line.given) == (
        None,
        consents.CONTACT_BY_BODY,
        world.adl_a.id,
        True,
    )
    assert (line.on_paper, line.recorded_by_id) == (True, world.officer_a.id)
    assert line.policy_version
    assert client.post(url, data=_register_form(paper)).status_code == 302
    assert [x.given for x in _lines(member_id=paper.id)] == [True, False]


def test_a_person_entered_on_paper_with_their_consent_has_it_logged(world, client, auth):
    auth.login(world.officer_a)
    data = {
        "name": "Amina Haddad",
        "site_id": str(world.s1.id),
        "unit": "204",
        "is_adult": "y",
        "role": "member",
        "seat_source": "registered",
        "consent_contact": "y",
        "form_key": uuid.uuid4().hex,
    }
    assert client.post(f"/bodies/{world.adl_a.id}/members/new", data=data).status_code == 302
    member = db.session.scalar(sa.select(Member).where(Member.name == "Amina Haddad"))
    [line] = _lines(member_id=member.id)
    assert (line.user_id, line.given, line.on_paper, line.recorded_by_id) == (
        None,
        True,
        True,
        world.officer_a.id,
    )
    # Entered without the box ticked: nothing was given, no line (as for an account).
    data.update(name="Omar Haddad", unit="205", consent_contact=None, form_key=uuid.uuid4().hex)
    data = {k: v for k, v in data.items() if v is not None}
    assert client.post(f"/bodies/{world.adl_a.id}/members/new", data=data).status_code == 302
    other = db.session.scalar(sa.select(Member).where(Member.name == "Omar Haddad"))
    assert _lines(member_id=other.id) == []


def _paper_consent_then_join(world, client, auth, *, tick_at_join):
    """The officer records the paper consent, prints a code for the entry, and the person joins
    with it (ticking the app's own box or not). Returns the new account."""
    from tenantvoice.accounts.models import User
    from tenantvoice.orgs import invitations

    paper = world.paper_member_a
    auth.login(world.officer_a)
    url = f"/bodies/{world.adl_a.id}/members/{paper.id}/edit"
    assert client.post(url, data=_register_form(paper, consent_contact="y")).status_code == 302
    auth.logout()
    _invitation, code = invitations.create_invitation(world.officer_a, world.adl_a, member=paper)
    db.session.commit()
    details = {
        "step": "details",
        "code": code,
        "name": "Gérard Côté",
        "email": "gerard@example.org",
        "phone": "",
        "password": "trois petits chats gris",
    }
    if tick_at_join:
        details["consent_contact"] = "y"
    assert client.post("/join", data=details).status_code == 302
    return db.session.scalar(sa.select(User).where(User.email == "gerard@example.org"))


def test_joining_makes_the_entry_s_paper_consent_the_person_s(world, client, auth):
    user = _paper_consent_then_join(world, client, auth, tick_at_join=True)
    lines = consents.history(user)
    assert [(x.given, x.on_paper, x.member_id) for x in lines] == [
        (True, True, world.paper_member_a.id),  # the officer's, from the paper form
        (True, False, None),  # the person's own, in the app
    ]
    assert _lines(member_id=world.paper_member_a.id, user_id=None) == []
    assert consents.given(user, consents.CONTACT_BY_BODY, body_id=world.adl_a.id)


def test_unticking_when_joining_withdraws_the_paper_consent(world, client, auth):
    user = _paper_consent_then_join(world, client, auth, tick_at_join=False)
    assert [(x.given, x.on_paper) for x in consents.history(user)] == [(True, True), (False, False)]
    assert not consents.given(user, consents.CONTACT_BY_BODY, body_id=world.adl_a.id)
    db.session.refresh(world.paper_member_a)
    assert world.paper_member_a.consent_contact is False


def test_the_export_carries_the_paper_consent_once_the_person_joined(world, client, auth):
    from tenantvoice.privacy import export

    user = _paper_consent_then_join(world, client, auth, tick_at_join=True)
    lines = export.build(user)["sections"]["consents"]
    assert [(x["given"], x["on_paper"]) for x in lines] == [(True, True), (True, False)]
    assert all("recorded_by_id" not in x and "member_id" not in x for x in lines)


def test_forgetting_the_person_deletes_the_paper_consents_of_their_entries(world, client, auth):
    from tenantvoice.privacy.forget import forget

    user = _paper_consent_then_join(world, client, auth, tick_at_join=True)
    entry = world.paper_member_a.id
    # A line still under the entry alone (recorded as the person joined) goes too.
    consents.record(None, consents.CONTACT_BY_BODY, False, world.adl_a.id, member_id=entry)
    assert forget(user)
    db.session.commit()
    assert _lines(member_id=entry) == []
    assert _lines(user_id=user.id) == []


def test_a_line_names_a_person_or_an_entry(world):
    with pytest.raises(IntegrityError):
        consents.record(None, consents.CONTACT_BY_BODY, True, world.adl_a.id)
    db.session.rollback()
