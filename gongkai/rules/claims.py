"""Narrative claims → SUBJ_* / NUM / UNIT / SHARE spans (docs/labels.md, the gold conventions).

Matching runs on the compact normalised text (no white space), so ``主动\\n\\n公开信息 129 条``
reads as one phrase; table zones are left out (a BARRIER stands for them).

- Overall active count: ``[本年度新增的|累计]主动公开…N条`` (scope words kept in the subject).
- Channel counts without an overall subject: ``通过<channel>发布信息N条`` (a part; the channel
  word is the breakdown when it is a known one, e.g. 微信公众号).
- Parts: after an overall active claim, a cue (其中 / 包括 / …中,) opens a list of
  ``<category> N <unit>`` items in that sentence; a part's subject runs from the previous
  item or clause mark to the number (so ``政策法规、工作制度、办事指南等 18 条`` stays whole).
  A printed share (占总体的比例为4.55%) after an item is a SHARE.
- Request counts: ``收到…申请N件``, ``依申请公开[共受理]N件``; items after it in the same
  sentence are parts until one is about review, litigation or complaints.
- Negation: ``未收到…政府信息公开申请[事项]`` is a SUBJ_REQUEST with no number.
Numbers inside dates, phone numbers and 文号 never match: every number must sit right after a
subject and right before a measure word.
"""

from __future__ import annotations

import re

from gongkai.rules.textview import BARRIER, Compact, View
from gongkai.spans import Span

_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)(?:余|多)?"
_UNIT = r"[条篇件份个项次期场批则宗]"
_SCOPE = r"(?:(?:本年度|本年|全年|今年|年内)(?:新增|累计)?(?:的|共计|共|已)?|(?:新增|累计)(?:的|共计|共|已)?|共计|共|已)?"
_FREE = r"[^,，。;；:：、\x00\d%]"  # a subject character: no clause mark, digit or barrier
_ACTIVE = re.compile(
    rf"(?P<subj>{_SCOPE}主动公开{_FREE}{{0,14}}?)"
    rf"(?:共计|合计|共|达到|达|为)?(?P<num>{_NUM})(?P<unit>{_UNIT})"
)
# without 主动: 公开各类信息 / 发布政务信息 / 公开政府信息 (no free words, to stay precise)
_ACTIVE_PLAIN = re.compile(
    rf"(?P<subj>{_SCOPE}(?:公开|发布)(?:了)?(?:各类|各项)?(?:政府|政务)?(?:信息|文件)(?:数|数量|总数)?)"
    rf"(?:共计|合计|共|达到|达|为)?(?P<num>{_NUM})(?P<unit>{_UNIT})"
)
_CHANNEL = re.compile(
    rf"通过(?P<chan>{_FREE}{{2,20}}?)(?:发布|公开)(?:了)?(?:各类)?(?:政务|政府)?(?:信息|文件)"
    rf"(?:共计|共)?(?P<num>{_NUM})(?P<unit>{_UNIT})"
)
_REQUEST = re.compile(
    rf"(?P<subj>(?:收到|受理|接到|接收|办理)(?:了)?(?:各类)?(?:政府信息公开|信息公开|依申请公开)"
    rf"(?:政府信息)?(?:的)?(?:申请|事项)?(?:事项)?"
    rf"|依申请公开(?:政府信息|信息)?(?:申请)?(?:共计|共)?(?:受理|收到|办理)?(?:了)?)"
    rf"(?:共计|合计|共|数|为)?(?P<num>{_NUM})(?P<unit>[件个条次份宗])"
)
_NEGATED = re.compile(
    r"(?:未|没有|未曾)(?:收到|受理|接到|发生)(?P<mid>[^,，。;；\x00\d]{0,14}?)"
    r"(?:政府信息公开申请|信息公开申请|依申请公开申请|依申请公开事项|依申请公开)(?:事项)?"
)
_ITEM = re.compile(
    rf"(?<![\d.,])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?(?:余|多)?|(?<![第零一二两三四五六七八九十])[零一二两三四五六七八九十]{{1,3}})"
    rf"(?P<unit>{_UNIT})"
)
_CUE = re.compile(r"其中|主要包括|包括|分别为|分别是|中,|中:")
_LEAD = re.compile(r"^(?:[,，;；:：、]|其中|主要包括|包括|分别为|分别是|以及|和|及|另有|还有|共)+")
_TAIL = re.compile(r"(?:共计|合计|共|达到|达|为)$")
_CLAUSE = re.compile(r"[,，;；:：。%\x00]")
_SENTENCE_END = re.compile(r"[。\x00]")
_SHARE = re.compile(r"占[^,，;；。\x00]{0,12}?(?P<share>\d+(?:\.\d+)?%)")
_NOT_REQUEST = re.compile(r"复议|诉讼|投诉|举报|信访")
_NOT_PART = re.compile(r"培训|会议|活动|开展|召开|举办|复议|诉讼|投诉|电子化")
_CHANNELS = re.compile(
    r"微信公众号|微信公众平台|政务微信|门户网站|政府网站|政务微博|微博|抖音|今日头条|头条号|客户端|公开栏|公示栏|"
    r"政务新媒体|新媒体|专栏|网站|报刊|广播|电视"
)
_OTHER = re.compile(
    rf"(?P<subj>(?:组织|开展|召开|举办|参加)(?:了)?{_FREE}{{0,10}}?(?:培训|会议|活动|解读|宣传))"
    rf"(?:共计|共|达)?(?P<num>{_NUM})(?P<unit>次|场|期|场次|人次|篇|个)"
)
MAX_PART = 24


class _Claims:
    def __init__(self, view: View, c: Compact) -> None:
        self.view, self.c = view, c
        self.spans: list[Span] = []
        self.taken: list[tuple[int, int]] = []  # compact ranges already used

    def emit(self, label: str, s: int, e: int, score: float) -> None:
        sp = self.view.cspan(self.c, label, s, e, score)
        if sp is not None:
            self.spans.append(sp)

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.taken)

    def claim(
        self, label: str, s: int, e: int, num: tuple[int, int], unit: tuple[int, int], score: float
    ) -> None:
        self.emit(label, s, e, score)
        self.emit("NUM", num[0], num[1], score)
        self.emit("UNIT", unit[0], unit[1], score)
        self.taken.append((s, unit[1]))

    def sentence_end(self, pos: int) -> int:
        m = _SENTENCE_END.search(self.c.text, pos)
        return m.start() if m else len(self.c.text)

    def run(self) -> list[Span]:
        t = self.c.text
        for m in _NEGATED.finditer(t):
            if not _NOT_REQUEST.search(m.group("mid")):
                self.emit("SUBJ_REQUEST", m.start(), m.end(), 0.8)
                self.taken.append((m.start(), m.end()))
        overall: list[tuple[re.Match, bool]] = []
        for m in _ACTIVE.finditer(t):
            self.claim("SUBJ_ACTIVE", m.start("subj"), m.end("subj"), m.span("num"), m.span("unit"), 0.85)
            overall.append((m, True))
        for m in _REQUEST.finditer(t):
            if not self.free(m.start(), m.end()):
                continue
            self.claim("SUBJ_REQUEST", m.start("subj"), m.end("subj"), m.span("num"), m.span("unit"), 0.8)
            overall.append((m, False))
        channels = [
            m for m in _CHANNEL.finditer(t) if self.free(m.start(), m.end()) and "主动公开" not in m.group(0)
        ]
        for m in _ACTIVE_PLAIN.finditer(t):
            if not self.free(m.start(), m.end()) or any(c.start() <= m.start() < c.end() for c in channels):
                continue
            if (
                t[max(0, m.start() - 2) : m.start()] in ("申请", "予以", "不予")
                or t[m.start() - 1 : m.start()] == "部"
            ):
                continue  # 依申请公开政府信息 / 予以公开 / 部分公开: about applications
            win = max(0, m.start() - MAX_PART)
            lo = max((x.end() for x in _CLAUSE.finditer(t, win, m.start())), default=win)
            clause = t[lo : m.start()]
            if re.match(r"本年|全年|今年|年内|新增|累计", m.group("subj")):
                clause = ""  # a scope word makes it an overall figure (其中本年公开各类信息153条)
            if _CHANNELS.search(clause):  # 门户网站发布信息20条: a channel's part, not the overall
                lead = _LEAD.match(clause)
                s = lo + (lead.end() if lead else 0)
                if m.start("num") - s >= 2:
                    self.claim("SUBJ_ACTIVE_PART", s, m.start("num"), m.span("num"), m.span("unit"), 0.65)
                continue
            if _CUE.search(clause):
                continue  # 其中发布信息…: a part of the claim before it (see parts)
            self.claim("SUBJ_ACTIVE", m.start("subj"), m.end("subj"), m.span("num"), m.span("unit"), 0.75)
            overall.append((m, True))
        overall.sort(key=lambda mo: mo[0].start())
        for i, (m, active) in enumerate(overall):
            stop = overall[i + 1][0].start() if i + 1 < len(overall) else len(t)
            self.parts(m.end(), stop, active)
        for m in channels:
            if not self.free(m.start(), m.end()):
                continue
            ch = _CHANNELS.search(m.group("chan"))
            s, e = (
                (m.start("chan") + ch.start(), m.start("chan") + ch.end())
                if ch
                else (m.start(), m.start("num"))
            )
            self.claim("SUBJ_ACTIVE_PART", s, e, m.span("num"), m.span("unit"), 0.7)
            self.taken.append((m.start(), m.end()))
        for m in _OTHER.finditer(t):  # 开展政策解读活动15次: kept as other_count
            if self.free(m.start(), m.end()):
                self.claim("SUBJ_OTHER", m.start("subj"), m.end("subj"), m.span("num"), m.span("unit"), 0.6)
        return self.spans

    def parts(self, pos: int, stop: int, active: bool) -> None:
        """Breakdown items after an overall claim ending at compact ``pos`` (before ``stop``)."""
        t = self.c.text
        if active:
            # a cue (其中, 包括 …) opens the list in this sentence's rest or one of the next two
            probe = pos
            for _ in range(3):
                end = min(self.sentence_end(probe), stop)
                cue = _CUE.search(t, probe, end)
                if cue and self._items(cue.end(), end, active):
                    return
                if end >= stop or end >= len(t) or t[end] == BARRIER:
                    return
                probe = end + 1
        else:
            end = min(self.sentence_end(pos), stop)
            if not self._items(pos, end, active) and end < stop and end < len(t) and t[end] != BARRIER:
                nxt = min(self.sentence_end(end + 1), stop)
                cue = _CUE.match(t, end + 1)  # 。其中，予以公开7件…
                if cue:
                    self._items(cue.end(), nxt, active)

    def _items(self, start: int, end: int, active: bool) -> bool:
        t = self.c.text
        prev = start
        found = False
        for m in _ITEM.finditer(t, start, end):
            lo = max(prev, max((x.end() for x in _CLAUSE.finditer(t, prev, m.start())), default=prev))
            subj = t[lo : m.start()]
            lead = _LEAD.match(subj)
            s = lo + (lead.end() if lead else 0)
            tail = _TAIL.search(t[s : m.start()])
            e = s + tail.start() if tail else m.start()
            prev = m.end()
            if e - s < 2 or e - s > MAX_PART or not self.free(s, m.end()):
                continue
            words = t[s:e]
            if active and _NOT_PART.search(words):
                continue
            if not active and _NOT_REQUEST.search(words):
                break
            label = "SUBJ_ACTIVE_PART" if active else "SUBJ_REQUEST_PART"
            self.claim(label, s, e, m.span("num"), m.span("unit"), 0.7)
            found = True
            nxt = _ITEM.search(t, m.end(), end)
            sh = _SHARE.search(t, m.end(), nxt.start() if nxt else end)
            if sh:
                self.emit("SHARE", sh.start("share"), sh.end("share"), 0.7)
        return found


def claim_spans(view: View, skip: list[tuple[int, int]]) -> list[Span]:
    """Claim spans of the document outside the normalised ranges ``skip`` (the tables)."""
    return _Claims(view, view.compact(skip)).run()
