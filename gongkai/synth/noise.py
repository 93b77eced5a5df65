"""Noise seen in real extractions, applied per document with tunable rates.

Substitutions keep offsets (one character for one); insertions move spans through
``builder.insert``. Line breaks never land inside numbers, cells, dates, names or headings.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from gongkai.synth.builder import RawSpan, insert, substitute

# Kangxi radicals / CJK radical supplement look-alikes that PDF extraction emits.
RADICALS = {
    "一": "⼀", "二": "⼆", "人": "⼈", "入": "⼊", "八": "⼋", "工": "⼯", "大": "⼤", "文": "⽂", "方": "⽅",
    "日": "⽇", "月": "⽉", "目": "⽬", "长": "⻓", "民": "⺠", "见": "⻅", "门": "⻔", "面": "⾯", "行": "⾏",
    "止": "⽌", "自": "⾃", "用": "⽤", "立": "⽴", "高": "⾼", "无": "⽆", "金": "⾦", "子": "⼦", "土": "⼟",
    "示": "⽰", "生": "⽣", "小": "⼩", "山": "⼭", "水": "⽔",
}
FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)} | {"%": "％"}

NO_BREAK = ("NUM", "UNIT", "SHARE", "DATE", "YEAR", "ORGAN", "ROW", "COL")


def _no_break(label: str) -> bool:
    return label in NO_BREAK or label.startswith(("CELL_", "SEC_"))


_S2T: dict[str, str] = {}
_converter = None


def _to_traditional(ch: str) -> str:
    global _converter
    if ch not in _S2T:
        if _converter is None:
            import opencc

            _converter = opencc.OpenCC("s2t")
        out = _converter.convert(ch)
        _S2T[ch] = out if len(out) == 1 else ch
    return _S2T[ch]


def traditional(text: str, rng: random.Random) -> str:
    """Traditional characters, as OpenCC s2t gives them, one for one."""
    return substitute(text, _to_traditional)


def radicals(text: str, rng: random.Random) -> str:
    p = rng.uniform(0.6, 1.0)
    return substitute(text, lambda ch: RADICALS[ch] if ch in RADICALS and rng.random() < p else ch)


def fullwidth(text: str, rng: random.Random) -> str:
    return substitute(text, lambda ch: FULLWIDTH.get(ch, ch))


SUBSTITUTIONS: dict[str, Callable[[str, random.Random], str]] = {
    "traditional": traditional,
    "radicals": radicals,
    "fullwidth": fullwidth,
}


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out


def _blocked(spans: list[RawSpan], pred: Callable[[str], bool]) -> list[tuple[int, int]]:
    return sorted((s, e) for lab, s, e in spans if pred(lab))


def _move_out(p: int, blocked: list[tuple[int, int]]) -> int:
    for s, e in blocked:
        if s < p < e:
            return e
    return p


def wraps(text: str, spans: list[RawSpan], rng: random.Random, tables: list[tuple[int, int]]
          ) -> tuple[str, list[RawSpan]]:
    """PDF-style hard wraps: prose lines cut every ~30 characters (tables left alone)."""
    width = rng.randint(24, 42)
    blocked = _blocked(spans, _no_break)
    # table lines: the ranges recorded at rendering, and (as insertions such as pinyin glosses move
    # text after them) every line holding a table span
    table_spans = _blocked(spans, lambda lab: lab in ("ROW", "COL") or lab.startswith("CELL_"))
    ins = []
    for s, e in _lines(text):
        if e - s <= width + 4 or any(ts < e and s < te for ts, te in tables):
            continue
        if any(ts < e and s < te for ts, te in table_spans):
            continue
        p = s + width
        while p < e - 2:
            q = _move_out(p, blocked)
            while q < e and text[q - 1].isdigit() and text[q].isdigit():  # never inside 2019 of 2019年
                q += 1
            if q >= e - 1:
                break
            ins.append((q, "\n" if rng.random() < 0.9 else "\n "))
            p = q + width
    return insert(text, spans, ins)


def page_numbers(text: str, spans: list[RawSpan], rng: random.Random) -> tuple[str, list[RawSpan]]:
    """Page numbers such as ``- 9 -`` on their own line every few dozen lines."""
    every = rng.randint(25, 45)
    style = rng.choice(("- {} -", "—{}—", "{}", "第{}页"))
    blocked = _blocked(spans, lambda lab: True)
    ins = []
    page = rng.randint(1, 3)
    lines = list(_lines(text))
    for n, (s, _e) in enumerate(lines):
        if n and n % every == 0 and _move_out(s, blocked) == s:
            if style == "{}" and _near_value_line(text, lines, n):
                continue  # a bare number among one-per-line cells could not be told from a cell
            page += 1
            ins.append((s, style.format(page) + "\n"))
    return insert(text, spans, ins)


_VALUE_LINE = re.compile(r"\s*[-+−]?[\d.,]*\d[\d.,]*\s*(万元|万|元)?\s*$|\s*[无—/-]\s*$|\s*\|+\s*$"
                         r"|\s*(?:[\d无—/-]+\s+)+[\d无—/-]+\s*$")  # or a run of values: 无 无 无


def _near_value_line(text: str, lines: list[tuple[int, int]], n: int) -> bool:
    """Whether the nearest non-blank line before or after line ``n`` is a lone cell value (or a
    line of bare pipes, which separates such cells), or both are pieces of a label wrapped one to
    three characters a line (a narrow table: a bare number there reads as a cell too)."""
    pieces = 0
    for step in (-1, 1):
        i = n - 1 if step < 0 else n
        while 0 <= i < len(lines) and not text[lines[i][0] : lines[i][1]].strip():
            i += step
        if 0 <= i < len(lines) and _VALUE_LINE.fullmatch(text[lines[i][0] : lines[i][1]]):
            return True
        pieces += 0 <= i < len(lines) and len(text[lines[i][0] : lines[i][1]].strip()) <= 3
    return pieces == 2


def blank_lines(text: str, spans: list[RawSpan], rng: random.Random) -> tuple[str, list[RawSpan]]:
    """A blank line after every line (common in PDF and web copies)."""
    return insert(text, spans, [(i + 1, "\n") for i, ch in enumerate(text) if ch == "\n"])


def crlf(text: str, spans: list[RawSpan], rng: random.Random) -> tuple[str, list[RawSpan]]:
    """Windows line ends, kept as read."""
    return insert(text, spans, [(i, "\r") for i, ch in enumerate(text) if ch == "\n"])


# Pinyin glosses that some sites insert after traditional characters (鎮(zhèn)).
PINYIN = {
    "鎮": "zhèn", "據": "jù", "現": "xiàn", "數": "shù", "時": "shí", "態": "tài", "發": "fā", "務": "wù",
    "臺": "tái", "單": "dān", "設": "shè", "標": "biāo", "準": "zhǔn", "責": "zé", "聯": "lián", "係": "xì",
}
_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
GLOSS_OK = ("SUBJ_ACTIVE", "SUBJ_ACTIVE_PART", "SUBJ_REQUEST", "SUBJ_REQUEST_PART", "SUBJ_OTHER")


def pinyin_glosses(text: str, spans: list[RawSpan], rng: random.Random) -> tuple[str, list[RawSpan]]:
    """``(pinyin)`` after common traditional characters, never inside names, numbers or table labels."""
    blocked = _blocked(spans, lambda lab: lab not in GLOSS_OK)
    ins = [(i + 1, f"({PINYIN[ch]})") for i, ch in enumerate(text)
           if ch in PINYIN and _move_out(i + 1, blocked) == i + 1]
    text, spans = insert(text, spans, ins)
    # a subject runs up to its number: it takes in the gloss of its own last character
    grown = []
    for sp in spans:
        gloss = _GLOSS.match(text, sp[2]) if sp[0] in GLOSS_OK else None
        grown.append((sp[0], sp[1], gloss.end(), *sp[3:]) if gloss else sp)
    return text, grown
