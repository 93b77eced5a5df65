"""assemble(): hand-built Chinese reports with hand-placed spans (offsets found with str.find)."""

from __future__ import annotations

import random

import pytest

from gongkai.assemble import assemble
from gongkai.spans import Span


class Doc:
    """A text plus spans marked in reading order: ``mark`` finds the next occurrence after the
    previous mark, so repeated values such as ``0`` land on the right cell."""

    def __init__(self, text: str, source: str = "rules", score: float = 1.0) -> None:
        self.text = text
        self.spans: list[Span] = []
        self.pos = 0
        self.source = source
        self.score = score

    def mark(self, label: str, s: str) -> Span:
        i = self.text.find(s, self.pos)
        assert i >= 0, f"{s!r} not found after {self.pos}"
        span = Span.of(self.text, label, i, i + len(s), self.score, self.source)
        self.spans.append(span)
        self.pos = i + len(s)
        return span

    def cells(self, *values: str, first: int = 1) -> None:
        for k, v in enumerate(values, first):
            self.mark(f"CELL_{k}", v)

    def row(self, label: str, *values: str, first: int = 1) -> None:
        self.mark("ROW", label)
        self.cells(*values, first=first)

    def skip(self, s: str) -> None:
        """Move past ``s`` without marking it."""
        i = self.text.find(s, self.pos)
        assert i >= 0, s
        self.pos = i + len(s)


REQ_2019_ROWS = [
    ("（一）予以公开", "予以公开"),
    ("1.属于国家秘密", "属于国家秘密"),
]

TEXT_2019 = """# 青石镇2020年政府信息公开工作年度报告

## 一、总体情况
2020年，青石镇人民政府认真贯彻落实《条例》。全年主动公开政府信息一百二十条，累计主动公开政府信息1,500条。
其中工作动态
 80 条，占总体的比例为66.67%；规划计划信息40条。本年度共收到政府信息公开申请3件。

## 二、主动公开政府信息情况
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t2\t2\t15
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t12\t-3\t40
其他对外管理服务事项\t5\t\t7
行政处罚\t无\t无\t无
行政强制\t0\t0\t0
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t1\t0
信息内容\t采购项目数量\t采购总金额
政府集中采购\t4\t249万

## 三、收到和处理政府信息公开申请情况
\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计
一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t0\t0\t3
二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t（一）予以公开\t\t\t\t\t\t\t2
\t（二）部分公开（区分处理的，只计这一情形）\t\t\t\t\t\t\t0
\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t（四）无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1
\t（五）不予处理\t4.无正当理由由大量反复申请\t0\t0\t0\t0\t0\t0\t0
\t（六）其他处理\t0\t0\t0\t0\t0\t0\t0
\t（七）总计\t2\t1\t0\t0\t0\t0\t3
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0
五、乡村振兴专项统计\t9\t9

## 四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉
0\t1\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0

## 五、存在的主要问题及改进情况
宣传培训不够。

## 六、其他需要
报告的事项
无。

青石镇人民政府
2021年01月05日
"""


def build_2019() -> Doc:
    d = Doc(TEXT_2019)
    d.mark("YEAR", "2020")
    d.mark("SEC_OVERVIEW", "一、总体情况")
    d.mark("ORGAN", "青石镇人民政府")
    d.mark("SUBJ_ACTIVE", "全年主动公开政府信息")
    d.mark("NUM", "一百二十")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE", "累计主动公开政府信息")
    d.mark("NUM", "1,500")
    d.mark("UNIT", "条")
    d.mark("SUBJ_ACTIVE_PART", "工作动态")
    d.mark("NUM", "80")
    d.mark("UNIT", "条")
    d.mark("SHARE", "66.67%")
    d.mark("SUBJ_ACTIVE_PART", "规划计划信息")
    d.mark("NUM", "40")
    d.mark("UNIT", "条")
    d.mark("SUBJ_REQUEST", "收到政府信息公开申请")
    d.mark("NUM", "3")
    d.mark("UNIT", "件")
    d.mark("SEC_ACTIVE", "二、主动公开政府信息情况")
    for c in ("本年新制作数量", "本年新公开数量", "对外公开总数量"):
        d.mark("COL", c)
    d.row("规章", "0", "0", "0")
    d.row("规范性文件", "2", "2", "15")
    d.mark("COL", "上一年项目数量")
    d.mark("COL", "本年增/减")
    d.mark("COL", "处理决定数量")
    d.row("行政许可", "12", "-3", "40")
    d.mark("ROW", "其他对外管理服务事项")
    d.mark("CELL_1", "5")
    d.mark("CELL_3", "7")  # the middle cell is blank
    d.row("行政处罚", "无", "无", "无")
    d.row("行政强制", "0", "0", "0")
    d.row("行政事业性收费", "1", "0")
    d.mark("COL", "采购项目数量")
    d.mark("COL", "采购总金额")
    d.row("政府集中采购", "4", "249万")
    d.mark("SEC_REQUESTS", "三、收到和处理政府信息公开申请情况")
    for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"):
        d.mark("COL", c)
    d.row("一、本年新收政府信息公开申请数量", "2", "1", "0", "0", "0", "0", "3")
    d.row("二、上年结转政府信息公开申请数量", *"0000000")
    d.mark("ROW", "三、本年度办理结果")
    d.row("（一）予以公开", "2", first=7)  # the value is under 总计
    d.row("（二）部分公开（区分处理的，只计这一情形）", "0", first=7)
    d.mark("ROW", "（三）不予公开")
    d.row("1.属于国家秘密", *"0000000")
    d.mark("ROW", "（四）无法提供")
    d.row("1.本机关不掌握相关政府信息", "1", *"00000", "1")
    d.mark("ROW", "（五）不予处理")
    d.row("4.无正当理由由大量反复申请", *"0000000")
    d.row("（六）其他处理", *"0000000")
    d.row("（七）总计", "2", "1", *"0000", "3")
    d.row("四、结转下年度继续办理", *"0000000")
    d.row("五、乡村振兴专项统计", "9", "9")
    d.mark("SEC_REVIEW", "四、政府信息公开行政复议、行政诉讼情况")
    for c in ("行政复议", "结果维持", "结果纠正", "其他结果", "尚未审结"):
        d.mark("COL", c)
    d.skip("复议后起诉")
    d.cells("0", "1", "0", "0", "1", *["0"] * 10)
    d.mark("SEC_PROBLEMS", "五、存在的主要问题及改进情况")
    d.mark("SEC_OTHER", "六、其他需要\n报告的事项")
    d.skip("无。")
    d.skip("青石镇人民政府")
    d.mark("DATE", "2021年01月05日")
    return d


@pytest.fixture(scope="module")
def report_2019():
    d = build_2019()
    return d, assemble(d.text, d.spans, "qingshi-2020")


def test_meta_2019(report_2019) -> None:
    d, r = report_2019
    assert r.doc_id == "qingshi-2020"
    assert r.meta.organ == "青石镇人民政府"
    assert r.meta.report_year == 2020
    assert r.meta.publish_date == "2021-01-05"
    assert r.meta.template == "2019"
    p = r.provenance["meta.publish_date"]
    assert d.text[p.start : p.end] == "2021年01月05日" == p.raw


def test_sections(report_2019) -> None:
    d, r = report_2019
    s = r.sections
    assert s.overview.title == "一、总体情况"  # markdown ## dropped
    assert d.text[s.overview.start :].startswith("一、总体情况")
    assert s.overview.end == s.active_disclosure.start == d.text.find("二、主动公开政府信息情况")
    assert s.review_litigation.end == d.text.find("五、存在的主要问题")
    assert s.other_matters.title == "六、其他需要报告的事项"  # printed across a line break
    assert s.other_matters.end == len(d.text)


def test_active_disclosure_2019(report_2019) -> None:
    _, r = report_2019
    a = r.active_disclosure
    assert (a.regulations.newly_made, a.regulations.newly_published, a.regulations.total_published) == (0, 0, 0)
    assert a.regulations.issued is None
    assert a.normative_documents.total_published == 15
    assert (a.administrative_licensing.previous_year, a.administrative_licensing.change) == (12, -3)
    assert a.administrative_licensing.decisions == 40
    assert a.other_administrative_services.previous_year == 5
    assert a.other_administrative_services.change is None  # blank stays null
    assert a.other_administrative_services.decisions == 7
    assert a.administrative_penalty.decisions == 0  # 无 is a stated 0
    assert a.administrative_fees.previous_year == 1 and a.administrative_fees.amount is None
    proc = a.centralized_procurement
    assert (proc.projects, proc.amount, proc.amount_unit) == (4, 249, "万元")


def test_requests_2019(report_2019) -> None:
    _, r = report_2019
    q = r.requests
    assert q.new_requests.natural_person == 2 and q.new_requests.total == 3
    assert q.granted.total == 2 and q.granted.natural_person is None  # CELL_7 only
    assert q.partially_granted.total == 0
    assert q.denied_state_secret.total == 0
    assert q.unable_not_held.natural_person == 1
    assert q.not_processed_excessive is not None  # matched despite the printed typo
    assert q.other_handling.total == 0 and q.other_misc is None
    assert q.total_processed.total == 3
    assert q.carried_forward.total == 0


def test_unknown_row_goes_to_provenance_only(report_2019) -> None:
    d, r = report_2019
    unknown = [k for k in r.provenance if "乡村振兴专项统计" in k]
    assert len(unknown) == 2
    assert all(r.provenance[k].raw == "9" for k in unknown)
    assert "9" not in {str(v) for row in r.requests.model_dump(exclude_none=True).values() for v in row.values()}


def test_review_one_line_layout(report_2019) -> None:
    _, r = report_2019
    rl = r.review_litigation
    assert rl.administrative_review.corrected == 1 and rl.administrative_review.total == 1
    assert rl.litigation_direct.total == 0 and rl.litigation_after_review.upheld == 0


def test_provenance_offsets_on_chinese_text(report_2019) -> None:
    d, r = report_2019
    p = r.provenance["active_disclosure.centralized_procurement.amount"]
    assert p.raw == "249万" and d.text[p.start : p.end] == "249万"
    assert p.source == "rules" and p.confidence == 1.0
    p = r.provenance["requests.unable_not_held.natural_person"]
    line = d.text[d.text.rfind("\n", 0, p.start) + 1 : p.start]
    assert line.endswith("1.本机关不掌握相关政府信息\t")
    for key, prov in r.provenance.items():
        if prov.start is not None:
            assert d.text[prov.start : prov.end] == prov.raw, key


def test_claims_2019(report_2019) -> None:
    d, r = report_2019
    by_text = {c.text: c for c in r.claims}
    year = by_text["全年主动公开政府信息一百二十条"]
    assert (year.value, year.unit, year.scope, year.breakdown) == (120, "条", "year", None)
    cum = by_text["累计主动公开政府信息1,500条"]
    assert (cum.value, cum.scope) == (1500, "cumulative")
    part = by_text["工作动态\n 80 条"]  # line breaks kept in text
    assert part.breakdown == "工作动态" and part.share == 66.67 and part.value == 80
    assert part.scope == "cumulative"  # inherits the overall claim it follows
    assert d.text[part.start : part.end] == part.text
    req = next(c for c in r.claims if c.type == "request_count")
    assert (req.value, req.unit, req.breakdown) == (3, "件", None)


def test_checks_2019(report_2019) -> None:
    _, r = report_2019
    status = {c.rule: c.status for c in r.checks}
    assert status["requests.balance.total"] == "pass"
    assert status["requests.row_total.new_requests"] == "pass"
    assert status["requests.row_total.granted"] == "skipped"  # six applicant cells blank
    # only some of the 不予公开/无法提供/不予处理 rows are printed: the sum cannot be checked
    assert status["requests.processed_sum.total"] == "skipped"
    assert status["requests.processed_sum.natural_person"] == "skipped"
    assert status["review_litigation.total.administrative_review"] == "pass"
    assert status["claims.requests_vs_table"] == "pass"


def test_deterministic_and_order_independent() -> None:
    d = build_2019()
    first = assemble(d.text, d.spans, "x").to_json()
    shuffled = list(d.spans)
    random.Random(7).shuffle(shuffled)
    assert assemble(d.text, shuffled, "x").to_json() == first
    assert assemble(d.text, d.spans, "x").to_json() == first


def test_span_not_matching_text_is_rejected() -> None:
    d = build_2019()
    bad = Span("ROW", 0, 2, d.text[1:3])
    with pytest.raises(ValueError, match="does not match"):
        assemble(d.text, [*d.spans, bad], "x")


def test_model_spans_keep_source_and_confidence() -> None:
    text = "二、主动公开政府信息情况\n规章\t3\t1\t9\n"
    d = Doc(text, source="model", score=0.875)
    d.mark("SEC_ACTIVE", "二、主动公开政府信息情况")
    d.row("规章", "3", "1", "9")
    r = assemble(text, d.spans, "m")
    assert r.method == "model"
    p = r.provenance["active_disclosure.regulations.total_published"]
    assert (p.source, p.confidence, p.raw) == ("model", 0.875, "9")
    # no column header prints a template; rows alone do not say which: template stays null
    assert r.meta.template is None
    assert r.active_disclosure.regulations.newly_made == 3  # laid out by the 2019 order


def test_empty_spans_give_an_empty_valid_report() -> None:
    r = assemble("一段没有表格的文字。", [], "empty")
    assert r.meta.organ is None and r.sections.overview is None
    assert r.claims == [] and r.provenance == {}
    assert all(c.status == "skipped" for c in r.checks)


@pytest.mark.parametrize(("office", "body"), [("青石镇人民政府办公室", "青石镇人民政府"),
                                            ("青石鎮人民政府辦公室", "青石鎮人民政府")])
def test_organ_prefers_the_body_over_its_office(office: str, body: str) -> None:
    text = f"{office}负责本报告。{body}网站。"
    d = Doc(text)
    d.mark("ORGAN", office)
    d.mark("ORGAN", body)
    r = assemble(text, d.spans, "o")
    assert r.meta.organ == body  # as printed
    assert r.provenance["meta.organ"].start == text.rfind(body)


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("2021年01月05日", "2021-01-05"),
        ("2022年1月3日", "2022-01-03"),
        ("2021-01-05", "2021-01-05"),
        ("2021.1.5", "2021-01-05"),
        ("二〇二一年一月五日", "2021-01-05"),
        ("二〇二〇年十二月三十一日", "2020-12-31"),
        ("２０２２年２月２８日", "2022-02-28"),
    ],
)
def test_publish_date_forms(printed: str, iso: str) -> None:
    text = f"某镇人民政府\n{printed}\n"
    d = Doc(text)
    d.mark("DATE", printed)
    assert assemble(text, d.spans, "d").meta.publish_date == iso


def test_impossible_date_and_year_stay_null() -> None:
    text = "二〇二〇年度报告 2021年2月30日 第9999号"
    d = Doc(text)
    d.mark("DATE", "2021年2月30日")
    d.mark("YEAR", "9999")
    r = assemble(text, d.spans, "d")
    assert r.meta.publish_date is None and r.meta.report_year is None
    d2 = Doc(text)
    d2.mark("YEAR", "二〇二〇")
    assert assemble(text, d2.spans, "d").meta.report_year == 2020


def test_review_group_labels_with_remarks_and_fifteen_cells_after_a_label() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政诉讼（复议后起诉）\t0\t0\t1\t0\t1\n"
        "行政复议\t" + "\t".join(["2"] * 15) + "\n"
    )
    d = Doc(text)
    d.mark("SEC_REVIEW", "四、政府信息公开行政复议、行政诉讼情况")
    d.row("行政诉讼（复议后起诉）", "0", "0", "1", "0", "1")
    d.row("行政复议", *["2"] * 15)
    r = assemble(text, d.spans, "r").review_litigation
    assert r.administrative_review.total == 2
    assert r.litigation_direct.upheld == 2  # CELL_6 after a group label → one-line layout
    assert r.litigation_after_review.total == 1  # a repeated cell: the first of equal confidence stays


def test_clipped_and_mangled_request_labels() -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n（三）不予公开\n2. 其他法律行政\t1\t0\t0\t0\t0\t0\t1\n"
        "（五）不予处理\n由大量反复申请\t0\t0\t0\t0\t0\t0\t0\n（四）无法提供\n3.※※※\t0\t0\t0\t0\t0\t2\t2\n"
    )
    d = Doc(text)
    d.mark("SEC_REQUESTS", "三、收到和处理政府信息公开申请情况")
    d.mark("ROW", "（三）不予公开")
    d.row("2. 其他法律行政", "1", *"00000", "1")
    d.mark("ROW", "（五）不予处理")
    d.row("由大量反复申请", *"0000000")
    d.mark("ROW", "（四）无法提供")
    d.row("3.※※※", *"00000", "2", "2")  # unreadable wording: the ordinal under its group decides
    q = assemble(text, d.spans, "m").requests
    assert q.denied_prohibited_by_law.natural_person == 1
    assert q.not_processed_excessive.total == 0
    assert q.unable_unclear.other_org == 2


def test_row_labels_clipped_by_a_labeller() -> None:
    from gongkai.assemble.rows import match_row

    assert match_row("一）予以公", "requests").key == "granted"
    assert match_row("属于国", "requests").key == "denied_state_secret"  # the one label it starts
    assert match_row("六）其他", "requests", None, "2019").key == "other_handling"  # 2019 has one 其他 row
    assert match_row("六）其他", "requests", "other", "2021").key == "other_misc"
    assert match_row("(二)部分公开（区分处理的，只计这一情形，不计其他", "requests").key == "partially_granted"
    assert match_row("公开", "requests").key is None  # too short to say which
    assert match_row("行政", "active_disclosure").key is None


def test_repeated_heading_label_keeps_the_surest() -> None:
    text = "二、主动公开政府信息情况\n正文提到主动公开政府信息情况。\n三、收到和处理政府信息公开申请情况\n"
    spans = [
        Span.of(text, "SEC_ACTIVE", 0, 12, 0.95, "model"),
        Span.of(text, "SEC_ACTIVE", text.find("主动公开政府信息情况", 5), text.find("。"), 0.4, "model"),
        Span.of(text, "SEC_REQUESTS", text.find("三、"), len(text) - 1, 0.9, "model"),
    ]
    s = assemble(text, spans, "h").sections
    assert (s.active_disclosure.start, s.active_disclosure.end) == (0, text.find("三、"))
    assert s.active_disclosure.title == "二、主动公开政府信息情况"
    assert s.requests.start == text.find("三、")


def test_clipped_heading_spans_extend_to_the_printed_heading() -> None:
    text = "## 一、总体情况\n2020年，本镇……\n三、收到和处理政府信息公开申请情况\n四、 政府信息公开行政复议 2021年数据\n"
    spans = [
        Span.of(text, "SEC_OVERVIEW", text.find("总体"), text.find("总体") + 4, 0.8, "model"),  # no ordinal
        Span.of(text, "SEC_REQUESTS", text.find("三、"), text.find("三、") + 6, 0.8, "model"),  # clipped end
        Span.of(text, "SEC_REVIEW", text.find("政府信息公开行政复议"), text.find(" 2021"), 0.8, "model"),
    ]
    s = assemble(text, spans, "h").sections
    assert (s.overview.title, s.overview.start) == ("一、总体情况", text.find("一、"))
    assert s.requests.title == "三、收到和处理政府信息公开申请情况"
    # the ordinal joins; body text after the heading on the same line (digits) does not
    assert (s.review_litigation.title, s.review_litigation.start) == ("四、 政府信息公开行政复议", text.find("四、"))


def test_heading_followed_by_body_text_on_its_line_is_not_extended() -> None:
    text = "一、总体情况本镇认真贯彻落实条例要求做好工作\n"
    spans = [Span.of(text, "SEC_OVERVIEW", 0, 6)]
    assert assemble(text, spans, "h").sections.overview.title == "一、总体情况"


@pytest.mark.parametrize(
    ("header", "cell", "unit"),
    [
        ("采购总金额（单位：万元，保留4位小数）", "2406.2243", "万元"),
        ("采购总金额（万元）", "12", "万元"),
        ("采购总金额（元）", "3200", "元"),
        ("采购总金额", "135630", None),  # no unit printed: null, never guessed
        ("采购总金额（元）", "5.4万元", "万元"),  # the cell's own unit wins
    ],
)
def test_procurement_amount_unit(header: str, cell: str, unit: str | None) -> None:
    text = f"二、主动公开政府信息情况\n信息内容\t采购项目数量\t{header}\n政府集中采购\t3\t{cell}\n"
    d = Doc(text)
    d.mark("SEC_ACTIVE", "二、主动公开政府信息情况")
    d.mark("COL", "采购项目数量")
    d.mark("COL", header)
    d.row("政府集中采购", "3", cell)
    r = assemble(text, d.spans, "u")
    proc = r.active_disclosure.centralized_procurement
    assert proc.amount_unit == unit
    assert proc.amount == float(cell.removesuffix("万元"))
    key = "active_disclosure.centralized_procurement.amount_unit"
    if unit is None:
        assert key not in r.provenance
    else:
        p = r.provenance[key]
        assert text[p.start : p.end] == p.raw and (p.raw == header or p.raw == cell)
