"""The real ``gongkai extract`` command line, run as a separate process (stdin/stderr not a tty,
so no progress bar), on generated reports written to tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.schema import Report

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def _gongkai(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *argv], capture_output=True, text=True,
                          env=ENV, timeout=300, check=False)


def test_help_says_how_doc_ids_are_made() -> None:
    proc = _gongkai("extract", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    for needle in ("--workers", "--force", "--format", "--engine", "errors.jsonl", "__", "exit status"):
        assert needle in text


def test_extract_one_folder_end_to_end(tmp_path: Path) -> None:
    from gongkai.synth import generate

    src = tmp_path / "报告"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    docs = generate(2, 3)
    # the same file name in two folders: both kept, named by their relative paths
    (src / "a" / "年报.txt").write_text(docs[0].text, encoding="utf-8")
    (src / "b" / "年报.txt").write_text(docs[1].text, encoding="utf-8")
    out = tmp_path / "结果"
    proc = _gongkai("extract", str(src), "-o", str(out), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert "done 2, skipped 0, failed 0" in proc.stdout
    assert "docs/s" in proc.stdout
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal
    for doc_id, doc in (("a__年报", docs[0]), ("b__年报", docs[1])):
        report = Report.model_validate(json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8")))
        assert report.doc_id == doc_id
        assert (out / f"{doc_id}.txt").read_text(encoding="utf-8") == doc.text
    assert (out / "reports.csv").read_text(encoding="utf-8").count("\n") == 3
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""
    again = _gongkai("extract", str(src), "-o", str(out))
    assert again.returncode == 0 and "done 0, skipped 2, failed 0" in again.stdout


def test_usage_error_exit_code(tmp_path: Path) -> None:
    proc = _gongkai("extract", str(tmp_path / "不存在"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "不存在" in proc.stderr and "no such file or folder" in proc.stderr
    assert _gongkai("extract", str(tmp_path)).returncode == 2  # -o is required


def test_interrupt_stops_soon_and_the_rerun_resumes(tmp_path: Path) -> None:
    import signal
    import time

    from gongkai.synth import generate

    src = tmp_path / "in"
    src.mkdir()
    docs = generate(60, 17)
    for doc in docs:
        (src / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "extract", str(src), "-o", str(out),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 120
    while not list(out.glob("*.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # the machine was fast enough to finish first: nothing to interrupt
        pytest.skip("batch finished before the interrupt")
    assert proc.returncode == 130, err
    assert "run the same command again to resume" in err
    assert not list(out.glob(".gongkai-tmp-*"))  # no half-written file
    finished = len(list(out.glob("syn*.json")))
    assert 0 < finished < len(docs)
    again = _gongkai("extract", str(src), "-o", str(out), "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert f"done {len(docs) - finished}, skipped {finished}, failed 0" in again.stdout


def test_json_is_compact_unless_indent_is_asked_for(tmp_path: Path) -> None:
    from gongkai.synth import generate

    src = tmp_path / "报告"
    src.mkdir()
    doc = generate(1, 8)[0]
    (src / "年报.txt").write_text(doc.text, encoding="utf-8")
    outs = {}
    for name, extra in (("compact", ()), ("indented", ("--indent", "2"))):
        proc = _gongkai("extract", str(src), "-o", str(tmp_path / name), "--method", "rules", "--workers", "2",
                        *extra)
        assert proc.returncode == 0, proc.stderr
        outs[name] = (tmp_path / name / "年报.json").read_text(encoding="utf-8")
    compact, indented = outs["compact"], outs["indented"]
    assert compact.count("\n") == 1 and '", "' not in compact and '":' in compact
    assert '\n  "doc_id": "年报"' in indented  # two spaces per level, Chinese kept as written
    assert json.loads(compact) == json.loads(indented)
    assert len(compact.encode()) < 0.8 * len(indented.encode())
    assert _gongkai("extract", str(src), "-o", str(tmp_path / "x"), "--indent", "-1").returncode == 2
