"""Offset-exact text normalisation for matching.

Labellers match on ``normalise(text).text`` and report spans on the text as read: every character
of the normalised text keeps the range of raw characters that produced it, so ``to_raw`` and
``to_norm`` convert ranges both ways exactly. Pure and deterministic.

What changes (in this order):

1. Per character: CR LF -> LF, lone CR -> LF, form feed -> LF, BOM / zero-width space dropped;
   CJK Radicals Supplement look-alikes (U+2E80-U+2EF3, which NFKC leaves alone) -> the unified
   ideograph; NFKC (may expand one char to several; all keep the same origin). NFKC already maps
   Kangxi radicals (U+2F00-U+2FD5), compatibility ideographs, NBSP / ideographic space -> space,
   and *all* full-width ASCII forms (U+FF01-U+FF5E) -> ASCII. **Choice:** we keep that, so the
   normalised text has no full-width forms: ``（一）`` == ``(一)``, ``，`` -> ``,``, ``：`` -> ``:``,
   ``；`` -> ``;``, ``！？`` -> ``!?``, ``％`` -> ``%``. Chinese punctuation without an ASCII twin
   (``、。《》“”【】—…``) is kept as is (``…`` becomes ``...`` by NFKC). Circled digits ①..⑳ are
   kept (NFKC would turn ``①`` into a bare ``1`` that reads as a quantity).
2. Traditional -> simplified with OpenCC ``t2s`` (phrase-aware on the whole text when that keeps
   the length, else per line, else per character; a conversion that changes length is skipped).
3. Page numbers on their own line are removed with one line break: ``- 9 -``, ``—9—``, ``第 9 页``,
   ``第9页 共12页``; a bare number right after a form feed, between two ``|`` rows or two tab rows,
   between a finished sentence (or a heading) and a prose sentence, or inside a wrapped sentence.
   A bare number among row labels or other values (one cell per line) is a value and stays.
4. Headers printed one CJK character per line (``结\n果\n维\n持``, blank lines between allowed)
   are joined when three or more such lines run together (not a run of one repeated value).
5. Hard line wraps: only in documents whose lines share a common full width (display width, as
   PDF extraction wraps, or character count). A break, and up to two blank lines after it, is
   removed when the line is full width and ends inside a sentence (a CJK char, digit, letter,
   ``,、`` or a bracket; never after ``。;:!?``), and the next line starts flush (at most one space)
   with text that is not a heading ordinal (``一、``, ``(二)``, ``1.``, ``第三``) nor a lone value.
   Never joined: table rows (tab, ``|``, a gap between two CJK chars, numbers set apart by
   spaces), headings, titles ending in 报告, a whole parenthetical line. Between two ASCII
   alphanumerics, or where the line had its own trailing space, the break becomes one space, so
   ``12\n31`` never reads as ``1231``.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from itertools import compress

__all__ = ["Normalised", "normalise", "normalise_fragment", "RADICALS_SUPPLEMENT"]

# CJK Radicals Supplement -> unified ideograph (after Unicode's EquivalentUnifiedIdeograph data).
RADICALS_SUPPLEMENT: dict[str, str] = {
    "\u2e80": "冫", "\u2e81": "厂", "\u2e82": "乛", "\u2e83": "乚", "\u2e84": "乙", "\u2e85": "亻",
    "\u2e86": "冂", "\u2e87": "几", "\u2e88": "刀", "\u2e89": "刂", "\u2e8a": "卜", "\u2e8b": "㔾",
    "\u2e8c": "小", "\u2e8d": "小", "\u2e8e": "兀", "\u2e8f": "尣", "\u2e90": "尢", "\u2e91": "尢",
    "\u2e92": "巳", "\u2e93": "幺", "\u2e94": "彑", "\u2e95": "彐", "\u2e96": "忄", "\u2e97": "心",
    "\u2e98": "扌", "\u2e99": "攵", "\u2e9b": "旡", "\u2e9c": "日", "\u2e9d": "月", "\u2e9e": "歺",
    "\u2e9f": "母", "\u2ea0": "民", "\u2ea1": "氵", "\u2ea2": "氺", "\u2ea3": "灬", "\u2ea4": "爫",
    "\u2ea5": "爫", "\u2ea6": "丬", "\u2ea7": "牛", "\u2ea8": "犭", "\u2ea9": "王", "\u2eaa": "疋",
    "\u2eab": "罒", "\u2eac": "示", "\u2ead": "礻", "\u2eae": "竹", "\u2eaf": "糸", "\u2eb0": "纟",
    "\u2eb1": "网", "\u2eb2": "罒", "\u2eb3": "㓁", "\u2eb4": "网", "\u2eb5": "网", "\u2eb6": "羊",
    "\u2eb7": "羊", "\u2eb8": "羊", "\u2eb9": "耂", "\u2eba": "肀", "\u2ebb": "聿", "\u2ebc": "月",
    "\u2ebd": "臼", "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹", "\u2ec1": "虎", "\u2ec2": "衤",
    "\u2ec3": "覀", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec7": "角", "\u2ec8": "讠",
    "\u2ec9": "贝", "\u2eca": "足", "\u2ecb": "车", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ece": "辶",
    "\u2ecf": "阝", "\u2ed0": "钅", "\u2ed1": "长", "\u2ed2": "镸", "\u2ed3": "长", "\u2ed4": "门",
    "\u2ed5": "阜", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页",
    "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ede": "食", "\u2edf": "饣", "\u2ee0": "饣",
    "\u2ee1": "首", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟",
    "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "齐", "\u2eec": "齐",
    "\u2eed": "齿", "\u2eee": "齿", "\u2eef": "龙", "\u2ef0": "龙", "\u2ef1": "龟", "\u2ef2": "龟",
    "\u2ef3": "龟",
}

_DROP = {"\ufeff", "\u200b", "\u2060"}
_KEEP_AS_IS = {chr(c) for c in range(0x2460, 0x2474)}  # ①..⑳


@dataclass(frozen=True)
class Normalised:
    """Normalised text with, for every character, the half-open raw range that produced it."""

    raw: str
    text: str
    starts: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw range covering exactly the raw characters that produced ``text[start:end]``.
        An empty range maps to an empty raw range at the matching position."""
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"range ({start}, {end}) outside normalised text of length {n}")
        if start == end:
            pos = self.starts[start] if start < n else len(self.raw)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def to_norm(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        """Smallest normalised range whose characters came from raw characters overlapping
        ``[raw_start, raw_end)``; a range of dropped characters maps to an empty range."""
        m = len(self.raw)
        if not 0 <= raw_start <= raw_end <= m:
            raise ValueError(f"raw range ({raw_start}, {raw_end}) outside text of length {m}")
        lo = bisect.bisect_right(self.ends, raw_start)  # first char ending after raw_start
        hi = bisect.bisect_left(self.starts, raw_end)  # chars before hi start before raw_end
        if raw_start == raw_end or hi <= lo:
            return lo, lo
        return lo, hi


# ---------------------------------------------------------------- per-character stage


@functools.lru_cache(maxsize=16384)
def _map_char(ch: str) -> str:
    if " " <= ch <= "~" or ch == "\n" or ch == "\t":
        return ch
    if ch in _DROP:
        return ""
    if ch in ("\r", "\f", "\x0b", "\u2028", "\u2029", "\x85"):
        return "\n"
    if ch in _KEEP_AS_IS:
        return ch
    ch = RADICALS_SUPPLEMENT.get(ch, ch)
    return unicodedata.normalize("NFKC", ch)


class _CharTable(dict):
    """ord -> mapped text for ``str.translate``, filled on first sight of a character (a C-level
    lookup afterwards); characters that do not map to exactly one character are noted."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = self[code] = _map_char(ch)
        if len(out) != 1 or ch == "\r":  # dropped, expanded, or the CR of a CR LF
            _IRREGULAR.add(ch)
        return out


_CHAR_TABLE = _CharTable()
_IRREGULAR: set[str] = {"\r"}


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=8192)
def _t2s_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3FFFF or 0xF900 <= o <= 0xFAFF


def _char_stage(raw: str) -> tuple[list[str], list[int], list[int]]:
    """Per-character mapping. Fast path: when every char maps to one char the map is the identity
    (mapped with ``str.translate``, one lookup per distinct character)."""
    text = raw.translate(_CHAR_TABLE)
    if _IRREGULAR.isdisjoint(raw):  # every char became one char (the table was filled just now)
        n = len(raw)
        return list(text), list(range(n)), list(range(1, n + 1))
    outs = [_CHAR_TABLE[ord(ch)] for ch in raw]
    if "\r\n" in raw:
        for i in _find_all(raw, "\r\n"):
            outs[i] = ""  # the CR of CR LF; its LF takes over the CR's position below
    text = "".join(outs)
    if len(text) == len(raw) and "" not in outs:  # nothing dropped, so nothing expanded either
        n = len(raw)
        return list(text), list(range(n)), list(range(1, n + 1))
    starts = [i for i, o in enumerate(outs) for _ in o]
    ends = [i + 1 for i in starts]
    if "\r\n" in raw:
        for i in _find_all(raw, "\r\n"):
            k = bisect.bisect_left(starts, i + 1)  # the LF's output char
            starts[k] = i
    return list(text), starts, ends


def _find_all(s: str, sub: str) -> list[int]:
    out = []
    i = s.find(sub)
    while i >= 0:
        out.append(i)
        i = s.find(sub, i + len(sub))
    return out


def _t2s_stage(chars: list[str]) -> None:
    """Traditional -> simplified in place, never changing the length."""
    text = "".join(chars)
    if text.isascii():
        return
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        chars[:] = conv
        return
    pos = 0
    for line in text.split("\n"):
        if not line.isascii():
            conv = _t2s().convert(line)
            if len(conv) != len(line):
                conv = "".join(_t2s_char(c) for c in line)
            chars[pos:pos + len(line)] = conv
        pos += len(line) + 1


# ---------------------------------------------------------------- line stages (deletions)

_PAGE_NO = re.compile(
    r"[ \t]*(?:[-—–~－]{1,2}[ \t]*\d{1,4}[ \t]*[-—–~－]{1,2}"
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,/][ \t]*|[ \t]*)(?:共[ \t]*\d{1,4}[ \t]*页)?"
    r"|\d{1,4}[ \t]*/[ \t]*\d{1,4}[ \t]*页)[ \t]*"
)
_BARE_NO = re.compile(r"[ \t]*\d{1,4}[ \t]*")
_HEADING = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.]|[(][一二三四五六七八九十\d]{1,3}[)]|\d{1,2}[、.](?!\d)"
    r"|第[一二三四五六七八九十\d]{1,3}[章节条部分]|[①-⑳]|附[件表录])"
)
# a tab, a pipe, a gap between two CJK chars, or two numbers set apart by spaces: a table row
_TABLE_LIKE = re.compile(r"[\t|]|[\u3400-\u9fff] +[\u3400-\u9fff]|(?:^| )\d+(?:\.\d+)? +\d+(?:\.\d+)?(?: |$)")
_PAGE_BARE = re.compile(r" *\d{1,3} *")
_UNITS = set("条件个次篇项万元人家期份类批场所户")
_END_OK = "、,)》”’%《“‘(〔[【〕]】"
_VALUE = re.compile(r"[\d.,%/无—-]+")  # a table cell on its own line, never a continuation
_START_PUNCT = ",、。:;!?)》”’《“‘(〔〕[]【】%"
_SENTENCE_PUNCT = re.compile(r"[,。;:!?]")


# One normalisation per document: the model, the rule labeller, the checks and the batch's problem
# report all ask for the same document's view, and labels printed in tables recur across documents.
# Results are shared (``Normalised`` is frozen; callers never change its lists).
_SHORT = 256  # fragments up to this length: a large LRU cache (labels, headings, cell text)
_DOCS_KEPT = 2  # whole documents: the last two (a worker handles one document at a time; a view of a
# long document is large, so no more are kept)
_docs: dict[str, Normalised] = {}
_docs_lock = threading.Lock()
_lines: dict[str, tuple[tuple[int, int], ...]] = {}


def line_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every line of ``text``, newline excluded. Shared (a tuple): the labellers ask
    for the lines of the same normalised document ~8 times, so the last few answers are kept."""
    hit = _lines.get(text)
    if hit is not None:
        return hit
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    result = tuple(out)
    if len(text) > _SHORT:
        with _docs_lock:
            _lines[text] = result
            while len(_lines) > 2 * _DOCS_KEPT:
                del _lines[next(iter(_lines))]
    return result


def _drop_line(keep: bytearray, lines: list[tuple[int, int]], k: int, n: int) -> None:
    s, e = lines[k]
    for x in range(s, e):
        keep[x] = 0
    if e < n:
        keep[e] = 0  # its newline
    elif s > 0:
        keep[s - 1] = 0


def _page_numbers(text: str, raw_ff: list[bool], keep: bytearray) -> None:
    lines = line_ranges(text)
    n = len(text)
    for k, (s, e) in enumerate(lines):
        if e - s > 24 or s == e:
            continue
        line = text[s:e]
        if _PAGE_NO.fullmatch(line):
            _drop_line(keep, lines, k, n)
        elif _BARE_NO.fullmatch(line) and (
            (s > 0 and raw_ff[s - 1]) or (e < n and raw_ff[e]) or _between_prose(text, lines, k)
        ):
            _drop_line(keep, lines, k, n)


def _neighbour(text: str, lines: list[tuple[int, int]], k: int, step: int) -> str | None:
    """The nearest non-blank line before (step -1) or after (step 1) line ``k``."""
    j = k + step
    while 0 <= j < len(lines):
        line = text[lines[j][0]:lines[j][1]].strip()
        if line:
            return line
        j += step
    return None


def _between_prose(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    """A bare number between two pipe or tab rows, or after a finished sentence or a heading and
    before a prose sentence, is a page number: table values sit among row labels, which are neither."""
    before, after = _neighbour(text, lines, k, -1), _neighbour(text, lines, k, 1)
    if not before or not after:
        return False
    if any(sep in before and sep in after for sep in "|\t") and not (set(before) == set(after) == {"|"}):
        return True  # a line without the separator every row and cell around it has (between two
        # lines of bare pipes, which separate cells printed one per line, the number is a cell)
    if _TABLE_LIKE.search(before) or _TABLE_LIKE.search(after):
        return False
    ends = before.endswith("。") or (_HEADING.match(before) and not _SENTENCE_PUNCT.search(before))
    prose = len(after) >= 10 and not _HEADING.match(after) and _SENTENCE_PUNCT.search(after) is not None
    return bool(ends and prose)


def _single_char_headers(text: str, keep: bytearray) -> None:
    """Join runs of three or more lines that each hold one CJK char (blank lines between allowed):
    a column header printed vertically. A run of one repeated char (无\n无\n无) is a column of values."""
    run: list[int] = []  # positions of the single chars of the current run

    def flush() -> None:
        if len(run) >= 3 and len({text[p] for p in run}) > 1:
            for a, b in zip(run, run[1:], strict=False):
                keep[a + 1:b] = bytes(b - a - 1)  # the white space between two chars of the run
        run.clear()

    for s, e in line_ranges(text):
        stripped = text[s:e].strip(" \t")
        if not stripped:
            continue
        if len(stripped) == 1 and _is_cjk(stripped):
            run.append(s + text[s:e].index(stripped))
        else:
            flush()
    flush()


_NARROW = re.compile(r"[\x00-\u2e7f]+")


def _width(s: str) -> int:
    """Display width: CJK and other wide characters count two (runs of narrow ones are few)."""
    return 2 * len(s) - sum(map(len, _NARROW.findall(s)))


def _full_width(sizes: list[int], floor: int) -> int | None:
    """Lower bound of the common full-line size among ``sizes``, or None when lines share none.

    Either many lines share one size (a page of wrapped prose), or the widest lines, all but at
    most one, agree within 3 % (one wrapped paragraph among table cells and short lines)."""
    sizes = sorted(w for w in sizes if w >= floor)
    if len(sizes) >= 4:
        full = sizes[int(len(sizes) * 0.8)]
        tol = max(3, int(full * 0.12))
        if sum(1 for w in sizes if abs(w - full) <= tol) >= max(3, len(sizes) * 0.3):
            return full - tol
    for drop in (0, 1):
        top = sizes[: len(sizes) - drop]
        if len(top) < 3:
            break
        spread = max(2, int(top[-1] * 0.03))
        if top[-1] - top[-3] <= spread:
            return top[-1] - 2 * spread
    return None


def _wrap_width(text: str, lines: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Full-line thresholds (display width, characters) of a wrapped document, or None.

    PDF extraction wraps by printed width (a CJK char is two digits wide); text re-flowed by
    other tools wraps by character count. A line counts as full when either measure says so."""
    prose = [ln for s, e in lines if not _TABLE_LIKE.search(ln := text[s:e].rstrip())]
    by_width = _full_width([_width(ln) for ln in prose], 24)
    by_chars = _full_width([len(ln) for ln in prose], 12)
    if by_width is None and by_chars is None:
        return None
    return (by_width or 10**9, by_chars or 10**9)


def _joins(text: str, keep: bytearray, space: list[int]) -> None:
    lines = line_ranges(text)
    width = _wrap_width(text, lines)
    if width is None:
        return

    def next_text_line(k: int) -> int | None:
        """The next non-blank line, at most two blank lines further on."""
        for j in range(k + 1, min(k + 4, len(lines))):
            if text[lines[j][0]:lines[j][1]].strip():
                return j
        return None

    def continuation(j: int) -> tuple[int, str] | None:
        """(leading spaces, text) of line ``j`` when it can continue a wrapped sentence."""
        nline = text[lines[j][0]:lines[j][1]]
        body = nline.lstrip(" ")
        lead = len(nline) - len(body)
        if (lead <= 1 and body and not _TABLE_LIKE.search(body) and not _HEADING.match(body)
                and not _VALUE.fullmatch(body.rstrip())
                and (_is_cjk(body[0]) or body[0].isalnum() or body[0] in _START_PUNCT)):
            return lead, body
        return None

    k = 0
    while k < len(lines) - 1:
        s, e = lines[k]
        line = text[s:e].rstrip(" \t")
        nxt = next_text_line(k)
        if nxt is None:
            k += 1
            continue
        last = line[-1] if line else ""
        if not line or not _may_wrap(line, last, width):
            k = nxt
            continue
        cont = continuation(nxt)
        if _is_cjk(last) and _PAGE_BARE.fullmatch(text[lines[nxt][0]:lines[nxt][1]]):
            # a bare page number printed inside a wrapped sentence (pages joined without a marker);
            # before a measure word (条, 件 ...) it is a wrapped quantity instead
            after = next_text_line(nxt)
            cont2 = continuation(after) if after is not None else None
            if cont2 is not None and _is_cjk(cont2[1][0]) and cont2[1][0] not in _UNITS:
                nxt, cont = after, cont2
        if cont is not None:
            lead, body = cont
            cut_from = s + len(line)
            cut_to = lines[nxt][0] + lead
            for x in range(cut_from, cut_to):
                keep[x] = 0
            if (last.isascii() and last.isalnum() and body[0].isascii() and body[0].isalnum()) \
                    or e > cut_from:  # between numbers, or where the line had its own trailing space
                space.append(cut_from)
        k = nxt


def _may_wrap(line: str, last: str, width: tuple[int, int]) -> bool:
    """Whether ``line`` looks cut by a wrap: full width, ends inside a sentence, not a table row,
    a heading, a title or a whole parenthetical remark."""
    if _TABLE_LIKE.search(line) or (_width(line) < width[0] and len(line) < width[1]):
        return False
    if not (_is_cjk(last) or last.isalnum() or last in _END_OK):
        return False
    if line.lstrip().startswith("#"):
        return False  # a markdown heading (## 四、…) ends where its line does
    if _SENTENCE_PUNCT.search(line) is None and (_HEADING.match(line) or line.endswith("报告")):
        return False  # a heading or a title: a multi-line one is left to the labellers
    return not (last in ")）" and line[0] in "(（")


def _apply(chars: list[str], starts: list[int], ends: list[int], keep: bytearray):
    return list(compress(chars, keep)), list(compress(starts, keep)), list(compress(ends, keep))




def normalise(text: str) -> Normalised:
    """Normalise ``text`` (as read) for matching, keeping an exact offset map (see module doc).
    Repeated calls with the same text return the same (immutable) result without redoing the work."""
    if not isinstance(text, str):
        raise TypeError(f"normalise() needs str, got {type(text).__name__}")
    if len(text) <= _SHORT:
        return _normalise_short(text)
    with _docs_lock:
        hit = _docs.get(text)
    if hit is not None:
        return hit
    out = _normalise(text)
    with _docs_lock:
        _docs[text] = out
        while len(_docs) > _DOCS_KEPT:
            del _docs[next(iter(_docs))]  # oldest first (dicts keep insertion order)
    return out


@functools.lru_cache(maxsize=8192)
def _normalise_short(text: str) -> Normalised:
    return _normalise(text)


def _normalise(text: str) -> Normalised:
    chars, starts, ends = _char_stage(text)
    _t2s_stage(chars)
    cur = "".join(chars)
    # form feeds became "\n"; remember where they were for bare page numbers
    ff = [chars[i] == "\n" and text[starts[i]] == "\f" for i in range(len(chars))] if "\f" in text else None
    keep = bytearray(b"\x01") * len(chars)
    _page_numbers(cur, ff or [False] * len(chars), keep)
    _single_char_headers(cur, keep)
    if not all(keep):
        chars, starts, ends = _apply(chars, starts, ends, keep)
        cur = "".join(chars)
    keep = bytearray(b"\x01") * len(chars)
    space: list[int] = []
    _joins(cur, keep, space)
    for p in space:
        keep[p] = 1
        chars[p] = " "
    if not all(keep):
        chars, starts, ends = _apply(chars, starts, ends, keep)
    return Normalised(raw=text, text="".join(chars), starts=starts, ends=ends)


def normalise_fragment(s: str) -> str:
    """Just the normalised text of a short fragment (a printed label, a heading) for matching."""
    return normalise(s).text
