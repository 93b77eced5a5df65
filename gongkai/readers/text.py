"""Bytes → str for plain-text reports: UTF-8 (BOM or not), UTF-16 (BOM, or ASCII-rich without),
then GB18030.

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
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP package (DOCX/XLSX?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (DOC/XLS)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)


def decode_bytes(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode a text file's bytes; binary or undecodable content raises ``InputError(path, ...)``."""
    if not data:
        raise InputError(path, "empty file (0 bytes)")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"binary file: this is {kind}, not text (give it the right extension)")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_decode(data[3:], "utf-8", path), path)
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _checked(_decode(data[len(bom):], enc, path), path)
    if b"\x00" in data:
        enc = _utf16_without_bom(data)
        if enc is None:
            raise InputError(path, "binary file (contains NUL bytes), not text")
        return _checked(_decode(data, enc, path), path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        try:
            return _checked(data.decode("gb18030"), path)
        except UnicodeDecodeError:
            raise InputError(
                path, f"cannot decode text: not UTF-8 (bad byte at offset {e.start}), UTF-16 or GB18030"
            ) from e
    if not data.isascii() and max(text) < "\u0800":
        # GBK byte pairs can happen to be valid UTF-8 (息 = CF A2 reads as U+03E2): UTF-8 that
        # holds only two-byte characters (Greek, Cyrillic ...) but reads as Chinese in GB18030 is GBK
        try:
            alt = data.decode("gb18030")
        except UnicodeDecodeError:
            alt = ""
        if _chinese_share(alt) > 0.6:
            text = alt
    return _checked(text, path)


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII characters that are CJK ideographs or CJK/full-width punctuation."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\u3000" <= c <= "\u303f"
              or "\uff00" <= c <= "\uffef" or c >= "\U00020000")
    return cjk / len(wide)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: ASCII characters leave NUL bytes on one side of every pair."""
    if len(data) % 2 or len(data) < 4:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd >= 0.2 * half and even * 3 <= odd:  # a few CJK chars (U+4E00 一) hold a NUL byte too
        return "utf-16-le"
    if even >= 0.2 * half and odd * 3 <= even:
        return "utf-16-be"
    return None


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
