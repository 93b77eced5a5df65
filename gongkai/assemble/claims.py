"""Narrative claims: a SUBJ_* span, the next NUM (before the next subject), the UNIT right after
it and an optional SHARE (docs/labels.md). A SUBJ_REQUEST with no number that negates
(未收到…申请) is a claim of 0 with no unit. Parts (…_PART) inherit the scope of the overall claim
they follow and carry a ``breakdown``."""

from __future__ import annotations

import bisect
import re

from gongkai.assemble.canon import simplified
from gongkai.claimwords import (
    LEAD,
    REQUEST_HANDLE,
    REQUEST_MODES,
    REQUEST_RECEIVE,
    REQUEST_WORD,
    TAIL,
    active_verb,
    analyse,
    is_generic,
)
from gongkai.numbers import parse_number
from gongkai.schema import Claim
from gongkai.spans import CLAIM_SUBJECT_LABELS, Span

_NEGATION = re.compile(r"(?:未|没有(?!现成)|暂无|尚未|无(?!法))")  # 没有现成信息…: a reason, not a zero
_MAX_GAP = 40  # characters between a subject and its number
_SENTENCE_END = re.compile(r"[。；;！!？?]")
# a reading some sites print after a traditional character (發(fā)布): not part of the category
_PINYIN_GLOSS = re.compile(r"[（(][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[)）]")
_CLAUSE_BREAK = re.compile(r"[。；;！!？?\n]")
# a paragraph ends at a sentence end before a line break, or at a blank line before a numbered heading;
# a blank line inside a sentence (PDF text with every line doubled) is no paragraph break
_PARAGRAPH_BREAK = re.compile(
    r"[。;；]\s*\n|\n\s*\n(?=\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]))")
# a point in time the count runs up to: cumulative (SCHEMA.md)
_UNTIL = re.compile(r"截至|截止|至今|迄今|历年|以来|到\s*(?:\d{4}|[二〇零一三四五六七八九]{4})\s*年\s*(?:底|末|\d|[一二三四五六七八九十])")
_YEAR_CUE = re.compile(r"(?:19|20)\d{2}\s*年(?!\s*(?:底|末|\d{1,2}\s*月))|本年|全年|今年|年内|年度|当年")
_OUTCOME = re.compile(r"不予公开|部分公开|予以公开|无法提供|不予处理|不予受理")


_WORD_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_REACH = 10  # how far a part's subject may move back to where its word starts
_PART_LABELS = frozenset(label for label, (_, part) in CLAIM_SUBJECT_LABELS.items() if part)


def whole_part_subject(text: str, subj: Span, stops: set[int]) -> Span:
    """A model's part subject that begins inside a word (它信息 of 其它信息, 公经费类 of 三公经费类)
    starts where the word does. Why: the model's left edge is its least sure one on a name it never
    saw, and the breakdown is the category as printed, never a fragment (the rules place the edge
    by grammar, after an agent or connective: their spans are left alone). The start moves
    back over ideographs, letters and digits only when a delimiter or another span's end is
    reached within ``_REACH`` characters; a list opener found there (其中, 包括) stays out."""
    a = subj.start
    while a > 0 and a not in stops and subj.start - a < _REACH and _WORD_CHAR.match(text[a - 1]):
        a -= 1
    if a == subj.start or (a > 0 and a not in stops and _WORD_CHAR.match(text[a - 1])):
        return subj  # already at a word start, or no boundary within reach: leave it
    probe = simplified(text[a : subj.start])
    lead = LEAD.match(probe) if len(probe) == subj.start - a else None
    if lead:
        a += lead.end()
    return subj if a >= subj.start else Span.of(text, subj.label, a, subj.end, subj.score, subj.source)


def _clause_prefix(text: str, start: int) -> str:
    """Text from the start of the sentence holding ``start`` up to it (scope words sit there)."""
    lo = max(0, start - 80)
    parts = _CLAUSE_BREAK.split(text[lo:start])
    return parts[-1] if parts else ""


def _paragraph_prefix(text: str, start: int) -> str:
    lo = max(0, start - 600)
    chunk = text[lo:start]
    breaks = list(_PARAGRAPH_BREAK.finditer(chunk))
    return chunk[breaks[-1].end() :] if breaks else chunk


def claim_scope(text: str, subject: Span, claim_text: str) -> str:
    """``cumulative`` for a count up to a point in time (截至…, 到…年底, 历年) or 累计 with no year
    of its own in the paragraph (or set against a year figure in its sentence); ``year`` otherwise:
    2021年，累计公开… counts that year (the corpus README), and 共计/合计 only sum."""
    prefix = simplified(re.sub(r"\s+", "", _clause_prefix(text, subject.start)))
    claim = simplified(re.sub(r"\s+", "", claim_text))  # 累\n计 wrapped by a PDF
    if re.search(r"本年|全年|今年|年内|当年|新增", claim + re.split(r"[,，]", prefix)[-1]):
        return "year"  # 截至年底累计…，本年度新增…: the claim's own scope word decides
    if _UNTIL.search(prefix + claim):
        return "cumulative"
    if "累计" in claim or "累计" in prefix.split(",")[-1]:
        if re.search(r"(?:\d|[一二三四五六七八九十])[余多]?[条件篇项]", prefix):
            return "cumulative"  # 全年…120条，累计…1500条: set against the year's own figure
        para = simplified(_paragraph_prefix(text, subject.start)) + claim
        return "year" if _YEAR_CUE.search(para) else "cumulative"
    return "year"


def breakdown_of(subject_text: str, ctype: str = "active_disclosure_count") -> str | None:
    """A part's printed category or channel, read with the subject grammar of ``claimwords``.

    A bare category keeps its words (政务公开; a trailing 公开 goes when 3+ characters remain:
    重点领域信息公开 → 重点领域信息); ``verb + specific object`` gives the object (发布政策解读信息 →
    政策解读信息); ``[通过] channel + verb + generic object`` gives the channel word (局微博发布信息 →
    微博, 通过信息公开平台发布 → 信息公开平台); a request part printed before its verb gives that
    (网站受理依申请公开 → 网站). White space, line breaks and connectives (其中, 具体为 …) go.
    Words are recognised in simplified form (公開 too) but the category keeps its printed
    characters, pinyin glosses on its own characters included (the real gold keeps them).
    """
    t = re.sub(r"\s+", "", subject_text).strip("：:，,、。")
    hidden = [False] * len(t)
    for m in _PINYIN_GLOSS.finditer(t):
        hidden[m.start() : m.end()] = [True] * (m.end() - m.start())
    keep = [i for i, h in enumerate(hidden) if not h]
    bare = "".join(t[i] for i in keep)
    probe = simplified(bare)
    if len(probe) != len(bare):  # the conversion changed the length: match on the printed text
        probe = bare
    lo, hi = _bounds(probe, ctype)
    if lo >= hi:
        return None
    start, end = keep[lo], keep[hi - 1] + 1
    gloss = _PINYIN_GLOSS.match(t, end)
    if gloss:  # the last kept character's own gloss
        end = gloss.end()
    return t[start:end].strip("：:，,、的") or None


_AGENT_ONLY = re.compile(r"(?:本年度|本年|全年|今年|年内|新增|累计|共计|共|(?:19|20)\d{2}年度?)+")


def subject_reading(subject_text: str, ctype: str, is_part: bool) -> tuple[str, bool]:
    """A model subject's claim type and part-ness, where the subject's own words settle them.

    Why: the model tells 主动公开 from 申请 and a total from a part by context, and on prose it never
    saw it mixes them up (主动公开政务文件 read as a request; 网站受理依申请公开 or 無法提供 read as a
    total, so the breakdown is lost). The grammar of ``claimwords`` decides only unambiguous cases,
    and only for totals (a part is read with its list): a disclosure verb with no application word
    and no receiving verb is disclosure, an application word with a receiving or handling verb and
    no disclosure verb is a request; a total becomes a part when it names a
    category and no verb (政府信息公开指南, 全省征地信息, 無法提供, 成都), a single channel before a
    generic object (门户网站上公开各类信息), or how an application arrived (网站受理…). Rules label by
    the same grammar, so only model spans come here. A negated subject (未收到…) is left as labelled."""
    probe = simplified(re.sub(r"\s+", "", subject_text))
    if ctype == "other_count" or len(probe) < 2 or _negated(subject_text):
        return ctype, is_part
    lead = LEAD.match(probe)
    tail = TAIL.search(probe, lead.end() if lead else 0)
    s = probe[lead.end() if lead else 0 : tail.start() if tail and tail.start() > 0 else len(probe)]
    if not s:
        return ctype, is_part
    if is_part:  # a list item (公开0件 among request results) is read with its list
        return ctype, True
    asks = REQUEST_WORD.search(s) is not None
    handles = REQUEST_RECEIVE.search(s) is not None or REQUEST_HANDLE.search(s) is not None
    discloses = active_verb(s) is not None
    if ctype == "request_count" and discloses and not asks and not handles:
        ctype = "active_disclosure_count"
    elif ctype == "active_disclosure_count" and asks and handles and not discloses:
        ctype = "request_count"
    if ctype == "request_count":
        return ctype, _mode_before_receiving(s) is not None or (not asks and not handles)
    p = analyse(s)
    if p.verb is None:
        return ctype, not is_generic(s) and _AGENT_ONLY.fullmatch(s) is None
    single_channel = p.channel is not None and not re.search(r"[、等和及]", s[p.qualifier[0] : p.qualifier[1]])
    return ctype, p.generic and single_channel


def _mode_before_receiving(s: str) -> re.Match | None:
    """The receiving verb of a request part printed after how the application arrived
    (网站受理…, 邮寄收到…), or None."""
    recv = REQUEST_RECEIVE.search(s)
    return recv if recv and recv.start() > 0 and REQUEST_MODES.search(s[: recv.start()]) else None


def _bounds(probe: str, ctype: str) -> tuple[int, int]:
    lead = LEAD.match(probe)
    lo = lead.end() if lead else 0
    tail = TAIL.search(probe, lo)
    hi = tail.start() if tail and tail.start() > lo else len(probe)
    s = probe[lo:hi]
    if ctype == "request_count":
        out = _OUTCOME.search(s)
        if _NEGATION.match(s) and out:  # 未出现不予公开…情况 → 不予公开
            return lo + out.start(), lo + out.end()
        recv = _mode_before_receiving(s)
        if recv:
            agent = re.match(r"(?:[我本该][局镇乡街办委厅处])?(?:通过|经由)?", s)  # 我局网站受理…, 通过网站受理… → 网站
            return lo + agent.end(), lo + recv.start()
        return _strip_agent(s, lo, hi)
    p = analyse(s)
    if p.verb is None:
        if s.endswith("公开") and len(s) - 2 >= 3:
            hi -= 2
        return _strip_agent(probe[lo:hi], lo, hi)
    if not p.generic and p.obj[1] > p.obj[0]:
        return lo + p.obj[0], lo + p.obj[1]
    if p.channel and (p.channel[1] == p.qualifier[1] or not re.search(r"[、等]", s[p.qualifier[0] : p.qualifier[1]])):
        return lo + p.channel[0], lo + p.channel[1]
    if p.qualifier[1] > p.qualifier[0]:
        return lo + p.qualifier[0], lo + p.qualifier[1]
    return lo, lo


def _strip_agent(s: str, lo: int, hi: int) -> tuple[int, int]:
    """A scope word before a category is no part of it (全年土地征收类 → 土地征收类); a printed
    year stays (2021年信息公开年报 is how the category was printed)."""
    m = re.match(r"(?:本年度|本年|全年|年内|新增|累计)+", s)
    return (lo + m.end(), hi) if m and hi - lo - m.end() >= 2 else (lo, hi)


def _only_space(text: str, a: int, b: int) -> bool:
    return a <= b and not text[a:b].strip()


def build_claims(text: str, spans: list[Span]) -> list[Claim]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    stops = {s.end for s in ordered}
    subjects = [whole_part_subject(text, s, stops) if s.label in _PART_LABELS and s.source == "model" else s
                for s in ordered if s.label in CLAIM_SUBJECT_LABELS]
    nums = [s for s in ordered if s.label == "NUM"]
    units = [s for s in ordered if s.label == "UNIT"]
    shares = [s for s in ordered if s.label == "SHARE"]
    claims: list[Claim] = []
    overall_scope: dict[str, str] = {}
    num_starts = [n.start for n in nums]
    unit_starts = [u.start for u in units]
    ends_n = sorted(nums, key=lambda s: s.end)
    ends_u = sorted(units, key=lambda s: s.end)
    by_end_n = (ends_n, [s.end for s in ends_n])
    by_end_u = (ends_u, [s.end for s in ends_u])
    for i, subj in enumerate(subjects):
        ctype, is_part = CLAIM_SUBJECT_LABELS[subj.label]
        if subj.source == "model":
            ctype, is_part = subject_reading(subj.text, ctype, is_part)
        limit = subjects[i + 1].start if i + 1 < len(subjects) else len(text)
        sentence_end = _SENTENCE_END.search(text, subj.end)
        limit = min(limit, subj.end + _MAX_GAP, sentence_end.start() if sentence_end else len(text))
        k = bisect.bisect_left(num_starts, subj.end)
        num = nums[k] if k < len(nums) and nums[k].start < limit else None
        parenthetical = subj.text.lstrip().startswith(("(", "（"))
        before = _number_before(text, subj, by_end_n, by_end_u) if is_part and not parenthetical else None
        if before is not None:  # 121件均已答复: the number printed right before its subject
            claim = _claim_before(text, subj, ctype, before, overall_scope)
            if claim is not None:
                claims.append(claim)
            continue
        negated = num is None and subj.label in ("SUBJ_REQUEST", "SUBJ_REQUEST_PART") and _negated(subj.text)
        if num is None or negated:
            if negated:
                end, value, approx, unit = subj.end, 0, False, None
            else:
                continue
        else:
            try:
                value, approx = parse_number(num.text)
            except ValueError:
                continue
            j = bisect.bisect_left(unit_starts, num.end)
            unit_span = units[j] if j < len(units) and _only_space(text, num.end, units[j].start) else None
            unit = unit_span.text.strip() if unit_span else None
            end = unit_span.end if unit_span else num.end
        claim_text = text[subj.start : end]
        if is_part:
            scope = overall_scope.get(ctype) or claim_scope(text, subj, claim_text)
            breakdown = breakdown_of(subj.text, ctype)
        else:
            scope = claim_scope(text, subj, claim_text)
            overall_scope[ctype] = scope
            breakdown = None
        claims.append(
            Claim(
                type=ctype, value=value, unit=unit, scope=scope, breakdown=breakdown,
                text=claim_text, start=subj.start, end=end, approximate=approx,
            )
        )  # fmt: skip
    _attach_shares(claims, shares, subjects)
    return claims


def _negated(subject_text: str) -> bool:
    """未收到…申请 / 无上年结转…申请 / 未出现不予公开…情况: a statement of zero (no number)."""
    probe = simplified(re.sub(r"\s+", "", subject_text))
    probe = re.sub(r"^(?:(?:19|20)\d{2}年度?|本年度|本年|全年|年内|[,，]|[我本该全][局镇乡街办委厅])+", "", probe)
    return bool(re.match(r"(?:[\u4e00-\u9fff]{0,12}?)(?:未|没有|暂无|尚未|无(?!法))", probe))


def _last_ending_by(spans: list[Span], ends: list[int], pos: int) -> Span | None:
    """The span (sorted by end) that ends last at or before ``pos``."""
    i = bisect.bisect_right(ends, pos)
    return spans[i - 1] if i else None


def _number_before(
    text: str, subj: Span, nums: tuple[list[Span], list[int]], units: tuple[list[Span], list[int]]
) -> tuple[Span, Span] | None:
    """NUM + UNIT printed right before a part's subject (only white space between)."""
    unit = _last_ending_by(*units, subj.start)
    if unit is None or not _only_space(text, unit.end, subj.start):
        return None
    num = _last_ending_by(*nums, unit.start)
    if num is None or not _only_space(text, num.end, unit.start):
        return None
    return num, unit


def _claim_before(
    text: str, subj: Span, ctype: str, before: tuple[Span, Span], overall_scope: dict[str, str]
) -> Claim | None:
    num, unit = before
    try:
        value, approx = parse_number(num.text)
    except ValueError:  # a model's NUM span that is no number: no claim
        return None
    out = _OUTCOME.search(simplified(subj.text))
    breakdown = subj.text[out.start() : out.end()] if out and len(simplified(subj.text)) == len(subj.text) else None
    return Claim(
        type=ctype, value=value, unit=unit.text.strip(), scope=overall_scope.get(ctype, "year"),
        breakdown=breakdown, text=text[num.start : subj.end], start=num.start, end=subj.end, approximate=approx,
    )  # fmt: skip


def _attach_shares(claims: list[Claim], shares: list[Span], subjects: list[Span]) -> None:
    """A SHARE belongs to the claim before it, when no other subject starts in between.
    One merge walk over the three lists sorted by offset: linear in their sizes."""
    ordered = sorted(claims, key=lambda c: c.end)
    subject_starts = sorted(s.start for s in subjects)
    ci = si = 0
    claim: Claim | None = None
    for sh in sorted(shares, key=lambda s: s.start):
        while ci < len(ordered) and ordered[ci].end <= sh.start:
            claim = ordered[ci]
            ci += 1
        if claim is None or claim.share is not None:
            continue
        while si < len(subject_starts) and subject_starts[si] < claim.end:
            si += 1
        if si < len(subject_starts) and subject_starts[si] < sh.start:
            continue  # another subject starts between the claim and the share
        try:
            claim.share = float(parse_number(sh.text)[0])
        except ValueError:
            continue
