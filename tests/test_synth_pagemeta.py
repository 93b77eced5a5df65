"""Page meta in generated reports (gongkai/synth/pagemeta.py): pages without a title, or with a
title that prints no year, state the report year once in the page (YEAR on the first statement);
publish dates printed in page header/footer lines (DATE on the date only). The gold says what
the spans say, and the rules read the same spans back."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from gongkai.assemble.meta import parse_date, parse_year
from gongkai.normalise import normalise
from gongkai.pipeline import extract_text
from gongkai.rules import label_spans
from gongkai.spans import check_spans
from gongkai.synth import generate
from gongkai.synth.pagemeta import first_year_statement

UNTITLED = {"no_title": 1.0}
YEARLESS_TITLE = {"title_no_year": 1.0, "year_from_body": 1.0, "no_title": 0.0}
PAGE_DATE = {"page_date": 1.0, "no_date": 0.0}


def _one(d, label: str):
    found = [s for s in d.spans if s.label == label]
    assert len(found) == 1, (d.doc_id, label, found)
    s = found[0]
    assert d.text[s.start : s.end] == s.text, d.doc_id  # offsets into the Chinese text as read
    return s


@pytest.fixture(scope="module")
def untitled():
    return generate(80, seed=21, **UNTITLED)


def test_untitled_pages_state_the_year_once_where_it_is_read(untitled) -> None:
    kinds = Counter()
    for d in untitled:
        check_spans(d.text, d.spans)
        assert "no_title" in d.gold["_synth"]["page_meta"]
        lines = [ln.strip() for ln in normalise(d.text).text.splitlines() if ln.strip()]
        crumbs = [ln for ln in lines[:3] if re.search(r"首页\s*[>/]", ln)]
        assert not any(ln.endswith("报告") and ln not in crumbs for ln in lines[:8]), d.doc_id  # no title
        year = _one(d, "YEAR")
        assert parse_year(year.text) == d.gold["meta"]["report_year"], d.doc_id
        after = normalise(d.text[year.end : year.end + 8]).text
        before = normalise(d.text[max(0, year.start - 8) : year.start]).text
        if after.startswith(("年1月1日",)):
            kinds["period"] += 1
        elif re.match(r"年度?,", after):
            kinds["prose"] += 1
        elif re.search(r"公布|现将|编制|现就", before):
            kinds["announce"] += 1
        else:
            kinds["other"] += 1
    assert kinds["period"] and kinds["prose"] and kinds["announce"], kinds


def test_yearless_titles_take_the_year_from_the_page() -> None:
    for d in generate(30, seed=22, **YEARLESS_TITLE):
        norm = normalise(d.text)
        lines = [ln.strip() for ln in norm.text.splitlines() if ln.strip()]
        title = next(ln for ln in lines[:4] if ln.endswith("报告"))
        assert not re.search(r"\d", title), (d.doc_id, title)
        year = _one(d, "YEAR")
        assert parse_year(year.text) == d.gold["meta"]["report_year"]
        assert "year_from_body" in d.gold["_synth"]["page_meta"]
        title_end = norm.text.index(title) + len(title)
        assert norm.to_norm(year.start, year.end)[0] > title_end, d.doc_id  # below the title, in the page


def test_first_year_statement_skips_document_numbers_and_dates() -> None:
    text = "发布日期：2022年1月30日\n依据《条例》（国办发〔2019〕14号）编制。\n2021年，青山镇认真贯彻落实《条例》。"
    s, e, y = first_year_statement(text)
    assert (text[s:e], y) == ("2021", 2021) and text[e] == "年" and text.index("2021年，") == s
    text = "截至2021年12月31日，本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
    s, e, y = first_year_statement(text)
    assert s == text.index("2021年1月1日") and text[s:e] == "2021"
    assert first_year_statement("发布时间：2022-01-30 来源：青山镇") is None


def test_page_dates_in_each_format() -> None:
    forms, labels, tails = Counter(), Counter(), Counter()
    for d in generate(160, seed=23, **PAGE_DATE):
        check_spans(d.text, d.spans)
        date = _one(d, "DATE")
        gold = d.gold["meta"]["publish_date"]
        assert gold and parse_date(date.text) == gold, (d.doc_id, date.text, gold)
        assert any(f.startswith("page_date") for f in d.gold["_synth"]["page_meta"])
        flat = normalise(date.text).text
        form = ("iso" if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", flat) else "slash" if re.fullmatch(r"\d{4}/\d\d/\d\d", flat)
                else "cn" if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", flat) else "dot" if re.fullmatch(r"\d{4}\.\d\d\.\d\d", flat)
                else None)
        assert form, (d.doc_id, date.text)  # the date only: no label, no time, no trailing /
        forms[form] += 1
        line_start = d.text.rfind("\n", 0, date.start) + 1
        line_end = d.text.find("\n", date.end)
        head = normalise(d.text[line_start : date.start]).text
        tail = normalise(d.text[date.end : line_end]).text
        m = re.search(r"(发布日期|发布时间|发表日期|生成日期|时间|日期)\]?】?\s*:?\s*$", head)
        labels[m.group(1) if m else ("bare" if not head.strip() else head)] += 1
        if re.match(r"/", tail):
            tails["slash"] += 1
        if re.match(r"/?\s+\d{1,2}:\d\d(?!:)", tail):
            tails["hh:mm"] += 1
        if re.match(r"/?\s+\d{1,2}:\d\d:\d\d", tail):
            tails["hh:mm:ss"] += 1
        if "来源" in head + tail or "浏览次数" in head + tail or "访问量" in head + tail:
            tails["fields"] += 1
        if "索引号" in d.text[max(0, line_start - 80) : line_start]:
            tails["catalogue"] += 1
    assert set(forms) == {"iso", "slash", "cn", "dot"}, forms
    assert {"发布日期", "发布时间", "发表日期", "生成日期", "时间", "日期", "bare"} <= set(labels), labels
    assert {"slash", "hh:mm", "hh:mm:ss", "fields", "catalogue"} <= set(tails), tails


@pytest.mark.parametrize("rates", [UNTITLED, YEARLESS_TITLE, PAGE_DATE], ids=["untitled", "yearless_title", "page_date"])
def test_rules_read_the_generated_page_meta(rates: dict) -> None:
    """The rules pick the same YEAR and DATE spans the generator labels, so the gold meta is what
    a reader of the page gets."""
    for d in generate(40, seed=24, organ_pool="heldout", **rates):
        got = {s.label: (s.start, s.end) for s in label_spans(d.text) if s.label in ("YEAR", "DATE")}
        want = {s.label: (s.start, s.end) for s in d.spans if s.label in ("YEAR", "DATE")}
        assert got == want, (d.doc_id, got, want)
        meta = extract_text(d.text, d.doc_id, "rules").meta
        g = d.gold["meta"]
        assert (meta.organ, meta.report_year, meta.publish_date) == (g["organ"], g["report_year"], g["publish_date"])


def test_gold_meta_is_what_the_spans_say_at_default_rates() -> None:
    seen = Counter()
    for d in generate(120, seed=25):
        year = _one(d, "YEAR")
        assert parse_year(year.text) == d.gold["meta"]["report_year"], d.doc_id
        dates = [s for s in d.spans if s.label == "DATE"]
        want = d.gold["meta"]["publish_date"]
        assert [parse_date(s.text) for s in dates] == ([want] if want else []), d.doc_id
        seen.update(d.gold["_synth"]["page_meta"])
    assert seen["no_title"] and seen["page_date:head"] and seen["page_date:foot"], seen
