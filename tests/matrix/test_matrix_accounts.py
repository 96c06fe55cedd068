"""Account routes. Written by hand:

- Pages for people who are not logged in (log in, join, forgot, reset link, reset code) answer
  200 to anonymous visitors; a logged-in person is sent home (302) instead.
- A reset link that does not exist answers 410 ("ask for a new link") to anonymous visitors.
- Account pages (/account, password change, other devices, 2FA setup) are for every logged-in
  person whatever the role; anonymous visitors are sent to log in (302).
- /two-factor: in these tests nobody has TOTP and staff 2FA is off, so everyone is sent on (302).
- Ending one session ("My devices"): a session of tenant_a can be ended by tenant_a only (302
  back to the account page); for anyone else it does not exist (404).
- Turning TOTP off: without TOTP there is nothing to turn off (302 to the account page). When
  everyone has TOTP, a wrong password is 422 for every logged-in person: staff 2FA is off in these
  tests (staff get 403 when it is required: tests/accounts/test_two_factor.py).
"""

import pyotp

from tenantvoice.accounts import services
from tenantvoice.accounts.models import UserSession
from tenantvoice.extensions import db
from tests.matrix.harness import ROLES, Case, make_matrix_test


def _valid_reset_link(w):
    token = services.create_reset_token(w.tenant_a)
    db.session.commit()
    return f"/reset/{token}"


def _session_of_tenant_a(w):
    row = UserSession(user_id=w.tenant_a.id, token_hash=f"matrix-{w.tenant_a.id}")
    db.session.add(row)
    db.session.commit()
    return f"/account/sessions/{row.id}/end"


def _everyone_has_totp(w):
    for role in ROLES:
        if role != "anonymous":
            services.enable_totp(getattr(w, role), pyotp.random_base32())
    db.session.commit()
    return "/account/two-factor/disable"


CASES = [
    Case("accounts.login", "GET", lambda w: "/login", expect={"anonymous": 200}, default=302),
    Case("orgs.join", "GET", lambda w: "/join", expect={"anonymous": 200}, default=302),
    Case(
        "orgs.join",
        "GET",
        lambda w: "/join?code=ABCD-EFGH",
        label="prefilled",
        expect={"anonymous": 200},
        default=302,
    ),
    Case("accounts.forgot", "GET", lambda w: "/forgot", expect={"anonymous": 200}, default=302),
    Case(
        "accounts.reset",
        "GET",
        _valid_reset_link,
        label="valid",
        expect={"anonymous": 200},
        default=302,
    ),
    Case(
        "accounts.reset",
        "GET",
        lambda w: "/reset/not-a-real-token",
        label="unknown",
        expect={"anonymous": 410},
        default=302,
    ),
    Case(
        "accounts.reset_with_code",
        "GET",
        lambda w: "/reset-code",
        expect={"anonymous": 200},
        default=302,
    ),
    Case("accounts.two_factor", "GET", lambda w: "/two-factor", default=302),
    Case(
        "accounts.two_factor_setup",
        "GET",
        lambda w: "/two-factor/setup",
        expect={"anonymous": 302},
        default=200,
    ),
    Case("accounts.settings", "GET", lambda w: "/account", expect={"anonymous": 302}, default=200),
    Case(
        "accounts.change_password",
        "POST",
        lambda w: "/account/password",
        expect={"anonymous": 302},
        default=422,
    ),
    Case(
        "accounts.end_other_sessions", "POST", lambda w: "/account/sessions/end-others", default=302
    ),
    Case(
        "accounts.end_session",
        "POST",
        _session_of_tenant_a,
        expect={"anonymous": 302, "tenant_a": 302},
        default=404,
    ),
    Case(
        "accounts.disable_two_factor",
        "POST",
        lambda w: "/account/two-factor/disable",
        label="no totp",
        data={"current_password": "not the password"},
        default=302,
    ),
    Case(
        "accounts.disable_two_factor",
        "POST",
        _everyone_has_totp,
        label="totp on",
        data={"current_password": "not the password"},
        expect={"anonymous": 302},
        default=422,
    ),
]

test_matrix = make_matrix_test(CASES)
