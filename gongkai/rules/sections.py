"""Section headings: ``一、总体情况`` … ``六、其他需要报告的事项`` as printed.

A heading is a line that starts with a Chinese ordinal and a pause mark (``一、``, ``二.``) and whose
words name one of the six sections; the wording decides the label, not the ordinal, so shifted or
missing numbers still work (``工作基本情况`` printed first is the overview). Row labels of the
tables that look like headings (``一、本年新收…申请数量``, ``四、结转下年度继续办理``) name no section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai import template as T
from gongkai.normalise import line_ranges
from gongkai.rules.textview import GLOSS, View

_ORDINAL = re.compile(r"^[#*\s]*(?P<ord>[一二三四五六七八九十]{1,2})\s*[、.．]\s*(?P<title>[^\s*].*?)[\s*]*$")
_PAREN = re.compile(
    r"^[#*\s]*(?P<ord>\([一二三四五六七八九十]{1,2}\)|第[一二三四五六七八九十]{1,2}部分)\s*(?P<title>[^\s*].*?)[\s*]*$"
)
_PLAIN = re.compile(r"^[#*\s]*(?P<title>[^\s*].*?)[\s*]*$")
_NOISE = re.compile(r"[\s,，。.:：;；!！]")
MAX_TITLE = 36


@dataclass(frozen=True)
class Heading:
    label: str
    start: int  # normalised offsets of the printed heading (ordinal included, '#' excluded)
    end: int
    score: float


def classify(title: str) -> str | None:
    """Section label for a heading's words (ordinal removed), or None."""
    t = _NOISE.sub("", GLOSS.sub("", title))
    if not t or len(t) > MAX_TITLE or re.search(r"数量$|\d", t):
        return None
    if re.match(r"(工作)?(总体|基本|概述|概况)", t) or t in ("总体情况", "工作基本情况", "基本情况", "概述"):
        return "SEC_OVERVIEW"
    if "主动公开" in t and "申请" not in t:
        return "SEC_ACTIVE"
    if "申请" in t and re.search(r"收到|处理|依申请|办理情况|申请情况", t) and "复议" not in t:
        return "SEC_REQUESTS"
    if re.search(r"行政复议|行政诉讼", t):
        return "SEC_REVIEW"
    if re.search(r"问题|不足", t) and re.search(r"改进|措施|整改|情况|问题$", t):
        return "SEC_PROBLEMS"
    if re.search(r"其[他它]", t) and "事项" in t:
        return "SEC_OTHER"
    return None


_EXACT = {
    "总体情况": "SEC_OVERVIEW",
    "工作基本情况": "SEC_OVERVIEW",
    "主动公开政府信息情况": "SEC_ACTIVE",
    "收到和处理政府信息公开申请情况": "SEC_REQUESTS",
    "政府信息公开行政复议、行政诉讼情况": "SEC_REVIEW",
    "存在的主要问题及改进情况": "SEC_PROBLEMS",
    "其他需要报告的事项": "SEC_OTHER",
}


def find_headings(view: View) -> list[Heading]:
    """The first heading of each section, in text order (later sections after earlier ones)."""
    text = view.text
    lines = [(s, e) for s, e in line_ranges(text) if text[s:e].strip()]
    found: dict[str, Heading] = {}
    last_start = -1
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        m = _ORDINAL.match(line)
        label, end, score = None, e, 0.95
        if m:
            title = m.group("title")
            label = classify(title)
            if label is None and i + 1 < len(lines) and len(_NOISE.sub("", title)) < 16:
                ns, ne = lines[i + 1]
                joined = classify(title + text[ns:ne].strip())
                if joined and not _ORDINAL.match(text[ns:ne]):
                    label, end, score = joined, ne, 0.85
                    i += 1
            start = s + m.start("ord")
        else:  # every _EXACT title ends in 情况 or 事项
            p = _PLAIN.match(line) if "况" in line or "项" in line else None
            t = _NOISE.sub("", p.group("title")) if p else ""
            label = _EXACT.get(t)
            start = s + (p.start("title") if p else 0)
            score = 0.8
        if label and label not in found and start > last_start:
            end = s + len(line.rstrip(" \t*")) if end == e else end
            while end > start and text[end - 1].isspace():
                end -= 1
            found[label] = Heading(label, start, end, score)
            last_start = start
        i += 1
    if not found:
        _paren_numbered(text, lines, found)
    if len(found) < len(_ORDER):
        _paren_fallback(text, lines, found)
    return sorted(found.values(), key=lambda h: h.start)


_OVERVIEW_ONLY = re.compile(r"政府信息管理|平台建设|监督保障|组织领导|制度建设|队伍建设")


def _paren_numbered(text: str, lines: list[tuple[int, int]], found: dict[str, Heading]) -> None:
    """Old-style reports numbered (一) … (六) with no 一、 headings at all: their bracketed titles
    are the sections when at least two name different sections in order and none is a topic
    that only the overview's own sub-headings use (政府信息管理, 平台建设, 监督保障 …)."""
    got: list[Heading] = []
    for s, e in lines:
        m = _PAREN.match(text[s:e])
        if not m or not m.group("ord").startswith("("):
            continue
        title = m.group("title")
        if _OVERVIEW_ONLY.search(title):
            return
        label = classify(title)
        if label is None or label == "SEC_OVERVIEW" or any(h.label == label for h in got):
            continue
        if not re.search(r"政府信息|的情况|申请", title):
            continue
        if got and _ORDER.index(label) < _ORDER.index(got[-1].label):
            continue
        end = s + len(text[s:e].rstrip(" \t*"))
        got.append(Heading(label, s + m.start("ord"), end, 0.7))
    if len(got) >= 2:
        for h in got:
            found[h.label] = h


_ORDER = ("SEC_OVERVIEW", "SEC_ACTIVE", "SEC_REQUESTS", "SEC_REVIEW", "SEC_PROBLEMS", "SEC_OTHER")
_STRICT = {
    _NOISE.sub("", title): label
    for key, label in zip(T.SECTION_ORDER, _ORDER, strict=True)
    for title in T.SECTIONS[key]
}


def _paren_fallback(text: str, lines: list[tuple[int, int]], found: dict[str, Heading]) -> None:
    """Reports that number their six parts (一) … (六) or 第一部分: only exact section titles,
    and only where they fit in order between the headings already found."""
    for s, e in lines:
        m = _PAREN.match(text[s:e])
        if not m:
            continue
        label = _STRICT.get(_NOISE.sub("", m.group("title")))
        if label is None or label in found:
            continue
        start = s + m.start("ord")
        rank = _ORDER.index(label)
        if "一二三四五六"[rank] not in m.group("ord"):
            continue  # (一)主动公开情况 is a part of the overview, not section 二
        before = [h.start for lab, h in found.items() if _ORDER.index(lab) < rank]
        after = [h.start for lab, h in found.items() if _ORDER.index(lab) > rank]
        if (before and start < max(before)) or (after and start > min(after)):
            continue
        end = s + len(text[s:e].rstrip(" \t*"))
        found[label] = Heading(label, start, end, 0.75)
