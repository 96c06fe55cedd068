"""Sign-up by invitation (/join): the code first, then the account; errors next to the fields."""

import html
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts import services
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations
from tenantvoice.orgs.models import Member, Tenancy
from tests import factories as f

GOOD_PASSWORD = "trois petits chats gris"


def text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def invite(app):
    body = f.make_body(name="Association du Parc", sites=[f.make_site()])
    invitation, code = invitations.create_invitation(None, body, site=body.sites[0], unit="104")
    db.session.commit()
    return invitation, code


def _details(code, **overrides):
    data = {
        "step": "details",
        "code": code,
        "name": "Lucie Tremblay",
        "email": "lucie@example.org",
        "phone": "",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def test_join_get_prefills_the_code(client, invite):
    _, code = invite
    response = client.get(f"/join?code={code.replace('-', '').lower()}")
    assert response.status_code == 200
    assert f'value="{code}"' in text(response)


def test_valid_code_shows_the_account_form(client, invite):
    _, code = invite
    response = client.post("/join", data={"step": "code", "code": code})
    assert response.status_code == 200
    assert "Association du Parc" in text(response)
    assert 'autocomplete="new-password"' in text(response)
    assert 'type="checkbox"' in text(response)
    assert "checked" not in text(response)  # consent is never pre-checked


def test_join_happy_path_links_member_and_tenancy(client, invite):
    invitation, code = invite
    response = client.post("/join", data=_details(code, phone="418 555-0199", consent_contact="y"))
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "lucie@example.org"))
    assert user.phone == "4185550199"
    assert user.password_hash.startswith("scrypt:")
    member = db.session.scalar(sa.select(Member).where(Member.user_id == user.id))
    assert member.body_id == invitation.body_id
    assert member.consent_contact is True
    tenancy = db.session.scalar(sa.select(Tenancy).where(Tenancy.user_id == user.id))
    assert tenancy.unit == "104"
    db.session.refresh(invitation)
    assert invitation.used_by_id == user.id
    home = client.get("/")
    assert home.status_code == 200  # logged in
    assert "Bienvenue, Lucie Tremblay" in text(home)


def test_join_without_consent_records_no_consent(client, invite):
    _, code = invite
    client.post("/join", data=_details(code))
    member = db.session.scalar(sa.select(Member).where(Member.user_id.is_not(None)))
    assert member.consent_contact is False


def test_unknown_code_is_refused_in_french(client, invite):
    response = client.post("/join", data={"step": "code", "code": "ZZZZ-ZZZZ"})
    assert response.status_code == 422
    assert "Ce code n'est pas valide" in text(response)
    assert 'value="ZZZZ-ZZZZ"' in text(response)


def test_unknown_code_is_refused_in_english(client, invite):
    response = client.post(
        "/join", data={"step": "code", "code": "ZZZZ-ZZZZ"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert "This code is not valid" in text(response)


def test_a05_used_code_is_refused(client, invite):
    invitation, code = invite
    invitations.redeem(invitation, f.make_user())
    db.session.commit()
    response = client.post("/join", data={"step": "code", "code": code})
    assert response.status_code == 422
    assert "Ce code n'est pas valide" in text(response)


def test_a05_expired_code_is_refused(client, invite):
    _, code = invite
    clock.advance(timedelta(days=15))
    response = client.post("/join", data=_details(code))
    assert response.status_code == 422
    assert "Ce code n'est pas valide" in text(response)
    assert db.session.scalar(sa.select(User).where(User.email == "lucie@example.org")) is None


def test_a05_second_signup_with_same_code_fails(client, app, invite):
    _, code = invite
    assert client.post("/join", data=_details(code)).status_code == 302
    other = app.test_client()
    response = other.post("/join", data=_details(code, email="autre@example.org"))
    assert response.status_code == 422
    assert db.session.scalar(sa.select(User).where(User.email == "autre@example.org")) is None


@pytest.mark.parametrize(
    ("password", "french", "english"),
    [
        ("", "Choisissez un mot de passe.", "Choose a password."),
        ("court", "au moins 8 caractères", "at least 8 characters"),
        ("motdepasse", "trop courant", "too common"),
        ("Soleil123", "trop courant", "too common"),
        ("password123", "trop courant", "too common"),
        ("x" * 129, "au plus 128 caractères", "at most 128 characters"),
    ],
)
def test_a14_bad_passwords_are_refused(client, invite, password, french, english):
    _, code = invite
    response = client.post("/join", data=_details(code, password=password))
    assert response.status_code == 422
    assert french in text(response)
    assert 'value="Lucie Tremblay"' in text(response)  # values kept
    response = client.post(
        "/join", data=_details(code, password=password), headers={"Accept-Language": "en"}
    )
    assert english in text(response)


def test_a14_password_equal_to_name_or_email_is_refused(client, invite):
    _, code = invite
    response = client.post(
        "/join", data=_details(code, name="Jean-Pierre Lavoie", password="jean-pierre lavoie")
    )
    assert response.status_code == 422
    assert "ne doit pas être votre nom" in text(response)
    response = client.post("/join", data=_details(code, password="lucie@example.org"))
    assert response.status_code == 422


def test_a14_long_passphrase_is_accepted(client, invite):
    _, code = invite
    passphrase = "p" * 45 + " sous la pluie"
    response = client.post("/join", data=_details(code, password=passphrase))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.scalar(sa.select(User).where(User.email == "lucie@example.org"))
    assert services.check_password(user, passphrase)


def test_too_long_name_is_refused(client, invite):
    _, code = invite
    response = client.post("/join", data=_details(code, name="N" * 121))
    assert response.status_code == 422
    assert "au plus 120 caractères" in text(response)


def test_invalid_email_is_refused(client, invite):
    _, code = invite
    response = client.post("/join", data=_details(code, email="pas-un-courriel"))
    assert response.status_code == 422
    assert "nom@exemple.com" in text(response)
    english = client.post(
        "/join", data=_details(code, email="pas-un-courriel"), headers={"Accept-Language": "en"}
    )
    assert "name@example.com" in text(english)


def test_email_or_phone_is_needed(client, invite):
    _, code = invite
    response = client.post("/join", data=_details(code, email="", phone=""))
    assert response.status_code == 422
    assert "vous l'utiliserez pour vous connecter" in text(response)


def test_duplicate_email_is_told_behind_a_valid_code(client, invite):
    _, code = invite
    f.make_user(email="lucie@example.org")
    db.session.commit()
    response = client.post("/join", data=_details(code))
    assert response.status_code == 422
    assert "Ce courriel est déjà utilisé par un compte." in text(response)
    assert 'href="/forgot"' in text(response)


def test_duplicate_email_is_not_told_without_a_valid_code(client, invite):
    f.make_user(email="lucie@example.org")
    db.session.commit()
    response = client.post("/join", data=_details("ZZZZ-ZZZZ"))
    assert response.status_code == 422
    assert "déjà utilisé par un compte" not in text(response)


@pytest.mark.app_settings(RATELIMIT_ENABLED=True)
def test_a12_five_wrong_codes_then_429(client, invite):
    for __ in range(5):
        assert client.post("/join", data={"code": "ZZZZ-ZZZZ"}).status_code == 422
    assert client.post("/join", data={"code": "ZZZZ-ZZZZ"}).status_code == 429


@pytest.mark.app_settings(RATELIMIT_ENABLED=True)
def test_a12_valid_codes_do_not_count_as_wrong(client, invite):
    _, code = invite
    for __ in range(6):
        assert client.post("/join", data={"step": "code", "code": code}).status_code == 200
