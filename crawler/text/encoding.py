"""Bytes → text for pages and feeds: BOM, then the Content-Type charset, then the document's own
declaration, then detection (UTF-8 first, then legacy Arabic encodings such as windows-1256 and
ISO-8859-6, which many older Arabic sites send undeclared)."""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode

DETECTION_SAMPLE = 64 * 1024


def detect_encoding(body: bytes) -> str | None:
    """The likely encoding of undeclared bytes: UTF-8 when they decode as such, else detection."""
    sample = body[:DETECTION_SAMPLE]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the sample's end
            return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML body."""
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=detect_encoding)
    return text, encoding


HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def not_html_reason(body: bytes, content_type: str | None) -> str | None:
    """Why a response is not a page to extract (``empty``, ``pdf``, ``binary``, ``type ...``), or None."""
    if not body.strip():
        return "empty"
    head = body[:1024]
    if head.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 has NULs
        return "binary"
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type and not media_type.startswith(HTML_TYPES):
        return f"type {media_type}"
    return None
