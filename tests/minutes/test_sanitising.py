"""Minutes HTML goes through markdown-it (raw HTML off) and nh3 (trust-and-safety E-02, E-04)."""

import re

import pytest

from tenantvoice.extensions import db
from tenantvoice.minutes.markdown import render
from tenantvoice.minutes.models import MinutesState
from tests.minutes.helpers import minutes_in_state

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '![x](https://evil.example/x.png "onerror=alert(1)")',
    "<details open ontoggle=alert(1)>",
]


_TAG = re.compile(r"<([a-z0-9]+)([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"', re.IGNORECASE)
ALLOWED = {
    *("p", "br", "strong", "em", "ul", "ol", "li"),
    *("h2", "h3", "h4", "blockquote", "a", "code"),
}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_inert(payload):
    html = str(render(payload))
    for name, attrs in _TAG.findall(html):
        assert name.lower() in ALLOWED, html
        for attr, value in _ATTR.findall(attrs):
            assert attr in ("href", "rel"), html
            if attr == "href":
                assert value.startswith(("https://", "http://", "mailto:")), html


def test_allowed_markup_survives_with_safe_links():
    html = str(
        render(
            "## Titre\n\n### Sous-titre\n\n**gras** *it* `code`\n\n- un\n\n> cité\n\n"
            "[site](https://example.org) [courriel](mailto:a@example.org)"
        )
    )
    for tag in ("<h2>", "<h3>", "<strong>", "<em>", "<code>", "<li>", "<blockquote>"):
        assert tag in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html
    assert 'href="mailto:a@example.org"' in html


def test_html_in_a_section_title_is_escaped_on_the_page(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    minutes.sections[1].title = "<img src=x onerror=alert(1)>"
    minutes.sections[1].body_markdown = "<script>alert(2)</script>"
    db.session.commit()
    auth.login(world.officer_a)
    for url in (f"/minutes/{minutes.id}", f"/minutes/{minutes.id}/edit"):
        body = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in body
        assert "<script>alert(2)" not in body
