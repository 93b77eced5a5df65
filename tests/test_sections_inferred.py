"""Sections whose heading line the page lost (invented texts): the overview before a 二 heading,
五/六 from their sub-headings, provenance saying inferred; printed headings are never cut, and
old-style reports numbered (一)…(六) keep their bracketed titles."""

from __future__ import annotations

from gongkai.assemble.sections import heading_extent
from gongkai.pipeline import extract_text
from gongkai.spans import Span

LOST = (
    "青石街道办事处2021年政府信息公开工作年度报告\n"
    "2021年，青石街道办事处认真落实《条例》。全年主动公开政府信息40条。\n"
    "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
    "三、收到和处理政府信息公开申请情况\n本年未收到申请。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n无。\n"
    "（一）存在的主要问题\n公开内容不够全面。\n（二）改进情况\n加强培训。\n"
    "（一）收取信息处理费情况\n本年度未收取信息处理费。\n"
)


def test_lost_overview_problems_and_other_matters_are_inferred() -> None:
    r = extract_text(LOST, "lost", "rules")
    s = r.sections
    assert s.overview is not None and s.overview.title == ""
    assert LOST[s.overview.start :].startswith("2021年，青石街道")
    assert s.overview.end == LOST.index("二、主动公开")
    assert s.active_disclosure.title == "二、主动公开政府信息情况"
    assert s.review_litigation.end == LOST.index("（一）存在的主要问题")
    assert s.problems_improvements is not None and LOST[s.problems_improvements.start :].startswith("（一）存在")
    assert s.other_matters is not None and LOST[s.other_matters.start :].startswith("（一）收取信息处理费")
    for key in ("overview", "problems_improvements", "other_matters"):
        prov = r.provenance[f"sections.{key}"]
        assert prov.source == "derived" and "inferred" in prov.raw
    assert r.active_disclosure.regulations.issued == 0  # the tables are read as before


def test_inferred_overview_keeps_its_sub_headings_and_skips_page_lines() -> None:
    text = (
        "青石镇2021年政府信息公开工作年度报告\n发布时间：2022-01-10 来源：青石镇\n"
        "（一）主动公开\n全年主动公开政府信息12条。\n二、主动公开政府信息情况\n规章\t0\t0\t0\n"
    )
    s = extract_text(text, "sub", "rules").sections
    assert s.overview is not None and text[s.overview.start :].startswith("（一）主动公开")


def test_nothing_is_inferred_without_structural_evidence() -> None:
    text = "一、总体情况\n正文。\n二、主动公开政府信息情况\n规章\t0\t0\t0\n"
    r = extract_text(text, "plain", "rules")
    assert r.sections.overview.title == "一、总体情况"
    assert r.sections.problems_improvements is None and r.sections.other_matters is None
    assert not [k for k in r.provenance if k.startswith("sections.")]
    # a first heading numbered 三 is no evidence that only 一 was lost
    text = "前言。\n三、收到和处理政府信息公开申请情况\n本年未收到申请。\n"
    assert extract_text(text, "three", "rules").sections.overview is None


def test_title_printed_without_ordinal_stays_whole() -> None:
    text = "一、总体情况\n正文。\n主动公开政府信息情况\n规章\t0\t0\t0\n"
    r = extract_text(text, "plain", "rules")
    assert r.sections.active_disclosure.title == "主动公开政府信息情况"


def test_a_piece_of_a_heading_line_extends_to_the_printed_heading() -> None:
    text = "正文。\n三、收到和处理政府信息公开申请情况\n表。\n"
    a = text.index("到和处理")
    span = Span.of(text, "SEC_REQUESTS", a, text.index("\n表"), 0.9, "model")
    s, e = heading_extent(text, span)
    assert text[s:e] == "三、收到和处理政府信息公开申请情况"
    body = "一、总体情况 2021年本镇认真落实条例，公开信息20条。\n"
    span = Span.of(body, "SEC_OVERVIEW", 0, len("一、总体情况"), 0.9, "model")
    assert heading_extent(body, span) == (0, len("一、总体情况"))  # body text on the line stays out


def test_old_style_report_numbered_in_brackets() -> None:
    text = (
        "2021年度青石县水利局政府信息公开年度报告\n为促进政府信息公开，现报告如下。\n"
        "(一)主动公开政府信息的情况\n主动公开政府信息20条。\n"
        "(二)依申请公开信息的情况\n本年未收到申请。\n"
        "(三)因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n"
    )
    s = extract_text(text, "old", "rules").sections
    assert s.overview is None
    assert s.active_disclosure.title == "(一)主动公开政府信息的情况"
    assert s.requests.title == "(二)依申请公开信息的情况"
    assert s.review_litigation.title == "(三)因政府信息公开申请行政复议、提起行政诉讼的情况"


def test_overview_subheadings_are_not_sections() -> None:
    text = (
        "一、总体情况\n(一)主动公开\n主动公开信息5条。\n(二)依申请公开\n未收到申请。\n"
        "(三)政府信息管理\n规范。\n"
    )
    s = extract_text(text, "sub", "rules").sections
    assert s.active_disclosure is None and s.requests is None
