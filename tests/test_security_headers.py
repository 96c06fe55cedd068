"""Security headers on every response (trust-and-safety §1.3), cookies, compression, versioned
static files, and no third-party hosts in any page."""

import re

import pytest
from werkzeug.routing import IntegerConverter

from tenantvoice.extensions import db
from tests.conftest import make_test_app

SHELL_URLS = [
    "/",
    "/login",
    "/privacy",
    "/help",
    "/offline",
    "/sw.js",
    "/manifest.webmanifest",
    "/no-such-page",
    "/static/css/app.css",
    "/join",
]


def _directives(csp: str) -> dict:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _get_urls(app, world):
    """Every GET route, with arguments taken from the world where the rule needs them."""
    values = {
        "body_id": world.adl_a.id,
        "provider_id": world.p1.id,
        "site_id": world.s1.id,
        "region_id": world.r1.id,
        "user_id": world.tenant_a.id,
        "filename": "css/app.css",
    }
    urls = set(SHELL_URLS)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        if set(rule.arguments) <= set(values):
            urls.add(rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1])
        else:  # arguments we cannot guess (tokens, meeting ids): a made-up value still answers
            args = {
                a: (1 if isinstance(rule._converters.get(a), IntegerConverter) else "x")
                for a in rule.arguments
            }
            urls.add(rule.build(args, append_unknown=False)[1])
    return sorted(urls)


@pytest.fixture
def crawl(world, client, auth, app):
    """(url, response) for every GET route, anonymous and as a tenant of ADL A."""
    results = []
    urls = _get_urls(app, world)
    for login in (None, world.tenant_a):
        if login is not None:
            auth.login(login)
        for url in urls:
            results.append((url, client.get(url)))
    return results


def test_every_response_carries_a_strict_csp(crawl):
    for url, response in crawl:
        csp = response.headers.get("Content-Security-Policy", "")
        d = _directives(csp)
        assert d.get("script-src") == ["'self'"], url
        assert "'unsafe-inline'" not in d.get("script-src", []), url
        assert "'unsafe-eval'" not in csp, url
        assert d.get("object-src") == ["'none'"], url
        assert d.get("base-uri") == ["'none'"], url
        assert d.get("frame-ancestors") == ["'none'"], url


def test_every_response_carries_nosniff_and_no_referrer(crawl):
    for url, response in crawl:
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        assert response.headers.get("Referrer-Policy") == "no-referrer", url


def test_no_cross_origin_cors_is_reflected(client):
    response = client.get("/login", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


PROD_KEY = "cHJvZHVjdGlvbi1rZXktZm9yLXRlc3RzLW9ubHktMzI="


def test_hsts_in_production_on_pages_and_errors():
    app = make_test_app(
        "sqlite://",
        ENV_NAME="production",
        SECRET_KEY="p" * 40,
        BASE_URL="https://localhost",
        ENCRYPTION_KEY=PROD_KEY,
    )
    with app.app_context():
        db.create_all()
        client = app.test_client()
        for url in ("/login", "/no-such-page", "/static/css/app.css"):
            hsts = client.get(url).headers.get("Strict-Transport-Security", "")
            assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts), url
            assert int(hsts.split("=")[1].split(";")[0]) >= 31536000


def _session_cookie(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_session_cookie_is_httponly_and_lax(client):
    cookie = _session_cookie(client.get("/login"), "tv_session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_session_cookie_is_secure_host_prefixed():
    app = make_test_app(
        "sqlite://",
        ENV_NAME="production",
        SECRET_KEY="p" * 40,
        BASE_URL="https://localhost",
        ENCRYPTION_KEY=PROD_KEY,
    )
    with app.app_context():
        db.create_all()
        response = app.test_client().get("/login", base_url="https://localhost")
    cookie = _session_cookie(response, "__Host-tv_session")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Domain=" not in cookie


@pytest.mark.parametrize(
    "url", ["/login", "/static/css/app.css", "/static/vendor/htmx-4.0.1.min.js", "/sw.js"]
)
def test_responses_are_brotli_compressed_when_asked(client, url):
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "br"
    assert "Accept-Encoding" in response.headers.get("Vary", "")


def test_static_urls_are_versioned_and_cached_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    static = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert static
    for url in static:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url)
        assert response.status_code == 200
        max_age = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
        assert max_age, url
        assert int(max_age.group(1)) >= 365 * 24 * 3600, url


def test_no_page_loads_anything_from_another_host(crawl):
    for url, response in crawl:
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for attr, target in re.findall(r'\b(src|href|action)\s*=\s*"([^"]*)"', html):
            assert not re.match(r"(?i)^(https?:)?//", target), f"{url}: {attr}={target}"


def test_dynamic_pages_are_never_stored_by_http_caches(client, world, auth):
    auth.login(world.tenant_a)
    assert client.get("/").headers.get("Cache-Control") == "no-store"
