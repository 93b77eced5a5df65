"""Narrative prose: claims (subject, number, unit, share) written from many phrasings, and
filler that carries numbers which are not claims. Claims are recorded as indices into the
builder's spans so their gold survives noise that moves the text."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gongkai.synth import hanzi
from gongkai.synth import phrases as P
from gongkai.synth.builder import Builder
from gongkai.synth.organs import Organ

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int, rng: random.Random | None = None) -> str:
    """0..9999 in Chinese numerals (十二, 一百零五, 两千三百); 2 may print as 两."""
    if n == 2 and rng is not None and rng.random() < 0.5:
        return "两"
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // div % 10
        if d:
            if zero:
                out += "零"
                zero = False
            out += DIGITS[d] + unit
        elif out:
            zero = True
    return out


@dataclass
class ClaimRec:
    """A claim as generated: truth plus indices of its spans in ``Builder.spans``."""

    type: str
    value: int | float
    scope: str
    subj: int
    num: int | None = None
    unit: int | None = None
    share: int | None = None
    share_value: float | None = None
    approximate: bool = False
    part: bool = False
    core: int | None = None  # index of a private "_CORE" span: the breakdown inside 通过…发布


@dataclass
class Ctx:
    """Per-document facts that prose needs."""

    rng: random.Random
    organ: Organ
    year: int
    rates: dict[str, float]
    used: set[str] = field(default_factory=set)  # filler already printed (membership only, never iterated)

    def fill(self, template: str) -> str:
        rng = self.rng
        o = self.organ
        return template.format(
            self=o.self_ref, place=o.place, Y=self.year, Y1=self.year + 1, county=o.county,
            province=o.province, kind=o.self_short, docno=rng.choice(P.DOCNOS), phone=phone(rng),
            postcode=f"{rng.randint(100000, 869999)}", address=f"{o.place}{rng.choice(P.ROADS)}{rng.randint(1, 199)}号",
            pct=rng.choice((100, 100, 98, 95)), days=rng.choice((15, 20)), month=rng.randint(1, 12),
            n=rng.randint(2, 99), m=rng.randint(100, 9000),
        )


def phone(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"{rng.randint(81000000, 89999999)}"
    return f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}"


def filler(b: Builder, ctx: Ctx, bank: tuple[str, ...], k: tuple[int, int] = (1, 3)) -> None:
    """A few sentences from ``bank`` in random order (no spans)."""
    n = ctx.rng.randint(*k)
    for i in sorted(ctx.rng.sample(range(len(bank)), min(n, len(bank)))):
        if bank[i] not in ctx.used:
            ctx.used.add(bank[i])
            b.add(ctx.fill(bank[i]))


def _number(b: Builder, ctx: Ctx, value: int, allow_approx: bool = True) -> tuple[int, int | float, bool]:
    """Print a claim number as a NUM span. Returns (span index, value, approximate)."""
    rng = ctx.rng
    idx = len(b.spans)
    if allow_approx and value >= 50 and rng.random() < ctx.rates["approximate"]:
        base = int(str(value)[0]) * 10 ** (len(str(value)) - 1)
        if rng.random() < 0.3:  # 近500 / 约300: the marker before the number
            b.add(f"{rng.choice(('近', '约'))}{base}", "NUM")
        elif base < 100 and rng.random() < 0.5:  # 四十余
            b.add(f"{chinese_number(base)}{rng.choice('余多')}", "NUM")
        else:
            b.add(f"{base}{rng.choice('余多')}", "NUM")
        return idx, base, True
    if value < 100 and rng.random() < ctx.rates["chinese_numerals"]:
        b.add(chinese_number(value, rng), "NUM")
        return idx, value, False
    if value >= 1000 and rng.random() < 0.2:
        b.add(f"{value:,}", "NUM")
        return idx, value, False
    b.add(str(value), "NUM")
    return idx, value, False


def _claim(b: Builder, ctx: Ctx, ctype: str, subj_label: str, subject: str, mid: str, value: int, unit: str,
           scope: str, part: bool = False, approx_ok: bool = True) -> ClaimRec:
    sidx = len(b.spans)
    b.add(subject, subj_label)
    if mid:
        b.add(mid)
    spaced = ctx.rng.random() < 0.06  # 申请 7 件: spaces around the number, as some pages print it
    if spaced:
        b.add(" ")
    nidx, val, approx = _number(b, ctx, value, approx_ok)
    if spaced:
        b.add(" ")
    uidx = len(b.spans)
    b.add(unit, "UNIT")
    return ClaimRec(ctype, val, scope, sidx, nidx, uidx, approximate=approx, part=part)


def _cored(b: Builder, ctx: Ctx, lead: str, core: str, tail: str, value: int, unit: str,
           ctype: str = "active_disclosure_count", mid: str = "") -> ClaimRec:
    """A part whose breakdown is a word inside its subject: 通过[门户网站]公开信息, 主动公开的
    [公文类信息]有, [网站]受理依申请公开 (the private _CORE span marks it for the gold)."""
    start = b.pos + len(lead)
    label = "SUBJ_ACTIVE_PART" if ctype == "active_disclosure_count" else "SUBJ_REQUEST_PART"
    rec = _claim(b, ctx, ctype, label, lead + core + tail, mid, value, unit, "year", part=True, approx_ok=False)
    rec.core = len(b.spans)
    b.mark("_CORE", start, start + len(core))
    return rec


def _share(b: Builder, ctx: Ctx, rec: ClaimRec, part_value: int, total: int) -> None:
    if total <= 0 or ctx.rng.random() >= ctx.rates["share"]:
        return
    pct = round(100.0 * part_value / total, 2)
    text = f"{pct:.2f}".rstrip("0").rstrip(".") if ctx.rng.random() < 0.5 else f"{pct:.2f}"
    b.add(ctx.rng.choice(("，占比", "，占总数的", "，占总体的比例为", "，约占")))
    rec.share = len(b.spans)
    b.add(text + "%", "SHARE")
    rec.share_value = float(text)


def _split(rng: random.Random, total: int, k: int) -> list[int]:
    """``k`` positive parts summing to ``total`` (fewer when ``total < k``)."""
    k = max(1, min(k, total))
    cuts = sorted(rng.sample(range(1, total), k - 1)) if k > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def active_claims(b: Builder, ctx: Ctx) -> list[ClaimRec]:
    """A sentence or two stating how many items were proactively disclosed, composed from parts:
    an optional cumulative figure, a lead (year, agent, channels used), the overall figure, then
    maybe a list of parts; or figures per channel with no overall one."""
    rng = ctx.rng
    o = ctx.organ
    recs: list[ClaimRec] = []
    total = rng.choice((rng.randint(8, 120), rng.randint(50, 600), rng.randint(100, 2500)))
    shape = rng.random()
    if shape < 0.15:
        return _channel_figures(b, ctx)
    if shape < 0.4:  # cumulative figure first
        cum = total + rng.randint(100, 5000)
        b.add(rng.choice((f"截至{ctx.year}年底，{o.self_ref}", o.self_ref, f"截至{ctx.year}年12月31日，")))
        recs.append(_claim(b, ctx, "active_disclosure_count", "SUBJ_ACTIVE", rng.choice(P.ACTIVE_CUM_SUBJECTS),
                           rng.choice(("", "共")), cum, "条", "cumulative"))
        b.add(rng.choice(("，", "。其中")))
        subj = rng.choice(("本年度新增", "本年", "全年", "本年度")) + rng.choice(P.ACTIVE_SUBJECTS)
    elif shape < 0.52:  # 2021年，全镇累计主动公开…: 累计 inside the year's paragraph counts that year
        b.add(rng.choice((f"{ctx.year}年，{o.self_ref}", f"{ctx.year}年度，全{o.self_short}")))
        subj = rng.choice(P.ACTIVE_CUM_SUBJECTS)
    elif shape < 0.7:  # through several channels first
        b.add(f"{ctx.year}年，{o.self_ref}{rng.choice(P.CHANNEL_LEADS)}{rng.choice(P.MULTI_CHANNELS)}")
        b.add(rng.choice(("，", "")))
        subj = rng.choice(P.ACTIVE_SUBJECTS)
    else:
        scope = rng.choice(P.ACTIVE_YEAR_SCOPES)
        leads = (o.self_ref, "") if scope else (f"{ctx.year}年，{o.self_ref}", f"{ctx.year}年{o.self_ref}", f"{ctx.year}年度，")
        b.add(rng.choice(leads))
        subj = scope + rng.choice(P.ACTIVE_SUBJECTS + P.ACTIVE_SUBJECTS_OBJECT_FIRST)
    unit = rng.choice(("条", "条", "条", "条", "篇", "项"))
    recs.append(_claim(b, ctx, "active_disclosure_count", "SUBJ_ACTIVE", subj,
                       rng.choice(("", "", "共", "达", "共计")), total, unit, "year"))
    return recs + _parts(b, ctx, recs[-1], total, unit)


def _channel_figures(b: Builder, ctx: Ctx) -> list[ClaimRec]:
    """Figures per channel and no overall one: 通过门户网站公开信息N条，通过“…”微信公众号发布信息M条。"""
    rng = ctx.rng
    b.add(rng.choice((f"{ctx.year}年，{ctx.organ.self_ref}", f"本年度，{ctx.organ.self_ref}", "")))
    recs = []
    for i, (lead, chan, verb) in enumerate(rng.sample(P.ACTIVE_CHANNELS, rng.randint(2, 3))):
        if i:
            b.add(rng.choice(("，", "；")))
        lead = lead or rng.choice(("通过", "在", ""))  # 微信公开各类信息: the channel alone
        if "微信" in chan and lead and rng.random() < 0.5:
            lead += f"“{ctx.organ.place[:2]}{rng.choice(('发布', '政务', '之窗'))}”"
        tail = rng.choice(("上", "")) if lead in ("在", "") else ""
        recs.append(_cored(b, ctx, lead, chan, tail + verb + rng.choice(P.CHANNEL_OBJECTS), rng.randint(3, 900), "条",
                           mid=rng.choice(("", "", "共"))))
    b.add("。")
    return recs


def _parts(b: Builder, ctx: Ctx, overall: ClaimRec, total: int, unit: str) -> list[ClaimRec]:
    """Maybe a 其中 list after an overall figure: categories or channels separated by ，、；, with
    类/信息 suffixes, a quoted name, an 等 category, or the category as the object of a verb."""
    rng = ctx.rng
    recs: list[ClaimRec] = []
    if rng.random() < ctx.rates["claim_parts"]:
        k = rng.randint(2, 6)
        vals = _split(rng, total if rng.random() < 0.7 else max(k, total // 2), k)
        use_channels = rng.random() < 0.3
        names = rng.sample(P.ACTIVE_CHANNELS if use_channels else P.ACTIVE_PARTS, min(k, 6))
        invented = rng.random() < ctx.rates["open_names"]  # categories composed, not from the list
        b.add(rng.choice(("，其中", "。其中，", "，主要包括", "，包括", "，其中：")))
        sep = rng.choice(("，", "、", "；", ""))
        for i, (name, v) in enumerate(zip(names, vals, strict=False)):
            if i:
                b.add(sep or rng.choice(("，", "、", "；")))
            if use_channels:
                lead, chan, verb = name
                recs.append(_cored(b, ctx, lead, chan, verb, v, unit))
            elif i == 0 and rng.random() < 0.12:  # 主动公开的公文类信息有N条: the object names the category
                label = name if name.endswith("信息") else name + "类信息"
                recs.append(_cored(b, ctx, rng.choice(("主动公开的", "发布", "公开")), label, "", v, unit))
            else:
                if invented and rng.random() < 0.7:
                    label = hanzi.category(rng)
                else:
                    label = name if name.endswith("信息") else name + rng.choice(P.ACTIVE_PART_SUFFIX)
                if rng.random() < 0.05:
                    label = f"“{label}”专栏信息"
                elif rng.random() < 0.05:
                    label = f"{label}、{rng.choice(P.ACTIVE_PARTS)}等信息"
                recs.append(_claim(b, ctx, "active_disclosure_count", "SUBJ_ACTIVE_PART", label, "", v, unit,
                                   "year", part=True, approx_ok=False))
            _share(b, ctx, recs[-1], v, int(overall.value))
    b.add("。")
    return recs


def request_claims(b: Builder, ctx: Ctx, new_total: int | None, results: dict[str, int]) -> list[ClaimRec]:
    """How many disclosure applications were received (or a negated statement), with breakdowns."""
    rng = ctx.rng
    o = ctx.organ
    value = new_total if new_total is not None else rng.choice((0, 0, 1, 2, 5))
    lead = rng.choice((f"{ctx.year}年，{o.self_ref}", f"本年度{o.self_ref}", f"{ctx.year}年{o.self_ref}", o.self_ref))
    if value == 0 and rng.random() < 0.7:
        b.add(lead)
        idx = len(b.spans)
        b.add(rng.choice(P.REQUEST_NEGATIONS), "SUBJ_REQUEST")
        recs = [ClaimRec("request_count", 0, "year", idx)]
        if rng.random() < 0.3:  # …，无上年结转的政府信息公开申请
            b.add("，")
            recs.append(ClaimRec("request_count", 0, "year", len(b.spans)))
            b.add(rng.choice(P.CARRY_NEGATIONS), "SUBJ_REQUEST")
        b.add("。")
        return recs
    together = rng.choice(("共", "", ""))
    b.add(lead + together)
    unit = rng.choice(("件",) * 8 + ("宗", "份"))
    if rng.random() < 0.12:  # 收到3件…申请: the number before its noun
        sidx = len(b.spans)
        b.add(rng.choice(("收到", "受理", "共收到")), "SUBJ_REQUEST")
        nidx, val, _ = _number(b, ctx, value, False)
        uidx = len(b.spans)
        b.add(unit, "UNIT")
        b.add(rng.choice(P.REQUEST_NOUNS_AFTER))
        recs = [ClaimRec("request_count", val, "year", sidx, nidx, uidx)]
    else:
        subj = ("" if together else rng.choice(P.REQUEST_SCOPES)) + rng.choice(P.REQUEST_SUBJECTS)
        recs = [_claim(b, ctx, "request_count", "SUBJ_REQUEST", subj, "" if together else rng.choice(("", "", "共")),
                       value, unit, "year", approx_ok=False)]
    if rng.random() < 0.2:  # 上年结转申请N件 / 办结N件: more request figures as parts
        b.add(rng.choice(("，", "；")))
        recs.append(_claim(b, ctx, "request_count", "SUBJ_REQUEST_PART", rng.choice(P.REQUEST_CARRIED), "",
                           rng.randint(1, 9), unit, "year", part=True, approx_ok=False))
    if value > 1 and rng.random() < ctx.rates["claim_parts"]:
        modes: list[tuple[str, str, str]] = []
        if results and rng.random() < 0.5:
            items = [(rng.choice(P.REQUEST_RESULTS[k]), v) for k, v in results.items() if k in P.REQUEST_RESULTS and v]
        elif rng.random() < 0.3:  # by how they arrived: 网站受理依申请公开N件、邮寄受理N件
            verb = rng.choice(P.REQUEST_MODE_VERBS)
            lead = rng.choice(("", "", "通过"))
            modes = [(lead, m, verb) for m in rng.sample(P.REQUEST_MODES, rng.randint(2, 3))]
            items = list(zip(modes, _split(rng, value, len(modes)), strict=False))
        else:
            k = rng.randint(2, 4)
            r = rng.random()
            if r < ctx.rates["open_names"] / 2:  # by topic: 土地征收类N件
                names = [hanzi.category(rng) for _ in range(k)]
            elif r < ctx.rates["open_names"]:  # by place: 某市N件
                names = [hanzi.place(rng)[:2] + rng.choice(("", "", "市", "县", "区")) for _ in range(k)]
            else:
                names = rng.sample(P.REQUEST_CHANNELS, 2)
            vals = _split(rng, value, len(names))
            items = list(zip(names, vals, strict=False))
        if items:
            b.add(rng.choice(("，其中", "。其中，", "，")))
            for i, (name, v) in enumerate(items):
                if i:
                    b.add(rng.choice(("，", "；", "、")))
                if modes:
                    lead, mode, verb = name
                    recs.append(_cored(b, ctx, lead, mode, verb, v, unit, ctype="request_count"))
                else:
                    recs.append(_claim(b, ctx, "request_count", "SUBJ_REQUEST_PART", name, "", v, unit, "year",
                                       part=True, approx_ok=False))
    b.add("。")
    return recs


def other_claim(b: Builder, ctx: Ctx) -> list[ClaimRec]:
    rng = ctx.rng
    subj, units = rng.choice(P.OTHER_SUBJECTS)
    b.add(rng.choice((f"全年{ctx.organ.self_ref}", f"{ctx.year}年", ctx.organ.self_ref)))
    rec = _claim(b, ctx, "other_count", "SUBJ_OTHER", subj, "", rng.randint(1, 12), rng.choice(units), "year",
                 approx_ok=False)
    b.add(rng.choice(("，", "。")))
    return [rec]
