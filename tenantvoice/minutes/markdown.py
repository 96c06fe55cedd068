"""Markdown → safe HTML for minutes: markdown-it-py (raw HTML off) then nh3 with a small
allow-list (trust-and-safety E-02, E-04)."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    *("p", "br", "strong", "em", "ul", "ol", "li"),
    *("h2", "h3", "h4", "blockquote", "a", "code"),
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# "commonmark" without raw HTML: a <script> typed in the text comes out as text. nh3 is the
# second lock in case a rule of the parser ever lets markup through.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

#: The page title is h1: the text's headings are h2 to h4, and never skip a level (an h4 right
#: after the title would: it becomes h2), so the outline reads as the minutes do (issue 9).
_TOP, _DEEPEST = 2, 4


def _safe_href(tag: str, attribute: str, value: str) -> str | None:
    """Keep only absolute http(s) and mailto links (no relative, javascript: or data: URLs)."""
    if tag == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
        return value if scheme in ALLOWED_SCHEMES else None
    return value


def render(text: str) -> Markup:
    """Render minutes Markdown to sanitised HTML."""
    tokens = _md.parse(text or "")
    previous = _TOP - 1
    level = _TOP
    for token in tokens:
        if token.type == "heading_open":
            wanted = min(max(int(token.tag[1]), _TOP), _DEEPEST)
            level = min(wanted, previous + 1)
            previous = level
            token.tag = f"h{level}"
        elif token.type == "heading_close":
            token.tag = f"h{level}"
    html = _md.renderer.render(tokens, _md.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_safe_href,
    )
    return Markup(clean)  # noqa: S704 - nh3 output with a fixed allow-list
