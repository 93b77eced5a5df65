"""Read a report file into text: ``read_document(path) -> str``; ``read_document_info(path)``
also returns a ``ReadInfo`` (pages read by OCR and their confidence, conversions).

Offsets everywhere in gongkai index the string returned here (the text *as read*): a leading
byte-order mark is not part of it, CR LF is kept as in the file (the normaliser maps CR).
Every failure is an ``InputError`` naming the file and the problem.
"""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.info import ReadInfo
from gongkai.readers.text import decode_bytes

__all__ = ["read_document", "read_document_info", "ReadInfo", "decode_bytes", "max_bytes", "SUFFIXES"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# .doc/.wps go through LibreOffice (readers.legacy); .shtml/.xhtml are portal pages
SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf", ".doc", ".wps")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def max_bytes() -> int:
    """Size limit in bytes: $GONGKAI_MAX_BYTES or 20 MB (a report is far smaller)."""
    env = os.environ.get("GONGKAI_MAX_BYTES")
    if env is None:
        return DEFAULT_MAX_BYTES
    try:
        value = int(env)
    except ValueError:
        from gongkai.errors import ConfigError

        raise ConfigError(f"GONGKAI_MAX_BYTES must be a whole number of bytes, got {env!r}") from None
    return value


def read_document(path: str | os.PathLike[str]) -> str:
    """Text of a .txt/.md/.text, .html/.htm, .docx, .pdf or .doc/.wps report, tables as
    tab-separated rows."""
    return read_document_info(path)[0]


def read_document_info(path: str | os.PathLike[str]) -> tuple[str, ReadInfo]:
    """(text, how it was read): see ``read_document`` and ``gongkai.readers.info``."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(p, f"unsupported file type {suffix or '(no extension)'!r}; "
                            f"supported: {', '.join(SUFFIXES)}")
    if not p.exists():
        raise InputError(p, "file not found")
    if not p.is_file():
        raise InputError(p, "not a regular file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(p, "empty file (0 bytes)")
    limit = max_bytes()
    if size > limit:
        raise InputError(p, f"file too large ({size} bytes; limit {limit}, set GONGKAI_MAX_BYTES)")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(p, f"cannot open file ({e.strerror or e})") from e

    info = ReadInfo(suffix.lstrip("."))
    if suffix in (".txt", ".md", ".text"):
        text = decode_bytes(data, p)
    elif suffix in HTML_SUFFIXES:
        from gongkai.readers.html import html_to_text

        text = html_to_text(data, p)
    elif suffix == ".docx":
        from gongkai.readers.docx import docx_to_text

        text = docx_to_text(data, p)
    elif suffix in (".doc", ".wps"):
        from gongkai.readers.legacy import legacy_to_text

        text, info.converted_with = legacy_to_text(data, p)
    else:
        from gongkai.readers.pdf import pdf_read

        text, info = pdf_read(data, p)
    if not text.strip():
        raise InputError(p, "no text found in the document")
    return text, info
