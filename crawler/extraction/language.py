"""Language of the body text (py3langid, offline).  Short texts fall back to ``<html lang>``."""

from __future__ import annotations

import py3langid

MIN_DETECTION_CHARS = 40
SAMPLE_CHARS = 3000


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; the page's declared language when the text is too short."""
    declared_code = declared.split("-")[0].lower() if declared else None
    if len(text) < MIN_DETECTION_CHARS:
        return declared_code
    code, _score = py3langid.classify(text[:SAMPLE_CHARS])
    return code
