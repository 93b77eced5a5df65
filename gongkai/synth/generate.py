"""One synthetic report: organ, year, values, prose, tables, layout, noise → text, spans, gold.

Every random choice comes from ``random.Random(f"gongkai-synth:{seed}:{index}")``: the same
seed gives byte-identical documents, and document *i* does not depend on documents before it.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass

from gongkai.schema import Claim, Report
from gongkai.spans import SECTION_LABELS, Span
from gongkai.synth import noise as N
from gongkai.synth import pagemeta as PM
from gongkai.synth import phrases as P
from gongkai.synth.builder import Builder, RawSpan, to_spans
from gongkai.synth.checks import gold_checks
from gongkai.synth.layouts import LAYOUTS, Line, Style
from gongkai.synth.narrative import (
    ClaimRec,
    Ctx,
    active_claims,
    chinese_number,
    filler,
    other_claim,
    request_claims,
)
from gongkai.synth.organs import Organ, draw_organ
from gongkai.synth.tables import PrintStyle, active_table, requests_table, review_table
from gongkai.synth.values import (
    INCONSISTENCIES,
    TableValues,
    break_one,
    draw_active,
    draw_requests,
    draw_review,
)
from gongkai.template import SECTION_ORDER, SECTIONS

# Each rate is the share of documents that get the feature (see README of gongkai/synth).
DEFAULT_RATES: dict[str, float] = {
    "old_headers": 0.3,  # report year ≥ 2021 still printing 2019 headers
    "no_date": 0.25,  # no publication / signature date printed
    "web_header": 0.15,  # web-page chrome with 发布时间 on top
    "organ_header": 0.3,  # organ name alone on the first line
    "title_no_year": 0.08,
    "chinese_year": 0.03,  # 二〇二〇年 in the title
    "markdown": 0.12,  # ## headings
    "missing_section": 0.15,
    "shift_ordinals": 0.5,  # of documents with a missing section: renumber the rest
    "heading_space": 0.08,  # 三、 收到…
    "subsections": 0.8,
    "claim_parts": 0.5,
    "open_names": 0.4,  # 其中 lists and request breakdowns named from the open pool (synth/hanzi.py)
    "share": 0.4,
    "approximate": 0.08,
    "chinese_numerals": 0.12,
    "other_claims": 0.4,
    "inconsistent": 0.1,
    "blank_cells": 0.12,
    "blank_table": 0.08,
    "wu_row": 0.08,
    "zero_token": 0.06,  # zeros printed as 无 / — / - / /
    "split_headers": 0.35,
    "vertical_headers": 0.2,
    "run_together": 0.1,
    "short_labels": 0.2,
    "truncated_headers": 0.05,
    "extra_rows": 0.04,  # sub-items under 其他对外管理服务事项 (2019 table)
    "wrap": 0.35,
    "blank_lines": 0.3,
    "page_numbers": 0.2,
    "radicals": 0.06,
    "fullwidth": 0.05,
    "traditional": 0.05,
    "pinyin_gloss": 0.3,  # of traditional-character documents: 鎮(zhèn)
    "crlf": 0.0,
    # table printings drawn from a second random stream (``_layout_rng``), so documents that get
    # none of them stay byte-identical to earlier versions of the generator
    "pipe_cells": 0.05,  # of documents with a drawn layout: one cell per line between lone | lines
    "signs": 0.15,  # 本年增/减 with its sign: +19, −3
    "spaced_labels": 0.08,  # 规 章
    "change_header": 0.08,  # 本年增\减 or 本年增减
    "label_remarks": 0.06,  # explanations in brackets inside row labels, plus 其他主动公开文件
    "blank_pipe_lines": 0.15,  # lone | lines between pipe rows
    "ragged_tabs": 0.25,  # tab rows ending in varying empty fields (seed 002)
    # from a third stream (``_print2_rng``), for the same reason
    "vertical": 0.05,  # of documents with a drawn layout: a narrow PDF table, pieces on their own lines (seed 000)
    "misaligned_tabs": 0.3,  # of tab documents: wrapped label tails on lines of their own (seed 002)
    # page meta from a fourth stream (``_Doc.meta_rng``): documents that get none stay as before
    "no_title": 0.3,  # an excerpt below the title (~37 % of the dev pages): the year is read from the page (pagemeta.py)
    "year_from_body": 0.6,  # of titles without a year: no 现公布…年 sentence, the year from the page
    "page_date": 0.3,  # of dated documents: the date in a page header/footer line, not a signature
    "breadcrumb": 0.3,  # of documents with no_title or page_date: a 当前位置 line on top
}
_SIDE_RATES = ("pipe_cells", "signs", "spaced_labels", "change_header", "label_remarks", "blank_pipe_lines",
               "ragged_tabs")
LAYOUT_WEIGHTS = {"space": 30, "tab": 20, "pipe": 12, "pipe_loose": 10, "cell_per_line": 16, "pipe_per_line": 12}
CN_ORD = "一二三四五六"
SEC_LABEL = {v: k for k, v in SECTION_LABELS.items()}


@dataclass
class SynthDoc:
    """A generated report: text as read, its spans (docs/labels.md), gold (SCHEMA.md) and facts."""

    doc_id: str
    text: str
    spans: list[Span]
    gold: dict
    layout: str
    organ: str


def check_rates(rates: dict[str, float]) -> dict[str, float]:
    unknown = sorted(set(rates) - set(DEFAULT_RATES))
    if unknown:
        raise ValueError(f"unknown rate(s) {unknown}; known: {sorted(DEFAULT_RATES)}")
    for k, v in rates.items():
        if not 0.0 <= float(v) <= 1.0:
            raise ValueError(f"rate {k}={v} is not in [0, 1]")
    return {**DEFAULT_RATES, **{k: float(v) for k, v in rates.items()}}


class _Doc:
    """State while one document is written."""

    def __init__(self, rng: random.Random, organ: Organ, year: int, rates: dict[str, float],
                 meta_rng: random.Random) -> None:
        self.rng = rng
        self.meta_rng = meta_rng  # page-meta choices (its own stream)
        self.b = Builder()
        self.organ = organ
        self.year = year
        self.rates = rates
        self.ctx = Ctx(rng, organ, year, rates)
        self.organ_done = False
        self.year_done = False
        self.untitled = False  # no title printed (``no_title``)
        self.year_later = False  # YEAR goes on the first year statement of the page, found at the end
        self.open_year = False  # the overview opens with a year statement
        self.page_chrome = False  # a breadcrumb or a page date line: a web page, never hard-wrapped
        self.claims: list[ClaimRec] = []
        self.tables: list[tuple[int, int]] = []

    def hit(self, name: str) -> bool:
        return self.rng.random() < self.rates[name]

    def organ_name(self) -> None:
        """The organ's full name: every printed occurrence is an ORGAN span (docs/labels.md)."""
        self.b.add(self.organ.full, "ORGAN")
        self.organ_done = True

    def year_digits(self, chinese: bool = False) -> None:
        text = "".join("〇一二三四五六七八九"[int(d)] for d in str(self.year)) if chinese else str(self.year)
        self.b.add(text, None if self.year_done else "YEAR")
        self.year_done = True

    def para(self, bank: tuple[str, ...], k: tuple[int, int] = (1, 3)) -> None:
        filler(self.b, self.ctx, bank, k)
        self.b.add("\n")


def _publish_date(rng: random.Random, year: int) -> tuple[int, int, int]:
    y = year + 1
    m = rng.choices((1, 2, 3, 4), weights=(70, 15, 10, 5))[0]
    d = rng.randint(1, calendar.monthrange(y, m)[1])
    return y, m, d


def _date_text(rng: random.Random, ymd: tuple[int, int, int]) -> str:
    y, m, d = ymd
    return rng.choice((f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日", f"{y}-{m:02d}-{d:02d}", f"{y}年{m}月{d}日"))


def generate_one(seed: int, index: int, organ_pool: str = "all", layout: str | None = None,
                 rates: dict[str, float] | None = None) -> SynthDoc:
    """Document ``index`` of the stream ``seed``."""
    rates = check_rates(rates or {})
    rng = random.Random(f"gongkai-synth:{seed}:{index}")
    organ = draw_organ(rng, organ_pool)
    year = rng.randint(2019, 2025)
    template = "2019" if year <= 2020 or rng.random() < rates["old_headers"] else "2021"
    side = random.Random(f"gongkai-synth-layout:{seed}:{index}")
    print2 = random.Random(f"gongkai-synth-print2:{seed}:{index}")
    if layout is None:
        layout = rng.choices(list(LAYOUT_WEIGHTS), weights=list(LAYOUT_WEIGHTS.values()))[0]
        if side.random() < rates["pipe_cells"]:
            layout = "pipe_cells"
        elif print2.random() < rates["vertical"]:
            layout = "vertical"
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {sorted(LAYOUTS)}")
    meta = random.Random(f"gongkai-synth-meta:{seed}:{index}")
    doc = _Doc(rng, organ, year, rates, meta)
    doc.untitled = meta.random() < rates["no_title"]
    body_year = meta.random() < rates["year_from_body"]
    page_date = meta.random() < rates["page_date"]
    crumb = meta.random() < rates["breadcrumb"]
    b = doc.b

    # ---- values
    busy = 0.0 if rng.random() < 0.45 else rng.uniform(0.2, 1.0)
    tv = TableValues(template, draw_active(rng, template, busy), draw_requests(rng, template, busy),
                     draw_review(rng, busy))
    if doc.hit("inconsistent"):
        break_one(rng, tv, rng.choice(INCONSISTENCIES))

    # ---- sections present and their ordinals
    present = list(SECTION_ORDER)
    if doc.hit("missing_section"):
        if rng.random() < 0.4:
            present = present[: rng.randint(2, 5)]  # an excerpt cut short
        else:
            for key in rng.sample(present[1:], rng.choice((1, 1, 2))):
                present.remove(key)
    renumber = len(present) < 6 and doc.hit("shift_ordinals")
    date = None if doc.hit("no_date") else _publish_date(rng, year)
    web = doc.hit("web_header")
    page_date = page_date and date is not None
    head_date = page_date and meta.random() < 0.75  # else in a footer
    crumb = crumb and (doc.untitled or page_date)  # a breadcrumb only on a page-like document
    doc.page_chrome = page_date or (crumb and doc.untitled)

    # ---- front matter
    if web:
        b.add(rng.choice(("【字体：大 中 小】 打印\n", "【字体：      】  打印\n", "")))
    if crumb:
        b.add(PM.breadcrumb(meta, year))
    if doc.hit("organ_header"):
        doc.organ_name()
        b.add("\n")
    _title(doc, rng)
    if not doc.year_done and (doc.untitled or body_year):
        doc.year_later = True
    if head_date:
        PM.date_line(b, meta, date, organ, top=True)
    elif web and not page_date:
        b.add(rng.choice(("发布时间：", "发布日期: ", "发布时间:")))
        if date:
            b.add(f"{date[0]}-{date[1]:02d}-{date[2]:02d}", "DATE")
            b.add(rng.choice((f" {rng.randint(8, 18)}:{rng.randint(0, 59):02d}", "")))
        b.add(f"  来源：{organ.place}  浏览次数：\n")
    if doc.year_later:
        _year_intro(doc, meta)
    elif not doc.year_done or rng.random() < 0.5:
        _intro(doc, rng)

    # ---- sections
    ps = _print_style(doc, rng, layout)
    st = Style(rng, run_together=doc.hit("run_together"), lead_space=rng.random() < 0.5)
    _side_style(side, rates, ps, st, layout)
    st.extra["misaligned"] = print2.random() < rates["misaligned_tabs"]
    md = doc.hit("markdown")
    table_gold: dict[str, dict] = {}
    request_claimed = False
    sec_spans: dict[str, int] = {}
    for n, key in enumerate(present, 1):
        ordinal = CN_ORD[(n if renumber else SECTION_ORDER.index(key) + 1) - 1]
        b.newline()
        if md:
            b.add(rng.choice(("# ", "## ", "### ", "## ")))
        sec_spans[key] = len(b.spans)
        sep = "、 " if doc.hit("heading_space") else "、"
        title = SECTIONS[key][0] if rng.random() < 0.75 else rng.choice(SECTIONS[key])
        b.add(f"{ordinal}{sep}{title}", SEC_LABEL[key])
        b.add("\n")
        if key == "overview":
            request_claimed = _overview(doc, rng, tv, "requests" in present)
        elif key == "active_disclosure":
            if rng.random() < 0.12:
                doc.para(P.FILLER["active"], (1, 2))
            lines, table_gold["active_disclosure"] = active_table(ps, template, tv.active)
            _render(doc, layout, lines, st)
        elif key == "requests":
            if not request_claimed and rng.random() < 0.3:
                doc.claims += request_claims(b, doc.ctx, _claimed_total(rng, tv), _results(tv))
                b.add("\n")
            lines, table_gold["requests"] = requests_table(ps, template, tv.requests)
            _render(doc, layout, lines, st)
        elif key == "review_litigation":
            lines, table_gold["review_litigation"] = review_table(ps, tv.review)
            _render(doc, layout, lines, st)
            if rng.random() < 0.2:
                doc.para(P.REVIEW_PROSE, (1, 1))
        elif key == "problems_improvements":
            _problems(doc, rng)
        else:
            doc.para(P.OTHER_MATTERS, (1, 1))
    # ---- signature
    b.newline()
    if not doc.organ_done or rng.random() < 0.6:
        b.add("\n" if rng.random() < 0.5 else "")
        doc.organ_name()
        b.add("\n")
    if date and not web and not page_date:
        b.add(_date_text(rng, date), "DATE")
        b.add("\n")
    if page_date and not head_date:
        PM.date_line(b, meta, date, organ, top=False)
    if doc.year_later:
        _mark_year(doc)

    text, raw = b.result()
    order = list(b.spans)  # insertion order: indices in ClaimRec / sec_spans refer to it
    text, spans, applied = _noise(doc, text, order)
    gold = _gold(doc, text, spans, template_shown(template, table_gold), date, sec_spans, table_gold)
    gold["_checks"] = gold_checks(gold, template)
    gold["_synth"] = {"layout": layout, "template": template, "noise": applied, "broken": tv.broken,
                      "organ_pool": organ.pool, "seed": seed, "index": index,
                      "page_meta": _page_meta(doc, body_year, crumb, page_date, head_date)}
    doc_id = f"syn{seed}_{index:05d}"
    gold["doc_id"] = doc_id
    public = [s for s in spans if not s[0].startswith("_")]
    return SynthDoc(doc_id, text, to_spans(text, public), gold, layout, organ.full)


def _page_meta(doc: _Doc, body_year: bool, crumb: bool, page_date: bool, head_date: bool) -> list[str]:
    """The page-meta features this document got (gold ``_synth.page_meta``, for tests and audits)."""
    got = ["no_title"] if doc.untitled else []
    if doc.year_later and not doc.untitled and body_year:
        got.append("year_from_body")
    if crumb:
        got.append("breadcrumb")
    if page_date:
        got.append("page_date:head" if head_date else "page_date:foot")
    return got


def _claimed_total(rng: random.Random, tv: TableValues) -> int:
    total = tv.requests["new_requests"]["total"]
    if "claims.requests_vs_table" in tv.broken:
        return total + rng.choice((1, 2, 5))
    return total


def _results(tv: TableValues) -> dict[str, int]:
    return {k: tv.requests[k]["total"] for k in ("granted", "partially_granted", "unable_not_held", "unable_needs_creation",
                                                  "not_processed_petition", "not_processed_duplicate") if k in tv.requests}


def _title(doc: _Doc, rng: random.Random) -> None:
    b, o = doc.b, doc.organ
    if doc.untitled:
        return
    if doc.hit("title_no_year"):
        name = rng.choice((o.place, o.full))
        if name == o.full:
            doc.organ_name()
        else:
            b.add(name)
        b.add(rng.choice(("政府信息公开年度报告", "政府信息公开工作年度报告")))
        b.add("\n")
        return
    chinese = doc.hit("chinese_year")
    style = rng.randint(0, 3)
    if style == 0:
        doc.organ_name()
        doc.year_digits(chinese)
        b.add(rng.choice(("年政府信息公开工作年度报告", "年度政府信息公开工作年度报告", "年信息公开工作年度报告")))
    elif style == 1:
        b.add(o.place + rng.choice(("", " ")))
        doc.year_digits(chinese)
        b.add(rng.choice((" 年度政府信息公开工作年度报告", "年政府信息公开工作年度报告")))
    elif style == 2:
        doc.year_digits(chinese)
        b.add("年")
        doc.organ_name()
        b.add(rng.choice(("信息公开工作年度报告", "政府信息公开工作年度报告")) if o.full.endswith("政府")
              else "政府信息公开工作年度报告")
    else:
        doc.year_digits(chinese)
        b.add(rng.choice(("年度", "年")) + o.place + "政府信息公开工作年度报告")
    b.add("\n")


def _intro(doc: _Doc, rng: random.Random) -> None:
    b = doc.b
    if not doc.year_done:
        b.add(rng.choice(("现公布", "现向社会公布")))
        doc.year_digits()
        b.add(f"年{doc.organ.place}政府信息公开工作年度报告。")
    if rng.random() < 0.3 and not doc.organ_done:
        b.add("本报告由")
        doc.organ_name()
        b.add("编制。")
    doc.para(P.INTRO, (1, 4))


def _year_intro(doc: _Doc, meta: random.Random) -> None:
    """Front prose of a page whose title (if any) prints no year: the year is stated by an
    announcement, a statistic period, or only by the overview's first sentence (``open_year``)."""
    source = meta.choice(("announce", "period", "prose", "prose"))
    if source == "prose":
        doc.open_year = True
        if meta.random() < 0.4:
            return  # the excerpt starts at 一、总体情况
        sentence, bank = "", P.INTRO
    else:
        sentence = doc.ctx.fill(meta.choice(PM.ANNOUNCE if source == "announce" else PM.PERIOD))
        bank = tuple(x for x in P.INTRO if "{Y}" not in x)  # one statement of the year is enough
    if meta.random() < 0.5:
        doc.b.add(sentence)
        filler(doc.b, doc.ctx, bank, (0, 3))
    else:
        filler(doc.b, doc.ctx, bank, (0, 3))
        doc.b.add(sentence)
    doc.b.newline()


def _mark_year(doc: _Doc) -> None:
    """YEAR on the first year statement of the page (docs/labels.md): the rules read the same one."""
    found = PM.first_year_statement(doc.b.text)
    if found is None or found[2] != doc.year:
        raise AssertionError(f"generator: the first year statement is {found}, not the report year {doc.year}")
    start, end, _ = found
    if any(s < end and start < e for _, s, e in doc.b.spans):
        raise AssertionError(f"generator: the year statement at {start} is inside another span")
    doc.b.mark("YEAR", start, end)
    doc.year_done = True


def _overview(doc: _Doc, rng: random.Random, tv: TableValues, has_requests: bool) -> bool:
    """Overview prose with claims; returns whether a request claim was written."""
    b = doc.b
    if doc.open_year:
        if not doc.organ_done and doc.meta_rng.random() < 0.5:
            b.add(f"{doc.year}{doc.meta_rng.choice(('年，', '年度，', '年'))}")
            doc.organ_name()
            b.add(doc.meta_rng.choice(("认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。\n",
                                       "坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。\n")))
        else:
            b.add(doc.ctx.fill(doc.meta_rng.choice(PM.OPENERS)) + "\n")
    elif not doc.organ_done and rng.random() < 0.5:
        b.add(f"{doc.year}年，")
        doc.organ_name()
        b.add("认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。\n")
    else:
        doc.para(P.OVERVIEW_OPEN, (1, 2))
    topics = ["organisation", "active", "requests", "management", "platform", "oversight"]
    chosen = [t for t in topics if rng.random() < {"active": 0.9, "requests": 0.65}.get(t, 0.45)]
    request_claimed = False
    subsections = doc.hit("subsections")
    ord_style = rng.choice(("（{}）", "({})", "{}.", "{}、"))
    for i, topic in enumerate(chosen, 1):
        if subsections:
            mark = ord_style.format(CN_ORD[i - 1] if "{}）" in ord_style or "({})" == ord_style else i)
            b.add(mark + rng.choice(P.SUBHEADS[topic]))
            b.add("\n" if rng.random() < 0.6 else "。")
        if topic == "active":
            if rng.random() < 0.5:
                filler(b, doc.ctx, P.FILLER["active"], (0, 2))
            doc.claims += active_claims(b, doc.ctx)
            filler(b, doc.ctx, P.FILLER["active"], (1, 3))
        elif topic == "requests":
            doc.claims += request_claims(b, doc.ctx, _claimed_total(rng, tv) if has_requests else None, _results(tv))
            filler(b, doc.ctx, P.FILLER["requests"], (0, 2))
            request_claimed = True
        else:
            filler(b, doc.ctx, P.FILLER[topic], (1, 4))
            if topic == "oversight" and doc.hit("other_claims"):
                doc.claims += other_claim(b, doc.ctx)
                filler(b, doc.ctx, P.FILLER[topic], (1, 1))
        b.add("\n")
    return request_claimed


def _points(doc: _Doc, lead: tuple[str, ...], points: tuple[tuple[str, ...], ...]) -> None:
    """A lead sentence then 一是/二是/三是 in order (each drawn from its alternatives)."""
    rng = doc.rng
    doc.b.add(doc.ctx.fill(rng.choice(lead)))
    for alternatives in points[: rng.choice((2, 3, 3))]:
        doc.b.add(doc.ctx.fill(rng.choice(alternatives)))


def _problems(doc: _Doc, rng: random.Random) -> None:
    b = doc.b
    headed = rng.random() < 0.4
    if headed:
        b.add(rng.choice(("（一）存在的主要问题\n", "（一）存在的问题\n")))
    _points(doc, P.PROBLEMS_LEAD, P.PROBLEMS_POINTS)
    b.add("\n")
    if headed:
        b.add(rng.choice(("（二）改进措施\n", "（二）改进情况\n")))
    _points(doc, P.IMPROVEMENTS_LEAD, P.IMPROVEMENTS_POINTS)
    if rng.random() < 0.5:
        b.add(rng.choice(P.IMPROVEMENTS_END))
    b.add("\n")


def _print_style(doc: _Doc, rng: random.Random, layout: str) -> PrintStyle:
    multiline = LAYOUTS[layout].multiline_headers
    vertical = doc.hit("vertical_headers")
    return PrintStyle(
        rng,
        zero=rng.choice(("无", "—", "-", "/")) if doc.hit("zero_token") else "0",
        blank_p=rng.uniform(0.2, 0.7) if doc.hit("blank_cells") else 0.0,
        wu_p=0.6 if doc.hit("wu_row") else 0.0,
        blank_tables=tuple(t for t in ("active_disclosure", "requests", "review_litigation") if doc.hit("blank_table")),
        paren=rng.choice(("full", "full", "half", "half_space")),
        num_sep=rng.choice((".", ".", ". ", "．")),
        split_headers=doc.hit("split_headers"),
        vertical_headers=vertical and multiline,
        spaced_headers=vertical and not multiline,
        multiline_ok=multiline,
        short_labels=doc.hit("short_labels"),
        procurement=rng.choice(("header4", "header4", "header_wan", "header_yuan", "cell_wan", "plain", "plain")),
        review_form="rows" if rng.random() < 0.25 else "wide",
        truncated=doc.hit("truncated_headers"),
        extra_rows=doc.hit("extra_rows"),
        blanks_vanish=not LAYOUTS[layout].blanks_leave_trace,
        narrow=layout == "vertical",
    )


def _side_style(side: random.Random, rates: dict[str, float], ps: PrintStyle, st: Style, layout: str) -> None:
    """The newer table printings, from their own random stream (see ``_SIDE_RATES``)."""
    hits = {name: side.random() < rates[name] for name in _SIDE_RATES}
    ps.signs = hits["signs"]
    ps.spaced_labels = hits["spaced_labels"]
    if hits["change_header"]:
        ps.change_header = side.choice(("本年增\\减", "本年增减"))
    ps.remarks = hits["label_remarks"] and LAYOUTS[layout].blanks_leave_trace
    st.extra["blank_pipe_lines"] = hits["blank_pipe_lines"]
    st.extra["ragged"] = hits["ragged_tabs"]


def _render(doc: _Doc, layout: str, lines: list[Line], st: Style) -> None:
    b = doc.b
    b.newline()
    start = b.pos
    fn = LAYOUTS[layout].render
    for line in lines:
        fn(b, line, st)
    doc.tables.append((start, b.pos))


def _noise(doc: _Doc, text: str, spans: list[RawSpan]) -> tuple[str, list[RawSpan], list[str]]:
    rng = doc.rng
    applied = []
    for name, fn in N.SUBSTITUTIONS.items():
        if doc.hit(name):
            text = fn(text, rng)
            applied.append(name)
    if "traditional" in applied and doc.hit("pinyin_gloss"):
        text, spans = N.pinyin_glosses(text, spans, rng)
        applied.append("pinyin_gloss")
    if doc.hit("wrap") and not doc.page_chrome:  # web pages are not hard-wrapped
        text, spans = N.wraps(text, spans, rng, doc.tables)
        applied.append("wrap")
    for name, fn in (("page_numbers", N.page_numbers), ("blank_lines", N.blank_lines), ("crlf", N.crlf)):
        if doc.hit(name):
            text, spans = fn(text, spans, rng)
            applied.append(name)
    return text, spans, applied


_GLOSS_AFTER = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def _breakdown(text: str, span: RawSpan) -> str:
    """The part's category or channel as printed, line breaks out. For a channel the span is the
    private _CORE inside 通过…公开, so 通过门户网站公开 → 门户网站 (SCHEMA.md's example). A pinyin
    gloss (黨務(wù)信息) stays, as printed: the real gold keeps it, also the last character's own
    gloss when the core ends before it (平臺(tái)發布)."""
    end = span[2]
    at = end
    while at < len(text) and text[at].isspace():  # a wrap or blank line between the core and its gloss
        at += 1
    gloss = _GLOSS_AFTER.match(text, at)
    if gloss:
        end = gloss.end()
    elif text.startswith("(", at):  # a gloss that a line wrap cut in two: (tá\ni)
        close = text.find(")", at, at + 12)
        if close > 0 and _GLOSS_AFTER.fullmatch("".join(text[at : close + 1].split())):
            end = close + 1
    return "".join(text[span[1]: end].split())


def template_shown(template: str, tables: dict[str, dict]) -> str | None:
    """The template a reader can tell from the page: from the active table's headers, else from
    the request rows: 2021's (六)1–3 labels are printed whatever the values; 2019's (六)其他处理
    tells only when it prints a value (in 2021 it is a group label)."""
    if "active_disclosure" in tables:
        return template
    if "requests" not in tables:
        return None
    if template == "2021":
        return template
    other = tables["requests"].get("other_handling") or {}
    return template if any(v is not None for v in other.values()) else None


def _gold(doc: _Doc, text: str, spans: list[RawSpan], template: str | None, date: tuple | None,
          sec_spans: dict[str, int], tables: dict[str, dict]) -> dict:
    organ = next(text[s:e] for lab, s, e in spans if lab == "ORGAN")
    starts = sorted((spans[i][1], key) for key, i in sec_spans.items())
    sections: dict[str, dict | None] = dict.fromkeys(SECTION_ORDER)
    for j, (_s, key) in enumerate(starts):
        e = starts[j + 1][0] if j + 1 < len(starts) else len(text)
        _, ss, se = spans[sec_spans[key]]
        sections[key] = {"title": text[ss:se], "start": ss, "end": e}
    claims = []
    overall_scope = "year"
    for rec in doc.claims:
        _, ss, se = spans[rec.subj]
        end = spans[rec.unit][2] if rec.unit is not None else (spans[rec.num][2] if rec.num is not None else se)
        if not rec.part:
            overall_scope = rec.scope
        claims.append(Claim(
            type=rec.type, value=rec.value,
            unit=text[spans[rec.unit][1]:spans[rec.unit][2]] if rec.unit is not None else None,
            scope=overall_scope if rec.part else rec.scope,
            breakdown=_breakdown(text, spans[rec.core] if rec.core is not None else spans[rec.subj]) if rec.part else None,
            text=text[ss:end], start=ss, end=end, approximate=rec.approximate,
            share=rec.share_value if rec.share is not None else None,
        ))
    tables = {name: {row: vals for row, vals in rows.items()
                     if any(v is not None for c, v in vals.items() if c != "amount_unit")}
              for name, rows in tables.items()}
    report = Report(
        doc_id="", meta={"organ": organ, "report_year": doc.year,
                         "publish_date": f"{date[0]}-{date[1]:02d}-{date[2]:02d}" if date else None,
                         "template": template},
        sections=sections, claims=claims, **tables,
    )
    gold = report.to_json_dict()
    for key in ("checks", "provenance", "method"):
        gold.pop(key)
    return gold


__all__ = ["DEFAULT_RATES", "SynthDoc", "generate_one", "chinese_number"]
