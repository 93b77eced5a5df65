"""Read a report file into text: ``read_document(path) -> str``.

Offsets everywhere in gongkai index the string returned here (the text *as read*): a leading
byte-order mark is not part of it, CR LF is kept as in the file (the normaliser maps CR).
Every failure is an ``InputError`` naming the file and the problem.
"""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.errors import InputError
from gongkai.readers.limits import check_text
from gongkai.readers.text import decode_bytes

__all__ = ["read_document", "decode_bytes", "max_bytes", "SUFFIXES"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".docx", ".pdf")


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
    """Text of a .txt/.md/.text, .html/.htm, .docx or .pdf report, tables as tab-separated rows."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        hint = " (save it as .docx)" if suffix == ".doc" else ""
        raise InputError(p, f"unsupported file type {suffix or '(no extension)'!r}{hint}; "
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

    if suffix in (".txt", ".md", ".text"):
        text = decode_bytes(data, p)
    elif suffix in (".html", ".htm"):
        from gongkai.readers.html import html_to_text

        text = html_to_text(data, p)
    elif suffix == ".docx":
        from gongkai.readers.docx import docx_to_text

        text = docx_to_text(data, p)
    else:
        from gongkai.readers.pdf import pdf_to_text

        text = pdf_to_text(data, p)
    if not text.strip():
        raise InputError(p, "no text found in the document")
    return check_text(text, p)  # hard limit on characters (see readers.limits)
