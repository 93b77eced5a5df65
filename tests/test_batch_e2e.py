"""Batches on real files made in tmp_path: good generated reports mixed with corrupt, empty,
binary, GBK, 50 MB and non-report files; resuming, --force, 1 vs 2 workers, datasets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gongkai.batch.output import leftover_temp_files
from gongkai.schema import Report
from gongkai.settings import model_available

# ----------------------------------------------------------------------- helpers (also used by
# test_batch_ray.py): generated reports and bad files, and `gongkai extract` run in-process

NOTICE = "关于开展春季植树活动的通知\n各单位：\n为改善生态环境，定于三月十二日上午开展植树活动，请组织干部职工参加。\n特此通知。\n"


def run_extract(*argv: str) -> int:
    """``gongkai extract ARGV…`` in this process; returns the exit status."""
    from gongkai.commands import extract

    parser = argparse.ArgumentParser(prog="gongkai")
    sub = parser.add_subparsers(dest="command", required=True)
    extract.register(sub)
    args = parser.parse_args(["extract", *argv])
    return int(args.func(args) or 0)


def generated(n: int, seed: int) -> list:
    from gongkai.synth import generate

    return generate(n, seed)


def write_good(folder: Path, n: int = 4, seed: int = 11) -> dict[str, str]:
    """n generated reports as UTF-8 .txt (one in a sub-folder); returns doc_id -> text."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i, doc in enumerate(generated(n, seed)):
        name = f"报告{i:02d}"
        where = folder / "子目录" if i == 0 else folder
        where.mkdir(exist_ok=True)
        (where / f"{name}.txt").write_text(doc.text, encoding="utf-8")
        out[name] = doc.text
    return out


def write_gbk(folder: Path, seed: int = 23) -> tuple[str, str]:
    """A generated report encoded as GBK (as many government sites still serve them)."""
    for doc in generated(6, seed):
        try:
            data = doc.text.encode("gbk")
        except UnicodeEncodeError:
            continue
        (folder / "国标编码.txt").write_bytes(data)
        return "国标编码", doc.text
    raise AssertionError("no generated report fits GBK")


def write_bad(folder: Path) -> dict[str, str]:
    """Files that must fail, each with the stage it must fail at: doc_id -> stage."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "损坏.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n" + bytes(range(256)) * 4)
    (folder / "损坏文档.docx").write_bytes(b"PK\x03\x04" + b"\x00\xff" * 500)
    (folder / "空白.txt").write_bytes(b"")
    (folder / "二进制.txt").write_bytes(bytes(range(256)) * 16)
    with open(folder / "巨大.txt", "wb") as fh:  # 50 MB, sparse: written in no time
        fh.seek(50_000_000 - 1)
        fh.write(b"\0")
    (folder / "通知.txt").write_text(NOTICE, encoding="utf-8")
    return {"损坏": "read", "损坏文档": "read", "空白": "read", "二进制": "read", "巨大": "read",
            "通知": "validate"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def outputs(folder: Path) -> dict[str, bytes]:
    """Every per-document output and dataset in ``folder``, by name (for exact comparisons)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.suffix in (".json", ".txt", ".jsonl", ".csv", ".parquet") and p.name != "summary.json"}


# ----------------------------------------------------------------------- batches

@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """An input folder of 4 good reports + 1 GBK report + 6 bad files."""
    root = tmp_path_factory.mktemp("mixed")
    good = write_good(root)
    gid, gtext = write_gbk(root)
    good[gid] = gtext
    bad = write_bad(root)
    return root, good, bad


@pytest.fixture(scope="module")
def first_run(mixed, tmp_path_factory):
    root, good, bad = mixed
    out = tmp_path_factory.mktemp("out1")
    rc = run_extract(str(root), "-o", str(out), "--method", "auto", "--format", "jsonl", "--no-progress")
    return rc, out


def test_bad_files_are_recorded_and_good_ones_done(mixed, first_run, capsys) -> None:
    root, good, bad = mixed
    rc, out = first_run
    assert rc == 1
    for doc_id, text in good.items():
        data = json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))
        Report.model_validate(data)
        assert data["doc_id"] == doc_id
        # auto uses the shipped model with rules fallback; with no model it says rules
        assert data["method"] == ("model+rules" if model_available() else "rules")
        as_read = (out / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert as_read == text  # the GBK file too: the .txt is the decoded text, UTF-8
        for claim in data["claims"]:  # offsets refer to the .txt written beside the JSON
            assert as_read[claim["start"]:claim["end"]] == claim["text"]
        for sec in data["sections"].values():
            if sec:
                assert sec["title"] in as_read[sec["start"]:sec["end"]]
    errors = {Path(e["file"]).stem: e for e in read_jsonl(out / "errors.jsonl")}
    assert set(errors) == set(bad)
    for doc_id, stage in bad.items():
        assert errors[doc_id]["stage"] == stage, errors[doc_id]
        assert errors[doc_id]["message"]
        assert "traceback" not in errors[doc_id], errors[doc_id]  # bad input, not a bug
        assert not (out / f"{doc_id}.json").exists()
    assert "too large" in errors["巨大"]["message"]
    assert "not a government information-disclosure annual report" in errors["通知"]["message"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["skipped"], summary["failed"]) == (len(good), 0, len(bad))
    checks = json.loads((out / "batch_checks.json").read_text(encoding="utf-8"))
    assert checks["n_documents"] == len(good)
    rows = read_jsonl(out / "reports.jsonl")
    assert sorted(r["doc_id"] for r in rows if r["status"] == "done") == sorted(good)
    failed = {r["doc_id"]: r["error"] for r in rows if r["status"] == "failed"}  # rows of their own
    assert set(failed) == set(bad) and all(failed.values())
    assert leftover_temp_files(out) == []


def test_resume_skips_done_and_force_redoes(mixed, first_run, tmp_path: Path) -> None:
    root, good, bad = mixed
    _, first = first_run
    out = tmp_path / "out"
    assert run_extract(str(root), "-o", str(out), "--no-progress") == 1
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name not in ("summary.json",
                                                                                    "batch_checks.json")}
    assert run_extract(str(root), "-o", str(out), "--no-progress") == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["skipped"], summary["failed"]) == (0, len(good), len(bad))
    assert {p: p.stat().st_mtime_ns for p in before} == before  # untouched
    assert len(read_jsonl(out / "errors.jsonl")) == len(bad)  # bad files are tried again
    assert run_extract(str(root), "-o", str(out), "--force", "--no-progress") == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["skipped"]) == (len(good), 0)
    assert all(p.stat().st_mtime_ns != t for p, t in before.items())
    assert {k: v for k, v in outputs(out).items() if k != "errors.jsonl"} == {
        k: v for k, v in outputs(first).items() if k not in ("errors.jsonl", "reports.jsonl", "claims.jsonl", "checks.jsonl", "values.jsonl")}


def test_two_workers_give_identical_outputs(mixed, first_run, tmp_path: Path) -> None:
    root, good, bad = mixed
    _, one = first_run
    two = tmp_path / "two"
    rc = run_extract(str(root), "-o", str(two), "--workers", "2", "--format", "jsonl", "--no-progress")
    assert rc == 1
    assert outputs(two) == outputs(one)
    assert (two / "batch_checks.json").read_bytes() == (one / "batch_checks.json").read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_datasets_read_back_with_pyarrow(mixed, first_run, tmp_path: Path, fmt: str) -> None:
    root, good, _ = mixed
    _, first = first_run
    out = tmp_path / fmt
    # resume from the first run's outputs: the dataset still holds every document
    for name in good:
        for ext in (".json", ".txt"):
            (out / f"{name}{ext}").parent.mkdir(exist_ok=True)
            (out / f"{name}{ext}").write_bytes((first / f"{name}{ext}").read_bytes())
    assert run_extract(*[str(p) for p in sorted(root.rglob("*.txt")) if p.stem in good],
                       "-o", str(out), "--format", fmt, "--no-progress") == 0
    if fmt == "parquet":
        table = pq.read_table(out / "reports.parquet")
    else:
        from pyarrow import csv as pacsv

        table = pacsv.read_csv(out / "reports.csv",
                               convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    rows = {r["doc_id"]: r for r in table.to_pylist()}
    assert set(rows) == set(good)
    for doc_id, row in rows.items():
        data = json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert row["meta.organ"] == data["meta"]["organ"]
        assert row["meta.report_year"] == data["meta"]["report_year"]
        nr = (data["requests"].get("new_requests") or {}).get("total")
        assert row["requests.new_requests.total"] == nr
        assert row["n_claims"] == len(data["claims"])
        assert row["checks_failed"] == sum(c["status"] == "fail" for c in data["checks"])
        assert row["method"] == data["method"]


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    assert run_extract(str(tmp_path / "无此目录"), "-o", str(tmp_path / "o")) == 2
    assert "no such file or folder" in capsys.readouterr().err
    monkeypatch.setenv("GONGKAI_MODEL", str(tmp_path / "no-model"))
    (tmp_path / "a.txt").write_text("一、总体情况\n", encoding="utf-8")
    assert run_extract(str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--method", "model") == 2
    assert "no model" in capsys.readouterr().err
    assert run_extract(str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--workers", "0") == 2
    with pytest.raises(SystemExit) as exc:
        run_extract(str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--format", "xls")
    assert exc.value.code == 2
    import sys

    # outputs into the input folder would replace a.txt with its own re-encoded text
    assert run_extract(str(tmp_path), "-o", str(tmp_path)) == 2
    assert "overwrite input files" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    assert run_extract(str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--engine", "ray") == 2
    assert "gongkai[ray]" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()  # nothing was written for a usage error


def test_same_report_twice_is_flagged_as_duplicate(tmp_path: Path, capsys) -> None:
    doc = generated(1, 31)[0]
    src = tmp_path / "in"
    src.mkdir()
    (src / "本年.txt").write_text(doc.text, encoding="utf-8")
    (src / "副本.md").write_text(doc.text.replace("\n", "\r\n"), encoding="utf-8")  # other line ends
    out = tmp_path / "out"
    assert run_extract(str(src), "-o", str(out), "--no-progress") == 0
    checks = json.loads((out / "batch_checks.json").read_text(encoding="utf-8"))
    dup = [c for c in checks["checks"] if c["rule"] == "crossdoc.duplicate_text"]
    assert [c["doc_ids"] for c in dup] == [["副本", "本年"]]
    assert checks["summary"]["crossdoc.duplicate_text"]["fail"] == 1
    assert "duplicate_text ×1" in capsys.readouterr().out
