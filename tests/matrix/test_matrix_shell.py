"""Shell routes: home, language, help, PWA files, login/logout."""

from tests.matrix.harness import ROLES, Case, make_matrix_test

EVERYONE_200 = dict.fromkeys(ROLES, 200)

CASES = [
    Case("home.index", "GET", lambda w: "/", expect={"anonymous": 302}, default=200),
    Case("home.help", "GET", lambda w: "/help", default=200),
    Case("home.set_language", "POST", lambda w: "/language", data={"locale": "en"}, default=302),
    Case("pwa.service_worker", "GET", lambda w: "/sw.js", default=200),
    Case("pwa.manifest", "GET", lambda w: "/manifest.webmanifest", default=200),
    Case("pwa.offline", "GET", lambda w: "/offline", default=200),
    Case("accounts.logout", "POST", lambda w: "/logout", default=302),
]

test_matrix = make_matrix_test(CASES)
