"""Checks that catch what the reader got wrong (issue 15): a printed row whose numbers are not in
the output (dev/108-style: a template row read from the non-template row below it), parts that
exceed their printed total, a claim that contradicts its table row; and the confidence of a value
a failing check doubts. Invented tables; offsets on Chinese text."""

from __future__ import annotations

from gongkai.checks import cells_of_check, run_checks, weaken_confidence
from gongkai.pipeline import extract_text
from gongkai.schema import Claim, DocRow, Provenance, Report, RequestRow, Requests

TABLE = """二、主动公开政府信息情况
第二十条第（一）项
信息内容
本年新制作数量
本年新公开数量
对外公开总数量
规章
0
0
0
规范性文件（行政机关制定的各类规范性文件）
34
4
47
其他主动公开文件（以本单位名义印发的其他文件）
0
0
0
"""


def _nth(text: str, value: str, n: int) -> int:
    """Offset of the n-th line (0-based) that is exactly ``value``."""
    at, seen = 0, -1
    for line in text.splitlines(keepends=True):
        if line.strip() == value:
            seen += 1
            if seen == n:
                return at
        at += len(line)
    raise AssertionError(value)


def _report(rows: dict[str, list[tuple[float, int]]]) -> Report:
    """A report whose active-disclosure rows hold (value, offset) cells, with provenance."""
    rep = Report(doc_id="x")
    rep.meta.template = "2019"
    cols = ("newly_made", "newly_published", "total_published")
    for row, cells in rows.items():
        setattr(rep.active_disclosure, row, DocRow(**{c: v for c, (v, _) in zip(cols, cells, strict=True)}))
        for c, (v, at) in zip(cols, cells, strict=True):
            rep.provenance[f"active_disclosure.{row}.{c}"] = Provenance(raw=str(v), start=at, end=at + len(str(v)),
                                                                        source="model", confidence=0.999)
    return rep


def _check(report: Report, rule: str):
    return next(c for c in report.checks if c.rule == rule)


def test_a_row_read_from_the_next_row_fails_and_loses_confidence() -> None:
    zeros = [(0, _nth(TABLE, "0", i)) for i in range(6)]  # 规章's three, then 其他主动公开文件's three
    rep = _report({"regulations": zeros[:3], "normative_documents": zeros[3:]})
    rep.checks = run_checks(rep, TABLE)
    check = _check(rep, "active_disclosure.unread_values")
    assert check.status == "fail"
    at = TABLE.index("34")
    assert check.detail == f"printed but not read into the row: normative_documents: 34, 4, 47 at {at}"
    assert TABLE[at:at + 2] == "34"
    doubted = cells_of_check(check, rep)
    assert "active_disclosure.normative_documents.newly_made" in doubted
    assert "active_disclosure.regulations.newly_made" not in doubted
    weaken_confidence(rep)
    assert rep.provenance["active_disclosure.normative_documents.total_published"].confidence == 0.5
    assert rep.provenance["active_disclosure.regulations.total_published"].confidence == 0.999


def test_rows_read_in_place_pass_and_a_missing_row_fails() -> None:
    right = _report({
        "regulations": [(0, _nth(TABLE, "0", i)) for i in range(3)],
        "normative_documents": [(34, TABLE.index("34")), (4, TABLE.index("\n4\n") + 1), (47, TABLE.index("47"))],
    })
    right.checks = run_checks(right, TABLE)
    assert _check(right, "active_disclosure.unread_values").status == "pass"
    missing = _report({"normative_documents": [(34, TABLE.index("34")), (4, TABLE.index("\n4\n") + 1),
                                               (47, TABLE.index("47"))]})
    missing.checks = run_checks(missing, TABLE)
    check = _check(missing, "active_disclosure.unread_values")
    assert check.status == "fail" and check.detail.startswith("printed but not read into the row: regulations: 0, 0, 0")
    assert run_checks(missing)  # without the text the page checks are simply not run
    assert not [c for c in run_checks(missing) if c.rule.endswith("unread_values")]


def test_the_real_readers_read_the_invented_table_and_the_check_agrees() -> None:
    for method in ("rules", "auto"):
        rep = extract_text(TABLE, "x", method=method)
        check = _check(rep, "active_disclosure.unread_values")
        nd = rep.active_disclosure.normative_documents
        read_right = nd is not None and (nd.newly_made, nd.newly_published, nd.total_published) == (34, 4, 47)
        assert (check.status == "pass") == read_right, (method, nd, check)


def test_parts_above_their_total_fail_even_with_parts_missing() -> None:
    rep = Report(doc_id="x", requests=Requests(
        granted=RequestRow(natural_person=5, total=5),
        partially_granted=RequestRow(natural_person=2, commercial_enterprise=9, total=4),
        total_processed=RequestRow(total=3),
    ))
    rep.checks = run_checks(rep)
    check = _check(rep, "requests.parts_exceed_total")
    assert check.status == "fail"
    assert "requests.partially_granted: parts 11 > total 4" in check.detail
    assert "requests.processed.total: parts 9 > total 3" in check.detail
    assert "requests.partially_granted.commercial_enterprise" in cells_of_check(check, rep)
    assert "requests.granted.total" in cells_of_check(check, rep)
    assert _check(rep, "requests.processed_sum.total").status == "skipped"  # the full sum cannot run
    ok = Report(doc_id="x", requests=Requests(granted=RequestRow(natural_person=1, total=3)))
    ok.checks = run_checks(ok)
    assert _check(ok, "requests.parts_exceed_total").status == "pass"


def test_a_claim_restating_a_table_row_must_agree_with_it() -> None:
    text = "全年予以公开4件。"
    rep = Report(doc_id="x", requests=Requests(granted=RequestRow(total=5)), claims=[
        Claim(type="request_count", value=4, unit="件", scope="year", breakdown="予以公开", text="予以公开4件",
              start=2, end=8)])
    assert text[2:8] == "予以公开4件"
    rep.checks = run_checks(rep)
    check = _check(rep, "claims.vs_table.granted")
    assert check.status == "fail" and check.detail == "claim 予以公开 4 vs table requests.granted.total 5"
    assert cells_of_check(check, rep) == {"requests.granted.total"}
    rep.requests.granted.total = 4
    rep.checks = run_checks(rep)
    assert _check(rep, "claims.vs_table.granted").status == "pass"
