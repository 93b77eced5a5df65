"""Narrative claims read by the rule grammar (gongkai.claimwords + gongkai.rules.claims), on invented
sentences of every kind real reports print: totals, 其中 lists (，、；, 类/信息 suffixes, quotes, 等),
channels, request counts (received, carried over, answered, outcomes), negations, 余/多/近/约,
Chinese numerals, spaces inside, units, number-before-subject, and quantities that are no claim.
Every claim's offsets are checked against the Chinese text as read."""

from __future__ import annotations

import pytest

from gongkai.pipeline import extract_text
from gongkai.rules import label_spans
from gongkai.schema import Claim

HEAD = "一、总体情况\n"


def claims_of(body: str) -> list[Claim]:
    text = HEAD + body + "\n"
    report = extract_text(text, "g", "rules")
    for c in report.claims:
        assert text[c.start : c.end] == c.text, c  # offsets into the text as read
        assert c.text == c.text.strip()
    return [c for c in report.claims if c.type != "other_count"]


def facts(body: str) -> list[tuple]:
    return [(c.type[:6], c.value, c.breakdown, c.scope) for c in claims_of(body)]


def test_total_and_a_list_of_categories_with_quotes_suffixes_and_等() -> None:
    got = facts(
        "2022年，本乡共主动公开各类信息88条，其中工作动态类信息40条、“三农”政策信息12条、人事任免类8条，"
        "《乡村振兴简报》等刊物信息28条。"
    )
    assert got == [
        ("active", 88, None, "year"),
        ("active", 40, "工作动态类信息", "year"),
        ("active", 12, "“三农”政策信息", "year"),
        ("active", 8, "人事任免类", "year"),
        ("active", 28, "《乡村振兴简报》等刊物信息", "year"),
    ]


def test_a_list_opened_by_其中_in_the_next_sentence_separated_by_semicolons() -> None:
    got = facts("本年度主动公开信息31条。其中：通知公告9条；财政信息3条；其他信息5条。")
    assert got == [
        ("active", 31, None, "year"),
        ("active", 9, "通知公告", "year"),
        ("active", 3, "财政信息", "year"),
        ("active", 5, "其他信息", "year"),
    ]


def test_channels_give_their_head_word_and_quoted_names_are_no_verbs() -> None:
    got = facts("通过政府门户网站发布信息60条，通过“清河发布”微信公众号推送信息35条，在村务公开栏张贴公告14期。")
    assert got == [
        ("active", 60, "政府门户网站", "year"),
        ("active", 35, "微信公众号", "year"),
        ("active", 14, "公开栏", "year"),
    ]
    (c,) = claims_of("2023年，依托政务新媒体公开信息120余条。")
    assert (c.value, c.approximate, c.breakdown) == (120, True, "政务新媒体")


def test_a_lone_channel_with_its_own_list_is_the_overall_figure() -> None:
    got = facts("全年通过区政府网站主动公开政府信息47条，其中政策文件7条、工作动态40条。")
    assert got[0] == ("active", 47, None, "year")
    assert [g[2] for g in got[1:]] == ["政策文件", "工作动态"]


def test_specific_object_after_the_verb_is_the_category() -> None:
    got = facts("本年度主动公开政府信息50条，其中主动公开的规范性文件类信息有6条。")
    assert got == [("active", 50, None, "year"), ("active", 6, "规范性文件类信息", "year")]


def test_request_counts_received_parts_carried_over_and_outcomes() -> None:
    got = facts(
        "本年度共收到政府信息公开申请18件，其中当面申请5件、网络申请13件；办结17件，上年结转申请2件，"
        "予以公开6件，不予公开3件。"
    )
    assert got[0] == ("reques", 18, None, "year")
    parts = {(v, b) for _, v, b, _ in got[1:]}
    assert {(5, "当面申请"), (13, "网络申请"), (6, "予以公开"), (3, "不予公开")} <= parts
    assert {v for v, _ in parts} == {5, 13, 17, 2, 6, 3}  # carried over and answered are parts


def test_request_mode_before_the_verb_is_the_breakdown() -> None:
    got = facts("2022年，本局网站受理依申请公开4件；当面受理依申请公开2件。")
    assert got == [("reques", 4, "网站", "year"), ("reques", 2, "当面", "year")]


def test_number_before_its_noun_and_subject_after_its_number() -> None:
    got = facts("2023年，本局共收到1件公民提出的政府信息公开申请。")
    assert got == [("reques", 1, None, "year")]
    got = facts("全年共受理依申请公开12件，10件均已按期答复，2件结转下年度继续办理。")
    assert [g[1] for g in got] == [12, 10, 2]
    (c,) = claims_of("本年度在官方微信公众号发布360余条图文信息。")
    assert (c.value, c.approximate, c.breakdown) == (360, True, "微信公众号")


def test_negations_are_zero_requests_but_not_causes_of_reviews() -> None:
    got = facts("全年未收到政府信息公开申请。全年没有发生因政府信息公开申请被申请行政复议的情况。")
    assert got == [("reques", 0, None, "year")]
    assert facts("本局无上年结转的政府信息公开申请。") == [("reques", 0, None, "year")]
    (c,) = claims_of("本年度未新受理政府信息公开申请。")
    assert (c.value, c.unit, c.text) == (0, None, "未新受理政府信息公开申请")
    got = facts("未收到申请人提出的政府信息公开申请事项，故未出现不予公开政府信息情况。")
    assert got == [("reques", 0, None, "year"), ("reques", 0, "不予公开", "year")]


def test_approximate_chinese_numerals_and_spaces_inside() -> None:
    got = [(c.value, c.approximate, c.unit) for c in claims_of("全年主动公开政府信息四十余条，受理依申请公开两件。")]
    assert got == [(40, True, "条"), (2, False, "件")]
    (c,) = claims_of("全年新收政府信息公开申请 7 件。")
    assert (c.value, c.text) == (7, "全年新收政府信息公开申请 7 件")
    (c,) = claims_of("本年度主动公开信息约3,000条。")
    assert (c.value, c.approximate) == (3000, True)
    (c,) = claims_of("全年受理政府信息公开申请近50件。")
    assert (c.value, c.approximate) == (50, True)
    (c,) = claims_of("全年主动公开政府信息1.2万余条。")
    assert (c.value, c.approximate, c.unit) == (12000, True, "条")


def test_colon_before_the_number_and_bracketed_sub_figures() -> None:
    got = facts("主动公开政府信息共计：45条，其中工作动态：30条，通知公告：15条。")
    assert got == [("active", 45, None, "year"), ("active", 30, "工作动态", "year"), ("active", 15, "通知公告", "year")]
    got = facts("本年度办理政府信息公开申请3件（其中上年结转1件），均已按时办结。")
    assert got == [("reques", 3, None, "year"), ("reques", 1, "上年结转", "year")]
    # a category inside another one's brackets is not listed on its own
    got = facts("全年主动公开政府信息20条，其中公文类信息7件（含规范性文件2件）、工作动态13条。")
    assert [g[1] for g in got] == [20, 7, 13]


def test_units_篇_期_项() -> None:
    got = [(c.value, c.unit) for c in claims_of("2021年在区政府网站上主动公开政府信息5项，发布政策解读文章15篇。")]
    assert got == [(5, "项"), (15, "篇")]


def test_scope_year_unless_counted_up_to_a_date() -> None:
    got = facts("截至2023年底，累计主动公开政府信息约3,000条，本年度新增主动公开四十余条。")
    assert [(g[1], g[3]) for g in got] == [(3000, "cumulative"), (40, "year")]
    # 累计 inside a paragraph that names its year counts that year (the corpus README)
    assert facts("2021年，全镇累计主动公开政府信息114条。") == [("active", 114, None, "year")]
    assert facts("全年共计公开各类政府信息27条。") == [("active", 27, None, "year")]


def test_quantities_that_are_no_disclosure_or_request_count() -> None:
    got = facts(
        "开展政务公开培训3次，网站访问量12万次，接听咨询电话30余个，办理人大代表建议8件，阅读量5000余次，"
        "每月公示低保信息一条，依据《条例》第二十条，编号2023年第3期。"
    )
    assert got == []


def test_categories_named_after_enforcement_are_categories() -> None:
    got = facts("全年主动公开政府信息50条，其中行政处罚决定信息20条、行政检查结果信息12条、考核结果公示18条。")
    assert [g[2] for g in got] == [None, "行政处罚决定信息", "行政检查结果信息", "考核结果公示"]
    assert facts("全年开展督查检查5次，处理行政决定数量120个。") == []


def test_subject_is_the_whole_counted_phrase() -> None:
    text = HEAD + "本镇全年公开政务服务事项135条，其中政府信息公开指南1条。\n"
    spans = label_spans(text)
    subj = [s.text for s in spans if s.label.startswith("SUBJ_")]
    assert subj == ["全年公开政务服务事项", "政府信息公开指南"]  # never 务135条 / 开指南1条
    for s in spans:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "body",
    [
        "2022年，本镇主动公开政府信息56条，未收到政府信息公开申请。",
        "本年度，我局通过门户网站公开信息20条，通过微信公众号发布信息15条。",
    ],
)
def test_narrative_only_text_gives_claims_and_meta(body: str) -> None:
    text = "青溪镇人民政府2022年政府信息公开工作年度报告\n" + body + "\n"
    report = extract_text(text, "n", "rules")
    assert report.claims and report.meta.organ == "青溪镇人民政府" and report.meta.report_year == 2022
