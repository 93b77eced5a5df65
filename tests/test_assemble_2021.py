"""assemble() on the 2021 template: one-column rows, fee amounts, （六）其他处理 sub-rows,
the three-row review layout, one-cell-per-line tables and Chinese dates."""

from __future__ import annotations

import pytest
from test_assemble import Doc

from gongkai.assemble import assemble

TEXT_2021 = """白沙街道办事处2022年政府信息公开工作年度报告
一、总体情况
本年度未收到政府信息公开申请。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t1\t0\t6
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t23
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t5.4
三、收到和处理政府信息公开申请情况
三、本年度办理结果
（六）其他处理
1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
0
0
0
0
0
0
0
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
—
3.其他
1
0
0
0
0
0
1
（七）总计
1
0
0
0
0
0
1
四、政府信息公开行政复议、行政诉讼情况
结果维持\t结果纠正\t其他结果\t尚未审结\t总计
行政复议\t0\t0\t0\t0\t0
未经复议直接起诉\t1\t0\t0\t1\t2
复议后起诉\t0\t0\t0\t0\t1
白沙街道办事处
二〇二三年一月十二日
"""


@pytest.fixture(scope="module")
def built():
    d = Doc(TEXT_2021)
    d.mark("ORGAN", "白沙街道办事处")
    d.mark("YEAR", "2022")
    d.mark("SEC_OVERVIEW", "一、总体情况")
    d.mark("SUBJ_REQUEST", "未收到政府信息公开申请")
    d.mark("SEC_ACTIVE", "二、主动公开政府信息情况")
    for c in ("本年制发件数", "本年废止件数", "现行有效件数"):
        d.mark("COL", c)
    d.row("规章", "0", "0", "0")
    d.row("行政规范性文件", "1", "0", "6")
    d.mark("COL", "本年处理决定数量")
    d.row("行政许可", "23")
    d.mark("COL", "本年收费金额（单位：万元）")
    d.row("行政事业性收费", "5.4")
    d.mark("SEC_REQUESTS", "三、收到和处理政府信息公开申请情况")
    d.mark("ROW", "三、本年度办理结果")
    d.mark("ROW", "（六）其他处理")
    d.row("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", *"0000000")
    # a lone — for a whole 7-column row is not attributable: no CELL span (docs/labels.md)
    d.mark("ROW", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    d.row("3.其他", "1", *"00000", "1")
    d.row("（七）总计", "1", *"00000", "1")
    d.mark("SEC_REVIEW", "四、政府信息公开行政复议、行政诉讼情况")
    for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"):
        d.mark("COL", c)
    d.row("行政复议", *"00000")
    d.row("未经复议直接起诉", "1", "0", "0", "1", "2")
    d.row("复议后起诉", "0", "0", "0", "0", "1")
    d.skip("白沙街道办事处")
    d.mark("DATE", "二〇二三年一月十二日")
    return d, assemble(d.text, d.spans, "baisha")


def test_meta_2021(built) -> None:
    _, r = built
    assert r.meta.template == "2021"
    assert r.meta.publish_date == "2023-01-12"  # Chinese numerals in the date
    assert r.meta.report_year == 2022
    assert r.meta.organ == "白沙街道办事处"
    assert r.sections.problems_improvements is None and r.sections.other_matters is None


def test_active_2021_columns(built) -> None:
    _, r = built
    a = r.active_disclosure
    assert (a.regulations.issued, a.regulations.repealed, a.regulations.in_force) == (0, 0, 0)
    assert a.regulations.newly_made is None
    assert a.normative_documents.in_force == 6
    assert a.administrative_licensing.decisions == 23  # CELL_1 of a one-column row
    assert a.administrative_licensing.previous_year is None
    assert a.administrative_fees.amount == 5.4
    assert a.centralized_procurement is None and a.other_administrative_services is None


def test_requests_other_subrows(built) -> None:
    _, r = built
    q = r.requests
    assert q.other_overdue_correction.total == 0
    assert q.other_unpaid_fee is None  # the lone — stays unattributed
    assert q.other_misc.natural_person == 1 and q.other_misc.total == 1  # 3.其他 under （六）其他处理
    assert q.other_handling is None
    assert q.total_processed.total == 1


def test_review_three_row_layout(built) -> None:
    _, r = built
    rl = r.review_litigation
    assert rl.administrative_review.total == 0
    assert (rl.litigation_direct.upheld, rl.litigation_direct.pending, rl.litigation_direct.total) == (1, 1, 2)
    assert rl.litigation_after_review.total == 1
    status = {c.rule: (c.status, c.detail) for c in r.checks}
    assert status["review_litigation.total.litigation_direct"] == ("pass", "1+0+0+1 = 2")
    assert status["review_litigation.total.litigation_after_review"] == ("fail", "0+0+0+0 = 1 (0 ≠ 1)")


def test_negated_request_claim(built) -> None:
    d, r = built
    (claim,) = [c for c in r.claims if c.type == "request_count"]
    assert (claim.value, claim.unit, claim.breakdown, claim.scope) == (0, None, None, "year")
    assert claim.text == "未收到政府信息公开申请" == d.text[claim.start : claim.end]


def test_same_row_text_under_another_group_is_not_other_misc() -> None:
    text = "三、收到和处理政府信息公开申请情况\n（五）不予处理\n3.其他\t1\t0\t0\t0\t0\t0\t1\n"
    d = Doc(text)
    d.mark("SEC_REQUESTS", "三、收到和处理政府信息公开申请情况")
    d.mark("ROW", "（五）不予处理")
    d.row("3.其他", "1", *"00000", "1")
    r = assemble(text, d.spans, "t")
    assert r.requests.other_misc is None
    assert any("其他" in k for k in r.provenance)


def test_template_from_rows_when_headers_missing() -> None:
    text = "（六）其他处理\n3.其他\t0\t0\t0\t0\t0\t0\t0\n"
    d = Doc(text)
    d.mark("ROW", "（六）其他处理")
    d.row("3.其他", *"0000000")
    r = assemble(text, d.spans, "t")
    assert r.meta.template == "2021"
    assert r.provenance["meta.template"].source == "derived"
    assert r.requests.other_misc.total == 0


def test_template_from_printed_rows_of_a_blank_table() -> None:
    def template_of(*labels: str) -> str | None:
        text = "\n".join(labels) + "\n"
        d = Doc(text)
        for lab in labels:
            d.mark("ROW", lab)
        return assemble(text, d.spans, "t").meta.template

    assert template_of("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请") == "2021"
    assert template_of("行政许可", "其他对外管理服务事项") == "2019"
    assert template_of("（六）其他处理") is None  # a row in 2019, a group label in 2021: undecided
    assert template_of("规章", "行政处罚") is None


def test_template_2019_from_three_cells_in_a_one_column_2021_row() -> None:
    text = "行政处罚\t1\t2\t3\n"
    d = Doc(text)
    d.row("行政处罚", "1", "2", "3")
    r = assemble(text, d.spans, "t")
    assert r.meta.template == "2019"
    assert r.active_disclosure.administrative_penalty.decisions == 3
