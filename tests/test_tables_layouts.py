"""One table reader for every printed layout: a test per layout quirk on invented tables, offsets
checked on Chinese text, plus a property test — the same table printed in random layouts reads to
the same cells (gongkai.rules.grid aligns every layout with the template's columns)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.pipeline import extract_text
from gongkai.rules import grid, label_spans
from gongkai.spans import Span

HEAD2 = "二、主动公开政府信息情况\n"
HEAD3 = "三、收到和处理政府信息公开申请情况\n"
HEAD4 = "四、政府信息公开行政复议、行政诉讼情况\n"
TAIL = "五、存在的主要问题及改进情况\n问题不少。\n"
HDR19 = ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")


def cells_after(text: str, spans: list[Span], row_start: str) -> list[tuple[str, str]]:
    """CELL spans between the ROW span starting with ``row_start`` and the next ROW; every span's
    text must be the text at its offsets."""
    out, on = [], False
    for s in sorted(spans, key=lambda s: s.start):
        assert text[s.start : s.end] == s.text
        if s.label == "ROW" or s.label.startswith("SEC_"):
            on = s.label == "ROW" and s.text.startswith(row_start)
        elif on and s.label.startswith("CELL_"):
            out.append((s.label, s.text))
    return out


def table(text: str) -> dict:
    return extract_text(text, "t", "rules").to_json_dict()


def test_cells_between_lone_pipe_lines_with_filler_lines() -> None:
    """Cells one per line, a lone ``|`` line between every two, ``||||`` filler after a row; a
    number between two lone ``|`` lines is a cell, not a page number; an empty line is a blank."""
    rows = "规章\n|\n0\n|\n\n|\n7\n|\n|\n规范性文件\n|\n12\n|\n3\n|\n15\n|\n||||\n"
    text = HEAD2 + "第二十条第(一)项\n|\n||||\n信息内容\n|\n本年新制作数量\n|\n本年新公开数量\n|\n对外公开总数量\n|\n|\n" + rows + TAIL
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_1", "0"), ("CELL_3", "7")]
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "12"), ("CELL_2", "3"), ("CELL_3", "15")]
    seven = next(s for s in spans if s.text == "7")
    assert seven.start == text.index("\n7\n") + 1
    got = table(text)["active_disclosure"]
    assert got["regulations"] == {**got["regulations"], "newly_made": 0, "newly_published": None, "total_published": 7}


def test_signed_changes_in_pipe_rows_and_one_per_line() -> None:
    text = (HEAD2 + "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |\n"
            "其他对外管理服务事项 | 2 | +2 | 114 | |\n行政处罚\n25\n−3\n0\n行政强制\n4\n+19\n6\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "其他对外") == [("CELL_1", "2"), ("CELL_2", "+2"), ("CELL_3", "114")]
    assert cells_after(text, spans, "行政处罚") == [("CELL_1", "25"), ("CELL_2", "−3"), ("CELL_3", "0")]
    assert cells_after(text, spans, "行政强制") == [("CELL_1", "4"), ("CELL_2", "+19"), ("CELL_3", "6")]
    got = table(text)["active_disclosure"]
    assert got["other_administrative_services"]["change"] == 2
    assert got["administrative_penalty"]["change"] == -3 and got["administrative_coercion"]["change"] == 19


def test_units_inside_cells() -> None:
    text = HEAD2 + "信息内容\t采购项目数量\t采购总金额\n政府集中采购\t6件\t318.5万元\n" + TAIL
    spans = label_spans(text)
    assert cells_after(text, spans, "政府集中采购") == [("CELL_1", "6件"), ("CELL_2", "318.5万元")]
    got = table(text)["active_disclosure"]["centralized_procurement"]
    assert got["projects"] == 6 and got["amount"] == 318.5 and got["amount_unit"] == "万元"


def test_wrapped_row_label_and_header_split_over_lines() -> None:
    text = (HEAD3 + "申请人情况\n自然人\t法人或其他组织\t总计\n\t商业\n企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
            "一、本年新收政府\n信息公开申请数量\t1\t0\t0\t0\t0\t2\t3\n" + TAIL)
    spans = label_spans(text)
    row = next(s for s in spans if s.label == "ROW")
    assert row.text == "一、本年新收政府\n信息公开申请数量" and row.start == text.index("一、本年新收")
    assert cells_after(text, spans, "一、") == [("CELL_1", "1"), ("CELL_2", "0"), ("CELL_3", "0"), ("CELL_4", "0"),
                                               ("CELL_5", "0"), ("CELL_6", "2"), ("CELL_7", "3")]
    assert "商业\n企业" in [s.text for s in spans if s.label == "COL"]


def test_remarks_in_labels_name_other_rows_and_an_extra_row_stays_in_provenance() -> None:
    """Explanations in brackets name other rows (规范性文件 inside 其他主动公开文件's remark, 行政处罚 in
    其他对外管理服务事项's): their words are not labels, their numbers not cells; the extra row's values
    go to provenance under its own label, never into the row above."""
    text = (HEAD2 + "信息内容\n本年新制作数量\n本年新公开数量\n对外公开总数量\n"
            "规章(限设区的市级以上人民政府填报)\n0\n0\n0\n"
            "规范性文件(指本机关依法制定并反复适用的文件,如 88 类)\n34\n4\n47\n"
            "其他主动公开文件(指规范性文件以外以本机关名义印发的文件)\n5\n6\n7\n"
            "信息内容\n上一年项目数量\n本年增/减 (指比上年增加或减少的事项数,减少用负数如 -8)\n处理决定数量\n"
            "行政许可\n1\n0\n2\n"
            "其他对外管理服务事项(指行政许可、行政处罚、行政强制以外的事项)\n3\n1\n9\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "34"), ("CELL_2", "4"), ("CELL_3", "47")]
    assert cells_after(text, spans, "其他对外") == [("CELL_1", "3"), ("CELL_2", "1"), ("CELL_3", "9")]
    assert not [s for s in spans if s.label == "ROW" and s.text == "行政处罚"]
    assert not [s for s in spans if s.label.startswith("CELL") and s.text in ("88", "-8")]
    report = table(text)
    got = report["active_disclosure"]
    assert got["normative_documents"]["newly_made"] == 34 and got["normative_documents"]["total_published"] == 47
    extra = {k: p["raw"] for k, p in report["provenance"].items() if k.startswith("active_disclosure.?")}
    assert extra == {"active_disclosure.?其他主动公开文件.col1": "5", "active_disclosure.?其他主动公开文件.col2": "6",
                     "active_disclosure.?其他主动公开文件.col3": "7"}
    label = report["provenance"]["row_label.active_disclosure.normative_documents"]
    assert text[label["start"] : label["end"]] == label["raw"] and label["raw"].startswith("规范性文件(指本机关")


def test_a_remark_left_open_does_not_swallow_the_rows_cells() -> None:
    text = (HEAD2 + "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n"
            "规范性文件(指本机关依法制定并反复适用的文件,包括以 3 0 9\n行政许可(指依申请办理的各类许可事项,含\t1\t0\t2\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "3"), ("CELL_2", "0"), ("CELL_3", "9")]
    assert cells_after(text, spans, "行政许可") == [("CELL_1", "1"), ("CELL_2", "0"), ("CELL_3", "2")]


def test_cells_run_together_in_any_zero_token() -> None:
    text = (HEAD2 + "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章无4无\n规范性文件———\n"
            + HEAD4 + "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + "-" * 14 + "2\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_1", "无"), ("CELL_2", "4"), ("CELL_3", "无")]
    four = next(s for s in spans if s.label == "CELL_2" and s.text == "4")
    assert four.start == text.index("无4无") + 1
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "—"), ("CELL_2", "—"), ("CELL_3", "—")]
    review = table(text)["review_litigation"]
    assert review["administrative_review"]["upheld"] == 0 and review["litigation_after_review"]["total"] == 2


def test_missing_rows_stay_null_and_do_not_shift_others() -> None:
    text = HEAD2 + "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政处罚 | 5 | 1 | 6 |\n" + TAIL
    got = table(text)["active_disclosure"]
    assert got["administrative_licensing"] is None and got["other_administrative_services"] is None
    assert got["administrative_penalty"] == {**got["administrative_penalty"], "previous_year": 5, "change": 1,
                                             "decisions": 6}


def test_blank_cells_null_where_the_layout_shows_them_unattributed_where_it_cannot() -> None:
    text = (HEAD2 + "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n| 规章 | | 3 | 5 |\n"
            "规范性文件 3 5\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_2", "3"), ("CELL_3", "5")]
    assert cells_after(text, spans, "规范性文件") == []  # two values, three columns, blanks leave no trace
    got = table(text)["active_disclosure"]
    assert got["regulations"]["newly_made"] is None and got["regulations"]["newly_published"] == 3
    assert got["normative_documents"] is None


def test_spaced_labels_and_backslash_header() -> None:
    text = (HEAD2 + "信息内容 上一年项目数量 本年增\\减 处理决定数量\n行政许可 1 2 3\n"
            "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规 章 4 5 6\n" + TAIL)
    spans = label_spans(text)
    assert "规 章" in [s.text for s in spans if s.label == "ROW"]
    assert cells_after(text, spans, "规 章") == [("CELL_1", "4"), ("CELL_2", "5"), ("CELL_3", "6")]
    assert "本年增\\减" in [s.text for s in spans if s.label == "COL"]
    report = table(text)
    assert report["meta"]["template"] == "2019" and report["active_disclosure"]["regulations"]["newly_made"] == 4


def test_truncated_headers() -> None:
    text19 = HEAD2 + "信息内容 | 本年新 | 本年新 | 对外公开总数量 | |\n规章 | 1 | 2 | 3 | |\n" + TAIL
    text21 = HEAD2 + "信息内容 | 本年制发件 | 本年废止件数 | 现行有效件数 |\n规章 | 1 | 2 | 3 |\n" + TAIL
    r19, r21 = table(text19), table(text21)
    assert r19["meta"]["template"] == "2019" and r19["active_disclosure"]["regulations"]["total_published"] == 3
    assert r21["meta"]["template"] == "2021" and r21["active_disclosure"]["regulations"]["in_force"] == 3


def test_blank_pipe_lines_inside_the_table() -> None:
    text = (HEAD2 + "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n|\n| 规章 | 1 | 0 | 2 |\n| |\n"
            "|  |\n| 规范性文件 | 0 | | 4 |\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_1", "1"), ("CELL_2", "0"), ("CELL_3", "2")]
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "0"), ("CELL_3", "4")]


def test_table_continues_after_a_page_number() -> None:
    text = (HEAD2 + "信息内容\n本年新制作数量\n本年新公开数量\n对外公开总数量\n规章\n1\n- 3 -\n0\n2\n规范性文件\t4\t5\t6\n"
            "第4页\n行政许可\t7\t8\t9\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_1", "1"), ("CELL_2", "0"), ("CELL_3", "2")]
    assert cells_after(text, spans, "行政许可") == [("CELL_1", "7"), ("CELL_2", "8"), ("CELL_3", "9")]


def test_ragged_tab_rows_and_a_review_row_with_a_surplus_leading_field() -> None:
    """Seed-002-style tab rows: varying trailing empty fields, a label-less review row of 15 values
    with one surplus leading empty field (dropped: a table's empty first column)."""
    text = (HEAD2 + "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\t\t\n规章\t1\t2\t3\t\t\t\n规范性文件\t4\t\t6\n"
            + HEAD4 + "行政复议\t\t\t\t\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
            "\t" + "\t".join(str(i) for i in range(1, 16)) + "\t\t\n" + TAIL)
    spans = label_spans(text)
    assert cells_after(text, spans, "规章") == [("CELL_1", "1"), ("CELL_2", "2"), ("CELL_3", "3")]
    assert cells_after(text, spans, "规范性文件") == [("CELL_1", "4"), ("CELL_3", "6")]
    review = table(text)["review_litigation"]
    assert review["administrative_review"]["upheld"] == 1 and review["litigation_after_review"]["total"] == 15


def test_ambiguous_alignment_gives_null_not_a_guess() -> None:
    text = HEAD3 + "一、本年新收政府信息公开申请数量 无\n二、上年结转政府信息公开申请数量 0 0\n" + TAIL
    spans = label_spans(text)
    assert not [s for s in spans if s.label.startswith("CELL_")]
    report = table(text)
    got = report["requests"]
    assert got["new_requests"] is None and got["carried_over"] is None
    unread = report["provenance"]["unread.requests.carried_over"]  # provenance says the row was not read
    assert unread["raw"] == "0 0" and text[unread["start"] : unread["end"]] == "0 0" and unread["confidence"] == 0
    assert report["provenance"]["unread.requests.new_requests"]["raw"] == "无"


def test_grid_reasons() -> None:
    t = "规章 3 5"
    p = grid.place(t, 2, len(t), [(3, 4), (5, 6)], 3)
    assert p.cells == [] and "blanks leave no trace" in p.reason
    t = "规章 | 3 5 | 1"
    p = grid.place(t, 2, len(t), [(5, 6), (7, 8), (11, 12)], 3)
    assert p.cells == [] and p.reason == "two values in one field"


# ------------------------------------------------------------------ property: layout does not matter
def _print(values: list[list[int | None]], labels: list[str], layout: str, rng: random.Random) -> str:
    out = [HEAD2]
    header = list(HDR19)
    if layout == "pipe":
        out.append("| " + " | ".join(header) + " |\n")
        for lab, vals in zip(labels, values, strict=True):
            out.append("| " + lab + " | " + " | ".join("" if v is None else str(v) for v in vals) + " |\n")
    elif layout == "tab":
        out.append("\t".join(header) + "\t" * rng.randint(0, 2) + "\n")
        for lab, vals in zip(labels, values, strict=True):
            out.append(lab + "\t" + "\t".join("" if v is None else str(v) for v in vals) + "\t" * rng.randint(0, 2) + "\n")
    elif layout == "cell_per_line":
        sep = "\n" if rng.random() < 0.5 else "\n\n"
        out.append(sep.join(header) + sep)
        for lab, vals in zip(labels, values, strict=True):
            out.append(lab + sep + sep.join("" if v is None else str(v) for v in vals) + sep)
    elif layout == "pipe_per_line":
        out.append("".join(h + " |\n" for h in header) + "||\n")
        for lab, vals in zip(labels, values, strict=True):
            out.append(lab + " |\n" + "".join("|\n" if v is None else f"{v} |\n" for v in vals) + "||\n")
    else:  # pipe_cells
        out.append("".join(h + "\n|\n" for h in header) + "||||\n")
        for lab, vals in zip(labels, values, strict=True):
            out.append(lab + "\n|\n" + "".join(("" if v is None else str(v)) + "\n|\n" for v in vals)
                       + rng.choice(("|", "||", "|||")) + "\n")
    out.append(TAIL)
    return "".join(out)


LAYOUTS = ("pipe", "tab", "cell_per_line", "pipe_per_line", "pipe_cells")
cell = st.one_of(st.none(), st.integers(0, 999))


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.lists(cell, min_size=3, max_size=3).filter(lambda r: any(v is not None for v in r)),
                       min_size=2, max_size=2),
       spaced=st.booleans(), seed=st.integers(0, 10**6))
def test_the_same_table_in_any_layout_reads_to_the_same_cells(values, spaced, seed) -> None:
    rng = random.Random(seed)
    labels = ["规 章" if spaced else "规章", "规范性文件"]
    want = {row: dict(zip(("newly_made", "newly_published", "total_published"), vals, strict=True))
            for row, vals in zip(("regulations", "normative_documents"), values, strict=True)}
    for layout in LAYOUTS:
        text = _print(values, labels, layout, rng)
        got = table(text)["active_disclosure"]
        for row, cols in want.items():
            read = {c: (got[row] or {}).get(c) for c in cols}
            assert read == cols, (layout, text)


def test_a_numbered_label_cut_short_is_the_next_row_of_its_group() -> None:
    """Seed-002-style wraps: ``1.本机关不掌`` (the rest on a line of its own below) and ``1. 申请人无正``
    match no row words, but their ordinal right after the group names the template's row."""
    vals = "\t0\t1\t0\t0\t0\t0\t1\n"
    text = (HEAD3 + "\t（四）无法提供\t1.本机关不掌" + vals + "\t\t2.没有现成信息需要另行制作" + vals
            + "握相关政府信息\t\t\t\n\t（六）其他处理\t1. 申请人无正" + vals
            + "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" + vals
            + "当理由逾期不补正、行政机关不再处理其政府信息公开申请\t\t\n" + TAIL)
    got = table(text)["requests"]
    assert got["unable_not_held"]["commercial_enterprise"] == 1 and got["unable_needs_creation"]["total"] == 1
    assert got["other_overdue_correction"]["total"] == 1 and got["other_unpaid_fee"]["total"] == 1
    spans = label_spans(text)
    assert [s.text for s in spans if s.label == "ROW" and s.text.startswith("1.")] == ["1.本机关不掌", "1. 申请人无正"]
    # a number that skips a row is no guess: 3. right after the group label stays unread
    skipped = HEAD3 + "\t（四）无法提供\t3.申请内容仍" + vals + TAIL
    assert not (table(skipped)["requests"] or {}).get("unable_unclear")
