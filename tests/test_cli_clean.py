"""A clean command line: no tracebacks for user errors, a closed pipe ends quietly, no third-party
progress bars in logs, an unwritable -o is one line, `score --only-predicted` scores a subset."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
ENV.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)


def _gongkai(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *argv], capture_output=True, text=True,
                          env=env or ENV, timeout=300, check=False)


def test_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "synth", "--list-layouts"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    proc.stdout.close()  # the reader is gone before anything is written (as `| head` after its lines)
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode in (0, 141)


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    proc = _gongkai("evaluate", "--gold", str(tmp_path / "无此目录"), "--method", "rules", "-o", str(tmp_path / "e"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "无此目录" in proc.stderr
    proc = _gongkai("score", str(tmp_path / "无"), str(tmp_path / "也无"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "error:" in proc.stderr


def test_unwritable_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("一、总体情况\n本年主动公开政府信息3条。\n", encoding="utf-8")
    (tmp_path / "文件").write_text("x", encoding="utf-8")
    proc = _gongkai("extract", str(tmp_path / "r.txt"), "-o", str(tmp_path / "文件" / "out"))
    assert proc.returncode == 2, proc.stderr
    assert "cannot write outputs there" in proc.stderr and "Traceback" not in proc.stderr


def test_no_loading_bar_in_logs(tmp_path: Path) -> None:
    from gongkai.settings import model_available
    from gongkai.synth import generate

    (tmp_path / "r.txt").write_text(generate(1, 3)[0].text, encoding="utf-8")
    proc = _gongkai("extract", str(tmp_path / "r.txt"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert model_available()  # the shipped model was loaded, quietly
    assert "Loading weights" not in proc.stderr and "it/s" not in proc.stderr, proc.stderr


def test_score_only_predicted(tmp_path: Path, corpus: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    stems = sorted(p.stem for p in (corpus / "dev" / "gold").glob("*.json"))[:3]
    for s in stems:
        shutil.copy(corpus / "dev" / "gold" / f"{s}.json", gold)
    out = tmp_path / "pred"
    assert _gongkai("extract", str(corpus / "dev" / "docs" / f"{stems[0]}.txt"), "-o", str(out),
                    "--method", "rules").returncode == 0
    full = _gongkai("score", str(gold), str(out), "--json")
    sub = _gongkai("score", str(gold), str(out), "--json", "--only-predicted")
    assert full.returncode == sub.returncode == 0, sub.stderr
    full_docs = json.loads(full.stdout)["docs"]
    sub_docs = json.loads(sub.stdout)["docs"]
    assert len(full_docs) == 3 and [d["doc_id"] for d in sub_docs] == [stems[0]]
    assert "scored 1 gold documents that have a prediction" in sub.stderr
