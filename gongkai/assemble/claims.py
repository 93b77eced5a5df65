"""Narrative claims: a SUBJ_* span, the next NUM (before the next subject), the UNIT right after
it and an optional SHARE (docs/labels.md). A SUBJ_REQUEST with no number that negates
(未收到…申请) is a claim of 0 with no unit. Parts (…_PART) inherit the scope of the overall claim
they follow and carry a ``breakdown``."""

from __future__ import annotations

import re

from gongkai.assemble.canon import simplified
from gongkai.numbers import parse_number
from gongkai.schema import Claim
from gongkai.spans import CLAIM_SUBJECT_LABELS, Span

_CUMULATIVE = ("累计", "累積", "累积", "總計", "总计", "共计", "共計", "截至", "截止")
_NEGATION = re.compile(r"(未|没有|沒有|無|无)(收到|受理|接到|接收|发生|發生|产生|產生|有)")
_MAX_GAP = 40  # characters between a subject and its number
_SENTENCE_END = re.compile(r"[。；;！!？?]")
# scope and connective words that are not part of a breakdown's printed category
_BREAKDOWN_PREFIXES = (
    "其中",
    "本年度新增",
    "本年度",
    "本年",
    "全年",
    "新增",
    "累计",
    "共计",
    "通过",
    "在",
    "经",
)
_BREAKDOWN_SUFFIXES = ("主动公开", "公开发布", "发布信息", "发布", "公开")
# a reading some sites print after a traditional character (發(fā)布): not part of the category
_PINYIN_GLOSS = re.compile(r"[（(][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[)）]")
_CLAUSE_BREAK = re.compile(r"[。；;！!？?\n]")


def _clause_prefix(text: str, start: int) -> str:
    """Text from the start of the clause holding ``start`` up to it (scope words such as 截至 sit there)."""
    lo = max(0, start - 40)
    chunk = text[lo:start]
    parts = _CLAUSE_BREAK.split(chunk)
    return parts[-1] if parts else ""


def claim_scope(text: str, subject: Span, claim_text: str) -> str:
    prefix = _clause_prefix(text, subject.start)
    tail = prefix.split("，")[-1].split(",")[-1]  # 截至2020年底，累计…: the nearest comma-clause
    probe = simplified(re.sub(r"\s+", "", claim_text + tail))  # 累\n计 wrapped by a PDF
    return "cumulative" if any(w in probe for w in _CUMULATIVE) else "year"


def breakdown_of(subject_text: str, ctype: str = "active_disclosure_count") -> str | None:
    """A part's printed category: white space and line breaks removed, scope words stripped.

    For disclosure channels a trailing 公开/发布 goes (门户网站公开 → 门户网站) when the channel
    keeps 3+ characters or was introduced by 通过; request outcomes (不予公开) keep theirs.
    Words are recognised in simplified form (公開 too) but the category keeps its printed characters.
    Pinyin glosses (動態(tài)) are invisible to that matching: a gloss inside a stripped word goes with
    it, a gloss on the category's own characters stays, as printed (the real gold keeps them).
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
    lo, hi = 0, len(bare)
    via = False
    changed = True
    while changed:
        changed = False
        for p in _BREAKDOWN_PREFIXES:
            if probe.startswith(p, lo) and hi - lo > len(p) + 1:
                via = via or p == "通过"
                lo, changed = lo + len(p), True
    if ctype == "active_disclosure_count":
        for x in _BREAKDOWN_SUFFIXES:
            rest = hi - len(x) - lo
            if probe.endswith(x, lo, hi) and (rest >= 3 or (via and rest >= 2)):
                hi -= len(x)
                break
    if lo >= hi:
        return None
    start, end = keep[lo], keep[hi - 1] + 1
    gloss = _PINYIN_GLOSS.match(t, end)
    if gloss:  # the last kept character's own gloss
        end = gloss.end()
    return t[start:end].strip("：:，,、的") or None


def _only_space(text: str, a: int, b: int) -> bool:
    return a <= b and not text[a:b].strip()


def build_claims(text: str, spans: list[Span]) -> list[Claim]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    subjects = [s for s in ordered if s.label in CLAIM_SUBJECT_LABELS]
    nums = [s for s in ordered if s.label == "NUM"]
    units = [s for s in ordered if s.label == "UNIT"]
    shares = [s for s in ordered if s.label == "SHARE"]
    claims: list[Claim] = []
    overall_scope: dict[str, str] = {}
    for i, subj in enumerate(subjects):
        ctype, is_part = CLAIM_SUBJECT_LABELS[subj.label]
        limit = subjects[i + 1].start if i + 1 < len(subjects) else len(text)
        sentence_end = _SENTENCE_END.search(text, subj.end)
        limit = min(limit, subj.end + _MAX_GAP, sentence_end.start() if sentence_end else len(text))
        num = next((n for n in nums if subj.end <= n.start < limit), None)
        negated = subj.label == "SUBJ_REQUEST" and _NEGATION.search(simplified(subj.text)) is not None
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
            unit_span = next(
                (u for u in units if u.start >= num.end and _only_space(text, num.end, u.start)), None
            )
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


def _attach_shares(claims: list[Claim], shares: list[Span], subjects: list[Span]) -> None:
    """A SHARE belongs to the claim before it, when no other subject starts in between."""
    for sh in shares:
        before = [c for c in claims if c.end <= sh.start]
        if not before:
            continue
        claim = before[-1]
        if any(claim.end <= s.start < sh.start for s in subjects) or claim.share is not None:
            continue
        try:
            claim.share = float(parse_number(sh.text)[0])
        except ValueError:
            continue
