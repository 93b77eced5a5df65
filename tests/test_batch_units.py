"""Batch building blocks on real files in tmp_path: discovery and doc_ids, atomic writes,
flattened datasets read back with pyarrow, error records, cross-document checks."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gongkai.batch import crossdoc
from gongkai.batch.discover import DiscoverError, discover
from gongkai.batch.errors import ErrorRecord, read_errors, write_errors
from gongkai.batch.output import (
    COLUMNS,
    atomic_write_bytes,
    atomic_write_json,
    flatten,
    leftover_temp_files,
    write_dataset,
)
from gongkai.errors import InputError
from gongkai.schema import Check, Claim, Meta, Report, RequestRow, Requests, Section, Sections


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------- discovery

def test_discover_recurses_by_extension_and_skips_hidden_and_output(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ("a.txt", "sub/b.PDF", "sub/deep/c.docx", "d.htm", "e.md", "f.text", "g.html"):
        _touch(root / rel)
    _touch(root / "notes.csv")
    _touch(root / ".hidden.txt")
    _touch(root / ".git" / "x.txt")
    _touch(root / "out" / "old.txt")  # the output folder inside the input is never read back
    tasks = discover([root], exclude=root / "out")
    assert sorted(t.doc_id for t in tasks) == ["a", "b", "c", "d", "e", "f", "g"]
    assert all(Path(t.path).is_file() for t in tasks)


def test_duplicate_stems_get_relative_path_ids_deterministically(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _touch(root / "2020" / "报告.txt")
    _touch(root / "2021" / "报告.txt")
    _touch(root / "2021" / "报告.pdf")
    _touch(root / "唯一.txt")
    first = {t.rel: t.doc_id for t in discover([root])}
    assert first == {
        "2020/报告.txt": "2020__报告",
        "2021/报告.pdf": "2021__报告__pdf",
        "2021/报告.txt": "2021__报告__txt",
        "唯一.txt": "唯一",
    }
    assert {t.rel: t.doc_id for t in discover([root])} == first


def test_same_relative_path_under_two_inputs_gets_a_counter(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a" / "r.txt")
    b = _touch(tmp_path / "b" / "r.txt")
    ids = [t.doc_id for t in discover([tmp_path / "a", tmp_path / "b"])]
    assert ids == ["r", "r__2"]
    # the same file named twice is one document
    assert [t.doc_id for t in discover([a, a, b])] == ["r", "r__2"]


def test_discover_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(DiscoverError, match="no such file"):
        discover([tmp_path / "nope"])
    with pytest.raises(DiscoverError):
        discover([])


# ----------------------------------------------------------------------- atomic writes

def test_atomic_write_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    atomic_write_json(target, {"organ": "某镇人民政府"})
    atomic_write_json(target, {"organ": "另一镇人民政府", "n": 2})
    assert json.loads(target.read_text(encoding="utf-8")) == {"organ": "另一镇人民政府", "n": 2}
    assert leftover_temp_files(tmp_path) == []


def test_failed_atomic_write_keeps_old_file_and_removes_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "r.txt"
    atomic_write_bytes(target, "旧内容".encode())

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(target, "新内容".encode() * 1000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert leftover_temp_files(tmp_path) == []


# ----------------------------------------------------------------------- flattening

def _report(doc_id: str, organ: str | None, year: int | None, pub: str | None = None,
            over: float | None = None, fwd: float | None = None) -> dict:
    rep = Report(
        doc_id=doc_id,
        meta=Meta(organ=organ, report_year=year, publish_date=pub, template="2021"),
        sections=Sections(overview=Section(title="一、总体情况", start=0, end=6)),
        requests=Requests(
            new_requests=RequestRow(natural_person=2, total=2),
            carried_over=RequestRow(total=over),
            carried_forward=RequestRow(total=fwd),
        ),
        claims=[Claim(type="request_count", value=2, unit="件", scope="year", text="收到申请2件", start=0, end=6)],
        checks=[Check(rule="requests.balance.total", status="fail", detail="x"),
                Check(rule="requests.row_total.new_requests", status="pass", detail="y")],
        method="rules",
    )
    return rep.to_json_dict()


def test_flatten_has_fixed_columns_and_values() -> None:
    row = flatten(_report("甲", "某镇人民政府", 2021, "2022-01-20", over=1, fwd=0.5))
    assert list(row) == COLUMNS
    assert row["meta.organ"] == "某镇人民政府"
    assert row["requests.new_requests.total"] == 2
    assert row["requests.carried_forward.total"] == 0.5
    assert row["active_disclosure.regulations.issued"] is None
    assert (row["n_claims"], row["checks_failed"], row["checks_passed"], row["n_sections"]) == (1, 1, 1, 1)
    assert row["method"] == "rules"
    with pytest.raises(ValueError):
        flatten({"doc_id": "bad", "meta": {"report_year": "二〇二〇年度"}})
    assert flatten({"doc_id": "bare"})["n_sections"] == 0


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_dataset_reads_back_with_pyarrow(tmp_path: Path, fmt: str) -> None:
    rows = [flatten(_report("报告B", "乙镇人民政府", 2020, over=3)),
            flatten(_report("报告A", None, None, fwd=2406.2243))]
    path = write_dataset(rows, tmp_path, fmt)
    assert path == tmp_path / f"reports.{fmt}"
    if fmt == "parquet":
        table = pq.read_table(path)
    elif fmt == "csv":
        from pyarrow import csv as pacsv

        # an empty CSV field is a null (a blank cell), strings too
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
        assert next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))) == COLUMNS
    else:
        from pyarrow import json as pajson

        table = pajson.read_json(path)
    assert table.num_rows == 2
    assert table.column_names == COLUMNS
    got = table.to_pylist()
    assert [r["doc_id"] for r in got] == ["报告A", "报告B"]  # sorted by doc_id
    assert got[0]["requests.carried_forward.total"] == pytest.approx(2406.2243)
    assert got[1]["requests.carried_over.total"] == 3
    assert got[1]["meta.organ"] == "乙镇人民政府"
    assert got[0]["meta.organ"] is None
    assert leftover_temp_files(tmp_path) == []


# ----------------------------------------------------------------------- error records

def test_error_records_round_trip_and_keep_tracebacks_only_for_bugs(tmp_path: Path) -> None:
    bad = ErrorRecord.from_exception(InputError("x/坏.pdf", "not a PDF", stage="read"), "x/坏.pdf", "坏", "extract")
    assert (bad.stage, bad.error, bad.message) == ("read", "InputError", "not a PDF")
    try:
        {}["missing"]
    except KeyError as exc:
        bug = ErrorRecord.from_exception(exc, "y.txt", "y", "extract")
    assert bug.stage == "extract" and "Traceback" in (bug.traceback or "")
    write_errors(tmp_path, [bug, bad])
    recs = read_errors(tmp_path)
    assert [r["file"] for r in recs] == ["x/坏.pdf", "y.txt"]
    assert "traceback" not in recs[0]
    write_errors(tmp_path, [])
    assert read_errors(tmp_path) == []


# ----------------------------------------------------------------------- cross-document checks

def _dig(rep: dict, text: str = "") -> dict:
    return crossdoc.digest(rep, text or rep["doc_id"])


def test_carry_chain_pass_fail_and_skipped() -> None:
    digests = [
        _dig(_report("a2020", "某 镇人民政府", 2020, fwd=3)),
        _dig(_report("a2021", "某镇人民政府", 2021, over=3, fwd=1)),
        _dig(_report("a2022", "某镇人民政府", 2022, over=2)),
        _dig(_report("b2020", "乙镇人民政府", 2020, fwd=None)),
        _dig(_report("b2021", "乙镇人民政府", 2021, over=0)),
        _dig(_report("c2019", "丙镇人民政府", 2019, fwd=5)),  # no 2020 report: nothing to compare
    ]
    res = crossdoc.run_crossdoc(digests)
    chain = {tuple(c["doc_ids"]): c["status"] for c in res["checks"] if c["rule"] == "crossdoc.carry_chain"}
    assert chain == {("a2020", "a2021"): "pass", ("a2021", "a2022"): "fail", ("b2020", "b2021"): "skipped"}
    assert res["summary"]["crossdoc.carry_chain"] == {"pass": 1, "fail": 1, "skipped": 1}


def test_duplicates_by_text_and_by_organ_year() -> None:
    a = _report("a", "某镇人民政府", 2020)
    b = _report("b", "某镇人民政府", 2020)
    c = _report("c", "另镇人民政府", 2020)
    digests = [_dig(a, "一、总体情况\n全年主动公开 5 条"), _dig(b, "一、总体情况 全年主动公开5条"),
               _dig(c, "一、总体情况\n全年主动公开6条")]
    res = crossdoc.run_crossdoc(digests)
    dups = {(c["rule"], tuple(c["doc_ids"])) for c in res["checks"] if c["status"] == "fail"}
    assert ("crossdoc.duplicate_text", ("a", "b")) in dups
    assert ("crossdoc.duplicate_organ_year", ("a", "b")) in dups
    assert not any("c" in ids for _, ids in dups)


def test_publish_date_agrees_with_report_year(tmp_path: Path) -> None:
    digests = [
        _dig(_report("ok", "甲", 2020, "2021-01-15")),
        _dig(_report("late", "乙", 2020, "2020-12-28")),
        _dig(_report("wrong", "丙", 2020, "2023-01-15")),
        _dig(_report("early", "丁", 2020, "2020-03-01")),
        _dig(_report("none", "戊", 2020, None)),
    ]
    res = crossdoc.run_crossdoc(digests)
    got = {c["doc_ids"][0]: c["status"] for c in res["checks"] if c["rule"] == "crossdoc.publish_date_year"}
    assert got == {"ok": "pass", "late": "pass", "wrong": "fail", "early": "fail"}
    assert "failed" in crossdoc.summary_line(res)
    path = crossdoc.write_batch_checks(tmp_path, res)
    assert json.loads(path.read_text(encoding="utf-8"))["summary"] == res["summary"]


# ----------------------------------------------------------------------- dying workers

def die_on_bomb(task, cfg) -> dict:
    """A unit of work whose process dies (as on a segfault or the OOM killer) on one document."""
    if "炸弹" in task.doc_id:
        os._exit(3)
    Path(cfg.out_dir, f"{task.doc_id}.ok").write_text(str(os.getpid()), encoding="utf-8")
    return {"doc_id": task.doc_id, "file": task.path, "status": "done", "seconds": 0.0}


def test_a_dying_worker_loses_only_its_own_document(tmp_path: Path) -> None:
    from gongkai.batch.discover import DocTask
    from gongkai.batch.runner import BatchConfig, run_local

    tasks = [DocTask(str(tmp_path / f"{n}.txt"), n, f"{n}.txt") for n in ("甲", "乙", "炸弹", "丙", "丁", "戊")]
    cfg = BatchConfig(out_dir=str(tmp_path), method="rules")
    outcomes = {o["doc_id"]: o for o in run_local(tasks, cfg, workers=2, work=die_on_bomb)}
    assert set(outcomes) == {t.doc_id for t in tasks}
    assert outcomes["炸弹"]["status"] == "failed"
    assert outcomes["炸弹"]["error"]["stage"] == "worker"
    assert "died" in outcomes["炸弹"]["error"]["message"]
    assert all(o["status"] == "done" for k, o in outcomes.items() if k != "炸弹")
    assert sorted(p.stem for p in tmp_path.glob("*.ok")) == sorted(k for k in outcomes if k != "炸弹")


def test_a_failed_redo_removes_the_earlier_outputs(tmp_path: Path) -> None:
    """Under --force, a document that now fails must not keep last run's outputs (a later
    resume would skip it as done)."""
    from gongkai.batch.discover import DocTask
    from gongkai.batch.runner import BatchConfig, process_document

    out = tmp_path / "out"
    out.mkdir()
    atomic_write_json(out / "年报.json", _report("年报", "某镇人民政府", 2020))
    (out / "年报.txt").write_text("旧的文本", encoding="utf-8")
    src = tmp_path / "年报.txt"
    src.write_bytes(b"")
    oc = process_document(DocTask(str(src), "年报", "年报.txt"), BatchConfig(str(out), force=True))
    assert oc["status"] == "failed" and oc["error"]["stage"] == "read"
    assert not (out / "年报.json").exists() and not (out / "年报.txt").exists()
