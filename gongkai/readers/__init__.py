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
from gongkai.readers.limits import check_text
from gongkai.readers.text import decode_bytes

__all__ = ["read_document", "read_document_info", "ReadInfo", "decode_bytes", "max_bytes", "SUFFIXES"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# .doc/.wps go through LibreOffice (readers.legacy); .shtml/.xhtml are portal pages
SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf", ".doc", ".wps")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def max_bytes() -> int:
    """Size limit in bytes: $GONGKAI_MAX_BYTES or 20 MB (a report is far smaller)."""
    from gongkai.settings import env_positive_int

    return env_positive_int("GONGKAI_MAX_BYTES", DEFAULT_MAX_BYTES)


def _check_entry(p: Path) -> None:
    """A clear error for what is not a regular file: missing, a broken or looping link, a folder
    (one that cannot be listed says so: its files were not read), a pipe, socket or device."""
    import stat

    try:
        st = p.stat()
    except OSError as e:
        if p.is_symlink():
            raise InputError(p, f"broken symbolic link ({e.strerror or e})") from e
        if isinstance(e, FileNotFoundError):
            raise InputError(p, "file not found") from e
        raise InputError(p, f"cannot open file ({e.strerror or e})") from e
    if stat.S_ISDIR(st.st_mode):
        try:
            os.scandir(p).close()
        except OSError as e:
            raise InputError(p, f"a folder that cannot be listed ({e.strerror or e}): its files were not "
                                "read") from e
        raise InputError(p, "not a regular file (a folder)")
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(st.st_mode):
            raise InputError(p, f"not a regular file ({kind})")


def read_document(path: str | os.PathLike[str]) -> str:
    """Text of a .txt/.md/.text, .html/.htm, .docx, .pdf or .doc/.wps report, tables as
    tab-separated rows."""
    return read_document_info(path)[0]


def read_document_info(path: str | os.PathLike[str]) -> tuple[str, ReadInfo]:
    """(text, how it was read): see ``read_document`` and ``gongkai.readers.info``."""
    p = Path(path)
    suffix = p.suffix.lower()
    _check_entry(p)
    if suffix not in SUFFIXES:
        raise InputError(p, f"unsupported file type {suffix or '(no extension)'!r}; "
                            f"supported: {', '.join(SUFFIXES)}")
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
    return check_text(text, p), info  # hard limit on characters (see readers.limits)
