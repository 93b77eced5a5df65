"""Is this text a 政府信息公开工作年度报告 at all? A verdict with a confidence and a reason.

A folder of downloaded pages holds more than annual reports: the body's 政府信息公开指南 (how to
apply: 受理机构, 办公时间, 申请的提出 …), notices (关于…的通知, 特此通知), news items about a
disclosure meeting (来源：, 浏览次数). They mention 信息公开 and even number their paragraphs
(一、二、), so extraction finds "sections" in them. Each kind of text leaves cues; the verdict weighs
the cues of a report against those of the other kinds:

- report: a title that says 年度报告/年报, headings of the template's six sections, the labels of
  its three tables, table values and the counts a report states (主动公开…N条, 收到申请…N件).
  A narrative-only excerpt (claims, no heading, no table) is a report.
- guide, notice, news: their title words and their typical lines.

The verdict is rule-based and explained: ``reason`` lists the cues that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = "信息公开"
TITLE_LINES = 6  # the title block: the first non-blank lines

_REPORT_TITLE = re.compile(r"年度?报告|年报|工作报告")
_SECTION_CUES = (
    ("overview", re.compile(r"^\W{0,3}[一1]?\W{0,2}\s*(总体情况|概述|基本情况)")),
    ("active_disclosure", re.compile(r"主动公开政府信息(的)?情况|政府信息主动公开(的)?情况")),
    ("requests", re.compile(r"(收到|受理)和处理政府信息公开申请(的)?情况|依申请公开(政府信息)?(的)?情况")),
    ("review_litigation", re.compile(r"(行政复议|复议).{0,6}(行政诉讼|诉讼)(的)?情况")),
    ("problems_improvements", re.compile(r"存在的?(主要)?问题及?(其)?改进(情况|措施)?")),
    ("other_matters", re.compile(r"其他需要报告的事项")),
)
_TABLE_LABELS = ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "予以公开", "部分公开",
                 "不予公开", "无法提供", "不予处理", "结转下年度继续办理", "本年制发件数", "现行有效件数",
                 "本年新制作数量", "对外公开总数量", "结果维持", "结果纠正", "尚未审结", "行政许可", "行政处罚")
_GUIDE_TITLE = re.compile(r"指南|须知|申请流程|申请表")
_GUIDE_LINES = ("受理机构", "办公地址", "办公时间", "联系电话", "邮政编码", "传真", "电子邮箱", "申请的提出",
                "申请的处理", "申请的受理", "监督和救济", "监督方式", "编制本指南", "公开的主要内容", "公开方式")
_NOTICE_TITLE = re.compile(r"^\S{0,30}?关于[^《〈<]{0,60}的(通知|公告|通告|通报|意见|办法|方案|决定|批复|函)$|^(通知|公告|通告)$")
_NOTICE_LINES = re.compile(r"特此(通知|公告|通告)|^各(有关)?(单位|部门|科室|乡镇|街道)[^。]{0,30}[:：]")
_PAGE_CHROME = re.compile(r"来源[:：]|浏览次数|阅读次数|点击(数|率|量)|发布时间")  # any web page, reports too
_NEWS_LINES = re.compile(r"记者|通讯员|责任编辑|^【\S{0,8}讯】|^本(报|网)讯")
_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")  # pinyin glosses: 报(bào)告
_CLAIM_TYPES = ("active_disclosure_count", "request_count")


@dataclass(slots=True)
class Detection:
    """``is_report`` with a ``confidence`` in [0, 1] and the cues (``reason``) that decided it."""

    is_report: bool
    confidence: float
    kind: str  # report, guide, notice, news, other
    reason: str
    cues: dict[str, list[str]] = field(default_factory=dict)


def _title_block(lines: list[str]) -> str:
    return _GLOSS.sub("", "\n".join(lines[:TITLE_LINES]))


def _report_cues(lines: list[str], norm: str, report) -> list[tuple[str, float]]:
    """(cue, weight) for each kind of evidence that this is an annual report."""
    cues: list[tuple[str, float]] = []
    title = _title_block(lines)
    if _REPORT_TITLE.search(title) and MARKER in title:
        cues.append(("the title says 信息公开…年度报告", 3.0))
    sections = {name for line in lines for name, pat in _SECTION_CUES if len(line) <= 40 and pat.search(line)}
    if sections:
        cues.append((f"{len(sections)} template section heading(s)", float(min(len(sections), 4))))
    labels = sum(1 for label in _TABLE_LABELS if label in norm)
    if labels >= 3:
        cues.append((f"{labels} template table labels", 2.0 if labels < 6 else 3.0))
    if report is not None:
        tables = ("active_disclosure", "requests", "review_litigation")
        if isinstance(report, dict):
            rows = {t: report[t] for t in tables}
            types = [c["type"] for c in report.get("claims", [])]
        else:  # the tables alone: dumping the whole report (provenance and all) is the batch's job
            rows = {t: getattr(report, t).model_dump() for t in tables}
            types = [c.type for c in report.claims]
        cells = sum(1 for t in tables for cols in rows[t].values() if cols for v in cols.values() if v is not None)
        if cells:
            cues.append((f"{cells} table values", 2.0 if cells < 5 else 3.0))
        claims = sum(1 for t in types if t in _CLAIM_TYPES)
        if claims:
            cues.append((f"{claims} disclosure/request count(s) in the prose", float(min(claims, 3))))
    return cues


def _other_cues(lines: list[str]) -> dict[str, list[str]]:
    title = _title_block(lines)
    guide = []
    if _GUIDE_TITLE.search(title):
        guide.append("the title says 指南")
    guide += sorted({w for w in _GUIDE_LINES for line in lines if w in line[:12]})
    notice = []
    if any(_NOTICE_TITLE.search(line) for line in lines[:TITLE_LINES]):
        notice.append("the title is a 关于…的通知/公告")
    notice += sorted({m.group() for line in lines if (m := _NOTICE_LINES.search(line))})
    edges = lines[:40] + lines[-15:]
    news = sorted({m.group().strip("【】") for line in edges if (m := _NEWS_LINES.search(line))})
    if news:  # page chrome counts only beside a journalist's byline
        news += sorted({m.group().rstrip(":：") for line in edges if (m := _PAGE_CHROME.search(line))})
    return {"guide": guide, "notice": notice, "news": news}


def _other_weight(kind: str, cues: list[str]) -> float:
    w = 0.0
    for cue in cues:
        w += 4.0 if cue.startswith("the title") else 1.0
    return min(w, 8.0) if kind == "guide" else min(w, 6.0)


def detect_report(text: str, report=None) -> Detection:
    """Weigh the report's cues against a guide's, a notice's and a news page's (see module doc).
    ``report`` (a Report or its JSON dict, optional) adds the values and claims extraction found."""
    from gongkai.normalise import normalise

    norm = normalise(text).text
    lines = [ln.strip() for ln in norm.split("\n") if ln.strip()]
    if MARKER not in norm:
        return Detection(False, 0.95, "other",
                         "not a government information-disclosure annual report (the text never mentions 信息公开)")
    weighed = _report_cues(lines, norm, report)
    mine = [c for c, _ in weighed]
    others = _other_cues(lines)
    score = sum(w for _, w in weighed)
    kind, their = max(((k, _other_weight(k, c)) for k, c in others.items()), key=lambda kv: kv[1])
    cues = {"report": mine, **others}
    if their >= 3 and their > score:
        names = {"guide": "a 政府信息公开指南 (guide to applying)", "notice": "a notice (通知/公告)",
                 "news": "a news item"}
        conf = round(min(0.99, 0.5 + (their - score) / 12), 3)
        return Detection(False, conf, kind,
                         f"not an annual report: {names[kind]} ({'; '.join(others[kind])}"
                         f"{'; against: ' + '; '.join(mine) if mine else ''})", cues)
    if score <= 0:
        return Detection(False, 0.7, "other",
                         "not an annual report, or nothing a report states was found: no report title, "
                         "section heading, table value or disclosure count", cues)
    conf = round(min(0.99, 0.5 + (score - their) / 10), 3)
    against = f"; against: {kind} ({'; '.join(others[kind])})" if their else ""
    return Detection(True, max(conf, 0.5), "report", f"report: {'; '.join(mine)}{against}", cues)
