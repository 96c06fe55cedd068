"""The installable shell: manifest, service worker, offline page."""

import io
import json
import re

from PIL import Image


def test_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    data = json.loads(response.get_data(as_text=True))
    assert data["name"]
    assert data["short_name"]
    assert len(data["short_name"]) <= 12  # fits under a home-screen icon
    assert data["id"] == "/"
    assert data["start_url"] == "/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", data["background_color"])


def test_manifest_icons_are_real_pngs_of_the_declared_sizes(client):
    icons = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))["icons"]
    declared = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert declared == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"], icon["src"]


def test_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert "__VERSION__" not in body
    assert "__PRECACHE__" not in body


def test_service_worker_precaches_versioned_urls_that_exist(client):
    body = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert precache[0] == "/offline"
    statics = precache[1:]
    assert any("htmx" in url for url in statics)
    assert any(url.startswith("/static/css/app.css") for url in statics)
    for url in statics:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        assert client.get(url).status_code == 200, url


def test_service_worker_version_follows_the_assets(client):
    body = client.get("/sw.js").get_data(as_text=True)
    assert re.search(r'const CACHE = "tv-[0-9a-f-]+";', body)


def test_service_worker_keeps_only_pages_marked_offline_readable(client):
    body = client.get("/sw.js").get_data(as_text=True)
    assert 'res.headers.get("X-TV-Offline") === "1"' in body


def test_offline_page_works_for_anyone(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert 'href="/"' in response.get_data(as_text=True)


def test_the_home_page_is_offline_readable_and_account_is_not(client, world, auth):
    auth.login(world.tenant_a)
    assert client.get("/").headers.get("X-TV-Offline") == "1"
    assert "X-TV-Offline" not in client.get("/account").headers


def test_every_page_links_the_manifest(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
