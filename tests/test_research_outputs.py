"""The research tables (reports, claims, checks) as CSV with a BOM, one xlsx workbook and parquet:
every document a row (failed ones with their error), claims and checks long, the same content in
every format, Chinese intact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gongkai.batch.discover import discover
from gongkai.batch.output import CHECK_COLUMNS, CLAIM_COLUMNS, COLUMNS, VALUE_COLUMNS
from gongkai.batch.runner import BatchConfig, run_batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    from gongkai.synth import generate

    src = tmp_path_factory.mktemp("in")
    for i, doc in enumerate(generate(3, 9)):
        (src / f"年报{i}.txt").write_text(doc.text, encoding="utf-8")
    (src / "空白.txt").write_bytes(b"")
    outs = {}
    for fmt in ("csv", "xlsx", "parquet"):
        out = tmp_path_factory.mktemp(fmt)
        res = run_batch(discover([src], exclude=out), BatchConfig(out_dir=str(out), method="rules"),
                        dataset_format=fmt, progress=False)
        assert (res.done, res.failed) == (3, 1)
        outs[fmt] = out
    return src, outs


def _csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not the ANSI code page
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx(path: Path) -> dict[str, list[dict]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    tables = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        width = len(rows[0])  # a row's trailing empty cells are not stored
        tables[ws.title] = [dict(zip(rows[0], r + (None,) * (width - len(r)), strict=True)) for r in rows[1:]]
    return tables


def test_reports_table_has_every_document_with_file_status_and_error(batch) -> None:
    src, outs = batch
    rows = _csv(outs["csv"] / "reports.csv")
    assert list(rows[0]) == COLUMNS
    by_id = {r["doc_id"]: r for r in rows}
    assert sorted(by_id) == sorted(["空白", "年报0", "年报1", "年报2"])
    bad = by_id["空白"]
    assert bad["status"] == "failed" and bad["error"] == "read: empty file (0 bytes)"
    assert bad["file"] == str(src / "空白.txt") and bad["meta.organ"] == ""
    for i in range(3):
        row = by_id[f"年报{i}"]
        data = json.loads((outs["csv"] / f"年报{i}.json").read_text(encoding="utf-8"))
        assert row["status"] == "done" and row["file"] == str(src / f"年报{i}.txt") and row["error"] == ""
        assert row["meta.organ"] == data["meta"]["organ"]  # Chinese intact
        assert row["method"] == "rules"
        failed = [c["rule"] for c in data["checks"] if c["status"] == "fail"]
        assert row["failed_checks"] == ";".join(failed)
        conf = [p["confidence"] for p in data["provenance"].values()]
        assert float(row["confidence_min"]) == pytest.approx(min(conf))


def test_claims_and_checks_tables_are_long_and_match_the_json(batch) -> None:
    _, outs = batch
    claims = _csv(outs["csv"] / "claims.csv")
    checks = _csv(outs["csv"] / "checks.csv")
    assert list(claims[0]) == CLAIM_COLUMNS and list(checks[0]) == CHECK_COLUMNS
    for i in range(3):
        data = json.loads((outs["csv"] / f"年报{i}.json").read_text(encoding="utf-8"))
        mine = [c for c in claims if c["doc_id"] == f"年报{i}"]
        assert [(c["type"], float(c["value"]), c["text"], int(c["start"])) for c in mine] == [
            (c["type"], float(c["value"]), c["text"], c["start"]) for c in data["claims"]]
        mine = [c for c in checks if c["doc_id"] == f"年报{i}"]
        assert [(c["rule"], c["status"], c["detail"]) for c in mine] == [
            (c["rule"], c["status"], c["detail"]) for c in data["checks"]]
    assert not [c for c in claims + checks if c["doc_id"] == "空白"]
    values = _csv(outs["csv"] / "values.csv")
    assert list(values[0]) == VALUE_COLUMNS
    for i in range(3):
        data = json.loads((outs["csv"] / f"年报{i}.json").read_text(encoding="utf-8"))
        mine = {v["field"]: v for v in values if v["doc_id"] == f"年报{i}"}
        assert set(mine) == set(data["provenance"])
        for path, prov in data["provenance"].items():
            assert float(mine[path]["confidence"]) == pytest.approx(prov["confidence"])
            assert mine[path]["raw"] == prov["raw"] and mine[path]["source"] == prov["source"]
        organ = mine.get("meta.organ")
        if organ:
            assert organ["text"] == data["meta"]["organ"] and organ["number"] == ""
        total = mine.get("requests.new_requests.total")
        if total:
            assert float(total["number"]) == data["requests"]["new_requests"]["total"]


def test_xlsx_and_parquet_hold_the_same_tables_as_csv(batch) -> None:
    _, outs = batch
    book = _xlsx(outs["xlsx"] / "reports.xlsx")
    assert list(book) == ["reports", "claims", "checks", "values"]
    for name in ("reports", "claims", "checks", "values"):
        from_csv = _csv(outs["csv"] / f"{name}.csv")
        table = pq.read_table(outs["parquet"] / f"{name}.parquet").to_pylist()
        assert len(book[name]) == len(from_csv) == len(table) > 0
        for a, b, c in zip(from_csv, book[name], table, strict=True):
            for col in ("doc_id", "file", "status", "error", "meta.organ", "text", "rule", "detail",
                        "requests.new_requests.total", "value", "field", "number", "confidence"):
                if col not in a:
                    continue
                va, vb, vc = a[col], b[col], c[col]
                if va == "":
                    assert vb is None and vc is None, (name, col)
                elif isinstance(vc, float):
                    assert float(va) == pytest.approx(vc) == pytest.approx(float(vb)), (name, col)
                else:
                    assert va == vb == vc, (name, col)


def test_extract_says_how_many_documents_have_failing_checks(tmp_path: Path) -> None:
    from gongkai.batch.runner import report_lines

    src = tmp_path / "in"
    src.mkdir()
    ok = "某镇2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n全年共收到政府信息公开申请3件。\n"
    (src / "好.txt").write_text(ok, encoding="utf-8")
    (src / "坏字节.txt").write_bytes(ok[:10].encode() + b"\xff" + ok[10:].encode())  # a failing read check
    out = tmp_path / "out"
    res = run_batch(discover([src], exclude=out), BatchConfig(out_dir=str(out), method="rules"), progress=False)
    assert res.done == 2
    failing = {p.stem: [c["rule"] for c in json.loads(p.read_text(encoding="utf-8"))["checks"] if c["status"] == "fail"]
               for p in out.glob("*.json") if p.stem in ("好", "坏字节")}
    assert res.with_failed_checks == {k: v for k, v in failing.items() if v}
    assert "read.replaced_characters" in res.with_failed_checks["坏字节"]
    line = next(x for x in report_lines(res) if "failing checks" in x)
    assert line.startswith(f"{len(res.with_failed_checks)} of 2 extracted documents have failing checks")
    assert "read.replaced_characters ×1" in line
    again = run_batch(discover([src], exclude=out), BatchConfig(out_dir=str(out), method="rules"), progress=False)
    assert again.skipped == 2 and again.with_failed_checks == res.with_failed_checks  # resumed ones count too
