"""Platform admin user management (S-04, S-07): find accounts, end their sessions, disable and
re-enable them; contact details only, never register data."""

import re

import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import User, UserSession
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.orgs.models import Member
from tests import factories as f
from tests.outbox.helpers import delivered_mail


@pytest.fixture
def gerard(world):
    user = f.make_user(name="Gérard Côté", email="gerard.cote@example.org", phone="4185550199")
    db.session.commit()
    return user


def _sessions_of(user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(UserSession.id)).where(UserSession.user_id == user.id)
    )


def _login_elsewhere(app, user):
    """A second device of `user`, logged in through the form; returns its client."""
    device = app.test_client()
    response = device.post("/login", data={"identifier": user.email, "password": f.PASSWORD})
    assert response.status_code == 302
    return device


def _audit(action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_list_shows_contact_roles_state_and_sessions_never_units(world, client, auth):
    auth.login(world.admin)
    response = client.get("/admin/users")
    assert response.status_code == 200
    page = response.text
    assert "Lucie Tremblay" in page
    assert "lucie@example.org" in page
    assert "Community organizer (OC)" in page
    assert "Active" in page
    card = page.split(f'id="user-{world.tenant_a.id}"')[1].split("</li>")[0]
    unit = db.session.scalar(sa.select(Member.unit).where(Member.user_id == world.tenant_a.id))
    assert unit
    assert f"unit {unit}" not in card
    assert world.adl_a.name not in card
    assert "0 open sessions" in card


def test_search_ignores_accents_and_case(world, gerard, client, auth):
    auth.login(world.admin)
    page = client.get("/admin/users", query_string={"q": "GERARD COTE"}).text
    assert "Gérard Côté" in page
    assert "Lucie Tremblay" not in page
    assert "1 account" in page


def test_search_by_email_or_phone_as_typed(world, gerard, client, auth):
    auth.login(world.admin)
    assert "Gérard Côté" in client.get("/admin/users", query_string={"q": "Gerard.Cote@"}).text
    by_phone = client.get("/admin/users", query_string={"q": "418 555-0199"}).text
    assert "Gérard Côté" in by_phone
    assert "418 555-0199" in by_phone
    assert "Lucie Tremblay" not in by_phone


def test_htmx_search_gets_only_the_rows(world, gerard, client, auth):
    auth.login(world.admin)
    response = client.get(
        "/admin/users", query_string={"q": "côté"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<div id="user-rows">')
    assert "<h1>" not in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_end_all_sessions_kills_every_copied_cookie(app, world, gerard, client, auth):
    phone, laptop = _login_elsewhere(app, gerard), _login_elsewhere(app, gerard)
    copied = phone.get_cookie("tv_session").value
    auth.login(world.admin)
    assert "2 open sessions" in client.get("/admin/users", query_string={"q": "gerard"}).text
    response = client.post(f"/admin/users/{gerard.id}/sessions/end", data={"q": "gerard"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users?q=gerard")
    thief = app.test_client()
    thief.set_cookie("tv_session", copied)
    assert thief.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302
    assert _sessions_of(gerard) == 0
    [event] = _audit("account.sessions_end")
    assert (event.actor_id, event.object_id, event.detail) == (
        world.admin.id,
        gerard.id,
        "sessions=2",
    )
    db.session.expire_all()
    assert db.session.get(User, gerard.id).active  # ending sessions does not disable


def test_s04_disabled_account_copied_cookie_is_dead_on_next_request(
    app, world, gerard, client, auth
):
    device = _login_elsewhere(app, gerard)
    assert device.get("/account").status_code == 200
    copied = device.get_cookie("tv_session").value
    auth.login(world.admin)
    assert client.post(f"/admin/users/{gerard.id}/disable").status_code == 302
    thief = app.test_client()
    thief.set_cookie("tv_session", copied)
    response = thief.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert device.get("/account").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, gerard.id).active is False
    assert _sessions_of(gerard) == 0
    [event] = _audit("account.disable")
    assert (event.actor_id, event.object_id) == (world.admin.id, gerard.id)


def test_disabled_user_is_dead_even_if_a_session_row_remains(app, world, gerard):
    """The loader itself refuses an inactive user (a row written by a race stays harmless)."""
    device = _login_elsewhere(app, gerard)
    gerard.active = False
    db.session.commit()
    assert device.get("/account").status_code == 302


def test_disabled_account_cannot_log_in(app, world, gerard, client, auth):
    auth.login(world.admin)
    client.post(f"/admin/users/{gerard.id}/disable")
    attempt = app.test_client().post(
        "/login", data={"identifier": gerard.email, "password": f.PASSWORD}
    )
    assert attempt.status_code == 422
    assert _sessions_of(gerard) == 0


def test_list_shows_disabled_and_offers_re_enable(world, gerard, client, auth):
    auth.login(world.admin)
    client.post(f"/admin/users/{gerard.id}/disable")
    card = client.get("/admin/users", query_string={"q": "gerard"}).text
    assert "Disabled" in card
    assert f"/admin/users/{gerard.id}/enable" in card
    assert f"/admin/users/{gerard.id}/disable" not in card


def test_re_enable_lets_the_person_log_in_again(app, world, gerard, client, auth):
    auth.login(world.admin)
    client.post(f"/admin/users/{gerard.id}/disable")
    assert client.post(f"/admin/users/{gerard.id}/enable").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, gerard.id).active is True
    _login_elsewhere(app, gerard)
    [event] = _audit("account.enable")
    assert (event.actor_id, event.object_id) == (world.admin.id, gerard.id)


def test_admin_cannot_disable_themselves(world, client, auth):
    auth.login(world.admin)
    assert client.post(f"/admin/users/{world.admin.id}/disable").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).active is True
    assert client.get("/admin/").status_code == 200
    assert _audit("account.disable") == []


def test_own_card_has_no_disable_button(world, client, auth):
    auth.login(world.admin)
    page = client.get("/admin/users").text
    assert f"/admin/users/{world.admin.id}/disable" not in page
    assert f"/admin/users/{world.tenant_a.id}/disable" in page


def test_unknown_account_is_404(world, client, auth):
    auth.login(world.admin)
    assert client.post("/admin/users/999999/disable").status_code == 404
    assert client.post("/admin/users/999999/sessions/end").status_code == 404


def test_oc_cannot_disable_anyone(world, client, auth):
    auth.login(world.oc)
    assert client.post(f"/admin/users/{world.tenant_a.id}/disable").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, world.tenant_a.id).active is True


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_actions_need_the_csrf_token(world, gerard, client, auth):
    auth.login(world.admin)
    assert client.post(f"/admin/users/{gerard.id}/disable").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, gerard.id).active is True


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_every_action_form_carries_the_csrf_token(world, gerard, client, auth):
    auth.login(world.admin)
    page = client.get("/admin/users", query_string={"q": "gerard"}).text
    card = page.split(f'id="user-{gerard.id}"')[1].split("</li>")[0]
    assert card.count('<form method="post"') == card.count('name="csrf_token"')
    # "Disable account" asks first: a GET form (the confirmation page holds the token; htmx
    # sends it as X-CSRFToken), never a token in the address.
    assert '<form method="get"' in card


def test_reset_link_sent_before_disabling_is_dead(app, world, gerard, client, auth):
    app.test_client().post("/forgot", data={"identifier": gerard.email})
    link = re.search(r"http://localhost(/reset/\S+)", delivered_mail()[-1].get_content()).group(1)
    auth.login(world.admin)
    client.post(f"/admin/users/{gerard.id}/disable")
    response = app.test_client().post(link, data={"password": "une toute nouvelle phrase"})
    assert response.status_code == 410


# --- tens of thousands of accounts: filtered, counted and cut by the database (issue 8) --------


def _many(n: int) -> None:
    for i in range(n):
        f.make_user(name=f"Zoé Tremblay {i:03d}", email=f"zoe{i}@example.org")
    db.session.commit()


def test_the_list_is_cut_into_pages_with_the_total(world, client, auth):
    auth.login(world.admin)
    _many(60)  # pages of 25
    first = client.get("/admin/users", query_string={"q": "zoe tremblay"}).text
    assert "60 accounts · showing 1 to 25" in first
    assert first.count('class="card" id="user-') == 25
    assert "/admin/users?q=zoe+tremblay&amp;page=2" in first
    last = client.get("/admin/users", query_string={"q": "zoe tremblay", "page": 3}).text
    assert last.count('class="card" id="user-') == 10
    assert "Page 3 of 3" in last


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("oc", "oc", "tenant_a"),
        ("admin", "admin", "oc"),
        ("direction", "direction", "isc"),
        ("tenant", "tenant_a", "oc"),
    ],
)
def test_role_filter(world, client, auth, role, shown, hidden):
    auth.login(world.admin)
    page = client.get("/admin/users", query_string={"role": role}).text
    assert f'id="user-{getattr(world, shown).id}"' in page
    assert f'id="user-{getattr(world, hidden).id}"' not in page
    assert f'<option value="{role}" selected>' in page


def test_an_unknown_role_filter_shows_every_account(world, client, auth):
    auth.login(world.admin)
    page = client.get("/admin/users", query_string={"role": "boss"}).text
    assert f'id="user-{world.oc.id}"' in page
    assert f'id="user-{world.tenant_a.id}"' in page


def test_an_action_brings_the_admin_back_to_the_same_page_of_the_list(world, gerard, client, auth):
    auth.login(world.admin)
    response = client.post(
        f"/admin/users/{gerard.id}/disable", data={"q": "gérard", "role": "tenant", "page": "2"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users?q=g%C3%A9rard&role=tenant&page=2")


def test_the_search_follows_a_changed_email_or_phone(world, gerard, client, auth):
    """The folded copy the database searches is kept in step with the contact details."""
    auth.login(world.admin)
    gerard.email = "g.cote@exemple.ca"
    gerard.phone = "5145550123"
    db.session.commit()
    assert "Gérard Côté" in client.get("/admin/users", query_string={"q": "exemple.ca"}).text
    assert "Gérard Côté" in client.get("/admin/users", query_string={"q": "514 555"}).text
    page = client.get("/admin/users", query_string={"q": "gerard.cote@"}).text
    assert "Gérard Côté" not in page


def test_french_messages_elide_the_name_after_de(world, client, auth):
    """ "Le compte d'Émilie Paré", never "Le compte de Émilie Paré" (issue 9, French)."""
    emilie = f.make_user(name="Émilie Paré", email="emilie.pare@example.org")
    world.admin.locale = "fr_CA"
    db.session.commit()
    auth.login(world.admin)
    page = client.post(f"/admin/users/{emilie.id}/disable", follow_redirects=True).text
    assert "Le compte d&#39;Émilie Paré est désactivé" in page
    page = client.post(f"/admin/users/{emilie.id}/sessions/end", follow_redirects=True).text
    assert "0 session d&#39;Émilie Paré a été fermée." in page
