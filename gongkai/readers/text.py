"""Bytes → str for plain-text reports: UTF-8 (BOM or not), UTF-16 (BOM, or ASCII-rich without),
then GB18030.

A BOM is removed, so offsets index the text *after* the BOM. CR LF is kept as in the file. A few
undecodable bytes (a stray 0xFF in a UTF-8 file) do not reject a report: each bad sequence becomes
one U+FFFD in the text as read, so every offset stays exact, and ``replaced_positions`` finds them
(the batch records them as the check ``read.replaced_characters``).
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
            strict = data.decode("gb18030")
        except UnicodeDecodeError:
            strict = None
        if strict is not None and _common_share(strict) >= _common_share(data.decode("utf-8", "replace")):
            return _checked(strict, path)
        return _checked(_lenient(data, path, e.start), path)
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
    """``data`` in ``encoding`` (from its BOM or NUL bytes); a few bad bytes are replaced."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        return _lenient(data, path, e.start, (encoding,))


# The most frequent characters of report prose: bytes read in the right encoding are full of them.
_COMMON = set("的一是在不了有和人中大为上个国以要时来用们到作地于出分对成会可主发年动同工也能下过产方后多定行法"
              "所民得经十三之进等部度家理小物现实加量都两体制机当使点从业本把性应开合还因由其然前外政四日社事平"
              "形相全表间样与关各重新线内数正心反明看原么利比或但质第向道此变条只没结解问意建月公无系情最立已通"
              "并提直题党程展五果料员位入常文总次品式活设及管特件长求基资边流路级少图统接知较将组见计别据处给色"
              "门即保治北造百规领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切"
              "打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温"
              "传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容须际商非验连断深难近千周委素技备"
              "半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存候亲快效斯院查江型眼"
              "王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严镇街乡区申请息告")


def _common_share(text: str) -> float:
    """Share of the characters that are common report characters (a plausibility of the decoding)."""
    return sum(1 for c in text if c in _COMMON) / max(len(text), 1)


MAX_REPLACED_SHARE = 0.01  # more undecodable characters than this: not text in any encoding tried


def _lenient(data: bytes, path: str | os.PathLike[str], first_bad: int, encodings=("utf-8", "gb18030")) -> str:
    """Decode with each undecodable byte sequence replaced by U+FFFD, in whichever encoding reads
    most like a report (fewest replacements, most common characters). Offsets stay exact: a
    replaced sequence is one U+FFFD character in the text as read, at the place the bytes were;
    ``replaced_positions`` lists them. Too many replacements: the file is not text."""
    best, best_score = "", float("-inf")
    for enc in encodings:
        text = data.decode(enc, errors="replace")
        bad = text.count(REPLACEMENT) / max(len(text), 1)
        score = _common_share(text) - 20 * bad
        if score > best_score:
            best, best_score = text, score
    replaced = best.count(REPLACEMENT)
    if replaced > max(1, MAX_REPLACED_SHARE * len(best)):
        names = ", ".join(e.upper() for e in encodings)
        raise InputError(path, f"cannot decode text: {replaced} undecodable byte sequences as {names} "
                               f"(first bad byte at offset {first_bad}), and not UTF-16")
    return best


REPLACEMENT = "\ufffd"


def replaced_positions(text: str) -> list[int]:
    """Offsets (in the text as read) of the characters that replaced undecodable bytes."""
    return [i for i, c in enumerate(text) if c == REPLACEMENT]


def _checked(text: str, path: str | os.PathLike[str]) -> str:
    """Reject decoded text that is mostly control characters (a binary file that happened to decode)."""
    if not text.strip():
        raise InputError(path, "empty document (only white space)")
    controls = sum(1 for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc")
    if controls / len(text) > _MAX_CONTROL_RATIO:
        raise InputError(path, f"binary file ({controls} control characters in {len(text)}), not text")
    return text
