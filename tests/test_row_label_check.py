"""``<table>.row_labels``: a row read under a label that is not the row's fails a check.

A labeller (the model, typically) may tag a row word printed inside another row's remark — here
``规范性文件`` inside the label of the extra row 其他主动公开文件 — and so read that row's values as
规范性文件's. The printed label cell is kept in provenance (``row_label.<table>.<row>``) and compared.
Invented tables; real assemble, real checks."""

from __future__ import annotations

from gongkai.assemble import assemble
from gongkai.pipeline import extract_text
from gongkai.spans import Span

TEXT = (
    "二、主动公开政府信息情况\n"
    "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
    "规范性文件\t34\t4\t47\n"
    "其他主动公开文件(指除规范性文件以外的公开文件)\t0\t0\t0\n"
    "五、存在的主要问题及改进情况\n问题不少。\n"
)


def _span(label: str, needle: str, after: int = 0, score: float = 0.99) -> Span:
    start = TEXT.index(needle, after)
    return Span.of(TEXT, label, start, start + len(needle), score, "model")


def _cells(row_needle: str, after: int, values: list[str], score: float) -> list[Span]:
    row = _span("ROW", row_needle, after, score)
    out, pos = [row], row.end
    for k, v in enumerate(values, 1):
        cell = _span(f"CELL_{k}", v, pos, score)
        out.append(cell)
        pos = cell.end
    return out


def _check(report, rule: str):
    return next(c for c in report.checks if c.rule == rule)


def test_values_read_under_a_word_inside_another_rows_label_fail() -> None:
    heads = [_span("SEC_ACTIVE", "二、主动公开政府信息情况"), _span("SEC_PROBLEMS", "五、存在的主要问题及改进情况")]
    extra = TEXT.index("其他主动公开文件")
    spans = heads + _cells("规范性文件", 0, ["34", "4", "47"], 0.9) + _cells("规范性文件", extra, ["0", "0", "0"], 0.999)
    report = assemble(TEXT, spans, "t")
    assert report.active_disclosure.normative_documents.newly_made == 0  # the wrong read wins on confidence …
    check = _check(report, "active_disclosure.row_labels")
    assert check.status == "fail"  # … and does not pass quietly
    assert "normative_documents" in check.detail and "其他主动公开文件" in check.detail
    # the doubted values are weak evidence: confidence capped, so filtering on confidence finds them
    assert report.provenance["active_disclosure.normative_documents.newly_made"].confidence <= 0.5
    label = report.provenance["row_label.active_disclosure.normative_documents"]
    assert TEXT[label.start : label.end] == label.raw and label.raw.startswith("其他主动公开文件(")


def test_values_read_under_their_own_label_pass() -> None:
    heads = [_span("SEC_ACTIVE", "二、主动公开政府信息情况"), _span("SEC_PROBLEMS", "五、存在的主要问题及改进情况")]
    report = assemble(TEXT, heads + _cells("规范性文件", 0, ["34", "4", "47"], 0.9), "t")
    check = _check(report, "active_disclosure.row_labels")
    assert check.status == "pass" and report.active_disclosure.normative_documents.total_published == 47
    assert report.provenance["row_label.active_disclosure.normative_documents"].raw == "规范性文件"


def test_the_rules_keep_the_extra_row_apart_and_pass() -> None:
    report = extract_text(TEXT, "t", "rules")
    assert report.active_disclosure.normative_documents.newly_made == 34
    assert _check(report, "active_disclosure.row_labels").status == "pass"
    assert report.provenance["active_disclosure.?其他主动公开文件.col1"].raw == "0"
    assert _check(report, "requests.row_labels").status == "skipped"


def test_cells_run_together_with_the_label_are_not_part_of_it() -> None:
    text = "二、主动公开政府信息情况\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规  章000\n规范性文件 1 2 3\n五、存在的主要问题及改进情况\n"
    report = extract_text(text, "t", "rules")
    assert report.provenance["row_label.active_disclosure.regulations"].raw == "规  章"
    assert _check(report, "active_disclosure.row_labels").status == "pass"
