"""Hide passwords of URLs (``postgresql://user:secret@host``) in every log message."""

from __future__ import annotations

import logging
import re

# The user may be empty: Redis URLs are written redis://:PASSWORD@host.
URL_PASSWORD_RE = re.compile(r"(?P<prefix>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s'\"]*:)(?P<password>[^@\s'\"]+)(?=@)")


def mask_passwords(text: str) -> str:
    return URL_PASSWORD_RE.sub(r"\g<prefix>***", text)


class _MaskingRecord(logging.LogRecord):
    def getMessage(self) -> str:
        return mask_passwords(super().getMessage())


def install() -> None:
    """Make every log record mask URL passwords (idempotent)."""
    if logging.getLogRecordFactory() is not _MaskingRecord:
        logging.setLogRecordFactory(_MaskingRecord)
