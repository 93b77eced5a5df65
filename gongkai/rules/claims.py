"""Narrative claims → SUBJ_* / NUM / UNIT / SHARE spans (docs/labels.md, the gold conventions).

Claims are read with a small grammar, not one pattern per phrasing (``gongkai.claimwords``):

- every *quantity* (``129条``, ``四十余条``, ``近50件``, ``申请 7 件``) in the prose is a candidate;
  numbers in dates, 文号, article numbers (第二十条) or before 例/款 never are;
- its *subject* is the phrase before it, back to a clause mark or the previous quantity (so a list
  item ``政策法规、工作制度等18条`` stays whole), without connectives (其中, 包括 …) or particles
  (共, 达, 为 …) at its ends;
- the subject decides the type: application words (申请, 依申请, 结转) make a request count, a
  disclosure verb (公开, 发布, 公示 … but not the 公开 of 政务公开 or 公开指南) an active count, and
  a bare category (``工作动态``) inherits the type of the claim its list belongs to (same sentence,
  or a sentence opened by 其中);
- overall or part: a generic object (政府信息, 各类信息, …等信息) is the overall figure, a specific
  one (政策解读信息) or a channel (通过微信公众号, 局微博) a part — a single channel in a paragraph
  with no other figure is the overall one (``通过门户网站主动公开政府信息47条，其中…``);
- a number before its noun reads the same way (``收到1件…申请``, ``发布730余条图文信息``);
- negations (未/没有/无 + 收到/受理/结转 … + 申请) are a request subject with no number, unless the
  application is only the cause of something else (未发生因政府信息公开申请引起的行政复议);
- trainings, visits, consultations, page views, proposals handled are not these two types.

Matching runs on the compact normalised text (no white space, simplified characters), so
``主动\\n\\n公开信息 129 条`` reads as one phrase; table zones are left out (a BARRIER stands for
them) and a line break after a heading-like line or a finished sentence ends a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.claimwords import (
    CUE,
    LEAD,
    NOT_CLAIM,
    REQUEST_HANDLE,
    REQUEST_MODES,
    REQUEST_RECEIVE,
    TAIL,
    active_verb,
    analyse,
    scope_start,
    via_channel,
)
from gongkai.rules.textview import BARRIER, Compact, View
from gongkai.spans import Span

BREAK = "\n"  # a hard break kept in the compact text: paragraph or heading line ended
_CN = r"(?:[一二两三四五六七八九十][零一二两三四五六七八九十百千]*|零(?=[件条宗份项篇]))"
_QTY = re.compile(
    rf"(?<![每这该此那])(?P<num>(?:将近|接近|超过|近|约|逾)?(?:(?<!\d)(?<!\d[.,])\d+(?:,\d{{3}})*(?:\.\d+)?(?:万|千)?|(?<![第零一二两三四五六七八九十百千万\d]){_CN})"
    rf"(?:余|多)?)(?P<unit>[条件篇项次期份封个宗则])(?![例款龙目次线性])"
)
_UNITLESS = re.compile(r"(?P<num>\d+)(?=(?:份|个)?(?:政府信息公开|依申请公开)?申请)")  # 受理4申请公开政府信息
_SENT_END = "。!?" + BREAK + BARRIER
_CLAUSE = ",;:(" + _SENT_END
_ITEM_SEP = "、,;:%" + _SENT_END
_SHARE = re.compile(r"占[^,;。\x00\n]{0,12}?(?P<share>\d+(?:\.\d+)?%)")
_OTHER = re.compile(r"培训|会议|活动|解读|宣传")
_PRENOUN_REQ = re.compile(r"^[^,;:。\x00\n]{0,16}?申请")
_PRENOUN_ACT = re.compile(r"^(?:图文|政务|政府|各类|新闻)?(?:信息|稿件|文章|动态|消息)")
_NEG = re.compile(
    r"(?:未|没有|暂无|尚未|无(?!法))(?:新|再|曾)?(?:收到|受理|接到|接收|发生|产生|出现|有|办理)?"
    r"(?P<mid>[^,;:。\x00\n\d]{0,16}?)"
    r"(?:政府信息公开申请|信息公开申请|政府信息申请|公开申请|申请公开信息(?:要求|事项)?|依申请公开(?:申请|事项|信息|件)?|的申请|申请)"
    r"(?:事项|件)?(?!人|数量|表|书|的)"
)
_NEG_OUTCOME = re.compile(r"(?:未|没有)(?:出现|发生|有)(?:不予公开|部分公开|不予处理|无法提供)(?:政府信息)?(?:的)?(?:情况|情形)?")
_PREDICATE = re.compile(r"[^,;:。\x00\n]{0,14}?(?:答复|回复|办结|结转|不予|予以|处理|公开)[^,;:。\x00\n]{0,10}")
_NEG_NOT = re.compile(r"因|复议|诉讼|投诉|举报|咨询|被|收费|费用")
MAX_SUBJ = 40
MAX_PART = 24


@dataclass
class _Q:
    """One quantity and the phrase that counts it (compact offsets)."""

    s: int  # subject start
    num: tuple[int, int]
    unit: tuple[int, int] | None
    sent: int
    para: int
    kind: str = ""  # active / request / other
    role: str = ""  # overall / part / channel
    label: str = ""


def _compact(view: View, skip: list[tuple[int, int]]) -> Compact:
    """The compact view with a BREAK where a line ends a paragraph or a heading-like line. Only
    the start of a run of kept text can follow a line end, so only those are looked at."""
    base = view.compact(skip)
    t, bpos = view.text, base.pos
    cuts: list[int] = []  # compact indices that get a BREAK before them
    for k in base.runs:
        j = k - 1
        while j >= 0 and bpos[j] < 0:  # back over BARRIERs to the last kept character
            j -= 1
        if j >= 0 and t.find("\n", bpos[j], bpos[k]) >= 0 and _hard_break(t, bpos[j]):
            cuts.append(k)
    if not cuts:
        return base
    chars: list[str] = []
    pos: list[int] = []
    lo = 0
    for k in cuts:
        chars += [base.text[lo:k], BREAK]
        pos += bpos[lo:k]
        pos.append(-1)
        lo = k
    chars.append(base.text[lo:])
    pos += bpos[lo:]
    return Compact("".join(chars), pos)


_HEADING_LINE = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+)"
)


def _hard_break(t: str, at: int) -> bool:
    """Whether the line holding normalised index ``at`` ends a sentence where it ends."""
    ls = t.rfind("\n", 0, at) + 1
    le = t.find("\n", at)
    line = t[ls : le if le >= 0 else len(t)].strip()
    if not line:
        return True
    if line[-1] in "。!?":
        return True
    short = len(line) <= 30 and line[-1] not in ",、和及与("
    return short and bool(_HEADING_LINE.match(line)) and not re.search(r"[。,;]", line[:-1])


_SENT_ENDS = re.compile(f"[{re.escape(_SENT_END)}](?![{re.escape(_SENT_END)}])")  # last of a run
_PARA_ENDS = re.compile(f"[{re.escape(BREAK + BARRIER)}]")


def _counts_before(t: str, ends: re.Pattern[str]) -> list[int]:
    """For every index 0..len(t): how many matches of ``ends`` end before it."""
    out: list[int] = []
    seen = 0
    for m in ends.finditer(t):
        out += [seen] * (m.end() - len(out))
        seen += 1
    out += [seen] * (len(t) + 1 - len(out))
    return out


class _Reader:
    def __init__(self, view: View, c: Compact) -> None:
        self.view, self.c, self.t = view, c, c.text
        self.spans: list[Span] = []

    def emit(self, label: str, s: int, e: int, score: float) -> None:
        while s < e and self.t[s] in ",;:、)" + BREAK:
            s += 1
        sp = self.view.cspan(self.c, label, s, e, score) if e > s else None
        if sp is not None:
            self.spans.append(sp)

    # ---------------------------------------------------------------- structure
    def _bounds(self) -> tuple[list[int], list[int]]:
        """Sentence and paragraph number of every compact index (counted from the ends before it)."""
        return _counts_before(self.t, _SENT_ENDS), _counts_before(self.t, _PARA_ENDS)

    def _start(self, num_start: int, floor: int) -> int:
        """Subject start: after the last item separator (or quantity) before the number."""
        i = num_start
        lo = max(floor, num_start - MAX_SUBJ)
        if i > lo and self.t[i - 1] == ":":  # 主动公开政府信息：120条: the subject before the colon
            i -= 1
        while i > lo and self.t[i - 1] not in _ITEM_SEP:
            i -= 1
        # 、 joins words inside one subject (报刊、电视等载体) unless a quantity precedes it
        while i > lo and self.t[i - 1] == "、" and not self._ends_quantity(i - 1):
            j = i - 1
            while j > lo and self.t[j - 1] not in _ITEM_SEP:
                j -= 1
            i = j
        return i

    def _ends_quantity(self, at: int) -> bool:
        return at in self.q_end_set

    # ---------------------------------------------------------------- reading
    def run(self) -> list[Span]:
        t = self.t
        sent, para = self._bounds()
        taken = self.negations()
        found = [m for m in _QTY.finditer(t) if not any(a <= m.start() < b for a, b in taken)]
        self.q_ends = [(m.start(), m.end()) for m in found]
        self.q_end_set = {e for _, e in self.q_ends}
        q_start_set = {s for s, _ in self.q_ends}
        qs: list[_Q] = []
        prev_end = 0
        for m in found:
            floor = prev_end if prev_end > m.start() - MAX_SUBJ else 0
            s = self._start(m.start("num"), floor)
            qs.append(_Q(s, m.span("num"), m.span("unit"), sent[m.start()], para[m.start()]))
            prev_end = m.end()
        for m in _UNITLESS.finditer(t):
            before = t[max(0, m.start() - 6) : m.start()]
            if REQUEST_RECEIVE.search(before) and m.start() not in q_start_set:
                s = self._start(m.start(), 0)
                qs.append(_Q(s, m.span("num"), None, sent[m.start()], para[m.start()]))
        qs.sort(key=lambda q: q.num[0])
        self.classify(qs)
        self.decide_channels(qs)
        for q in qs:
            if not q.label:
                continue
            if q.role == "after" and q.unit:  # the subject printed after the number
                m = _PREDICATE.match(t, q.unit[1])
                self.emit("NUM", q.num[0], q.num[1], 0.7)
                self.emit("UNIT", q.unit[0], q.unit[1], 0.7)
                self.emit(q.label, q.unit[1], m.end() if m else q.unit[1], 0.6)
                continue
            self.emit(q.label, q.s, q.num[0], 0.8 if q.role == "overall" else 0.7)
            self.emit("NUM", q.num[0], q.num[1], 0.8)
            if q.unit:
                self.emit("UNIT", q.unit[0], q.unit[1], 0.8)
                sh = _SHARE.match(t, q.unit[1]) or _SHARE.match(t, q.unit[1] + 1)
                if sh and q.kind != "other":
                    self.emit("SHARE", sh.start("share"), sh.end("share"), 0.7)
        return self.spans

    def negations(self) -> list[tuple[int, int]]:
        t = self.t
        out = []
        for rx, label in ((_NEG_OUTCOME, "SUBJ_REQUEST_PART"), (_NEG, "SUBJ_REQUEST")):
            for m in rx.finditer(t):
                if any(a < m.end() and m.start() < b for a, b in out):
                    continue
                mid = m.groupdict().get("mid") or ""
                after = t[m.end() : m.end() + 12]
                if _NEG_NOT.search(mid) or re.match(r"[^,;。\x00\n]{0,8}(?:行政复议|行政诉讼|复议|诉讼)", after):
                    continue
                self.emit(label, m.start(), m.end(), 0.8)
                out.append((m.start(), m.end()))
        return out

    def classify(self, qs: list[_Q]) -> None:
        t = self.t
        last: dict[int, _Q] = {}  # sentence → last claim in it
        prev_claim: _Q | None = None
        for q in qs:
            unit = t[q.unit[0] : q.unit[1]] if q.unit else ""
            raw = t[q.s : q.num[0]]
            lead = LEAD.match(raw)
            s = q.s + (lead.end() if lead else 0)
            tail = TAIL.search(t[s : q.num[0]])
            e = q.num[0] - (len(tail.group()) if tail else 0)
            q.s = s
            subj = t[s:e]
            after = t[q.unit[1] : q.unit[1] + 20] if q.unit else t[q.num[1] : q.num[1] + 20]
            ctx = last.get(q.sent)
            if ctx is None and prev_claim is not None and prev_claim.sent == q.sent - 1:
                # a sentence opened by 其中 continues the list of the one before
                head = t[self._sentence_start(q.num[0]) : q.s]
                if CUE.match(head.lstrip(",;:")) or re.search(r"(?:信息|公开|申请)中[,:]", head) or not head:
                    ctx = prev_claim
            if ctx is None:
                head = t[self._sentence_start(q.num[0]) : q.s]
                if re.search(r"(?:情况|如下|分别为|包括)[:]?$", head) and len(head) <= 30:
                    kind0 = "request" if "申请" in head else "active" if active_verb(head) else ""
                    ctx = _Q(q.s, q.num, None, q.sent, q.para, kind0, "overall") if kind0 else None
            kind, role = self._kind(subj, unit, after, ctx, raw)
            if not kind:
                continue
            q.kind, q.role = kind, role
            q.s += self._trim(subj, kind, role)
            if kind == "other":
                q.label = "SUBJ_OTHER"
            elif kind == "active":
                q.label = "SUBJ_ACTIVE" if role == "overall" else "SUBJ_ACTIVE_PART"
            else:
                q.label = "SUBJ_REQUEST" if role == "overall" else "SUBJ_REQUEST_PART"
            if kind != "other":
                last[q.sent] = q
                prev_claim = q

    @staticmethod
    def _trim(subj: str, kind: str, role: str) -> int:
        """Where the counted subject starts inside ``subj``: an overall figure at its verb (with the
        scope words right before it: 全年主动公开…), a channel figure at 通过/the channel; agents
        (2021年, 我局, 全镇 …) stay out."""
        if kind == "active" and role in ("overall", "channel"):
            p = analyse(subj)
            if p.verb is None:
                return 0
            if role == "overall" and not (p.qualifier[1] > p.qualifier[0] and via_channel(subj)):
                return scope_start(subj, p.verb[0])
            return scope_start(subj, p.agent_end) if p.agent_end < p.verb[0] else 0
        if kind == "request" and role == "part":
            agent = re.match(r"[我本该](?:街道|[局镇乡街办委厅处])", subj)  # 我局网站受理… → 网站受理…
            return agent.end() if agent and len(subj) - agent.end() >= 2 else 0
        if kind == "request" and role == "overall":
            m = REQUEST_RECEIVE.search(subj) or REQUEST_HANDLE.search(subj) or re.search(r"依申请", subj)
            return scope_start(subj, m.start()) if m else 0
        return 0

    def _sentence_start(self, pos: int) -> int:
        i = pos
        while i > 0 and self.t[i - 1] not in _SENT_END:
            i -= 1
        return i

    def _kind(self, subj: str, unit: str, after: str, ctx: _Q | None, raw: str) -> tuple[str, str]:
        """(kind, role) of a quantity whose subject is ``subj``; ("", "") when it is no claim."""
        if unit in ("个",) or (unit and after[:1] in ("人", "万")):
            return "", ""
        prenoun = not unit or bool(re.match(r"(?!以及|及|和|与|等|左右|以上|其中|另|并|同比|占)[\u4e00-\u9fff“]", after))
        if prenoun and NOT_CLAIM.search(after[:10]):
            return "", ""  # 近50件咨询均已答复
        if prenoun and ctx is not None and ctx.kind == "request" and len(subj) <= 2 and _PREDICATE.match(after):
            return "request", "after"  # …申请133件，121件均已答复: the subject follows the number
        if prenoun and not (_PRENOUN_REQ.match(after) or _PRENOUN_ACT.match(after)):
            return "", ""  # 7个新媒体平台 (a count that modifies a noun)
        words = subj + (after if prenoun else "")
        inner = raw.lstrip(",;:、").startswith(("(含", "(包括", "含"))
        if inner and not re.search(r"申请|结转", raw):
            return "", ""  # 7件(含规范性文件2件): a category inside another, not listed in its own right
        mode = ctx is not None and ctx.kind == "request" and subj.endswith("申请")  # 电话咨询后申请3件
        if not mode and (
            NOT_CLAIM.search(subj)
            or (prenoun and NOT_CLAIM.search(after[:10]))
            or (unit in ("次", "场") and _OTHER.search(subj))
        ):
            if _OTHER.search(subj) and unit in ("次", "场", "期", "篇", "个") and len(subj) >= 2:
                return "other", "overall"
            return "", ""
        if re.search(r"每(?:月|季度?|周|年|日|天)", subj):
            return "", ""  # a frequency (每月公示…一条), not a count
        if unit == "次" and not re.search(r"申请", words):
            return "", ""
        if unit == "期" and ctx is None:
            return ("other", "overall") if len(subj) >= 2 else ("", "")  # 更新公开栏8期: issues, not items
        if len(subj) > MAX_SUBJ or (not prenoun and len(subj) < 2 and not ctx):
            return "", ""
        lead = LEAD.match(raw)
        listed = bool(lead) and bool(re.search(r"为$|其中|包括|分别|具体", lead.group()))
        if re.search(r"申请|结转", words) or (listed and "申请" in raw):
            if "结转" in subj or (ctx is not None and ctx.kind == "request" and not REQUEST_RECEIVE.search(subj)):
                return "request", "part"
            if listed and not REQUEST_RECEIVE.search(subj):
                return "request", "part"  # 申请数量占比前三的为成都591件
            recv = REQUEST_RECEIVE.search(subj)
            if recv and REQUEST_MODES.search(subj[: recv.start()]) and not re.search(r"申请$", subj[: recv.start()]):
                return "request", "part"  # 网站受理依申请公开9件
            if recv or REQUEST_HANDLE.search(subj) or prenoun or re.match(r"依申请", subj):
                return "request", "overall"
            return ("request", "part") if ctx is not None else ("request", "overall")
        v = active_verb(words)
        if v is not None and not (prenoun and not _PRENOUN_ACT.match(after)):
            if ctx is not None and ctx.kind == "request":
                return ("request", "part") if len(subj) <= 6 else ("", "")
            p = analyse(subj)
            if p.verb is None:
                return ("active", "part") if ctx is not None else ("", "")
            if not p.generic and p.obj[1] > p.obj[0]:
                return "active", "part"
            ql, qh = p.qualifier
            multi = re.search(r"[、等和及]|多种|各种|各类|不同|多个", subj[ql:qh])
            if p.channel and (not multi or p.channel[1] == qh) or (via_channel(subj) and qh > ql and not multi):
                return "active", "channel"
            return "active", "overall"
        if ctx is not None and 2 <= len(subj) <= MAX_PART:
            if ctx.kind == "request" and REQUEST_HANDLE.search(subj) and len(subj) <= 3:
                return "request", "part"
            return ctx.kind, "part"
        return "", ""

    def decide_channels(self, qs: list[_Q]) -> None:
        """A channel figure is a part (微信公众号发布730余条) unless it is the only figure of its
        paragraph with a list of its own after it: then it is the overall one
        (通过门户网站主动公开政府信息47条，其中…)."""
        by_para: dict[int, list[_Q]] = {}
        for o in qs:
            if o.kind == "active":
                by_para.setdefault(o.para, []).append(o)
        for q in qs:
            if q.role != "channel":
                continue
            same = [o for o in by_para.get(q.para, ()) if o is not q]
            before_overall = any(o.role == "overall" and o.num[0] < q.num[0] for o in same)
            others = any(o.role in ("channel", "part") for o in same if not self._inside_list_of(o, q))
            own_list = any(self._inside_list_of(o, q) for o in same)
            if before_overall or others or not own_list:
                q.label = "SUBJ_ACTIVE_PART"
            else:
                q.role, q.label = "overall", "SUBJ_ACTIVE"

    def _inside_list_of(self, o: _Q, q: _Q) -> bool:
        """``o`` is one of the categories listed after ``q`` (其中 …) in q's sentence or the next."""
        return o.num[0] > q.num[0] and o.role == "part" and o.sent in (q.sent, q.sent + 1)


def claim_spans(view: View, skip: list[tuple[int, int]]) -> list[Span]:
    """Claim spans of the document outside the normalised ranges ``skip`` (the tables)."""
    return _Reader(view, _compact(view, skip)).run()

