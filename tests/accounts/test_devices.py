"""My devices (S-07): the account page lists this person's sessions, each can be ended on its own
and its cookie then stops working; "log out everywhere else" stays."""

import html

import pytest
import sqlalchemy as sa

from tenantvoice.accounts.models import UserSession
from tenantvoice.accounts.views import device_label
from tenantvoice.extensions import db
from tests import factories as f

ANDROID_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture
def lucie(app):
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    return user


def _device(app, user_agent, email="lucie@example.org"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    response = client.post("/login", data={"identifier": email, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def _session_of(user_agent) -> UserSession:
    return db.session.scalar(sa.select(UserSession).where(UserSession.user_agent == user_agent))


def test_s07_my_devices_lists_both_sessions_and_marks_this_one(app, lucie):
    phone = _device(app, ANDROID_FIREFOX)
    _device(app, WINDOWS_CHROME)
    page = html.unescape(phone.get("/account").text)
    assert "Firefox sur Android" in page
    assert "Chrome sur Windows" in page
    assert "Votre session est aussi ouverte sur 1 autre appareil." in page
    current = _session_of(ANDROID_FIREFOX)
    other = _session_of(WINDOWS_CHROME)
    assert "Cet appareil" in page
    assert f'action="/account/sessions/{other.id}/end"' in page
    assert f'action="/account/sessions/{current.id}/end"' not in page  # logout is for that


def test_s07_ending_one_device_kills_its_cookie(app, lucie):
    phone = _device(app, ANDROID_FIREFOX)
    computer = _device(app, WINDOWS_CHROME)
    tablet = _device(app, "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) Safari/604.1")
    target = _session_of(WINDOWS_CHROME)
    response = phone.post(f"/account/sessions/{target.id}/end")
    assert response.status_code == 302
    assert "L'appareil choisi a été déconnecté." in html.unescape(phone.get("/account").text)
    assert computer.get("/account").status_code == 302  # its cookie is dead
    assert phone.get("/account").status_code == 200
    assert tablet.get("/account").status_code == 200  # the others are untouched
    assert db.session.get(UserSession, target.id) is None


def test_s07_ending_this_device_logs_out_here(app, lucie):
    phone = _device(app, ANDROID_FIREFOX)
    mine = _session_of(ANDROID_FIREFOX)
    response = phone.post(f"/account/sessions/{mine.id}/end")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert phone.get("/account").status_code == 302


def test_s07_someone_elses_session_is_404_and_stays(app, lucie):
    f.make_user(name="Jean Gagnon", email="jean@example.org")
    db.session.commit()
    jean = _device(app, WINDOWS_CHROME, "jean@example.org")
    phone = _device(app, ANDROID_FIREFOX)
    target = _session_of(WINDOWS_CHROME)
    assert phone.post(f"/account/sessions/{target.id}/end").status_code == 404
    assert jean.get("/account").status_code == 200


def test_log_out_everywhere_else_is_still_offered(app, lucie):
    phone = _device(app, ANDROID_FIREFOX)
    assert "/account/sessions/end-others" not in phone.get("/account").text  # no other device
    computer = _device(app, WINDOWS_CHROME)
    assert "/account/sessions/end-others" in phone.get("/account").text
    assert phone.post("/account/sessions/end-others").status_code == 302
    assert computer.get("/account").status_code == 302


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (ANDROID_FIREFOX, "Firefox on Android"),
        (WINDOWS_CHROME, "Chrome on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        ("Werkzeug/3.1", "Werkzeug/3.1"),
        ("x" * 60, "x" * 39 + "…"),
        ("", "Unknown device"),
    ],
)
def test_device_label_is_short(app, user_agent, label):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert device_label(user_agent) == label
