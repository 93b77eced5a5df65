"""Rule labeller, tables: one short hand-written snippet per layout, offsets checked on Chinese text."""

from __future__ import annotations

from gongkai.rules import label_spans
from gongkai.spans import Span

HEAD2 = "二、主动公开政府信息情况\n"
HEAD3 = "三、收到和处理政府信息公开申请情况\n"
HEAD4 = "四、政府信息公开行政复议、行政诉讼情况\n"
TAIL = "五、存在的主要问题及改进情况\n问题不少。\n"


def cells(spans: list[Span]) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in spans if s.label.startswith("CELL_")]


def rows(spans: list[Span]) -> list[str]:
    return [s.text for s in spans if s.label == "ROW"]


def check_offsets(text: str, spans: list[Span]) -> None:
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip(), s
        assert s.source == "rules" and 0.0 <= s.score <= 1.0


def cells_after(text: str, spans: list[Span], row_text: str) -> list[tuple[str, str]]:
    """CELL spans between the ROW span with ``row_text`` and the next ROW."""
    ordered = sorted(spans, key=lambda s: s.start)
    out, on = [], False
    for s in ordered:
        if s.label == "ROW":
            on = s.text == row_text
        elif on and s.label.startswith("CELL_"):
            out.append((s.label, s.text))
    return out


def test_space_separated_rows_and_decimal_with_unit() -> None:
    text = (
        HEAD2 + "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 3 1 7\n规范性文件 0 0 0\n"
        "信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 12 -3 40\n"
        "信息内容 采购项目数量 采购总金额\n政府集中采购 6 318.5 万\n" + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "规章") == [("CELL_1", "3"), ("CELL_2", "1"), ("CELL_3", "7")]
    assert cells_after(text, spans, "行政许可") == [("CELL_1", "12"), ("CELL_2", "-3"), ("CELL_3", "40")]
    assert cells_after(text, spans, "政府集中采购") == [("CELL_1", "6"), ("CELL_2", "318.5 万")]
    amount = next(s for s in spans if s.text == "318.5 万")
    assert text[amount.start : amount.end] == "318.5 万" and amount.start == text.index("318.5")
    cols = [s.text for s in spans if s.label == "COL"]
    assert "本年新制作数量" in cols and "本年增/减" in cols


def test_tab_row_right_aligned_to_total_column() -> None:
    text = (
        HEAD3
        + "（本列数据的勾稽关系）\t申请人情况\t\t\t\t\t\t总计\n\t自然人\t法人或其他组织\n"
        + "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
        + "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        + "三、本年度办理结果\t(一) 予以公开\t\t\t\t\t\t5\n"
        + HEAD4
        + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "(一) 予以公开") == [("CELL_7", "5")]
    five = next(s for s in spans if s.label == "CELL_7" and s.text == "5")
    assert five.start == text.index("\t5\n") + 1
    assert [k for k, _ in cells_after(text, spans, "一、本年新收政府信息公开申请数量")] == [
        f"CELL_{i}" for i in range(1, 8)
    ]
    assert "三、本年度办理结果" in rows(spans)  # the group label is a ROW too


def test_pipe_table_2021_template_one_column_rows() -> None:
    text = (
        HEAD2
        + "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 4 | 1 | 9 |\n"
        + "| 行政规范性文件 | 2 | 0 | 6 |\n| 信息内容 | 本年处理决定数量 | | |\n"
        + "| 行政许可 | 77 | | |\n| 行政处罚 | 无 | | |\n"
        + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "行政规范性文件") == [("CELL_1", "2"), ("CELL_2", "0"), ("CELL_3", "6")]
    assert cells_after(text, spans, "行政许可") == [("CELL_1", "77")]
    assert cells_after(text, spans, "行政处罚") == [("CELL_1", "无")]


def test_one_cell_per_line_and_pipe_per_line() -> None:
    text = HEAD2 + "规章\n\n 2\n\n0\n\n 5 \n规范性文件 |\n1 |\n1 |\n3 |\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "规章") == [("CELL_1", "2"), ("CELL_2", "0"), ("CELL_3", "5")]
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "1"), ("CELL_2", "1"), ("CELL_3", "3")]


def test_run_together_cells_split_by_column_count() -> None:
    text = HEAD2 + "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章000\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    got = cells_after(text, spans, "规章")
    assert got == [("CELL_1", "0"), ("CELL_2", "0"), ("CELL_3", "0")]
    starts = sorted(s.start for s in spans if s.label.startswith("CELL_"))
    base = text.index("规章000") + 2
    assert starts == [base, base + 1, base + 2]


def test_lone_none_for_a_multi_column_row_is_not_attributed() -> None:
    text = (
        HEAD3
        + "申请人情况 自然人 商业企业 总计\n一、本年新收政府信息公开申请数量 无\n二、上年结转政府信息公开申请数量\n"
        + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells(spans) == []
    assert "一、本年新收政府信息公开申请数量" in rows(spans)


def test_vertical_headers_and_review_line_of_fifteen() -> None:
    vertical = "\n".join("结果维持") + "\n" + "\n".join("尚未审结") + "\n"
    text = HEAD4 + "行政复议 行政诉讼\n" + vertical + "总计\n" + " ".join(["0"] * 14 + ["2"]) + "\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    got = cells(spans)
    assert [k for k, _ in got] == [f"CELL_{i}" for i in range(1, 16)]
    assert got[-1] == ("CELL_15", "2")
    col = next(s for s in spans if s.label == "COL" and s.text.startswith("结"))
    assert col.text == "结\n果\n维\n持"  # one span across the line breaks


def test_review_groups_printed_as_rows() -> None:
    text = (
        HEAD4 + "结果维持 结果纠正 其他结果 尚未审结 总计\n行政复议 1 0 0 0 1\n复议后起诉 0 0 0 0 0\n" + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "行政复议") == [
        ("CELL_1", "1"), ("CELL_2", "0"), ("CELL_3", "0"), ("CELL_4", "0"), ("CELL_5", "1")
    ]  # fmt: skip
    assert "复议后起诉" in rows(spans)


def test_wrapped_row_label_and_unknown_subrow() -> None:
    text = (
        HEAD2
        + "信息内容 上一年项目数量 本年增/减 处理决定数量\n其他对外管理服务事项\n行政检查 4 4 4\n"
        + HEAD3
        + "（三）不予公开\n2.其他法律行政法规\n禁止公开 0 1 0 0 0 0 1\n"
        + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "其他对外管理服务事项") == []  # 行政检查's values are not its
    assert "2.其他法律行政法规\n禁止公开" in rows(spans)
    assert cells_after(text, spans, "2.其他法律行政法规\n禁止公开")[1] == ("CELL_2", "1")


def test_pipe_per_line_blank_cells_keep_their_columns() -> None:
    text = HEAD3 + "一、本年新收政府信息公开申请数量 |\n|\n2 |\n|\n|\n|\n|\n2 |\n||\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "一、本年新收政府信息公开申请数量") == [("CELL_2", "2"), ("CELL_7", "2")]


def test_stray_page_number_after_a_row_is_ignored() -> None:
    text = HEAD2 + "规章 1 2 3\n\n7\n\n规范性文件\t4\t5\t6\n9\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "规章") == [("CELL_1", "1"), ("CELL_2", "2"), ("CELL_3", "3")]
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "4"), ("CELL_2", "5"), ("CELL_3", "6")]


def test_numbered_row_run_together_with_its_cells() -> None:
    text = HEAD3 + "（三）不予公开\n3.危及“三安全一稳定”0100001\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    got = cells_after(text, spans, "3.危及“三安全一稳定”")
    assert [v for _, v in got] == list("0100001") and got[1] == ("CELL_2", "1")


def test_traditional_table_with_pinyin_glosses() -> None:
    text = (
        "二、主動公開政府信息情況\n信息內(nèi)容 本年新制作數(shù)量 本年新公開數(shù)量 對(duì)外公開總數(shù)量\n"
        "規章 1 2 3\n其他對(duì)外管理服務(wù)事項 4 5 6\n五、存在的主要問(wèn)題及改進(jìn)情況\n無\n"
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert "本年新制作數(shù)量" in [s.text for s in spans if s.label == "COL"]
    assert cells_after(text, spans, "其他對(duì)外管理服務(wù)事項") == [
        ("CELL_1", "4"),
        ("CELL_2", "5"),
        ("CELL_3", "6"),
    ]
    assert [s.text for s in spans if s.label == "SEC_PROBLEMS"] == ["五、存在的主要問(wèn)題及改進(jìn)情況"]


def test_cell_per_line_with_empty_lines_for_blank_cells() -> None:
    text = (
        HEAD3
        + "一、本年新收政府信息公开申请数量\n\n 3\n  0\n\n 1\n\n4\n二、上年结转政府信息公开申请数量\n"
        + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    got = cells_after(text, spans, "一、本年新收政府信息公开申请数量")
    assert got == [("CELL_2", "3"), ("CELL_3", "0"), ("CELL_5", "1"), ("CELL_7", "4")]


def test_double_spaced_cell_per_line_with_a_blank_paragraph() -> None:
    text = HEAD2 + "规章\n\n  2\n\n 0\n\n1\n\n规范性文件\n\n 5\n\n\n\n3\n\n行政许可\n\n 5\n\n3\n\n" + TAIL
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_1", "2"), ("CELL_2", "0"), ("CELL_3", "1")]
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "5"), ("CELL_3", "3")]
    assert cells_after(text, spans, "行政许可") == []  # two values, two paragraphs, three columns


def test_review_one_cell_per_line_with_blank_lines_before_a_heading() -> None:
    slots = ["", "1", "", "", "1"] + ["0"] * 5 + ["", "", "", "", ""]
    text = HEAD4 + "结果维持 结果纠正 其他结果 尚未审结 总计\n" + "\n".join(slots) + "\n" + TAIL
    spans = label_spans(text)
    check_offsets(text, spans)
    got = cells(spans)
    assert got[:2] == [("CELL_2", "1"), ("CELL_5", "1")]
    assert [k for k, _ in got[2:]] == [f"CELL_{i}" for i in range(6, 11)]


def test_markdown_table_with_rule_line() -> None:
    text = (
        HEAD2 + "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|:---:|---|---|\n"
        "| 规章 | 1 | 0 | 3 |\n" + TAIL
    )
    spans = label_spans(text)
    check_offsets(text, spans)
    assert cells_after(text, spans, "规章") == [("CELL_1", "1"), ("CELL_2", "0"), ("CELL_3", "3")]
