"""Password reset by link and by code, login, sessions (S-01, S-02), password change."""

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts import services
from tenantvoice.accounts.models import PasswordResetToken, ResetCode, UserSession
from tenantvoice.extensions import db
from tests import factories as f
from tests.outbox.helpers import delivered_mail
from tests.same_page import page_told, without_tokens

NEW = "une nouvelle phrase secrète"


def text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org", phone="4185550123")
    db.session.commit()
    return user


def _login(client, identifier="lucie@example.org", password=f.PASSWORD):
    return client.post("/login", data={"identifier": identifier, "password": password})


def _link_from_mail() -> str:
    body = delivered_mail()[-1].get_content()
    return re.search(r"http://localhost(/reset/\S+)", body).group(1)


# --- Login -----------------------------------------------------------------------------------


def test_s01_new_session_id_at_login(client, lucie):
    client.get("/login")
    before = client.get_cookie("tv_session")
    assert _login(client).status_code == 302
    after = client.get_cookie("tv_session")
    assert after is not None
    assert before is None or before.value != after.value
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 1


def test_s02_copied_cookie_is_dead_after_logout(app, client, lucie):
    _login(client)
    copied = client.get_cookie("tv_session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("tv_session", copied)
    assert thief.get("/account").status_code == 302


def test_a13_login_error_is_the_same_for_unknown_and_known_accounts(client, lucie):
    known = _login(client, password="pas le bon mot de passe")
    unknown = _login(client, identifier="personne@example.org", password="pas le bon")
    assert known.status_code == unknown.status_code == 422
    message = "ne correspondent à aucun compte"
    assert message in text(known)
    assert message in text(unknown)


def test_login_by_phone(client, lucie):
    assert _login(client, identifier="1 (418) 555-0123").status_code == 302


def test_login_page_links_to_join_forgot_and_reset_code(client):
    page = client.get("/login").text
    assert 'href="/join"' in page
    assert 'href="/forgot"' in page
    assert 'href="/reset-code"' in page


@pytest.mark.app_settings(RATELIMIT_ENABLED=True)
def test_a01_eleventh_login_in_a_minute_is_429(client, lucie):
    for __ in range(10):
        assert _login(client, password="mauvais mot de passe").status_code == 422
    assert _login(client, password="mauvais mot de passe").status_code == 429


@pytest.mark.app_settings(WTF_CSRF_ENABLED=True)
def test_h10_post_without_csrf_token_is_400(client, lucie):
    assert _login(client).status_code == 400


# --- Reset by email link -----------------------------------------------------------------------


def test_a13_forgot_answers_the_same_for_unknown_accounts(client, lucie):
    known = client.post("/forgot", data={"identifier": "lucie@example.org"})
    unknown = client.post("/forgot", data={"identifier": "personne@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(delivered_mail()) == 1
    page = text(client.get(known.headers["Location"]))
    assert "Si un compte correspond" in page


def test_reset_mail_is_in_french_and_token_stored_as_digest(client, lucie):
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    message = delivered_mail()[-1]
    assert message["To"] == "lucie@example.org"
    assert "mot de passe" in message["Subject"]
    token = _link_from_mail().rsplit("/", 1)[1]
    row = db.session.scalar(sa.select(PasswordResetToken))
    assert row.token_hash != token
    assert len(token) >= 43


def test_a06_reset_link_works_once_and_ends_other_sessions(app, client, lucie):
    other_device = app.test_client()
    _login(other_device)
    copied = other_device.get_cookie("tv_session").value
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    link = _link_from_mail()
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200  # the GET never uses the token
    response = client.post(link, data={"password": NEW})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # logged in fresh
    thief = app.test_client()
    thief.set_cookie("tv_session", copied)
    assert thief.get("/account").status_code == 302
    replay = app.test_client().post(link, data={"password": "encore une autre phrase"})
    assert replay.status_code == 410
    assert "Demander un nouveau lien" in text(replay)
    assert services.authenticate("lucie@example.org", NEW) is not None


def test_a10_reset_link_expires_after_one_hour(client, lucie):
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    link = _link_from_mail()
    clock.advance(timedelta(hours=1, seconds=1))
    assert client.get(link).status_code == 410
    assert client.post(link, data={"password": NEW}).status_code == 410


def test_a11_new_request_invalidates_the_older_link(app, client, lucie):
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    first = _link_from_mail()
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    second = _link_from_mail()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_reset_refuses_a_common_password(client, lucie):
    client.post("/forgot", data={"identifier": "lucie@example.org"})
    response = client.post(_link_from_mail(), data={"password": "motdepasse123"})
    assert response.status_code == 422
    assert "trop courant" in text(response)


# --- Reset code from an officer ----------------------------------------------------------------


@pytest.fixture
def reset_code(app, lucie):
    officer = f.make_user(name="Jean Gagnon")
    code = services.issue_reset_code(officer, lucie)
    db.session.commit()
    return code


def test_reset_code_is_stored_as_digest_and_audited(app, lucie, reset_code):
    row = db.session.scalar(sa.select(ResetCode))
    assert row.code_hash != reset_code
    assert reset_code.replace("-", "") not in row.code_hash
    assert row.expires_at - row.created_at == timedelta(hours=24)
    from tenantvoice.audit import AuditEvent

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reset_code.issue"))
    assert reset_code.replace("-", "") not in event.detail


def test_new_reset_code_revokes_the_previous_one(app, client, lucie, reset_code):
    services.issue_reset_code(None, lucie)
    db.session.commit()
    response = client.post(
        "/reset-code", data={"identifier": "4185550123", "code": reset_code, "password": NEW}
    )
    assert response.status_code == 422
    assert "Ce code ne correspond pas" in text(response)
    db.session.refresh(lucie)
    assert services.check_password(lucie, f.PASSWORD)  # the old code changed nothing


def test_reset_code_works_once_and_notice_at_next_login(app, client, lucie, reset_code):
    other_device = app.test_client()
    _login(other_device)
    data = {"identifier": "418 555-0123", "code": reset_code.lower(), "password": NEW}
    response = client.post("/reset-code", data=data)
    assert response.status_code == 302
    assert "Jean Gagnon" in text(client.get("/"))
    assert other_device.get("/account").status_code == 302  # other sessions ended
    again = app.test_client().post("/reset-code", data=data)
    assert again.status_code == 422
    # The next login tells the person once, then never again.
    fresh = app.test_client()
    _login(fresh, password=NEW)
    assert "Un code de réinitialisation remis par Jean Gagnon" in text(fresh.get("/"))
    later = app.test_client()
    _login(later, password=NEW)
    assert "Jean Gagnon" not in text(later.get("/"))
    assert db.session.scalar(sa.select(ResetCode.acknowledged_at)) is not None


def test_a_reset_code_is_read_as_printed_whatever_the_look_alikes(app, client, lucie, monkeypatch):
    """Codes never hold O, I, L or U: "o" is read as 0, "I" and "l" as 1, and case, spaces and
    dashes do not matter, as for invitation codes (issue 9)."""
    monkeypatch.setattr(services, "generate_code", lambda: "AB01-CD10")
    services.issue_reset_code(f.make_user(name="Jean Gagnon"), lucie)
    db.session.commit()
    data = {"identifier": "4185550123", "code": "abOl cdIo", "password": NEW}
    assert client.post("/reset-code", data=data).status_code == 302
    db.session.refresh(lucie)
    assert services.check_password(lucie, NEW)


def test_reset_code_needs_the_right_identifier(client, lucie, reset_code):
    response = client.post(
        "/reset-code", data={"identifier": "autre@example.org", "code": reset_code, "password": NEW}
    )
    assert response.status_code == 422
    assert "Ce code ne correspond pas" in text(response)


def test_reset_code_expires_after_24_hours(client, lucie, reset_code):
    clock.advance(timedelta(hours=24, seconds=1))
    response = client.post(
        "/reset-code", data={"identifier": "4185550123", "code": reset_code, "password": NEW}
    )
    assert response.status_code == 422
    assert "Ce code ne correspond pas" in text(response)
    db.session.refresh(lucie)
    assert services.check_password(lucie, f.PASSWORD)  # the expired code changed nothing


@pytest.mark.app_settings(RATELIMIT_ENABLED=True)
def test_a12_five_wrong_reset_codes_then_429(client, lucie):
    data = {"identifier": "4185550123", "code": "ZZZZ-ZZZZ", "password": NEW}
    for __ in range(5):
        assert client.post("/reset-code", data=data).status_code == 422
    assert client.post("/reset-code", data=data).status_code == 429


def _wrong_code_from(app, address, identifier="4185550123"):
    data = {"identifier": identifier, "code": "ZZZZ-ZZZZ", "password": NEW}
    return app.test_client().post("/reset-code", data=data, environ_base={"REMOTE_ADDR": address})


def _right_code_from(app, code, address="198.51.100.9"):
    data = {"identifier": "4185550123", "code": code, "password": NEW}
    return app.test_client().post("/reset-code", data=data, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def frozen():
    """The project clock stands still, so holds can be compared to the minute."""
    clock.set(clock.now(), frozen=True)


def _held_until():
    db.session.expire_all()
    return db.session.scalar(sa.select(ResetCode.locked_until))


@pytest.mark.app_settings(RATELIMIT_ENABLED=True)
def test_five_wrong_tries_hold_a_reset_code_back_15_minutes_not_for_good(
    app, lucie, reset_code, frozen
):
    """Fails on the old code: five wrong tries from anyone who knew Lucie's phone burnt her code
    for good (a landlord's staff could destroy it on purpose); now it is held back 15 minutes,
    from any address, and Lucie uses it afterwards."""
    for n in range(5):
        assert _wrong_code_from(app, f"192.0.2.{n + 1}").status_code == 422
    assert db.session.scalar(sa.select(ResetCode.failed_attempts)) == 5
    assert _held_until() == clock.now() + timedelta(minutes=15)
    response = _right_code_from(app, reset_code)
    assert response.status_code == 422  # the right code, from a fresh address: held back
    assert "après 5 essais erronés, un code est mis en attente pendant 15" in text(response)
    assert "réessayez plus tard" in text(response)
    clock.advance(timedelta(minutes=14, seconds=59))
    assert _right_code_from(app, reset_code, "198.51.100.10").status_code == 422
    db.session.refresh(lucie)
    assert services.check_password(lucie, f.PASSWORD)
    clock.advance(timedelta(seconds=1))
    assert _right_code_from(app, reset_code, "198.51.100.11").status_code == 302
    db.session.refresh(lucie)
    assert services.check_password(lucie, NEW)


def test_tries_during_a_hold_are_not_counted_and_each_hold_doubles(app, lucie, reset_code, frozen):
    for n in range(5):
        _wrong_code_from(app, f"192.0.2.{n + 1}")
    for n in range(3):  # during the hold: refused, not counted, the hold not lengthened
        assert _wrong_code_from(app, f"192.0.2.{n + 10}").status_code == 422
    assert db.session.scalar(sa.select(ResetCode.failed_attempts)) == 5
    assert _held_until() == clock.now() + timedelta(minutes=15)
    clock.advance(timedelta(minutes=15))
    for n in range(4):
        _wrong_code_from(app, f"192.0.2.{n + 20}")
    assert _held_until() == clock.now()  # the first hold just ended; no new one yet
    _wrong_code_from(app, "192.0.2.30")
    assert _held_until() == clock.now() + timedelta(minutes=30)
    clock.advance(timedelta(minutes=30))
    for n in range(5):
        _wrong_code_from(app, f"192.0.2.{n + 40}")
    assert _held_until() == clock.now() + timedelta(hours=1)


def test_a_guesser_gets_at_most_35_tries_over_a_codes_life(app, lucie, reset_code, frozen):
    """The arithmetic of accounts.services._holds: a guesser who tries again the moment each
    hold ends is counted 35 times in the code's 24 hours (35 / 2**40 chances to find it)."""
    issued = clock.now()
    while clock.now() < issued + timedelta(hours=24):
        _wrong_code_from(app, "192.0.2.1")
        held = _held_until()
        if held is not None and held > clock.now():
            clock.set(held)
    assert db.session.scalar(sa.select(ResetCode.failed_attempts)) == 35


def test_a_held_code_answers_as_an_unknown_account_does(app, lucie, reset_code):
    """While Lucie's code is held back, her right code gets the page a stranger's email gets
    (A-13: the hold tells nothing about who has an account)."""
    for n in range(5):
        _wrong_code_from(app, f"192.0.2.{n + 1}")
    data = {"code": reset_code, "password": NEW}
    known = app.test_client().post("/reset-code", data={"identifier": "4185550123", **data})
    unknown = app.test_client().post("/reset-code", data={"identifier": "4185559999", **data})
    assert known.status_code == unknown.status_code == 422
    assert page_told(known) == page_told(unknown)


def test_a_reset_code_survives_fewer_wrong_tries_than_the_limit(app, client, lucie, reset_code):
    for n in range(4):
        assert _wrong_code_from(app, f"192.0.2.{n + 1}").status_code == 422
    data = {"identifier": "418 555-0123", "code": reset_code, "password": NEW}
    assert client.post("/reset-code", data=data).status_code == 302
    db.session.refresh(lucie)
    assert services.check_password(lucie, NEW)


def test_wrong_tries_count_against_the_account_typed_only(app, client, lucie, reset_code):
    """Guesses typed with someone else's email or phone (or nobody's) leave Lucie's code alone."""
    for n in range(6):
        _wrong_code_from(app, f"192.0.2.{n + 1}", identifier="autre@example.org")
        _wrong_code_from(app, f"192.0.2.{n + 1}", identifier="514 555-9999")
    assert db.session.scalar(sa.select(ResetCode.failed_attempts)) == 0
    data = {"identifier": "4185550123", "code": reset_code, "password": NEW}
    assert client.post("/reset-code", data=data).status_code == 302


def test_a_held_code_cannot_be_used_by_a_request_that_found_it_before(app, lucie, reset_code):
    """Two processes: one found the right code, another's wrong tries held it back meanwhile;
    the use is refused (the UPDATE that uses the code checks the hold in the database)."""
    row = services.find_reset_code("4185550123", reset_code)
    assert row is not None
    db.session.execute(
        sa.update(ResetCode).values(locked_until=clock.now() + timedelta(minutes=15))
    )
    assert services.consume_reset_code(row) is False


def test_a_wrong_reset_code_answers_the_same_with_or_without_an_account(app, lucie, reset_code):
    """Same status, same page and the same SQL statements (parameters aside) whether the email
    belongs to an account with a live code or to nobody: the count tells nothing (A-13)."""

    def attempt(identifier):
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = app.test_client().post(
                "/reset-code", data={"identifier": identifier, "code": "ZZZZ-ZZZZ", "password": NEW}
            )
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        return response, statements

    known, known_sql = attempt("lucie@example.org")
    unknown, unknown_sql = attempt("personne@example.org")
    assert known.status_code == unknown.status_code == 422

    def page(response, typed):
        # Each client has its own CSRF token, signed with the second it was made; nothing else
        # may differ (tests/same_page.py knows the token's shape, wherever it is written).
        return without_tokens(text(response).replace(typed, "@"))

    assert page(known, "lucie@example.org") == page(unknown, "personne@example.org")
    assert known_sql == unknown_sql
    assert db.session.scalar(sa.select(ResetCode.failed_attempts)) == 1  # Lucie's was counted


# --- Password change and other devices ---------------------------------------------------------


def test_password_change_ends_other_sessions(app, client, lucie):
    other_device = app.test_client()
    _login(other_device)
    _login(client)
    response = client.post(
        "/account/password", data={"current_password": f.PASSWORD, "new_password": NEW}
    )
    assert response.status_code == 302
    assert "déconnectés" in text(client.get("/account"))
    assert other_device.get("/account").status_code == 302


def test_password_change_needs_the_current_password(client, lucie):
    _login(client)
    response = client.post(
        "/account/password", data={"current_password": "faux mot de passe", "new_password": NEW}
    )
    assert response.status_code == 422
    assert "Ce n'est pas votre mot de passe actuel." in text(response)


def test_log_out_everywhere_else(app, client, lucie):
    other_device = app.test_client()
    _login(other_device)
    _login(client)
    assert client.post("/account/sessions/end-others").status_code == 302
    assert other_device.get("/account").status_code == 302
    assert client.get("/account").status_code == 200


def test_s05_changing_email_needs_the_current_password(client, lucie):
    _login(client)
    data = {
        "name": "Lucie Tremblay",
        "email": "nouveau@example.org",
        "phone": "4185550123",
        "locale": "en",
    }
    response = client.post("/account", data=data)
    assert response.status_code == 422
    assert 'value="nouveau@example.org"' in response.text
    data["current_password"] = f.PASSWORD
    assert client.post("/account", data=data).status_code == 302
    db.session.refresh(lucie)
    assert lucie.email == "nouveau@example.org"
    assert lucie.locale == "en"


def test_settings_refuse_an_email_of_another_account(client, lucie):
    f.make_user(email="pris@example.org")
    db.session.commit()
    _login(client)
    response = client.post(
        "/account",
        data={
            "name": "Lucie",
            "email": "pris@example.org",
            "current_password": f.PASSWORD,
            "locale": "",
        },
    )
    assert response.status_code == 422
    assert "déjà utilisé par un autre compte" in text(response)
