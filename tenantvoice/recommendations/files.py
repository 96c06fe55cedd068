"""Attachments: the type comes from the content (magic bytes), never from the name or the
browser's claim; size and count are capped."""

import re
import unicodedata

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_RECOMMENDATION = 5

#: (content type, extension, magic bytes at offset 0)
_MAGIC = (
    ("application/pdf", "pdf", b"%PDF-"),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", "jpg", b"\xff\xd8\xff"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, PNG or JPEG by its first bytes, or None."""
    for content_type, ext, magic in _MAGIC:
        if data.startswith(magic):
            return content_type, ext
    return None


def safe_filename(name: str, ext: str) -> str:
    """A download name: ASCII letters, digits and dashes (accents dropped), with the sniffed
    extension. It goes into a Content-Disposition header: nothing else may reach it."""
    stem = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in ascii_stem)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-")[:80]
    return f"{cleaned or 'document'}.{ext}"
