"""Rule labeller: sections, meta, claims and bad input, on short hand-written Chinese snippets."""

from __future__ import annotations

import pytest

from gongkai.pipeline import extract_text
from gongkai.rules import label_spans
from gongkai.spans import SECTION_LABELS, Span


def by_label(spans: list[Span], label: str) -> list[str]:
    return [s.text for s in spans if s.label == label]


def well_formed(text: str, spans: list[Span]) -> None:
    seen: dict[str, list[Span]] = {}
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert 0.0 <= s.score <= 1.0
        for o in seen.get(s.label, []):
            assert s.end <= o.start or o.end <= s.start, (s, o)
        seen.setdefault(s.label, []).append(s)


REPORT = (
    "青石镇人民政府\n## 2023年青石镇政府信息公开工作年度报告\n\n"
    "## 一、工作基本情况\n2023年，青石镇人民政府认真落实条例。全年主动公开政府信息86条，"
    "其中，工作动态50条，通知公告36条，占总体的比例为41.86%。联系电话：0731-5550123。\n"
    "全年共收到政府信息公开申请5件，予以公开3件，无法提供2件，行政复议0件。\n"
    "## 二、主动公开政府信息情况\n规章 0 0 0\n"
    "## 三、收到和处理政府信息公开申请情况\n## 四、政府信息公开行政复议、行政诉讼情况\n"
    "## 五、存在的问题及改进措施\n人手不足。\n## 六、其他需要报告的事项\n无。\n"
    "青石镇人民政府\n2024年1月15日\n"
)


def test_sections_markdown_and_synonyms_with_offsets() -> None:
    spans = label_spans(REPORT)
    well_formed(REPORT, spans)
    heads = {s.label: s for s in spans if s.label in SECTION_LABELS}
    assert set(heads) == set(SECTION_LABELS)
    assert heads["SEC_OVERVIEW"].text == "一、工作基本情况"  # '## ' left out
    assert heads["SEC_OVERVIEW"].start == REPORT.index("一、工作基本情况")
    assert heads["SEC_PROBLEMS"].text == "五、存在的问题及改进措施"


def test_meta_organ_year_date() -> None:
    spans = label_spans(REPORT)
    # ORGAN wherever the full name is printed (docs/labels.md), YEAR once
    assert by_label(spans, "ORGAN") == ["青石镇人民政府"] * REPORT.count("青石镇人民政府")
    assert by_label(spans, "YEAR") == ["2023"]
    assert by_label(spans, "DATE") == ["2024年1月15日"]
    year = next(s for s in spans if s.label == "YEAR")
    assert REPORT[year.start - 3 : year.start] == "## "  # the title's year, not the body's


def test_organ_read_leftwards_stops_at_function_words() -> None:
    text = "一、总体情况\n本报告由白沙乡人民政府办公室编制，统计期限为2021年。\n"
    assert by_label(label_spans(text), "ORGAN") == ["白沙乡人民政府"]


def test_claims_overall_parts_share_and_requests() -> None:
    spans = label_spans(REPORT)
    assert by_label(spans, "SUBJ_ACTIVE") == ["全年主动公开政府信息"]
    assert by_label(spans, "SUBJ_ACTIVE_PART") == ["工作动态", "通知公告"]
    assert by_label(spans, "SHARE") == ["41.86%"]
    assert by_label(spans, "SUBJ_REQUEST") == ["收到政府信息公开申请"]
    assert by_label(spans, "SUBJ_REQUEST_PART") == ["予以公开", "无法提供"]  # 行政复议 ends the list
    nums = by_label(spans, "NUM")
    assert nums == ["86", "50", "36", "5", "3", "2"]  # no span inside dates or the phone number
    assert "0731" not in "".join(nums)


def test_claims_end_to_end_through_assemble() -> None:
    report = extract_text(REPORT, "qingshi", "rules")
    claims = {(c.type, c.value, c.breakdown, c.scope) for c in report.claims}
    assert ("active_disclosure_count", 86, None, "year") in claims
    assert ("active_disclosure_count", 50, "工作动态", "year") in claims
    assert ("request_count", 5, None, "year") in claims
    assert report.meta.organ == "青石镇人民政府" and report.meta.report_year == 2023
    assert report.meta.publish_date == "2024-01-15"
    assert report.active_disclosure.regulations.newly_made == 0


def test_cumulative_scope_word_kept_and_wrapped_claim() -> None:
    text = "一、总体情况\n截至年底累计主动公开政府\n\n信息 1,204 条。\n"
    spans = label_spans(text)
    well_formed(text, spans)
    assert by_label(spans, "SUBJ_ACTIVE") == ["累计主动公开政府\n\n信息"]
    assert by_label(spans, "NUM") == ["1,204"]
    assert by_label(spans, "UNIT") == ["条"]


def test_negated_request_claim_has_no_number() -> None:
    text = "一、总体情况\n2022年，本镇未收到政府信息公开申请。全年未收到涉及政府信息公开的投诉。\n"
    spans = label_spans(text)
    assert by_label(spans, "SUBJ_REQUEST") == ["未收到政府信息公开申请"]
    assert by_label(spans, "NUM") == []


def test_kangxi_lookalikes_and_traditional_with_gloss() -> None:
    text = "⼀、总体情况\n本鎮(zhèn)主動公開信息45條，其中工作動態(tài)40條，通知5條。\n⼆、主动公开政府信息情况\n"
    spans = label_spans(text)
    well_formed(text, spans)
    assert by_label(spans, "SEC_OVERVIEW") == ["⼀、总体情况"]
    assert by_label(spans, "SEC_ACTIVE") == ["⼆、主动公开政府信息情况"]
    assert by_label(spans, "SUBJ_ACTIVE") == ["主動公開信息"]
    assert by_label(spans, "UNIT")[0] == "條"
    assert "工作動態(tài)" in by_label(spans, "SUBJ_ACTIVE_PART")


def test_crlf_offsets_are_into_the_text_as_read() -> None:
    text = "一、总体情况\r\n主动公开信息12条。\r\n二、主动公开政府信息情况\r\n规章 1 2 3\r\n"
    spans = label_spans(text)
    well_formed(text, spans)
    assert by_label(spans, "NUM") == ["12"]
    assert [s.text for s in spans if s.label.startswith("CELL_")] == ["1", "2", "3"]


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff"])
def test_empty_input_gives_no_spans(text: str) -> None:
    assert label_spans(text) == []


def test_not_a_report_gives_no_sections_and_no_crash() -> None:
    text = "今天天气很好，我们去公园散步。\n价格：12元，数量 3 个。\n| a | b |\n| 1 | 2 |\n"
    spans = label_spans(text)
    well_formed(text, spans)
    assert not [s for s in spans if s.label in SECTION_LABELS]
    report = extract_text(text, "weather", "rules")
    assert all(v is None for v in report.sections.model_dump().values())


def test_truncated_report_keeps_what_was_printed() -> None:
    text = (
        REPORT[: REPORT.index("## 三、")]
        + "## 三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0"
    )
    spans = label_spans(text)
    well_formed(text, spans)
    labels = {s.label for s in spans}
    assert {"SEC_OVERVIEW", "SEC_ACTIVE", "SEC_REQUESTS"} <= labels
    assert "SEC_REVIEW" not in labels
    assert not [s for s in spans if s.label.startswith("CELL_") and s.start > text.index("本年新收")]


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        label_spans(b"\xe4\xb8\x80")  # type: ignore[arg-type]


def test_sections_numbered_in_brackets_and_bold() -> None:
    text = (
        "**一、总体情况**\n正文。\n（二）主动公开政府信息情况\n规章 0 0 0\n"
        "（三）收到和处理政府信息公开申请情况\n**四、政府信息公开行政复议、行政诉讼情况**\n"
    )
    spans = label_spans(text)
    well_formed(text, spans)
    assert by_label(spans, "SEC_OVERVIEW") == ["一、总体情况"]
    assert by_label(spans, "SEC_ACTIVE") == ["（二）主动公开政府信息情况"]
    assert by_label(spans, "SEC_REQUESTS") == ["（三）收到和处理政府信息公开申请情况"]
    assert by_label(spans, "SEC_REVIEW") == ["四、政府信息公开行政复议、行政诉讼情况"]


def test_subheading_inside_overview_is_not_a_section() -> None:
    text = "一、总体情况\n（二）主动公开\n内容。\n二、主动公开政府信息情况\n规章 0 0 0\n"
    spans = label_spans(text)
    assert by_label(spans, "SEC_ACTIVE") == ["二、主动公开政府信息情况"]


def test_department_organ_and_chinese_numeral_year() -> None:
    text = "石门县水利局二〇二三年政府信息公开工作年度报告\n一、总体情况\n本局认真落实。\n"
    spans = label_spans(text)
    assert by_label(spans, "ORGAN") == ["石门县水利局"]
    assert by_label(spans, "YEAR") == ["二〇二三"]
    assert extract_text(text, "shimen", "rules").meta.report_year == 2023


def test_other_quantities_are_other_claims_not_parts() -> None:
    text = "一、总体情况\n全年主动公开政府信息20条，开展政策解读活动6次。\n"
    spans = label_spans(text)
    assert by_label(spans, "SUBJ_ACTIVE_PART") == []
    assert by_label(spans, "SUBJ_OTHER") == ["开展政策解读活动"]
    claims = extract_text(text, "other", "rules").claims
    assert {(c.type, c.value) for c in claims} == {("active_disclosure_count", 20), ("other_count", 6)}


def test_bracketed_subheading_with_other_number_is_not_a_missing_section() -> None:
    text = "一、总体情况\n（一）主动公开情况\n主动公开信息5条。\n三、依申请公开政府信息情况\n四、存在的主要问题及改进情况\n无。\n"
    spans = label_spans(text)
    assert by_label(spans, "SEC_ACTIVE") == []
    assert by_label(spans, "SEC_REQUESTS") == ["三、依申请公开政府信息情况"]
    assert by_label(spans, "SEC_PROBLEMS") == ["四、存在的主要问题及改进情况"]  # shifted ordinal


def test_organ_with_prefecture_components() -> None:
    text = "一、总体情况\n2020年，黔南州长顺县白云镇人民政府认真落实条例。\n"
    assert by_label(label_spans(text), "ORGAN") == ["黔南州长顺县白云镇人民政府"]


def test_signature_date_in_chinese_numerals_and_web_header_date() -> None:
    signed = "一、总体情况\n正文。\n六、其他需要报告的事项\n无。\n青石镇人民政府\n二〇二二年一月十日\n"
    assert extract_text(signed, "signed", "rules").meta.publish_date == "2022-01-10"
    header = "青石镇2021年政府信息公开工作年度报告\n发布时间：2022-01-06 14:34:49\n一、总体情况\n正文。\n"
    spans = label_spans(header)
    assert by_label(spans, "DATE") == ["2022-01-06"]


def test_signature_with_name_and_date_on_one_line_and_office_organ() -> None:
    text = "一、总体情况\n正文。\n六、其他需要报告的事项\n无。\n青石镇人民政府  2022年1月3日\n"
    spans = label_spans(text)
    assert by_label(spans, "ORGAN") == ["青石镇人民政府"]
    assert by_label(spans, "DATE") == ["2022年1月3日"]
    office = "石门县人民政府办公室2021年政府信息公开工作年度报告\n一、总体情况\n石门县人民政府认真落实。\n"
    assert by_label(label_spans(office), "ORGAN") == ["石门县人民政府办公室"]


def test_channel_parts_without_通过_and_claims_stop_at_headings() -> None:
    text = "一、总体情况\n全年主动公开政府信息30条，其中门户网站发布信息20条，微信公众号发布信息10条。\n"
    claims = extract_text(text, "ch", "rules").claims
    assert [(c.value, c.breakdown) for c in claims] == [(30, None), (20, "门户网站"), (10, "微信公众号")]
    text = "一、总体情况\n本年在门户网站发布信息20条。\n"
    spans = label_spans(text)
    assert by_label(spans, "SUBJ_ACTIVE_PART") == ["本年在门户网站发布信息"]  # not into the heading
    text = "一、总体情况\n本年在门户网站发布信息20条，其中工作动态12条、通知公告8条。\n"
    spans = label_spans(text)  # the only channel, with its own list: the overall figure
    assert by_label(spans, "SUBJ_ACTIVE") == ["本年在门户网站发布信息"]


def test_fullest_of_title_and_signature_names_wins() -> None:
    text = "2021年白沙镇人民政府政府信息公开工作年度报告\n一、总体情况\n正文。\n长沙县白沙镇人民政府\n"
    assert by_label(label_spans(text), "ORGAN") == ["长沙县白沙镇人民政府"]
    text = "2021年长沙县白沙镇人民政府信息公开工作年度报告\n一、总体情况\n正文。\n白沙镇人民政府\n"
    spans = label_spans(text)
    assert by_label(spans, "ORGAN") == ["长沙县白沙镇人民政府"]
    assert next(s for s in spans if s.label == "ORGAN").start == 5


def test_approximate_and_chinese_numeral_claims() -> None:
    text = "一、总体情况\n全年主动公开政府信息100余条，其中工作动态十二条。共受理依申请公开2件。\n"
    spans = label_spans(text)
    assert by_label(spans, "NUM") == ["100余", "十二", "2"]
    claims = extract_text(text, "approx", "rules").claims
    assert [(c.value, c.approximate, c.breakdown) for c in claims] == [
        (100, True, None), (12, False, "工作动态"), (2, False, None)
    ]  # fmt: skip
