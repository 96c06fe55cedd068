"""Browser fixtures: the real app served on 127.0.0.1 by a werkzeug thread (temp-file SQLite,
real CSRF), Debian Chromium through Playwright at phone size, and an axe-core checker.

Chromium missing is a FAILURE, never a skip: `make test` installs it.
"""

import threading
from collections import Counter
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tenantvoice.extensions import db
from tests import htmlcheck
from tests.conftest import make_test_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
#: Playwright locale (sent as Accept-Language) and the <html lang> the app must answer with.
LANGS = {"fr_CA": ("fr-CA", "fr-CA"), "en": ("en", "en")}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

#: The document as HTML, with its doctype (page.content() drops nothing, but axe may leave a
#: node of its own at the end of <body>).
DOCUMENT_HTML = """() => {
  const dt = document.doctype ? '<!DOCTYPE ' + document.doctype.name + '>\\n' : '';
  const root = document.documentElement.cloneNode(true);
  root.querySelectorAll('#axe-results, [data-axe]').forEach(n => n.remove());
  return dt + root.outerHTML;
}"""


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.hits = Counter()  # path -> requests the server answered
        inner = app.wsgi_app

        def counting(environ, start_response):
            self.hits[environ.get("PATH_INFO", "")] += 1
            return inner(environ, start_response)

        app.wsgi_app = counting
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    app = make_test_app(
        f"sqlite:///{path}", WTF_CSRF_ENABLED=True, REQUIRE_STAFF_2FA=False, RATELIMIT_ENABLED=False
    )
    with app.app_context():
        db.create_all()
        from tenantvoice.search import setup_search

        setup_search()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app)
    yield server
    server.stop()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_world(live_app):
    """A region, a housing office with one site, an association with an officer and a tenant
    (both log in with email + the factories' password), and the region's OC."""
    from types import SimpleNamespace

    from tenantvoice.accounts.models import StaffRole
    from tenantvoice.orgs.models import MemberRole
    from tests import factories as f

    with live_app.app_context():
        region = f.make_region(name="Région des Etchemins")
        provider = f.make_provider(region=region, name="Office d'habitation de la Rivière")
        site = f.make_site(provider=provider, name="Habitations du Parc")
        body = f.make_body(
            provider=provider, name="Association des locataires du Parc", sites=[site]
        )
        officer = f.make_tenant(
            body=body, role=MemberRole.SECRETARY, name="Jean Gagnon", email="jean@example.org"
        )
        tenant = f.make_tenant(body=body, name="Lucie Tremblay", email="lucie@example.org")
        oc = f.make_staff(
            role=StaffRole.OC,
            region=region,
            user=f.make_user(name="Olivier OC", email="oc@example.org"),
        ).user
        db.session.commit()
        return SimpleNamespace(
            body_id=body.id,
            body_name=body.name,
            provider_name=provider.name,
            officer_id=officer.id,
            tenant_email=tenant.email,
            oc_email=oc.email,
            password=f.PASSWORD,
        )


@pytest.fixture(scope="session")
def playwright():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(params=list(LANGS), ids=["fr", "en"])
def lang(request):
    """Every browser test runs once per language, so every page is checked in both."""
    return request.param


@pytest.fixture
def context(browser, lang):
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def persistent_context(playwright, lang, tmp_path):
    """A non-incognito profile (installability needs it); fresh per test, so no SW leaks."""
    ctx = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        locale=LANGS[lang][0],
        **PHONE,
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


class Axe:
    """`check(page)` after every navigation; `assert_clean()` at the end of the test."""

    source = None

    def __init__(self, lang):
        self.expected_lang = LANGS[lang][1]
        self.results = []  # (url, lang, [(rule, [targets])])
        if Axe.source is None:
            import axe_playwright_python

            Axe.source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

    def check(self, page, lang=None):
        """Run axe-core on the page as it is (under its real CSP: evaluate() goes through CDP)."""
        page.wait_for_load_state("load")
        html_lang = page.evaluate("document.documentElement.lang")
        expected = LANGS[lang][1] if lang else self.expected_lang
        assert html_lang == expected, f"{page.url}: lang={html_lang!r}, expected {expected!r}"
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(Axe.source)
        res = page.evaluate("opts => axe.run(document, opts)", AXE_OPTIONS)
        # The page as the browser holds it (after any htmx swap), for the Nu HTML checker that
        # runs once at the end of the session (tests/htmlcheck.py); axe's own nodes removed.
        htmlcheck.save(page.evaluate(DOCUMENT_HTML), page.url)
        found = [(v["id"], [n["target"] for n in v["nodes"]]) for v in res["violations"]]
        self.results.append((page.url, html_lang, found))
        return found

    @property
    def violations(self):
        return [(url, lang, found) for url, lang, found in self.results if found]

    def assert_clean(self, at_least=1):
        assert len(self.results) >= at_least, "axe checked fewer pages than the test visited"
        assert self.violations == []


@pytest.fixture
def axe(lang):
    return Axe(lang)


def shoot(page, name, lang):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}.png"), full_page=True)


def wait_for_sw_control(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # a function, not a string: Playwright would eval() a string, which the page's CSP forbids
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def log_in(page, base, identifier, password):
    page.goto(base + "/login")
    page.fill("#identifier", identifier)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/")
