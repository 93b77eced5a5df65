"""Bytes → str for plain-text reports: UTF-8 (BOM or not), UTF-16 with BOM, then GB18030.

A BOM is removed, so offsets index the text *after* the BOM. CR LF is kept as in the file.
"""

from __future__ import annotations

import codecs
import os
import unicodedata

from gongkai.errors import InputError

# control characters that plain text legitimately holds
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\x0b"}
_MAX_CONTROL_RATIO = 0.02


def decode_bytes(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode a text file's bytes; binary or undecodable content raises ``InputError(path, ...)``."""
    if not data:
        raise InputError(path, "empty file (0 bytes)")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_decode(data[3:], "utf-8", path), path)
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _checked(_decode(data[len(bom):], enc, path), path)
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    for enc in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(enc), path)
        except UnicodeDecodeError:
            continue
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            path, f"cannot decode text: not UTF-8 (bad byte at offset {e.start}), UTF-16 or GB18030"
        ) from e
    raise AssertionError("unreachable")  # pragma: no cover


def _decode(data: bytes, encoding: str, path: str | os.PathLike[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(path, f"cannot decode text as {encoding} (bad byte at offset {e.start})") from e


def _checked(text: str, path: str | os.PathLike[str]) -> str:
    """Reject decoded text that is mostly control characters (a binary file that happened to decode)."""
    if not text.strip():
        raise InputError(path, "empty document (only white space)")
    controls = sum(1 for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc")
    if controls / len(text) > _MAX_CONTROL_RATIO:
        raise InputError(path, f"binary file ({controls} control characters in {len(text)}), not text")
    return text
