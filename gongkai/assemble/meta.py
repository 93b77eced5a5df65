"""``meta``: organ (ORGAN), report year (YEAR), ISO publish date (DATE) and the template version
decided from the printed column headers (COL spans vs ``template.TEMPLATE_MARKERS``)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from gongkai import template as T
from gongkai.assemble.canon import canon_keep_brackets, simplified
from gongkai.claimwords import FUNCTION_CHARS
from gongkai.numbers import parse_number
from gongkai.spans import Span

_NUM = r"[0-9０-９零〇○Ｏ一二两三四五六七八九十]+"
_DATE_CN = re.compile(rf"({_NUM})\s*年\s*({_NUM})\s*月\s*({_NUM})\s*[日号]?")
_DATE_SEP = re.compile(r"(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})")


def parse_year(s: str) -> int | None:
    """``2020`` / ``二〇二〇`` / ``2020年`` → 2020; None when it is no plausible report year."""
    t = re.sub(r"\s+", "", s).removesuffix("年度").removesuffix("年")
    try:
        value, _ = parse_number(t)
    except ValueError:
        return None
    if isinstance(value, int) and 1990 <= value <= 2100:
        return value
    return None


def parse_date(s: str) -> str | None:
    """ISO date from 2021年01月05日 / 2022年1月3日 / 2021-01-05 / 2021.1.5 / 二〇二一年一月五日."""
    t = unicodedata.normalize("NFKC", s)
    m = _DATE_CN.search(t) or _DATE_SEP.search(t)
    if not m:
        return None
    try:
        y, mo, d = (parse_number(g)[0] for g in m.groups())
        return dt.date(int(y), int(mo), int(d)).isoformat()
    except (ValueError, TypeError, OverflowError):
        return None


_OFFICE_SUFFIXES = ("办公室", "党政办", "政府办", "办")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
# characters a name starts right after: function words, a date's 年/月/日, and 请/各/致 (请…联系, 各乡镇, 致…)
_BEFORE_NAME = FUNCTION_CHARS | frozenset("年度月日号请各致")


def whole_name(text: str, organ: Span) -> Span:
    """The chosen organ name, when the model's span starts one ideograph after a break (the text's
    or a line's start, punctuation, a function word such as 由 or 与), starts at that break:
    庆市九龙坡区… at the top of a page is 重庆市九龙坡区…, 由两城镇… gives 两城镇…. Why: the model's
    least sure edge is a name's first character, and the fullest printed name is what the schema
    asks for. With no break right there the span is left as it is (…编制万源市 stays uncertain
    rather than becoming a phrase), as is a span that already starts with a function word. Rules'
    spans are left alone: they place the edge by grammar."""
    def in_word(at: int) -> bool:  # text[at] continues a name (no break before the span there)
        return at >= 0 and bool(_IDEOGRAPH.match(text[at])) and text[at] not in _BEFORE_NAME

    a = organ.start
    if organ.source != "model" or organ.text[:1] in _BEFORE_NAME or not in_word(a - 1) or in_word(a - 2):
        return organ
    return Span.of(text, organ.label, a - 1, organ.end, organ.score, organ.source)


def pick_organ(spans: list[Span]) -> Span | None:
    """The fullest printed name: the longest ORGAN span (first in text order on ties). A name
    that is another one plus an office suffix (…人民政府办公室) is the office, not the body."""
    organs = [s for s in spans if s.label == "ORGAN" and s.text.strip()]
    names = {simplified(s.text.strip()) for s in organs}

    def is_office(printed: str) -> bool:  # 辦公室 too: compared in simplified form
        name = simplified(printed)
        return any(name.endswith(x) and name[: -len(x)] in names for x in _OFFICE_SUFFIXES)

    organs = [s for s in organs if not is_office(s.text.strip())] or organs
    if not organs:
        return None
    return max(sorted(organs, key=lambda s: s.start), key=lambda s: len(s.text.strip()))


def pick_first(spans: list[Span], label: str, parse) -> tuple[Span, object] | None:
    """First span of ``label`` whose text parses (highest score wins over position)."""
    found = [(s, parse(s.text)) for s in sorted(spans, key=lambda s: s.start) if s.label == label]
    found = [(s, v) for s, v in found if v is not None]
    if not found:
        return None
    return max(found, key=lambda sv: sv[0].score)  # max keeps the first of equal scores


def template_from_headers(spans: list[Span]) -> tuple[str | None, Span | None]:
    """``"2019"``/``"2021"`` by majority of COL spans printing a template-only header; None on none/tie."""
    votes: dict[str, list[Span]] = {t: [] for t in T.TEMPLATE_MARKERS}
    for s in sorted(spans, key=lambda s: s.start):
        if s.label != "COL":
            continue
        c = canon_keep_brackets(s.text)
        for version, markers in T.TEMPLATE_MARKERS.items():
            if any(canon_keep_brackets(m) in c for m in markers):
                votes[version].append(s)
    ranked = sorted(votes.items(), key=lambda kv: -len(kv[1]))
    if not ranked[0][1] or len(ranked[0][1]) == len(ranked[1][1]):
        return None, None
    return ranked[0][0], ranked[0][1][0]
