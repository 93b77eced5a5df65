"""Numbers as reports print them: Arabic (1,234 / 2406.2243 / −3 / full-width), Chinese numerals
(十二, 一百零五, 两千, 二〇二〇), approximation markers (100余, 3000多, 近50, 20左右) and table cells
(无 / — / - / 249万 / 5.4万元).

Table cells and claims both go through here so that one reading of "无" or "100余" holds everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

Number = int | float

_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CHINESE_CHARS = set(_DIGITS) | set(_SMALL_UNITS) | set(_BIG_UNITS)

# Markers that make a figure approximate; prefixes and suffixes are stripped before parsing.
_APPROX_PREFIXES = ("将近", "將近", "接近", "超过", "超過", "近", "约", "約", "逾", "超", "大约", "大約")
_APPROX_SUFFIXES = ("左右", "以上", "余", "餘", "多", "來", "来")
_MINUS = "−－﹣‒–—"  # signs a report may print for minus (after NFKC some become '-')
_ARABIC = re.compile(r"[+-]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?")
# Cell values printed for "none": they count as a stated 0 (SCHEMA.md).
_ZERO_CELLS = {
    "暂无",
    "没有",
    "无此项",
    "无",
    "無",
    "-",
    "—",
    "–",
    "－",
    "―",
    "─",
    "/",
    "／",
    "\\",
    "0",
    "--",
    "——",
    "/ /",
}
_CELL_UNITS = (("万元", "万元"), ("萬元", "万元"), ("万", "万元"), ("萬", "万元"), ("元", "元"))
_MEASURE_WORDS = "件个條条篇次项份人家户项起宗"


def _clean(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).strip()
    for m in _MINUS:
        if s.startswith(m):
            s = "-" + s[len(m) :]
    return re.sub(r"\s+", "", s)


def _as_number(v: float) -> Number:
    """int when integral (so 0.0 prints as 0), else float."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _chinese_to_int(s: str) -> int:
    """十二 → 12, 一百零五 → 105, 两千 → 2000, 三万五千 → 35000, 二〇二〇 → 2020 (digit run)."""
    if not s or any(c not in _CHINESE_CHARS for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    if all(c in _DIGITS for c in s):  # a digit run: 二〇二〇, 五
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    last_unit, zero_since_unit = 0, False
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
            zero_since_unit = zero_since_unit or digit == 0
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit, last_unit, zero_since_unit = None, _SMALL_UNITS[c], False
        else:  # 万 / 亿
            section += digit or 0
            total = (total + section) * _BIG_UNITS[c]
            section, digit, last_unit, zero_since_unit = 0, None, _BIG_UNITS[c], False
    if digit and last_unit >= 100 and not zero_since_unit:
        digit *= last_unit // 10  # 一千二 = 1200, 三万五 = 35000 (no 零: the digit is the next place)
    return total + section + (digit or 0)


def parse_number(s: str) -> tuple[Number, bool]:
    """Parse a printed number. Returns (value, approximate); raises ValueError if ``s`` is no number.

    A trailing ``%`` (or leading 百分之) is dropped so shares parse too: ``4.55%`` → (4.55, False).
    Arabic digits followed by a unit are scaled: ``1.5万`` → 15000, ``3千`` → 3000.
    """
    t = _clean(s)
    approx = False
    changed = True
    while changed and t:
        changed = False
        for p in _APPROX_PREFIXES:
            if t.startswith(p):
                t, approx, changed = t[len(p) :], True, True
        for x in _APPROX_SUFFIXES:
            if t.endswith(x) and len(t) > len(x):
                t, approx, changed = t[: -len(x)], True, True
    if t.startswith("百分之"):
        t = t[3:]
    t = t.rstrip("%‰")
    if not t:
        raise ValueError(f"not a number: {s!r}")
    scale = 1
    units = {**_SMALL_UNITS, **_BIG_UNITS}
    if t[-1] in units and len(t) > 1 and t[-2].isdigit():  # 1.5万, 3千
        scale, t = units[t[-1]], t[:-1]
    if _ARABIC.fullmatch(t) and any(c.isdigit() for c in t):
        text = t.replace(",", "")
        if scale != 1:  # exact decimal scaling: 1.1千 is 1100, not 1100.0000000000002
            return _as_number(float(Decimal(text) * scale)), approx
        value: float = float(text) if "." in text else int(text)
        return _as_number(value), approx
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    try:
        return sign * _chinese_to_int(t), approx
    except ValueError:
        raise ValueError(f"not a number: {s!r}") from None


def parse_cell(s: str) -> tuple[Number, str | None]:
    """Parse a table cell as printed. Returns (value, unit); unit is 万元/元 (万 counts as 万元), a
    measure word such as 件 when one is printed, else None. 无 / — / - / 0 / ／ give 0.
    Raises ValueError when the cell holds no number (blank cells have no span and stay null)."""
    if s.isascii() and s.isdigit():  # most cells: plain digits
        return int(s), None
    raw = unicodedata.normalize("NFKC", s).strip()
    compact = re.sub(r"\s+", "", raw).strip("()[]【】").lstrip("¥￥")
    if not compact:
        raise ValueError("blank cell")
    if compact in _ZERO_CELLS or set(compact) <= set("-—–―─/／\\"):
        return 0, None
    unit = None
    for printed, canonical in _CELL_UNITS:
        if compact.endswith(printed) and len(compact) > len(printed):
            compact, unit = compact[: -len(printed)], canonical
            break
    else:
        if compact[-1] in _MEASURE_WORDS and len(compact) > 1:
            compact, unit = compact[:-1], compact[-1]
    value, _approx = parse_number(compact)
    return value, unit
