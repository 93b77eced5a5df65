"""Narrative claims from SUBJ_*/NUM/UNIT/SHARE spans (docs/labels.md)."""

from __future__ import annotations

from test_assemble import Doc

from gongkai.assemble import assemble
from gongkai.assemble.claims import breakdown_of


def _claims(d: Doc):
    return assemble(d.text, d.spans, "c").claims


def test_chinese_numeral_and_approximate() -> None:
    d = Doc("今年共主动公开政府信息十二条，其中通过门户网站公开100余条。")
    d.mark("SUBJ_ACTIVE", "主动公开政府信息")
    d.mark("NUM", "十二")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "通过门户网站公开")
    d.mark("NUM", "100余")
    d.mark("UNIT", "条")
    overall, part = _claims(d)
    assert (overall.value, overall.approximate, overall.breakdown) == (12, False, None)
    assert overall.text == "主动公开政府信息十二条"
    assert (part.value, part.approximate, part.breakdown, part.unit) == (100, True, "门户网站", "条")
    assert part.text == "通过门户网站公开100余条"


def test_cumulative_scope_and_parts_inherit() -> None:
    d = Doc("截至2020年底，累计主动公开政府信息713条；本年度新增主动公开政府信息44条，其中工作动态30条，占比68.18%。")
    d.mark("SUBJ_ACTIVE", "累计主动公开政府信息")
    d.mark("NUM", "713")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE", "本年度新增主动公开政府信息")
    d.mark("NUM", "44")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "工作动态")
    d.mark("NUM", "30")
    d.mark("UNIT", "条")
    d.mark("SHARE", "68.18%")
    cum, year, part = _claims(d)
    assert (cum.scope, cum.value) == ("cumulative", 713)
    assert (year.scope, year.value, year.share) == ("year", 44, None)
    assert (part.scope, part.breakdown, part.share) == ("year", "工作动态", 68.18)


def test_number_and_unit_across_line_breaks() -> None:
    d = Doc("规划计划信息 2\n\n条，占总体的比例为 4.55%")
    d.mark("SUBJ_ACTIVE_PART", "规划计划信息")
    d.mark("NUM", "2")
    d.mark("UNIT", "条")
    d.mark("SHARE", "4.55%")
    (c,) = _claims(d)
    assert c.text == "规划计划信息 2\n\n条" and (c.start, c.end) == (0, len("规划计划信息 2\n\n条"))
    assert (c.unit, c.share, c.breakdown) == ("条", 4.55, "规划计划信息")


def test_negated_request_without_number() -> None:
    d = Doc("全年未收到政府信息公开申请，收到群众来信5封。")
    d.mark("SUBJ_REQUEST", "未收到政府信息公开申请")
    d.mark("SUBJ_OTHER", "收到群众来信")
    d.mark("NUM", "5")
    d.mark("UNIT", "封")
    neg, other = _claims(d)
    assert (neg.type, neg.value, neg.unit, neg.text) == ("request_count", 0, None, "未收到政府信息公开申请")
    assert (other.type, other.value, other.unit) == ("other_count", 5, "封")  # the number is not the negation's


def test_subject_without_number_is_dropped_and_unit_must_be_adjacent() -> None:
    d = Doc("收到政府信息公开申请。组织培训3，共计两场次。")
    d.mark("SUBJ_REQUEST", "收到政府信息公开申请")
    d.mark("SUBJ_OTHER", "组织培训")
    d.mark("NUM", "3")
    d.mark("UNIT", "场次")
    (c,) = _claims(d)
    assert (c.type, c.value, c.unit, c.text) == ("other_count", 3, None, "组织培训3")


def test_request_parts() -> None:
    d = Doc("共收到政府信息公开申请二十件，其中当面申请两件、网络申请十八件。")
    d.mark("SUBJ_REQUEST", "收到政府信息公开申请")
    d.mark("NUM", "二十")
    d.mark("UNIT", "件")
    d.mark("SUBJ_REQUEST_PART", "当面申请")
    d.mark("NUM", "两")
    d.mark("UNIT", "件")
    d.mark("SUBJ_REQUEST_PART", "网络申请")
    d.mark("NUM", "十八")
    d.mark("UNIT", "件")
    total, face, web = _claims(d)
    assert (total.value, face.value, web.value) == (20, 2, 18)
    assert (face.breakdown, web.breakdown) == ("当面申请", "网络申请")
    assert {c.type for c in (total, face, web)} == {"request_count"}


def test_breakdown_strips_scope_words_and_breaks() -> None:
    assert breakdown_of("其中工作\n动态") == "工作动态"
    assert breakdown_of("通过微信公众号发布") == "微信公众号"
    assert breakdown_of("政务公开") == "政务公开"  # a category that ends in 公开 keeps its wording
    assert breakdown_of("党建信息") == "党建信息"
    assert breakdown_of("不予公开", "request_count") == "不予公开"
    assert breakdown_of("通过网站公开") == "网站"
    assert breakdown_of("政府門戶網站公開") == "政府門戶網站"  # traditional: printed characters kept


def test_scope_word_wrapped_across_lines_is_still_cumulative() -> None:
    from gongkai.assemble.claims import claim_scope
    from gongkai.spans import Span

    text = "截至年底，累\n计主动公开信息713条"
    subject = Span.of(text, "SUBJ_ACTIVE", text.index("累"), text.index("713"))
    assert claim_scope(text, subject, text[subject.start : text.index("条") + 1]) == "cumulative"


def test_traditional_claims_keep_printed_characters_and_their_pinyin_glosses() -> None:
    d = Doc("累計主動公開信息3000餘條，其中通過信息公開平臺(tái)發(fā)布1200條，黨務(wù)信息35條。未收到政府信息公開申請。")
    d.mark("SUBJ_ACTIVE", "累計主動公開信息")
    d.mark("NUM", "3000餘")
    d.mark("UNIT", "條")
    d.mark("SUBJ_ACTIVE_PART", "通過信息公開平臺(tái)發(fā)布")
    d.mark("NUM", "1200")
    d.mark("UNIT", "條")
    d.mark("SUBJ_ACTIVE_PART", "黨務(wù)信息")
    d.mark("NUM", "35")
    d.mark("UNIT", "條")
    d.mark("SUBJ_REQUEST", "未收到政府信息公開申請")
    overall, channel, category, request = _claims(d)
    assert (overall.value, overall.approximate, overall.scope, overall.unit) == (3000, True, "cumulative", "條")
    assert overall.text == "累計主動公開信息3000餘條"
    assert (channel.value, channel.scope, channel.breakdown) == (1200, "cumulative", "信息公開平臺(tái)")
    assert channel.text == "通過信息公開平臺(tái)發(fā)布1200條"  # the claim text stays as printed
    assert (category.value, category.breakdown) == (35, "黨務(wù)信息")  # as printed, like the real gold
    assert (request.type, request.value, request.unit) == ("request_count", 0, None)


def _cut_parts(source: str):
    """Invented prose whose part subjects were labelled one or two characters short."""
    text = "全年公开信息50条，其中：2023年度工作总结2条；三公经费类8条、其他信息40条。"
    d = Doc(text, source=source)
    d.mark("SUBJ_ACTIVE", "公开信息")
    d.mark("NUM", "50")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "度工作总结")  # the year's tail and 度 missed
    d.mark("NUM", "2")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "公经费类")  # 三 missed
    d.mark("NUM", "8")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "他信息")
    d.mark("NUM", "40")
    d.mark("UNIT", "条")
    return text, _claims(d)


def test_model_part_subject_cut_inside_a_word_starts_where_the_word_does() -> None:
    text, (total, summary, fees, other) = _cut_parts("model")
    assert (summary.breakdown, fees.breakdown, other.breakdown) == ("2023年度工作总结", "三公经费类", "其他信息")
    for c in (summary, fees, other):  # character offsets into the text as read
        assert text[c.start : c.end] == c.text and c.text.startswith(c.breakdown)
    assert total.breakdown is None and total.text == "公开信息50条"  # overall subjects are not moved


def test_rules_part_subjects_keep_their_edges() -> None:
    _, (_, summary, fees, other) = _cut_parts("rules")
    assert (summary.breakdown, fees.breakdown, other.breakdown) == ("度工作总结", "公经费类", "他信息")


def test_model_part_subject_moves_only_to_a_boundary_and_drops_list_openers() -> None:
    d = Doc("本年度主动公开信息9条其中政策文件4条，另外本单位门户网站之窗栏目集中发布通知公告5条。", source="model")
    d.mark("SUBJ_ACTIVE", "主动公开信息")
    d.mark("NUM", "9")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "文件")  # back to the unit's end, then 其中 stays out
    d.mark("NUM", "4")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "通知公告")  # no delimiter within ten characters: unchanged
    d.mark("NUM", "5")
    d.mark("UNIT", "条")
    _, policy, notices = _claims(d)
    assert policy.breakdown == "政策文件" and policy.text == "政策文件4条"
    assert notices.breakdown == "通知公告" and notices.text == "通知公告5条"


def _one(text: str, subject: str, label: str, num: str, unit: str, source: str = "model"):
    d = Doc(text, source=source)
    d.mark(label, subject)
    d.mark("NUM", num)
    d.mark("UNIT", unit)
    (claim,) = _claims(d)
    assert text[claim.start : claim.end] == claim.text  # offsets into the text as read
    return claim


def test_model_total_whose_words_say_disclosure_or_request_gets_that_type() -> None:
    c = _one("本年度，我办主动公开政务文件十一份。", "主动公开政务文件", "SUBJ_REQUEST", "十一", "份")
    assert (c.type, c.value, c.breakdown, c.text) == ("active_disclosure_count", 11, None, "主动公开政务文件十一份")
    c = _one("全年共受理依申请信息56条。", "受理依申请信息", "SUBJ_ACTIVE", "56", "条")
    assert (c.type, c.breakdown) == ("request_count", None)
    # a receiving verb beside 公开 is no disclosure: a cut span (请公开共受理) keeps the model's type
    c = _one("依申请公开共受理2件。", "请公开共受理", "SUBJ_REQUEST", "2", "件")
    assert c.type == "request_count"


def test_model_total_that_names_a_category_channel_or_mode_is_a_part() -> None:
    text = "在厅网站发布全省征地信息1359条，新闻类信息85条。"
    c = _one(text, "全省征地信息", "SUBJ_ACTIVE", "1359", "条")
    assert (c.type, c.breakdown, c.text) == ("active_disclosure_count", "全省征地信息", "全省征地信息1359条")
    c = _one("在门户网站上公开各类信息共37条。", "在门户网站上公开各类信息", "SUBJ_ACTIVE", "37", "条")
    assert c.breakdown == "门户网站"
    c = _one("其中网站受理依申请公开9件。", "网站受理依申请公开", "SUBJ_REQUEST", "9", "件")
    assert (c.type, c.breakdown) == ("request_count", "网站")
    c = _one("答复中无法提供4件。", "无法提供", "SUBJ_REQUEST", "4", "件")
    assert (c.type, c.breakdown) == ("request_count", "无法提供")


def test_totals_stay_totals_and_rules_spans_are_not_reread() -> None:
    c = _one("全年主动公开政府信息86条。", "全年主动公开政府信息", "SUBJ_ACTIVE", "86", "条")
    assert (c.type, c.breakdown) == ("active_disclosure_count", None)
    c = _one("通过门户网站、微信公众号等平台主动公开信息120条。", "通过门户网站、微信公众号等平台主动公开信息",
             "SUBJ_ACTIVE", "120", "条")
    assert c.breakdown is None  # several channels: the overall figure
    c = _one("本年度收到政府信息公开申请12件。", "收到政府信息公开申请", "SUBJ_REQUEST", "12", "件")
    assert (c.type, c.breakdown) == ("request_count", None)
    c = _one("本年度，我办主动公开政务文件十一份。", "主动公开政务文件", "SUBJ_REQUEST", "十一", "份", source="rules")
    assert c.type == "request_count"  # the labeller's type: rules place subjects by this grammar already


def test_a_request_mode_after_a_preposition_is_the_breakdown() -> None:
    for subject, mode in (("通过邮寄收到", "邮寄"), ("经由网站受理", "网站"), ("我局当面受理依申请公开", "当面")):
        assert breakdown_of(subject, "request_count") == mode
